import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CertificateError } from '../errors.js';
import { BUNDLE_MAX_BYTES, checkBundle, checkBundleInput, parseBundle, summarizeProblems, type BundleCertificate } from './bundle.js';
import { FIXED_NOW, makeTestCertificate, testKey, testName } from './test-support.js';

const CN = '2.5.4.3';
const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/parser-crashers/${name}`, import.meta.url));

async function ca(commonName: string, options: { key?: ReturnType<typeof testKey>; basicConstraints?: 'ca' | 'leaf' } = {}): Promise<BundleCertificate> {
  const pem = await makeTestCertificate({ subject: testName([CN, commonName]), key: options.key ?? testKey(), basicConstraints: options.basicConstraints ?? 'ca' });
  return parseBundle(pem)[0]!;
}

const messages = (certificates: readonly BundleCertificate[]) => checkBundle(certificates, FIXED_NOW).map((p) => p.message);
const codes = (certificates: readonly BundleCertificate[]) => checkBundle(certificates, FIXED_NOW).map((p) => p.code);

describe('checkBundleInput', () => {
  it('refuses more than 32 KB as too-large before parsing anything, whatever the bytes are', () => {
    const junk = Buffer.alloc(4 * 1024 * 1024, 0x41);
    assert.deepEqual(checkBundleInput(junk), [
      { code: 'too-large', message: `the bundle is ${junk.length} bytes of PEM, more than the ${BUNDLE_MAX_BYTES} (32 KB) Temporal Cloud accepts: remove certificates` },
    ]);
    assert.deepEqual(checkBundleInput(junk.subarray(0, BUNDLE_MAX_BYTES)), []);
  });

  it('refuses more BEGIN lines than 16 certificates need as too-many, counting in one pass', () => {
    const flood = '-----BEGIN CERTIFICATE-----\n'.repeat(17);
    assert.deepEqual(checkBundleInput(flood), [
      { code: 'too-many', message: 'the bundle holds 17 PEM blocks, more than the 16 certificates Temporal Cloud accepts: remove 1' },
    ]);
    assert.deepEqual(checkBundleInput('-----BEGIN CERTIFICATE-----\n'.repeat(16)), []);
  });
});

describe('checkBundle, bounded', () => {
  it('says only that there are too many certificates, checking none of them, when there are more than 16', async () => {
    const leaf = await ca('not-a-ca', { basicConstraints: 'leaf' });
    const many = Array.from({ length: 300 }, () => leaf);
    assert.deepEqual(codes(many), ['too-many', 'too-large']);
    const [count, size, ...rest] = messages(many);
    assert.equal(count, 'the bundle holds 300 certificates, more than the 16 Temporal Cloud accepts: remove 284');
    assert.match(size!, /^the bundle is \d+ bytes of PEM, more than the 32768/);
    assert.deepEqual(rest, []);
  });

  it('names a certificate by at most 120 characters of its subject', async () => {
    const long = await ca('x'.repeat(5000), { basicConstraints: 'leaf' });
    const [message] = messages([long]);
    assert.match(message!, /^certificate CN=x{117}… \(fingerprint [0-9a-f]{8}\) is not a CA/);
    assert.ok(message!.length < 400, `${message!.length} characters`);
  });
});

describe('checkBundle, keys', () => {
  it('refuses an RSA key under 2048 bits as weak-key, as in certificate signing requests, and accepts 2048', async () => {
    const small = await ca('rsa-1024', { key: testKey({ rsaBits: 1024 }) });
    assert.deepEqual(messages([small]), [`certificate CN=rsa-1024 (fingerprint ${small.fingerprint.slice(0, 8)}) has an RSA key of 1024 bits: use at least 2048`]);
    assert.deepEqual(codes([small]), ['weak-key']);
    assert.deepEqual(messages([await ca('rsa-2048', { key: testKey({ rsaBits: 2048 }) })]), []);
  });

  it("refuses an RSA public exponent above 2^31-1, which Go's crypto/rsa refuses, as unsupported-key, and checks no signature with it", async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 4294967295 });
    const big = await ca('big-exponent', { key: privateKey });
    const [only, ...rest] = messages([big]);
    assert.match(only!, /has an RSA key whose public exponent is larger than 2\^31-1/);
    assert.deepEqual(rest, []);
    assert.deepEqual(codes([big]), ['unsupported-key']);
  });
});

describe('parseBundle, malformed certificates', () => {
  it('names the part of a certificate that does not decode, when OpenSSL reads the rest', () => {
    assert.throws(() => parseBundle(fixture('good_pem.042.derflip')), (error: unknown) => {
      assert.ok(error instanceof CertificateError);
      assert.equal(error.message, 'certificate 1 of the bundle is malformed: its keyUsage extension cannot be read');
      return true;
    });
    for (const name of ['caA_pem.040.derflip', 'tca_pem.039.derflip']) {
      assert.throws(() => parseBundle(fixture(name)), /^CertificateError: certificate 1 of the bundle is malformed: its notAfter time is not a valid UTCTime or GeneralizedTime$/);
    }
  });

  it('refuses a block whose content is not base64, rather than decoding what is left of it', async () => {
    const pem = (await ca('root')).pem.replace(/\n(.{10})./, '\n$1!');
    assert.throws(() => parseBundle(pem), /certificate 1 of the bundle is malformed: its PEM content is not base64/);
  });

  it('refuses a DER file that is a SEQUENCE but not a certificate, saying so', () => {
    assert.throws(() => parseBundle(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00)), /the bundle is not PEM, and as DER it is malformed/);
    assert.throws(() => parseBundle(Buffer.from('0 not der')), /the bundle is not PEM: it holds no -----BEGIN CERTIFICATE----- block/);
  });
});

describe('summarizeProblems', () => {
  it('names the first five problems and how many more there are, each cut at 400 characters', () => {
    const problems = Array.from({ length: 300 }, (_, i) => `problem ${i}`);
    assert.equal(summarizeProblems(problems), 'problem 0; problem 1; problem 2; problem 3; problem 4; and 295 more problems');
    assert.equal(summarizeProblems(problems.slice(0, 6)), 'problem 0; problem 1; problem 2; problem 3; problem 4; and 1 more problem');
    assert.equal(summarizeProblems(['only']), 'only');
    assert.equal(summarizeProblems(['y'.repeat(100_000)]).length, 401);
  });
});
