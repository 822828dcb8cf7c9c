import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { CertificateError } from '../errors.js';
import { generateCertificateAuthority, type GeneratedCertificate } from './ca.js';
import { loadCertificateAuthority } from './issuer.js';
import { generateEndEntityCertificate } from './leaf.js';
import { describeKey, signatureSchemeOf } from './keys.js';
import { toPem } from './pem.js';
import { damagePrivateValue, damageSubject } from './test-damage.js';
import { DAY_MS, FIXED_NOW, makeTestCertificate, testKey, testName } from './test-support.js';
import { NAME_ATTRIBUTE, extensions, keyIdentifierOf, parseSubjectPublicKeyInfo, serialFromRandom, signCertificate } from './x509.js';

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

describe('loadCertificateAuthority › damaged CA files', () => {
  let ca: GeneratedCertificate;
  before(async () => {
    ca = await generateCertificateAuthority({ organization: 'myco', validityMs: 30 * DAY_MS, now: FIXED_NOW });
  });

  it('refuses an ECDSA key whose private value was changed, though its public half matches', () => {
    const damaged = damagePrivateValue(ca.privateKeyPem);
    assert.ok(new X509Certificate(ca.certificatePem).checkPrivateKey(createPrivateKey(damaged)), 'node:crypto alone does not see it');
    assert.throws(
      () => loadCertificateAuthority({ certificate: ca.certificatePem, privateKey: damaged, now: FIXED_NOW }),
      refusal(/^CA key's signatures do not verify against the CA certificate's public key: the key file is damaged$/),
    );
  });

  it('refuses an RSA key whose private exponents were changed', async () => {
    const key = testKey({ rsaBits: 2048 });
    const certificate = await makeTestCertificate({ subject: testName([NAME_ATTRIBUTE.commonName, 'rsa root']), key });
    const damaged = damagePrivateValue(key.export({ type: 'pkcs8', format: 'pem' }).toString(), ['d', 'dp']);
    assert.throws(() => loadCertificateAuthority({ certificate, privateKey: damaged, now: FIXED_NOW }), refusal(/signatures do not verify/));
  });

  it('refuses a root whose subject was changed after it was signed', () => {
    const damaged = damageSubject(ca.certificatePem);
    assert.notEqual(new X509Certificate(damaged).subject, new X509Certificate(ca.certificatePem).subject);
    assert.throws(
      () => loadCertificateAuthority({ certificate: damaged, privateKey: ca.privateKeyPem, now: FIXED_NOW }),
      refusal(/^CA certificate's signature does not verify against its own key or another certificate in its file: the certificate was changed after it was signed, or is damaged/),
    );
  });

  describe('an intermediate CA', () => {
    const rootKey = testKey();
    const intermediateKey = testKey();
    const root = { subject: testName([NAME_ATTRIBUTE.commonName, 'root']), key: rootKey };
    const intermediateKeyPem = intermediateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const load = (certificate: string) => loadCertificateAuthority({ certificate, privateKey: intermediateKeyPem, now: FIXED_NOW });
    let rootPem: string;
    /** Signed by the root, naming the root's key (RFC 5280 authority key identifier). */
    let named: string;
    /** Signed by the root, naming no key: it cannot be told from a damaged root without its issuer. */
    let unnamed: string;
    before(async () => {
      rootPem = await makeTestCertificate(root);
      unnamed = await makeTestCertificate({ subject: testName([NAME_ATTRIBUTE.commonName, 'intermediate']), key: intermediateKey, issuer: root });
      const der = await signCertificate(
        {
          serialNumber: serialFromRandom(new Uint8Array(16).fill(7)),
          subject: testName([NAME_ATTRIBUTE.commonName, 'intermediate']),
          issuer: root.subject,
          notBefore: new Date(FIXED_NOW.getTime() - DAY_MS),
          notAfter: new Date(FIXED_NOW.getTime() + 30 * DAY_MS),
          subjectPublicKeyInfo: parseSubjectPublicKeyInfo(createPublicKey(intermediateKey)),
          extensions: [extensions.basicConstraints(true, 0), extensions.authorityKeyIdentifier(keyIdentifierOf(parseSubjectPublicKeyInfo(createPublicKey(rootKey))))],
        },
        { privateKey: rootKey, scheme: signatureSchemeOf(describeKey(rootKey)) },
      );
      named = toPem('CERTIFICATE', der);
    });

    it('loads with its issuer after it in the file, and refuses it damaged there', () => {
      assert.equal(load(unnamed + rootPem).certificate.subject, 'CN=intermediate');
      assert.throws(() => load(damageSubject(unnamed) + rootPem), refusal(/signature does not verify/));
      assert.throws(() => load(damageSubject(named) + rootPem), refusal(/signature does not verify/));
    });

    it('loads alone when it names its issuer by key, and is refused alone when it names none', () => {
      assert.equal(load(named).certificate.subject, 'CN=intermediate');
      assert.throws(() => load(unnamed), refusal(/signature does not verify .*\(if it is an intermediate CA that names no authority key identifier, put its issuer's certificate after it in the same file\)$/));
    });
  });
});
