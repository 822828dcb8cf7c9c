import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { generateCertificateAuthority, type GeneratedCertificate } from './ca.js';
import { describeCertificateDetails, formatCertificateDetails } from './describe.js';
import { generateEndEntityCertificate } from './leaf.js';
import { DAY_MS, FIXED_NOW, makeTestCertificate, testKey, testName } from './test-support.js';

describe('describeCertificateDetails', () => {
  let ca: GeneratedCertificate;
  let leaf: GeneratedCertificate;
  before(async () => {
    ca = await generateCertificateAuthority({ organization: 'myco', validityMs: 90 * DAY_MS, now: FIXED_NOW });
    leaf = await generateEndEntityCertificate({
      ca: { certificate: ca.certificatePem, privateKey: ca.privateKeyPem },
      organization: 'myco',
      commonName: 'worker',
      validityMs: 30 * DAY_MS,
      now: FIXED_NOW,
    });
  });

  it("describes tcld's CA: CA with pathlen 0, ECDSA P-384, keyCertSign, fingerprints as node prints them", () => {
    const x509 = new X509Certificate(ca.certificatePem);
    const details = describeCertificateDetails(x509, FIXED_NOW);
    assert.equal(details.ca, true);
    assert.equal(details.pathLength, 0);
    assert.deepEqual(details.key, { type: 'ECDSA', bits: 384, curve: 'P-384' });
    assert.ok(details.keyUsage?.includes('keyCertSign'), String(details.keyUsage));
    assert.equal(details.subject, details.issuer);
    assert.equal(details.serialNumber, x509.serialNumber.toUpperCase());
    assert.deepEqual(details.fingerprints, { sha1: x509.fingerprint, sha256: x509.fingerprint256 });
    assert.deepEqual(details.subjectAlternativeNames, [`DNS:${ca.dnsName}`]);
    assert.equal(details.daysLeft, Math.floor((ca.notAfter.getTime() - FIXED_NOW.getTime()) / DAY_MS));
    assert.equal(details.expired, false);
  });

  it('describes a leaf: not a CA, clientAuth, digitalSignature, its subject in Go form', () => {
    const details = describeCertificateDetails(new X509Certificate(leaf.certificatePem), FIXED_NOW);
    assert.equal(details.ca, false);
    assert.equal(details.pathLength, undefined);
    assert.deepEqual(details.extendedKeyUsage, ['clientAuth']);
    assert.ok(details.keyUsage?.includes('digitalSignature'));
    assert.equal(details.subject, 'CN=worker,O=myco');
    assert.equal(details.notAfter, leaf.notAfter.toISOString().replace('.000Z', 'Z'));
  });

  it('says expired, and leaves out usages a certificate does not restrict', async () => {
    const pem = await makeTestCertificate({
      subject: testName(['2.5.4.3', 'old']),
      key: testKey({ rsaBits: 1024 }),
      basicConstraints: 'none',
      keyUsage: null,
      notBefore: new Date(FIXED_NOW.getTime() - 10 * DAY_MS),
      notAfter: new Date(FIXED_NOW.getTime() - 2 * DAY_MS),
    });
    const details = describeCertificateDetails(new X509Certificate(pem), FIXED_NOW);
    assert.equal(details.expired, true);
    assert.equal(details.daysLeft, -2);
    assert.deepEqual(details.key, { type: 'RSA', bits: 1024 });
    assert.equal(details.keyUsage, undefined);
    assert.equal(details.extendedKeyUsage, undefined);
    const text = formatCertificateDetails([details], FIXED_NOW, 'old.pem');
    assert.match(text, /not after: +\S+ \(expired 2d ago\)/);
    assert.match(text, /key usage: +not restricted/);
    assert.match(text, /CA: +no/);
  });

  it('formats each certificate as a block with every field', () => {
    const list = [ca, leaf].map((c) => describeCertificateDetails(new X509Certificate(c.certificatePem), FIXED_NOW));
    const text = formatCertificateDetails(list, FIXED_NOW, 'both.pem');
    const blocks = text.split('\n\n');
    assert.equal(blocks.length, 2);
    assert.match(blocks[0]!, /^certificate 1 of 2 in both\.pem/);
    for (const label of ['subject', 'issuer', 'serial', 'SANs', 'not before', 'not after', 'key', 'signature', 'CA', 'key usage', 'ext key usage', 'SHA-1', 'SHA-256']) {
      assert.match(blocks[1]!, new RegExp(`^  ${label}: `, 'm'), label);
    }
    assert.match(blocks[1]!, /not after: +\S+ \(expires in 30d\)/);
    assert.match(blocks[0]!, /key: +ECDSA P-384/);
    assert.match(blocks[0]!, /CA: +yes \(pathlen:0\)/);
  });
});
