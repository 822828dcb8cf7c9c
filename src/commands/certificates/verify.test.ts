import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { CloudClient, CloudConnectionOptions } from '../../cloud/client.js';
import type { INamespace } from '../../cloud/proto.js';
import { errorKind } from '../../errors.js';
import { run, type VerifyResult } from './verify.js';
import { bytesDeps, makePki, type Pki } from './test-fixtures.js';

describe('cert verify', () => {
  let pki: Pki;
  let files: Record<string, string>;
  before(async () => {
    pki = await makePki();
    files = {
      'leaf.pem': pki.leaf.certificatePem,
      'expired.pem': pki.expiredLeaf.certificatePem,
      'ca.pem': pki.ca.certificatePem,
      'other.pem': pki.otherCa.certificatePem,
      'both.pem': pki.otherCa.certificatePem + pki.ca.certificatePem,
      'filters.json': JSON.stringify({ filters: [{ commonName: 'worker' }] }),
      'strict.json': JSON.stringify({ filters: [{ organization: 'payments' }, { commonName: 'api-*' }] }),
      'bad.json': '{"filters": [',
      'empty.pem': '',
    };
  });

  it('accepts a leaf issued by a CA of the bundle, and says the path', async () => {
    const verdict = await run({ cert: 'leaf.pem', caBundle: 'both.pem' }, bytesDeps(files).deps);
    assert.equal(verdict.ok, true);
    assert.match(verdict.lines[0]!, /^accepted: CN=worker,O=myco, issued by CN=\S+,O=myco, valid /);
    assert.match(verdict.lines[1]!, /^by the CAs in both\.pem, through CN=worker,O=myco → CN=client\.root\.myco\.\S+,O=myco$/);
  });

  it('lists every reason at once: an expired leaf from a CA not in the bundle', async () => {
    const verdict = await run({ cert: 'expired.pem', caBundle: 'other.pem' }, bytesDeps(files).deps);
    assert.equal(verdict.ok, false);
    assert.match(verdict.lines[0]!, /^refused by the CAs in other\.pem \(2 reasons\): /);
    assert.match(verdict.lines[1]!, /^ {2}- the certificate expired on /);
    assert.match(verdict.lines[2]!, /^ {2}- the certificate is not issued by any CA in the namespace's accepted bundle/);
  });

  it('applies certificate filters from a file', async () => {
    assert.equal((await run({ cert: 'leaf.pem', caBundle: 'ca.pem', certificateFilterFile: 'filters.json' }, bytesDeps(files).deps)).ok, true);
    const refused = await run({ cert: 'leaf.pem', caBundle: 'ca.pem', certificateFilterFile: 'strict.json' }, bytesDeps(files).deps);
    assert.equal(refused.ok, false);
    assert.match(refused.lines[0]!, /and its 2 certificate filters \(1 reason\)/);
    assert.match(refused.lines[1]!, /matches none of the namespace's 2 certificate filters/);
  });

  it('gives {accepted, reasons: [{code, message}], path} with --output json, refused or not', async () => {
    const verdict = await run({ cert: 'expired.pem', caBundle: 'other.pem', output: 'json' }, bytesDeps(files).deps);
    assert.equal(verdict.ok, false);
    const json = verdict.json as VerifyResult;
    assert.deepEqual(Object.keys(json), ['accepted', 'reasons', 'path']);
    assert.equal(json.accepted, false);
    assert.deepEqual(json.reasons.map((r) => Object.keys(r)), [['code', 'message'], ['code', 'message']]);
    assert.deepEqual(json.reasons.map((r) => r.code), ['expired', 'untrusted-issuer']);
    assert.match(json.reasons[0]!.message, /^the certificate expired on /);
    assert.deepEqual(json.path, []);
    const accepted = (await run({ cert: 'leaf.pem', caBundle: 'ca.pem', output: 'json' }, bytesDeps(files).deps)).json as VerifyResult;
    assert.deepEqual({ ...accepted, path: accepted.path.length }, { accepted: true, reasons: [], path: 2 });
  });

  it("fetches the namespace's bundle and filters with --namespace, and closes the client", async () => {
    const { deps } = bytesDeps(files);
    const asked: string[] = [];
    let closed = false;
    let connection: CloudConnectionOptions | undefined;
    const namespace: INamespace = {
      namespace: 'myns.acct',
      spec: { mtlsAuth: { acceptedClientCa: Buffer.from(pki.ca.certificatePem), certificateFilters: [{ organization: 'payments' }] } },
    };
    deps.cloud = async (options) => {
      connection = options;
      return {
        getNamespace: async (name: string) => (asked.push(name), namespace),
        close: () => (closed = true),
      } as unknown as CloudClient;
    };
    const verdict = await run({ cert: 'leaf.pem', namespace: 'myns.acct', apiKey: 'k', server: 'h:1', insecure: true }, deps);
    assert.deepEqual(asked, ['myns.acct']);
    assert.ok(closed);
    assert.equal(connection?.server, 'h:1');
    assert.equal(verdict.ok, false);
    assert.match(verdict.lines[0]!, /^refused by namespace myns\.acct and its certificate filter \(1 reason\)/);
    assert.match(verdict.lines[1]!, /matches none of the namespace's 1 certificate filter \(it has CN=worker, O=myco/);
  });

  it('checks the flag combinations before reading anything', async () => {
    for (const [options, pattern] of [
      [{ caBundle: 'ca.pem', namespace: 'ns' }, /not both/],
      [{}, /give the accepted CAs/],
      [{ namespace: 'ns', certificateFilterFile: 'filters.json' }, /--certificate-filter-file goes with --ca-bundle/],
    ] as const) {
      await assert.rejects(run({ cert: 'missing.pem', ...options }, bytesDeps(files).deps), (e: Error) => errorKind(e) === 'usage' && pattern.test(e.message));
    }
  });

  it('refuses bad input with one line: an empty bundle, invalid filters JSON, a key as the certificate', async () => {
    for (const [options, pattern] of [
      [{ cert: 'leaf.pem', caBundle: 'empty.pem' }, /CA bundle file empty\.pem holds no certificate/],
      [{ cert: 'leaf.pem', caBundle: 'ca.pem', certificateFilterFile: 'bad.json' }, /certificate filter file bad\.json: the filters are not valid JSON/],
      [{ cert: 'filters.json', caBundle: 'ca.pem' }, /client certificate file filters\.json: the file is not PEM/],
    ] as const) {
      await assert.rejects(run(options, bytesDeps(files).deps), (e: Error) => errorKind(e) === 'input' && pattern.test(e.message) && !e.message.includes('\n'));
    }
  });
});
