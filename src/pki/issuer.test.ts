import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { CertificateError } from '../errors.js';
import { generateCertificateAuthority, type GeneratedCertificate } from './ca.js';
import { loadCertificateAuthority } from './issuer.js';
import { generateEndEntityCertificate } from './leaf.js';
import { DAY_MS, FIXED_NOW } from './test-support.js';

function refusal(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof CertificateError, `expected a CertificateError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('loadCertificateAuthority', () => {
  let ca: GeneratedCertificate;
  before(async () => {
    ca = await generateCertificateAuthority({ organization: 'myco', validityMs: 30 * DAY_MS, now: FIXED_NOW });
  });

  it('accepts the key as PKCS#8, SEC1 or DER PKCS#8', () => {
    const pkcs8 = ca.privateKeyPem;
    const sec1 = createPrivateKey(pkcs8).export({ type: 'sec1', format: 'pem' }).toString();
    const der = createPrivateKey(pkcs8).export({ type: 'pkcs8', format: 'der' });
    for (const privateKey of [pkcs8, sec1, new Uint8Array(der)]) {
      const loaded = loadCertificateAuthority({ certificate: ca.certificatePem, privateKey, now: FIXED_NOW });
      assert.deepEqual(loaded.keySpec, { type: 'ec', curve: 'P-384' });
    }
  });

  it('refuses text without a PEM certificate', () => {
    assert.throws(() => loadCertificateAuthority({ certificate: 'hello', privateKey: ca.privateKeyPem }), refusal(/holds no PEM certificate/));
  });

  it('refuses a certificate whose base64 is damaged', () => {
    const damaged = ca.certificatePem.replace(/\n[A-Za-z0-9+/]{64}\n/, '\nAAAA\n');
    assert.throws(() => loadCertificateAuthority({ certificate: damaged, privateKey: ca.privateKeyPem }), refusal(/malformed/));
  });

  it('refuses a certificate that is not a CA', async () => {
    const leaf = await generateEndEntityCertificate({ ca: { certificate: ca.certificatePem, privateKey: ca.privateKeyPem }, organization: 'x', now: FIXED_NOW });
    assert.throws(
      () => loadCertificateAuthority({ certificate: leaf.certificatePem, privateKey: leaf.privateKeyPem, now: FIXED_NOW }),
      refusal(/is not a CA/),
    );
  });

  it('refuses an expired CA and one not yet valid', () => {
    const later = new Date(FIXED_NOW.getTime() + 31 * DAY_MS);
    assert.throws(() => loadCertificateAuthority({ certificate: ca.certificatePem, privateKey: ca.privateKeyPem, now: later }), refusal(/expired on/));
    const earlier = new Date(FIXED_NOW.getTime() - DAY_MS);
    assert.throws(() => loadCertificateAuthority({ certificate: ca.certificatePem, privateKey: ca.privateKeyPem, now: earlier }), refusal(/not valid before/));
  });

  it('refuses a key that belongs to another certificate', async () => {
    const other = await generateCertificateAuthority({ organization: 'myco', validityMs: 30 * DAY_MS, now: FIXED_NOW });
    assert.throws(
      () => loadCertificateAuthority({ certificate: ca.certificatePem, privateKey: other.privateKeyPem, now: FIXED_NOW }),
      refusal(/does not belong to the CA certificate/),
    );
  });

  it('refuses an encrypted key and says how to decrypt it', () => {
    const encrypted = createPrivateKey(ca.privateKeyPem)
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' })
      .toString();
    assert.throws(() => loadCertificateAuthority({ certificate: ca.certificatePem, privateKey: encrypted, now: FIXED_NOW }), refusal(/encrypted/));
  });

  it('refuses a key type Temporal Cloud does not accept', () => {
    const ed25519 = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(() => loadCertificateAuthority({ certificate: ca.certificatePem, privateKey: ed25519, now: FIXED_NOW }), refusal(/unsupported key type ed25519/));
  });

  it('refuses garbage where the key should be', () => {
    assert.throws(() => loadCertificateAuthority({ certificate: ca.certificatePem, privateKey: 'not a key', now: FIXED_NOW }), refusal(/not a private key/));
  });
});
