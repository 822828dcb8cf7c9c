import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { AsnConvert } from '@peculiar/asn1-schema';
import { BasicConstraints, Certificate, id_ce_basicConstraints, id_ce_keyUsage } from '@peculiar/asn1-x509';
import { CertificateError } from '../errors.js';
import { generateCertificateAuthority } from './ca.js';
import { DAY_MS, FIXED_NOW, countingRandom } from './test-support.js';

function extension(pem: string, oid: string) {
  const der = new X509Certificate(pem).raw;
  return AsnConvert.parse(der, Certificate).tbsCertificate.extensions?.find((e) => e.extnID === oid);
}

describe('generateCertificateAuthority', () => {
  it('makes a self-signed P-384 CA signed with SHA-384 by default', async () => {
    const ca = await generateCertificateAuthority({ organization: 'myco', validityMs: 365 * DAY_MS });
    const cert = new X509Certificate(ca.certificatePem);
    assert.equal(cert.ca, true);
    assert.ok(cert.checkIssued(cert));
    assert.ok(cert.verify(cert.publicKey));
    assert.equal(cert.publicKey.asymmetricKeyType, 'ec');
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'secp384r1');
    assert.ok(cert.checkPrivateKey(createPrivateKey(ca.privateKeyPem)));
    assert.match(ca.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(AsnConvert.parse(cert.raw, Certificate).signatureAlgorithm.algorithm, '1.2.840.10045.4.3.3');
  });

  it('names the CA O=<org>, CN=<its SAN DNS name> built from the organization and four random characters', async () => {
    const ca = await generateCertificateAuthority({ organization: 'My Co!', validityMs: 30 * DAY_MS, random: countingRandom() });
    const cert = new X509Certificate(ca.certificatePem);
    assert.equal(ca.dnsName, 'client.root.my-co.bcde');
    assert.equal(cert.subject, `O=My Co!\nCN=${ca.dnsName}`);
    assert.equal(cert.issuer, cert.subject);
    assert.equal(cert.subjectAltName, `DNS:${ca.dnsName}`);
  });

  it('takes a positive serial of about 128 bits from the random source', async () => {
    const ca = await generateCertificateAuthority({ organization: 'x', validityMs: 30 * DAY_MS, random: countingRandom(0xf0) });
    // after four suffix bytes (f0..f3) the serial takes f4..03; the top bit is cleared: f4 → 74
    assert.equal(new X509Certificate(ca.certificatePem).serialNumber, '74F5F6F7F8F9FAFBFCFDFEFF00010203');
  });

  it('backdates notBefore one minute and ends the validity period after now', async () => {
    const ca = await generateCertificateAuthority({ organization: 'x', validityMs: 90 * DAY_MS, now: FIXED_NOW });
    const cert = new X509Certificate(ca.certificatePem);
    assert.equal(new Date(cert.validFrom).toISOString(), '2026-11-27T11:59:00.000Z');
    assert.equal(new Date(cert.validTo).toISOString(), '2027-02-25T12:00:00.000Z');
    assert.equal(ca.notAfter.toISOString(), '2027-02-25T12:00:00.000Z');
  });

  it('limits the path length to 0 in a critical basicConstraints, as tcld means to', async () => {
    const ca = await generateCertificateAuthority({ organization: 'x', validityMs: 30 * DAY_MS });
    const found = extension(ca.certificatePem, id_ce_basicConstraints)!;
    assert.equal(found.critical, true);
    const constraints = AsnConvert.parse(found.extnValue, BasicConstraints);
    assert.equal(constraints.cA, true);
    assert.equal(constraints.pathLenConstraint, 0);
  });

  it('uses digitalSignature, keyCertSign and cRLSign, and adds keyEncipherment only for RSA', async () => {
    const ec = await generateCertificateAuthority({ organization: 'x', validityMs: 30 * DAY_MS });
    const ecUsage = extension(ec.certificatePem, id_ce_keyUsage)!;
    assert.equal(ecUsage.critical, true);
    assert.deepEqual([...new Uint8Array(ecUsage.extnValue.buffer)], [0x03, 0x02, 0x01, 0x86]);
    const rsa = await generateCertificateAuthority({ organization: 'x', validityMs: 30 * DAY_MS, keyAlgorithm: 'rsa-4096' });
    const rsaUsage = extension(rsa.certificatePem, id_ce_keyUsage)!;
    assert.deepEqual([...new Uint8Array(rsaUsage.extnValue.buffer)], [0x03, 0x02, 0x01, 0xa6]);
    const cert = new X509Certificate(rsa.certificatePem);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 4096);
    assert.equal(AsnConvert.parse(cert.raw, Certificate).signatureAlgorithm.algorithm, '1.2.840.113549.1.1.11');
  });

  it('gives two CAs of one organization distinct subjects', async () => {
    const [a, b] = await Promise.all([
      generateCertificateAuthority({ organization: 'x', validityMs: 30 * DAY_MS }),
      generateCertificateAuthority({ organization: 'x', validityMs: 30 * DAY_MS }),
    ]);
    assert.notEqual(new X509Certificate(a.certificatePem).subject, new X509Certificate(b.certificatePem).subject);
  });

  for (const [label, validityMs] of [
    ['exactly 7 days', 7 * DAY_MS],
    ['more than 365 days', 365 * DAY_MS + 1000],
    ['a negative period', -DAY_MS],
  ] as const) {
    it(`refuses a validity of ${label}`, async () => {
      await assert.rejects(generateCertificateAuthority({ organization: 'x', validityMs }), (error: unknown) => {
        assert.ok(error instanceof CertificateError);
        assert.match(error.message, /must be more than 7d and at most 365d/);
        return true;
      });
    });
  }

  it('refuses a blank organization', async () => {
    await assert.rejects(generateCertificateAuthority({ organization: ' \t', validityMs: 30 * DAY_MS }), /organization must not be blank/);
  });
});
