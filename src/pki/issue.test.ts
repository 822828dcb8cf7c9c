import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { CertificateError } from '../errors.js';
import { generateCertificateAuthority } from './ca.js';
import { issueCertificate } from './issue.js';
import { loadCertificateAuthority } from './issuer.js';
import { damagePrivateValue } from './test-damage.js';
import { DAY_MS, FIXED_NOW, countingRandom, testName } from './test-support.js';
import { NAME_ATTRIBUTE } from './x509.js';

describe('issueCertificate', () => {
  it('refuses to return a certificate that does not verify against its CA certificate', async () => {
    const generated = await generateCertificateAuthority({ organization: 'myco', validityMs: 30 * DAY_MS, now: FIXED_NOW });
    const ca = loadCertificateAuthority({ certificate: generated.certificatePem, privateKey: generated.privateKeyPem, now: FIXED_NOW });
    const options = {
      subject: testName([NAME_ATTRIBUTE.commonName, 'leaf']),
      dnsNames: ['leaf.example'],
      extendedKeyUsage: 'clientAuth' as const,
      notBefore: FIXED_NOW,
      notAfter: new Date(FIXED_NOW.getTime() + DAY_MS),
      random: countingRandom(),
    };
    assert.ok((await issueCertificate(ca, options)).certificatePem.startsWith('-----BEGIN CERTIFICATE-----'));
    // A CA whose key was damaged after loading (the loader refuses such a key): the leaf it signs is caught here.
    const damaged = { ...ca, privateKey: createPrivateKey(damagePrivateValue(generated.privateKeyPem)) };
    await assert.rejects(issueCertificate(damaged, options), (error: unknown) => {
      assert.ok(error instanceof CertificateError);
      assert.match(error.message, /^the certificate signed with the CA key does not verify against the CA certificate's public key/);
      return true;
    });
  });
});
