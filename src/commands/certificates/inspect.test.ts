import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { errorKind } from '../../errors.js';
import type { CertificateDetails } from '../../pki/describe.js';
import { run } from './inspect.js';
import { bytesDeps, makePki, type Pki } from './test-fixtures.js';

describe('cert inspect', () => {
  let pki: Pki;
  before(async () => {
    pki = await makePki();
  });

  it('prints every certificate of a bundle as JSON with --output json, in file order', async () => {
    const { deps } = bytesDeps({ 'chain.pem': pki.leaf.certificatePem + pki.ca.certificatePem });
    const details = JSON.parse(await run({ file: 'chain.pem', output: 'json' }, deps)) as CertificateDetails[];
    assert.deepEqual(details.map((d) => d.ca), [false, true]);
    assert.equal(details[0]!.fingerprints.sha256, new X509Certificate(pki.leaf.certificatePem).fingerprint256);
    assert.equal(details[0]!.issuer, details[1]!.subject);
  });

  it('prints text by default, and reads a DER file', async () => {
    const { deps } = bytesDeps({ 'leaf.der': new X509Certificate(pki.leaf.certificatePem).raw });
    const text = await run({ file: 'leaf.der' }, deps);
    assert.match(text, /^certificate in leaf\.der\n/);
    assert.match(text, /subject: +CN=worker,O=myco/);
  });

  it('refuses with one line, as bad input (exit 2), an empty file, a key, truncated PEM and a missing file', async () => {
    const truncated = pki.leaf.certificatePem.slice(0, 200);
    const { deps } = bytesDeps({ 'empty.pem': '', 'key.pem': pki.leaf.privateKeyPem, 'cut.pem': truncated });
    for (const [file, pattern] of [
      ['empty.pem', /empty\.pem holds no certificate/],
      ['key.pem', /key\.pem: entry 1 of the file holds a PRIVATE KEY block/],
      ['cut.pem', /cut\.pem: the file is not valid PEM/],
      ['missing.pem', /cannot read certificate file missing\.pem/],
    ] as const) {
      await assert.rejects(run({ file }, deps), (e: Error) => errorKind(e) === 'input' && pattern.test(e.message) && !e.message.includes('\n'));
    }
  });
});
