import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AuthorityKeyIdentifier, Certificate, id_ce_authorityKeyIdentifier } from '@peculiar/asn1-x509';
import { generateCertificateAuthority, type GeneratedCertificate } from './ca.js';
import { loadCertificateAuthority } from './issuer.js';
import { generateEndEntityCertificate } from './leaf.js';
import { DAY_MS, FIXED_NOW, countingRandom } from './test-support.js';

describe('generateEndEntityCertificate', () => {
  let ca: GeneratedCertificate;
  let caCert: X509Certificate;
  const caFiles = () => ({ certificate: ca.certificatePem, privateKey: ca.privateKeyPem });

  before(async () => {
    ca = await generateCertificateAuthority({ organization: 'myco', validityMs: 365 * DAY_MS, now: FIXED_NOW });
    caCert = new X509Certificate(ca.certificatePem);
  });

  it('issues a client certificate that the CA verifies, with a fresh P-384 key', async () => {
    const leaf = await generateEndEntityCertificate({ ca: caFiles(), organization: 'myco', now: FIXED_NOW });
    const cert = new X509Certificate(leaf.certificatePem);
    assert.ok(cert.checkIssued(caCert));
    assert.ok(cert.verify(caCert.publicKey));
    assert.equal(cert.ca, false);
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']); // node names the extended key usage "keyUsage"
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'secp384r1');
    assert.ok(cert.checkPrivateKey(createPrivateKey(leaf.privateKeyPem)));
  });

  it('names the leaf O=<org>, OU when given, and CN=--common-name or its SAN DNS name', async () => {
    const plain = await generateEndEntityCertificate({ ca: caFiles(), organization: 'My Co', now: FIXED_NOW, random: countingRandom() });
    assert.equal(plain.dnsName, 'client.endentity.my-co.bcde');
    assert.equal(new X509Certificate(plain.certificatePem).subject, 'O=My Co\nCN=client.endentity.my-co.bcde');
    const named = await generateEndEntityCertificate({
      ca: caFiles(),
      organization: 'My Co',
      organizationalUnit: 'payments',
      commonName: 'worker-1',
      now: FIXED_NOW,
    });
    const cert = new X509Certificate(named.certificatePem);
    assert.equal(cert.subject, 'O=My Co\nOU=payments\nCN=worker-1');
    assert.equal(cert.subjectAltName, `DNS:${named.dnsName}`);
  });

  it("writes the CA's subject key identifier as its authority key identifier", async () => {
    const leaf = await generateEndEntityCertificate({ ca: caFiles(), organization: 'myco', now: FIXED_NOW });
    const aki = AsnConvert.parse(new X509Certificate(leaf.certificatePem).raw, Certificate).tbsCertificate.extensions!.find(
      (e) => e.extnID === id_ce_authorityKeyIdentifier,
    )!;
    const keyId = Buffer.from(AsnConvert.parse(aki.extnValue, AuthorityKeyIdentifier).keyIdentifier!.buffer);
    assert.equal(keyId.toString('hex'), loadCertificateAuthority({ ...caFiles(), now: FIXED_NOW }).keyIdentifier.reduce((s, b) => s + b.toString(16).padStart(2, '0'), ''));
  });

  it('expires 24 hours before its CA unless given a validity', async () => {
    const leaf = await generateEndEntityCertificate({ ca: caFiles(), organization: 'myco', now: FIXED_NOW });
    assert.equal(new Date(caCert.validTo).getTime() - leaf.notAfter.getTime(), DAY_MS);
    assert.equal(new Date(new X509Certificate(leaf.certificatePem).validFrom).toISOString(), '2026-11-27T11:59:00.000Z');
    const short = await generateEndEntityCertificate({ ca: caFiles(), organization: 'myco', validityMs: 30 * DAY_MS, now: FIXED_NOW });
    assert.equal(short.notAfter.toISOString(), '2026-12-27T12:00:00.000Z');
  });

  it('refuses a validity that outlives the CA and says by how much', async () => {
    await assert.rejects(
      generateEndEntityCertificate({ ca: caFiles(), organization: 'myco', validityMs: 366 * DAY_MS, now: FIXED_NOW }),
      /outlive its CA \(expires 2027-11-27T12:00:00.000Z\) by 1d: use at most 365d/,
    );
  });

  it("refuses a subject equal to its CA's, since Temporal Cloud requires distinct names on the chain", async () => {
    await assert.rejects(
      generateEndEntityCertificate({ ca: caFiles(), organization: 'myco', commonName: caCert.subject.split('CN=')[1]!.toUpperCase(), now: FIXED_NOW }),
      /subject would equal its CA's/,
    );
  });

  it('issues RSA 4096 certificates signed with SHA-256 from an RSA CA', async () => {
    const rsaCa = await generateCertificateAuthority({ organization: 'r', validityMs: 30 * DAY_MS, keyAlgorithm: 'rsa-4096' });
    const leaf = await generateEndEntityCertificate({ ca: { certificate: rsaCa.certificatePem, privateKey: rsaCa.privateKeyPem }, organization: 'r' });
    const cert = new X509Certificate(leaf.certificatePem);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 4096);
    assert.equal(AsnConvert.parse(cert.raw, Certificate).signatureAlgorithm.algorithm, '1.2.840.113549.1.1.11');
    assert.ok(cert.verify(new X509Certificate(rsaCa.certificatePem).publicKey));
  });
});
