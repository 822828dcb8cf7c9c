import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const TCLD = resolve('bin/tcld');
const RECORDER = resolve('test/fixtures/record-loads.cjs');
const NETWORK_BUILTINS = ['http', 'https', 'http2', 'tls', '_tls_wrap', 'dns', 'dgram'];

describe('start-up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcld-startup-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs tcld with the recorder preloaded and returns what it loaded. */
  function loadsOf(args: string[], expectedCode = 0): { builtins: string[]; files: string[] } {
    const record = join(dir, `${args.join('-').replace(/\W+/g, '_')}.json`);
    const run = spawnSync(process.execPath, ['--require', RECORDER, TCLD, ...args], {
      env: { ...process.env, TCLD_RECORD_LOADS: record },
      encoding: 'utf8',
    });
    assert.equal(run.status, expectedCode, run.stderr);
    return JSON.parse(readFileSync(record, 'utf8')) as { builtins: string[]; files: string[] };
  }

  it('gen ca loads no network, gRPC or protobuf code', () => {
    const ca = join(dir, 'ca.pem');
    const loads = loadsOf(['gen', 'ca', '--org', 'x', '-d', '30d', '--ca-cert', ca, '--ca-key', join(dir, 'ca.key'), '--auto_confirm']);
    assert.deepEqual(loads.builtins.filter((m) => NETWORK_BUILTINS.includes(m)), []);
    assert.deepEqual(loads.files.filter((f) => /node_modules\/(@grpc|@temporalio|protobufjs|better-sqlite3)\//.test(f)), []);
    assert.ok(loads.files.some((f) => f.endsWith('gen-ca.cjs')), 'the gen ca bundle was loaded');
  });

  it('sees gRPC and protobuf being loaded when a Cloud Ops API command runs (so the check above can fail)', () => {
    // Nothing listens on port 1: the command fails after its retries, having loaded the client.
    const loads = loadsOf(['request', 'get', '-r', 'x', '--api-key', 'k', '-s', '127.0.0.1:1', '--insecure'], 1);
    assert.ok(loads.files.some((f) => f.includes('node_modules/@grpc/grpc-js/')));
    assert.ok(loads.files.some((f) => f.includes('node_modules/@temporalio/proto/')));
  });

  it('--help loads no cryptography and no command bundle', () => {
    const loads = loadsOf(['--help']);
    assert.ok(!loads.builtins.includes('crypto'), 'node:crypto was loaded');
    assert.deepEqual(loads.files.filter((f) => f.includes('/commands/')), []);
  });
});
