import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const TCLD = resolve('bin/tcld');
const RECORDER = resolve('test/fixtures/record-loads.cjs');
const NETWORK_BUILTINS = ['http', 'https', 'http2', 'tls', '_tls_wrap', 'dns', 'dgram'];
/** The CLI bundles grpc-js and protobufjs into its chunks: these strings of theirs say which file holds them. */
const GRPC_CODE = 'grpc-node-js/';
const PROTOBUF_CODE = 'invalid wire type'; // protobufjs's reader (our own code names google.protobuf.Any too)
/** openid-client's and oauth4webapi's code (bundled into a chunk of its own); and the stored login's. */
const OAUTH_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
const LOGIN_SESSION_CODE = 'not logged in: run tcld login';
/** protobufjs's reflection (Type#resolve), which the static code of the client's types replaces. */
const REFLECTION_CODE = 'no such Type or Enum';

/** The CLI's files among those loaded that hold `code`. */
const holding = (files: string[], code: string) => files.filter((f) => f.includes('/dist/cli/') && f.endsWith('.cjs') && readFileSync(f, 'utf8').includes(code));

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
    assert.deepEqual([...holding(loads.files, GRPC_CODE), ...holding(loads.files, PROTOBUF_CODE), ...holding(loads.files, OAUTH_CODE)], []);
    assert.ok(loads.files.some((f) => f.endsWith('gen-ca.cjs')), 'the gen ca bundle was loaded');
  });

  it('sees gRPC and protobuf being loaded when a Cloud Ops API command runs (so the check above can fail), but not @temporalio/proto', () => {
    // Nothing listens on port 1: the command fails after its retries, having loaded the client.
    const loads = loadsOf(['request', 'get', '-r', 'x', '--api-key', 'k', '-s', '127.0.0.1:1', '--insecure'], 1);
    assert.equal(holding(loads.files, GRPC_CODE).length, 1);
    assert.equal(holding(loads.files, PROTOBUF_CODE).length, 1);
    assert.ok(loads.builtins.includes('http2'));
    // The static code of the client's types in the CLI, not the whole Temporal API, and no protobufjs reflection.
    assert.deepEqual(loads.files.filter((f) => f.includes('node_modules/')), []);
    assert.deepEqual(holding(loads.files, REFLECTION_CODE), []);
    // With --api-key, nothing of the login: neither the stored login's code nor openid-client.
    assert.deepEqual([...holding(loads.files, LOGIN_SESSION_CODE), ...holding(loads.files, OAUTH_CODE)], []);
  });

  it('loads openid-client for tcld login (so the checks on it can fail), and not for a Cloud command whose stored login needs no refresh', () => {
    const login = loadsOf(['login', '--domain', 'http://127.0.0.1:1', '--disable-pop-up', '--config-dir', join(dir, 'none')], 1);
    assert.equal(holding(login.files, OAUTH_CODE).length, 1);
    assert.deepEqual(holding(login.files, GRPC_CODE), [], 'login loads no gRPC');

    const config = join(dir, 'logged-in');
    mkdirSync(config);
    const expiry = new Date(Date.now() + 3_600_000).toISOString();
    writeFileSync(join(config, 'tokens.json'), JSON.stringify({ audience: 'a', domain: 'https://login.example', oauth_config: { ClientID: 'c', Endpoint: { DeviceAuthURL: '', TokenURL: 'https://login.example/oauth/token', AuthStyle: 1 }, Scopes: [] }, oauth_token: { access_token: 'at', token_type: 'Bearer', refresh_token: 'rt', expiry } }));
    const cloud = loadsOf(['request', 'get', '-r', 'x', '--config-dir', config, '-s', '127.0.0.1:1', '--insecure'], 1);
    assert.equal(holding(cloud.files, LOGIN_SESSION_CODE).length, 1, 'the stored login was used');
    assert.deepEqual(holding(cloud.files, OAUTH_CODE), []);
  });

  it('--help loads no cryptography and no command bundle', () => {
    const loads = loadsOf(['--help']);
    assert.ok(!loads.builtins.includes('crypto'), 'node:crypto was loaded');
    assert.deepEqual(loads.files.filter((f) => f.includes('/commands/')), []);
  });

  it('has each class once: errors thrown by command and lazily loaded files are instances of the classes main.cjs has', async () => {
    const { loadBundle } = createRequire(import.meta.url)('../dist/cli/boot.cjs') as { loadBundle(file: string, useCache?: boolean): unknown };
    const { errors } = loadBundle(resolve('dist/cli/main.cjs')) as { errors: typeof import('../src/errors.js') };
    const genCa = loadBundle(resolve('dist/cli/commands/gen-ca.cjs')) as { run(options: object, deps: object): Promise<unknown> };
    const usage = await genCa.run({}, {}).catch((error: unknown) => error);
    assert.ok(usage instanceof errors.UsageError, `gen ca threw ${String(usage)}`);
    // The Cloud client: a file that main.cjs loads lazily (through node-deps), another chunk again.
    const nodeDepsFile = readdirSync('dist/cli/chunks').find((f) => /^node-deps-\w+\.cjs$/.test(f))!;
    const { nodeDeps } = loadBundle(resolve('dist/cli/chunks', nodeDepsFile)) as typeof import('../src/cli/node-deps.js');
    const noKey = await nodeDeps({} as never).cloud({ apiKey: '' }).catch((error: unknown) => error);
    assert.ok(noKey instanceof errors.UserError && !(noKey instanceof errors.UsageError), `the client threw ${String(noKey)}`);
  });
});
