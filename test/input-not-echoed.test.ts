/**
 * An error about an input file says where the file goes wrong, never what it holds: a token or a key
 * given by mistake (`tcld n cf imp -f ~/.tokens/api-key`) must not end up on a screen or in a CI log.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { main } from '../src/cli/main.js';
import { generateCertificateAuthority } from '../src/pki/ca.js';

const SECRET = 'sk_live_51HxSUPERSECRETvalue0123456789';

async function tcld(...argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const sink = (keep: boolean) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (keep) stderr += chunk.toString('utf8');
        done();
      },
    });
  const code = await main(argv, { stdin: Readable.from([]), stdout: sink(false), stderr: sink(true), env: {} });
  return { code, stderr };
}

describe('errors about input files never quote the files', () => {
  let dir: string;
  const path = (name: string, content: string) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tcld-echo-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Exit 2, one line, nothing of the secret in it; returns the line. */
  function assertRefusedQuietly(outcome: { code: number; stderr: string }): string {
    assert.equal(outcome.code, 2, outcome.stderr);
    assert.equal(outcome.stderr.trimEnd().split('\n').length, 1, outcome.stderr);
    for (let i = 0; i + 6 <= SECRET.length; i++) assert.ok(!outcome.stderr.includes(SECRET.slice(i, i + 6)), `the error quotes the file: ${outcome.stderr}`);
    return outcome.stderr;
  }

  // A server that is not there: were the file read as filters, nothing could reach the internet.
  const offline = ['--server', '127.0.0.1:1', '--insecure', '--api-key', 'unused'];

  it('n cf imp -f says where the JSON breaks, by line and column', async () => {
    const file = path('api-key.txt', `${SECRET}\n`);
    const line = assertRefusedQuietly(await tcld('n', 'cf', 'imp', '-n', 'myns.acct', '-f', file, ...offline));
    assert.match(line, /the filters are not valid JSON: an unexpected character stands where a value should at line 1, column 1/);
  });

  it('n cf imp -f with the secret inside a JSON string says where the string breaks', async () => {
    const file = path('half.json', `{"filters": [{"organization": "${SECRET}\n"}]}`);
    const line = assertRefusedQuietly(await tcld('n', 'cf', 'imp', '-n', 'myns.acct', '-f', file, ...offline));
    assert.match(line, /a control character \(such as a line break\) is inside a string at line 1, column \d+/);
  });

  it('n cf imp -f names a long unknown key by its length only', async () => {
    const file = path('keyed.json', `{"${SECRET}": []}`);
    const line = assertRefusedQuietly(await tcld('n', 'cf', 'imp', '-n', 'myns.acct', '-f', file, ...offline));
    assert.match(line, /unknown key of 38 characters/);
  });

  it('cert verify --certificate-filter-file, cert inspect, gen leaf --ca-key and --csr say what is wrong without quoting', async () => {
    const secret = path('secret.txt', `${SECRET}\n`);
    const ca = path('ca.pem', '');
    // A real CA certificate, so that gen leaf gets as far as reading the key file.
    const realCa = path('real-ca.pem', (await generateCertificateAuthority({ organization: 'x', validityMs: 30 * 86_400_000 })).certificatePem);
    const checks = [
      ['cert', 'inspect', secret],
      ['cert', 'verify', '--cert', secret, '--ca-bundle', secret],
      ['gen', 'leaf', '--org', 'x', '--ca-cert', secret, '--ca-key', secret, '--cert', join(dir, 'o.pem'), '--key', join(dir, 'o.key')],
      ['gen', 'leaf', '--ca-cert', ca, '--ca-key', secret, '--csr', secret, '--cert', join(dir, 'o.pem')],
      ['gen', 'ca', '--org', 'x', '--like', secret, '--ca-cert', join(dir, 'n.pem'), '--ca-key', join(dir, 'n.key')],
    ];
    for (const argv of checks) assertRefusedQuietly(await tcld(...argv));
    const keyRefusal = assertRefusedQuietly(await tcld('gen', 'leaf', '--org', 'x', '--ca-cert', realCa, '--ca-key', secret, '--cert', join(dir, 'o.pem'), '--key', join(dir, 'o.key')));
    assert.match(keyRefusal, /CA key/, 'the refusal is about the key file');
  });
});
