import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { CertificateError } from '../errors.js';
import { parseBundle } from './bundle.js';
import { parseBundleLazily } from './lazy-bundle.js';
import { DAY_MS, FIXED_NOW, makeTestCertificate, testKey, testName } from './test-support.js';
import { generateCertificateAuthority } from './ca.js';

describe('parseBundleLazily', () => {
  let bundle: string;
  before(async () => {
    const ca = await generateCertificateAuthority({ organization: 'myco', validityMs: 90 * DAY_MS, now: FIXED_NOW });
    // A notAfter after 2049 is a GeneralizedTime (RFC 5280 4.1.2.5); a notBefore before 2050 a UTCTime.
    const late = await makeTestCertificate({
      subject: testName(['2.5.4.3', 'late, "quoted"'], ['2.5.4.10', 'myco']),
      key: testKey(),
      notBefore: new Date('1999-12-31T23:59:59Z'),
      notAfter: new Date('2051-06-30T12:34:56Z'),
    });
    bundle = ca.certificatePem + late;
  });

  it('reads what parseBundle reads: fingerprint, names, validity, PEM, the certificate', () => {
    const eager = parseBundle(bundle);
    const lazy = parseBundleLazily(bundle);
    assert.equal(lazy.length, 2);
    lazy.forEach((certificate, i) => {
      const expected = eager[i]!;
      assert.equal(certificate.fingerprint, expected.fingerprint);
      assert.equal(certificate.subject, expected.subject);
      assert.equal(certificate.issuer, expected.issuer);
      assert.equal(certificate.notBefore.toISOString(), expected.notBefore.toISOString());
      assert.equal(certificate.notAfter.toISOString(), expected.notAfter.toISOString());
      assert.equal(certificate.notAfter.getTime(), new Date(expected.x509.validTo).getTime());
      assert.equal(certificate.pem, expected.pem);
      assert.ok(certificate.x509.raw.equals(expected.x509.raw));
    });
    assert.equal(lazy[1]!.notAfter.toISOString(), '2051-06-30T12:34:56.000Z');
    assert.equal(lazy[1]!.notBefore.toISOString(), '1999-12-31T23:59:59.000Z');
  });

  it('accepts one DER certificate given as bytes, and nothing for empty input', () => {
    const der = new X509Certificate(bundle).raw;
    assert.equal(parseBundleLazily(der)[0]!.fingerprint, parseBundle(der)[0]!.fingerprint);
    assert.deepEqual(parseBundleLazily(' \n'), []);
  });

  it('refuses bad input with parseBundle\'s messages', () => {
    const der = new X509Certificate(bundle).raw;
    const truncatedDer = der.subarray(0, der.length - 10);
    const [first] = bundle.split('-----END CERTIFICATE-----');
    const inputs: Array<string | Uint8Array> = [
      'hello',
      truncatedDer,
      `${first!}`,
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      bundle.replace(/^(-----BEGIN CERTIFICATE-----\n.{20})./m, '$1!'),
    ];
    for (const input of inputs) {
      let expected: unknown;
      try {
        parseBundle(input);
      } catch (error) {
        expected = error;
      }
      assert.ok(expected instanceof CertificateError, `parseBundle accepted ${String(input).slice(0, 40)}`);
      assert.throws(() => parseBundleLazily(input), (e: unknown) => e instanceof CertificateError && e.message === expected.message);
    }
  });

  // Its speed is measured by `npm run bench` (cert check-expiry on 1000 certificates), not here.
  it('reads every one of 1000 certificates, each as parseBundle reads it', () => {
    const many = bundle.repeat(500);
    const [lazy, eager] = [parseBundleLazily(many), parseBundle(many)];
    assert.equal(lazy.length, 1000);
    assert.deepEqual(
      lazy.map((c) => [c.fingerprint, c.subject, c.notAfter.toISOString()]),
      eager.map((c) => [c.fingerprint, c.subject, c.notAfter.toISOString()]),
    );
    assert.equal(new Set(lazy.map((c) => c.fingerprint)).size, 2);
  });
});
