import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CertificateError, UserError } from '../errors.js';
import {
  BUNDLE_MAX_BYTES,
  addToBundle,
  checkBundle,
  expiredCertificates,
  formatBundle,
  parseBundle,
  removeFromBundle,
  type BundleCertificate,
  type BundleCode,
} from './bundle.js';
import { generateCertificateAuthority, type GeneratedCertificate } from './ca.js';
import { generateEndEntityCertificate } from './leaf.js';
import { DAY_MS, FIXED_NOW, makeTestCertificate, testKey, testName } from './test-support.js';

const O = '2.5.4.10';
const OU = '2.5.4.11';
const CN = '2.5.4.3';

/** A refusal of the input (CertificateError, exit 2), or with `world`, of the bundle's state (a plain UserError, exit 1). */
function refusal(pattern: RegExp, world = false) {
  return (error: unknown) => {
    if (world) assert.ok(error instanceof UserError && !(error instanceof CertificateError), `expected a UserError, got ${String(error)}`);
    else assert.ok(error instanceof CertificateError, `expected a CertificateError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  };
}

function one(pem: string): BundleCertificate {
  const [certificate] = parseBundle(pem);
  assert.ok(certificate);
  return certificate;
}

/** How a problem names a certificate: `certificate <subject> (fingerprint <8 hex digits>)`. */
function named(certificate: BundleCertificate): string {
  return `certificate ${certificate.subject} (fingerprint ${certificate.fingerprint.slice(0, 8)})`;
}

function messages(certificates: readonly BundleCertificate[], now = FIXED_NOW): string[] {
  return checkBundle(certificates, now).map((p) => p.message);
}

/** The problems' codes, in order: what callers switch on. */
function codes(certificates: readonly BundleCertificate[], now = FIXED_NOW): BundleCode[] {
  return checkBundle(certificates, now).map((p) => p.code);
}

/** A self-signed CA made with node:crypto, named O=<organization>, CN=<commonName>. */
async function testCa(commonName: string, options: { organization?: string; key?: KeyObject } = {}): Promise<BundleCertificate> {
  return one(await makeTestCertificate({ subject: testName([O, options.organization ?? 'myco'], [CN, commonName]), key: options.key ?? testKey() }));
}

let ca: GeneratedCertificate;
let caCertificate: BundleCertificate;
before(async () => {
  ca = await generateCertificateAuthority({ organization: 'myco', validityMs: 30 * DAY_MS, now: FIXED_NOW });
  caCertificate = one(ca.certificatePem);
});

describe('parseBundle', () => {
  it("reads each certificate with tcld's fingerprint, subject, issuer and dates", async () => {
    const other = await testCa('other-root', { organization: 'otherco' });
    const certificates = parseBundle(ca.certificatePem + other.pem);
    assert.equal(certificates.length, 2);
    const [first] = certificates;
    const x509 = new X509Certificate(ca.certificatePem);
    assert.equal(first!.fingerprint, x509.fingerprint.replace(/:/g, '').toLowerCase());
    assert.match(first!.fingerprint, /^[0-9a-f]{40}$/);
    assert.equal(first!.subject, `CN=${ca.dnsName},O=myco`);
    assert.equal(first!.issuer, first!.subject);
    assert.deepEqual([first!.notBefore, first!.notAfter], [ca.notBefore, ca.notAfter]);
    assert.equal(first!.x509.serialNumber, x509.serialNumber);
    assert.equal(certificates[1]!.subject, 'CN=other-root,O=otherco');
  });

  it('ignores text between blocks and re-encodes each certificate canonically', () => {
    const body = ca.certificatePem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const wrapped = body.match(/.{1,76}/g)!.join('\r\n');
    const messy = `subject=O=myco\r\n-----BEGIN CERTIFICATE-----\r\n${wrapped}\r\n-----END CERTIFICATE-----\r\ntrailing notes\r\n`;
    const [certificate] = parseBundle(messy);
    assert.equal(certificate!.pem, ca.certificatePem);
    assert.match(certificate!.pem, /\n$/);
  });

  it('accepts the legacy X509 CERTIFICATE label', () => {
    const legacy = ca.certificatePem.replace(/ CERTIFICATE-----/g, ' X509 CERTIFICATE-----');
    assert.equal(one(legacy).pem, ca.certificatePem);
  });

  it('accepts bytes as well as text', () => {
    assert.equal(parseBundle(new TextEncoder().encode(ca.certificatePem))[0]!.fingerprint, caCertificate.fingerprint);
  });

  it('accepts one DER certificate where PEM was expected', () => {
    const der = new Uint8Array(new X509Certificate(ca.certificatePem).raw);
    const [certificate, ...rest] = parseBundle(der);
    assert.equal(rest.length, 0);
    assert.equal(certificate!.pem, ca.certificatePem);
  });

  it('gives no certificate for empty input', () => {
    assert.deepEqual(parseBundle(''), []);
    assert.deepEqual(parseBundle(' \n\t'), []);
    assert.deepEqual(parseBundle(new Uint8Array()), []);
  });

  it('refuses a private key, naming its position', () => {
    assert.throws(() => parseBundle(ca.certificatePem + ca.privateKeyPem), refusal(/^entry 2 of the bundle holds a PRIVATE KEY block, not a certificate/));
  });

  it('refuses a certificate that does not parse, naming its position', () => {
    const damaged = '-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n';
    assert.throws(() => parseBundle(ca.certificatePem + damaged), refusal(/^certificate 2 of the bundle is malformed/));
  });

  it('refuses text or bytes that are not PEM', () => {
    assert.throws(() => parseBundle('hello'), refusal(/not PEM/));
    assert.throws(() => parseBundle(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05)), refusal(/not PEM/));
  });

  it('refuses a block that never ends', () => {
    const unended = '-----BEGIN CERTIFICATE-----\nMIIB\n';
    assert.throws(() => parseBundle(ca.certificatePem + unended), refusal(/no matching -----END/));
    assert.throws(() => parseBundle(unended), refusal(/no matching -----END/));
  });
});

describe('formatBundle', () => {
  it("joins the certificates' PEM so that parsing it gives them back", async () => {
    const other = await testCa('other-root');
    const text = formatBundle([caCertificate, other]);
    assert.equal(text, ca.certificatePem + other.pem);
    assert.deepEqual(parseBundle(text).map((c) => c.fingerprint), [caCertificate.fingerprint, other.fingerprint]);
  });

  it('gives the empty string for no certificate', () => {
    assert.equal(formatBundle([]), '');
  });
});

describe('checkBundle', () => {
  it('accepts ECDSA and RSA CAs, self-signed, with distinct subjects', async () => {
    const rsa = await testCa('rsa-root', { key: testKey({ rsaBits: 2048 }) });
    assert.deepEqual(checkBundle([caCertificate, rsa], FIXED_NOW), []);
  });

  it('refuses an empty bundle as empty', () => {
    assert.deepEqual(messages([]), ['the bundle holds no certificate: add at least one CA certificate']);
    assert.deepEqual(codes([]), ['empty']);
  });

  it('refuses a certificate that is not a CA as not-a-ca', async () => {
    const issuer = { certificate: ca.certificatePem, privateKey: ca.privateKeyPem };
    const leaf = one((await generateEndEntityCertificate({ ca: issuer, organization: 'myco', now: FIXED_NOW })).certificatePem);
    const problems = checkBundle([caCertificate, leaf], FIXED_NOW);
    assert.deepEqual(problems.map((p) => p.code), ['not-a-ca']);
    assert.equal(problems[0]!.fingerprint, leaf.fingerprint);
    assert.equal(problems[0]!.message.split(' is not a CA')[0], named(leaf));
  });

  it('refuses a certificate without basicConstraints', async () => {
    const bare = one(await makeTestCertificate({ subject: testName([CN, 'bare']), key: testKey(), basicConstraints: 'none' }));
    assert.equal(named(bare), `certificate CN=bare (fingerprint ${bare.fingerprint.slice(0, 8)})`);
    assert.deepEqual(messages([bare]), [
      `${named(bare)} is not a CA (its basicConstraints lack CA:TRUE): the bundle takes the CA that issues client certificates, not a client certificate`,
    ]);
  });

  it('reads CA:TRUE from basicConstraints even when the key usage lacks keyCertSign', async () => {
    const certificate = one(await makeTestCertificate({ subject: testName([CN, 'no-cert-sign']), key: testKey(), keyUsage: 0x80 /* digitalSignature */ }));
    assert.equal(certificate.x509.ca, false, "node's X509Certificate.ca is false here: the check must not rely on it");
    assert.deepEqual(messages([certificate]), []);
  });

  it('refuses a certificate that has expired, from its notAfter on, as expired', async () => {
    const notAfter = new Date(FIXED_NOW.getTime() + DAY_MS);
    const expiring = one(await makeTestCertificate({ subject: testName([CN, 'expiring']), key: testKey(), notAfter }));
    assert.deepEqual(messages([expiring], new Date(notAfter.getTime() - 1000)), []);
    assert.deepEqual(messages([expiring], notAfter), [`${named(expiring)} expired on ${notAfter.toISOString()}: remove it`]);
    assert.deepEqual(codes([expiring], notAfter), ['expired']);
  });

  it('refuses the same certificate twice, once, naming the copy, as duplicate-certificate', () => {
    const problems = checkBundle([caCertificate, caCertificate], FIXED_NOW);
    assert.deepEqual(problems, [
      { code: 'duplicate-certificate', fingerprint: caCertificate.fingerprint, message: `${named(caCertificate)} is certificate 1 again: remove the copy` },
    ]);
  });

  it('refuses two subjects that differ only in case as duplicate-subject', async () => {
    const upper = await testCa('Root', { organization: 'MyCo' });
    const lower = await testCa('root', { organization: 'myco' });
    const other = await testCa('root', { organization: 'otherco' });
    const problems = messages([upper, lower, other]);
    assert.deepEqual(codes([upper, lower, other]), ['duplicate-subject']);
    assert.match(problems[0]!, /^certificate CN=root,O=myco \(fingerprint [0-9a-f]{8}\) has the same subject as certificate CN=Root,O=MyCo /);
  });

  describe('chains', () => {
    const rootName = testName([O, 'chain'], [CN, 'root']);
    let rootKey: KeyObject;
    let root: BundleCertificate;
    let intermediate: BundleCertificate;
    before(async () => {
      rootKey = testKey();
      root = one(await makeTestCertificate({ subject: rootName, key: rootKey }));
      const subject = testName([O, 'chain'], [CN, 'intermediate']);
      intermediate = one(await makeTestCertificate({ subject, key: testKey(), issuer: { subject: rootName, key: rootKey } }));
    });

    it('accepts a certificate issued by another one in the bundle, in either order', () => {
      assert.deepEqual(messages([root, intermediate]), []);
      assert.deepEqual(messages([intermediate, root]), []);
    });

    it('refuses a certificate neither self-signed nor issued by another in the bundle as missing-issuer', () => {
      assert.deepEqual(messages([intermediate, caCertificate]), [
        `${named(intermediate)} is neither self-signed nor issued by another certificate in the bundle: add its issuer (CN=root,O=chain) too`,
      ]);
      assert.deepEqual(codes([intermediate, caCertificate]), ['missing-issuer']);
    });

    it('refuses a certificate that names an issuer in the bundle whose key did not sign it', async () => {
      const subject = testName([O, 'chain'], [CN, 'forged']);
      const forged = one(await makeTestCertificate({ subject, key: testKey(), issuer: { subject: rootName, key: testKey() } }));
      assert.match(messages([root, forged]).join('\n'), /CN=forged,O=chain .* is neither self-signed nor issued by another certificate in the bundle/);
      assert.deepEqual(codes([root, forged]), ['missing-issuer']);
    });

    it('checks certificates the service holds already only for what can have changed: expiry, and copies or namesakes among those added', async () => {
      const issuer = { certificate: ca.certificatePem, privateKey: ca.privateKeyPem };
      const leaf = one((await generateEndEntityCertificate({ ca: issuer, organization: 'myco', now: FIXED_NOW })).certificatePem);
      const accepted = (...held: BundleCertificate[]) => ({ accepted: new Set(held.map((c) => c.fingerprint)) });
      // Held by the service: a non-CA, an intermediate without its root. Not checked again; without `accepted` both are refused.
      assert.deepEqual(checkBundle([leaf, intermediate, caCertificate], FIXED_NOW, accepted(leaf, intermediate)), []);
      assert.deepEqual(codes([leaf, intermediate, caCertificate]), ['not-a-ca', 'missing-issuer']);
      // What is added is checked in full, against everything the bundle holds.
      assert.deepEqual(checkBundle([caCertificate, leaf], FIXED_NOW, accepted(caCertificate)).map((p) => p.code), ['not-a-ca']);
      assert.deepEqual(checkBundle([root, intermediate], FIXED_NOW, accepted(root)), []);
      const namesake = await testCa('root', { organization: 'chain' });
      assert.deepEqual(checkBundle([root, namesake], FIXED_NOW, accepted(root)).map((p) => p.code), ['duplicate-subject']);
      // Expiry and copies are checked whoever holds the certificate.
      const later = new Date(caCertificate.notAfter.getTime() + DAY_MS);
      assert.deepEqual(checkBundle([caCertificate], later, accepted(caCertificate)).map((p) => p.code), ['expired']);
      assert.deepEqual(checkBundle([root, root], FIXED_NOW, accepted(root)).map((p) => p.code), ['duplicate-certificate']);
    });

    it('refuses a certificate that names itself as issuer but was signed by another key as bad-self-signature', async () => {
      const name = testName([CN, 'impostor']);
      const impostor = one(await makeTestCertificate({ subject: name, key: testKey(), issuer: { subject: name, key: testKey() } }));
      assert.deepEqual(messages([impostor]), [`${named(impostor)} names itself as its issuer, but its signature does not verify with its own key`]);
      assert.deepEqual(codes([impostor]), ['bad-self-signature']);
    });
  });

  it('refuses more than 16 certificates as too-many, and accepts 16', async () => {
    const cas = await Promise.all(Array.from({ length: 17 }, (_, i) => testCa(`root-${i}`)));
    assert.deepEqual(messages(cas.slice(0, 16)), []);
    assert.deepEqual(messages(cas), ['the bundle holds 17 certificates, more than the 16 Temporal Cloud accepts: remove 1']);
    assert.deepEqual(codes(cas), ['too-many']);
  });

  it('refuses more than 32 KB of PEM as too-large', async () => {
    // Long names make big certificates: 12 of them pass 32 KB while staying under 16 certificates.
    const bigCa = async (i: number) => one(await makeTestCertificate({ subject: testName([OU, 'x'.repeat(820)], [CN, `big-${i}`]), key: testKey() }));
    const big = await Promise.all(Array.from({ length: 12 }, (_, i) => bigCa(i)));
    const size = (list: BundleCertificate[]) => Buffer.byteLength(formatBundle(list));
    assert.ok(size(big) > BUNDLE_MAX_BYTES && size(big.slice(0, 11)) <= BUNDLE_MAX_BYTES, `sizes ${size(big)}, ${size(big.slice(0, 11))}`);
    assert.deepEqual(messages(big.slice(0, 11)), []);
    assert.deepEqual(messages(big), [`the bundle is ${size(big)} bytes of PEM, more than the 32768 (32 KB) Temporal Cloud accepts: remove certificates`]);
    assert.deepEqual(codes(big), ['too-large']);
  });

  it('returns every problem, one line each, naming the certificate', async () => {
    const orphan = one(
      await makeTestCertificate({
        subject: testName([O, 'myco'], [CN, 'old-leaf']),
        key: testKey(),
        issuer: { subject: testName([CN, 'gone']), key: testKey() },
        basicConstraints: 'leaf',
        notAfter: new Date(FIXED_NOW.getTime() - DAY_MS),
      }),
    );
    const problems = checkBundle([orphan, caCertificate, caCertificate], FIXED_NOW);
    assert.deepEqual(problems.map((p) => p.fingerprint), [orphan.fingerprint, orphan.fingerprint, orphan.fingerprint, caCertificate.fingerprint]);
    assert.deepEqual(
      problems.map((p) => p.message.replace(/^certificate .*? \(fingerprint [0-9a-f]{8}\) /, '').split(/[:(]/)[0]!.trim()),
      ['is not a CA', 'expired on 2026-11-26T12', 'is neither self-signed nor issued by another certificate in the bundle', 'is certificate 2 again'],
    );
    assert.deepEqual(problems.map((p) => p.code), ['not-a-ca', 'expired', 'missing-issuer', 'duplicate-certificate']);
    for (const problem of problems) assert.doesNotMatch(problem.message, /\n/);
  });
});

describe('checkBundle with certificates made by openssl', { skip: spawnSync('openssl', ['version']).error ? 'openssl not installed' : false }, () => {
  let dir: string;
  function openssl(...args: string[]): void {
    const run = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${run.stderr}`);
  }
  /** A self-signed CA: `openssl req -x509` with the given subject, key options and signing options. */
  function opensslCa(name: string, subject: string, ...options: string[]): BundleCertificate {
    const extensions = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];
    openssl('req', '-x509', '-nodes', '-days', '3650', '-subj', subject, '-out', `${name}.pem`, ...extensions, ...options);
    return one(readFileSync(join(dir, `${name}.pem`), 'utf8'));
  }
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tcld-bundle-'));
    openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'rsa.key');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a CA signed with SHA-1 as weak-signature', () => {
    const sha1 = opensslCa('sha1', '/O=old/CN=sha1-root', '-key', 'rsa.key', '-sha1');
    assert.equal(sha1.subject, 'CN=sha1-root,O=old');
    assert.deepEqual(messages([sha1]), [`${named(sha1)} is signed with sha1WithRSAEncryption: Temporal Cloud requires RSA or ECDSA with SHA-256 or stronger`]);
    assert.deepEqual(codes([sha1]), ['weak-signature']);
  });

  it('accepts SHA-384 and SHA-512 with RSA and ECDSA', () => {
    const rsa = opensslCa('rsa512', '/CN=rsa-sha512', '-key', 'rsa.key', '-sha512');
    const ec = opensslCa('ec384', '/CN=ec-sha384', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-keyout', 'ec384.key', '-sha384');
    assert.deepEqual(messages([rsa, ec]), []);
  });

  it('refuses an Ed25519 CA for its key (unsupported-key) and its signature (weak-signature)', () => {
    const ed = opensslCa('ed', '/CN=ed-root', '-newkey', 'ed25519', '-keyout', 'ed.key');
    assert.deepEqual(messages([ed]).map((m) => m.replace(/^.*?\) /, '')), [
      'has an unsupported key type ed25519: use an RSA or ECDSA (P-256, P-384, P-521) key',
      'is signed with Ed25519: Temporal Cloud requires RSA or ECDSA with SHA-256 or stronger',
    ]);
    assert.deepEqual(codes([ed]), ['unsupported-key', 'weak-signature']);
  });

  it('accepts RSASSA-PSS with SHA-256 and a salt as long as the hash, as Go verifies it', () => {
    const pss = opensslCa('pss', '/CN=pss-root', '-key', 'rsa.key', '-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest');
    assert.deepEqual(messages([pss]), []);
  });

  it('refuses RSASSA-PSS with SHA-1, or with a salt Go cannot verify', () => {
    const sha1 = opensslCa('pss-sha1', '/CN=pss-sha1', '-key', 'rsa.key', '-sha1', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest');
    const longSalt = opensslCa('pss-max', '/CN=pss-max', '-key', 'rsa.key', '-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:max');
    const problems = messages([sha1, longSalt]).map((m) => m.replace(/^.*?\) /, ''));
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /^is signed with RSASSA-PSS with SHA-1:/);
    assert.match(problems[1]!, /^is signed with RSASSA-PSS with SHA-256 and a 222-byte salt \(Go verifies only a 32-byte one\):/);
  });

  it('accepts an intermediate issued by a root in the bundle, and refuses it alone', () => {
    const root = opensslCa('root', '/O=chain/CN=openssl-root', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-keyout', 'root.key');
    writeFileSync(join(dir, 'intermediate.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nauthorityKeyIdentifier=keyid\n');
    const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-keyout', 'intermediate.key'];
    openssl('req', '-new', '-nodes', ...key, '-subj', '/O=chain/CN=openssl-intermediate', '-out', 'intermediate.csr');
    const signer = ['-CA', 'root.pem', '-CAkey', 'root.key', '-set_serial', '7', '-days', '3650', '-sha256'];
    openssl('x509', '-req', '-in', 'intermediate.csr', ...signer, '-extfile', 'intermediate.ext', '-out', 'intermediate.pem');
    openssl('verify', '-CAfile', 'root.pem', 'intermediate.pem');
    const intermediate = one(readFileSync(join(dir, 'intermediate.pem'), 'utf8'));
    assert.equal(intermediate.issuer, 'CN=openssl-root,O=chain');
    assert.deepEqual(messages([intermediate, root]), []);
    assert.match(
      messages([intermediate]).join('\n'),
      /is neither self-signed nor issued by another certificate in the bundle: add its issuer \(CN=openssl-root,O=chain\) too/,
    );
  });
});

describe('expiredCertificates', () => {
  it('lists the certificates whose notAfter has passed', async () => {
    const old = one(await makeTestCertificate({ subject: testName([CN, 'old']), key: testKey(), notAfter: FIXED_NOW }));
    assert.deepEqual(expiredCertificates([caCertificate, old], FIXED_NOW), [old]);
    assert.deepEqual(expiredCertificates([caCertificate, old], new Date(FIXED_NOW.getTime() - 1000)), []);
  });
});

describe('addToBundle', () => {
  let other: BundleCertificate;
  before(async () => {
    other = await testCa('other-root');
  });

  it('appends the certificates, leaving the current bundle untouched', () => {
    const current = [caCertificate];
    assert.deepEqual(addToBundle(current, [other]), { changed: true, certificates: [caCertificate, other] });
    assert.deepEqual(current, [caCertificate]);
  });

  it('adds nothing when a given certificate is in the bundle already, saying so as tcld does', () => {
    const reason = `certificate with fingerprint '${caCertificate.fingerprint}' already exists`;
    assert.deepEqual(addToBundle([caCertificate], [other, caCertificate]), { changed: false, code: 'already-present', reason });
    assert.deepEqual(addToBundle([caCertificate, other], [caCertificate]), { changed: false, code: 'already-present', reason });
  });

  it('adds only the new certificates when asked to skip those present (--idempotent)', () => {
    assert.deepEqual(addToBundle([caCertificate], [other, caCertificate], true), { changed: true, certificates: [caCertificate, other] });
    assert.equal(addToBundle([caCertificate], [caCertificate], true).changed, false);
  });

  it('refuses a certificate given twice', () => {
    assert.throws(() => addToBundle([caCertificate], [other, other]), refusal(/is given twice/));
  });

  it('changes nothing when there is nothing to add', () => {
    assert.deepEqual(addToBundle([caCertificate], []), { changed: false, code: 'nothing-given', reason: 'no certificate to add' });
  });
});

describe('removeFromBundle', () => {
  let other: BundleCertificate;
  before(async () => {
    other = await testCa('other-root');
  });

  it('removes certificates by fingerprint, leaving the current bundle untouched', () => {
    const current = [caCertificate, other];
    assert.deepEqual(removeFromBundle(current, [caCertificate.fingerprint]), { changed: true, certificates: [other] });
    assert.deepEqual(current, [caCertificate, other]);
  });

  it("accepts a fingerprint in capitals with colons, as openssl and node print it", () => {
    const colons = new X509Certificate(other.pem).fingerprint;
    assert.match(colons, /^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    assert.deepEqual(removeFromBundle([caCertificate, other], [colons]), { changed: true, certificates: [caCertificate] });
  });

  it('refuses a fingerprint that is not in the bundle, removing nothing', () => {
    assert.throws(
      () => removeFromBundle([caCertificate], [caCertificate.fingerprint, other.fingerprint]),
      refusal(new RegExp(`^certificate with fingerprint '${other.fingerprint}' does not exist in the bundle$`), true),
    );
  });

  it('refuses text that is not a fingerprint', () => {
    assert.throws(() => removeFromBundle([caCertificate], ['ca.pem']), refusal(/'ca\.pem' is not a certificate fingerprint/));
  });

  it('changes nothing when there is nothing to remove', () => {
    assert.deepEqual(removeFromBundle([caCertificate], []), { changed: false, code: 'nothing-given', reason: 'no certificate to remove' });
  });
});
