/** `tcld gen ca` output, checked independently with node:crypto and openssl. */
import assert from 'node:assert/strict';
import { createPrivateKey, type X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DAY,
  MINUTE,
  NEEDS_OPENSSL,
  assertExit,
  freshFolder,
  makeCa,
  notAfter,
  notBefore,
  opensslText,
  readCertificate,
  removeFolders,
  tcld,
  type RunResult,
} from './helpers.js';

const SECOND = 1000;

describe('gen ca', () => {
  let folder: string;
  let result: RunResult;
  let ca: X509Certificate;
  let keyPem: string;
  let startedAt: number;
  let endedAt: number;

  before(async () => {
    folder = freshFolder();
    startedAt = Date.now();
    result = await makeCa(folder, 'ca.pem', 'ca.key');
    endedAt = Date.now();
    ca = readCertificate(join(folder, 'ca.pem'));
    keyPem = readFileSync(join(folder, 'ca.key'), 'utf8');
  });
  after(removeFolders);

  it('writes a self-signed CA certificate that node:crypto accepts', () => {
    assert.equal(ca.ca, true);
    assert.equal(ca.subject, ca.issuer);
    assert.equal(ca.checkIssued(ca), true);
    assert.equal(ca.verify(ca.publicKey), true);
  });

  it('writes an unencrypted PKCS#8 key that belongs to the certificate', () => {
    assert.match(keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(ca.checkPrivateKey(createPrivateKey(keyPem)), true);
  });

  it('makes an ECDSA P-384 key by default', () => {
    const key = createPrivateKey(keyPem);
    assert.equal(key.asymmetricKeyType, 'ec');
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'secp384r1');
  });

  it('names the CA O=<org>, CN=client.root.<label>.<4 chars>, with the same DNS name as its SAN', () => {
    const match = /^O=myco\nCN=(client\.root\.myco\.[a-z0-9]{4})$/.exec(ca.subject);
    assert.ok(match, `unexpected subject ${JSON.stringify(ca.subject)}`);
    assert.equal(ca.subjectAltName, `DNS:${match[1]}`);
  });

  it('reports the DNS name and the expiry on stdout', () => {
    const dnsName = ca.subjectAltName!.replace(/^DNS:/, '');
    assert.ok(result.stdout.includes(`(DNS name ${dnsName})`), result.stdout);
    assert.ok(result.stdout.includes(`valid until ${new Date(notAfter(ca)).toISOString()}`), result.stdout);
  });

  it('starts the validity one minute in the past', () => {
    const from = notBefore(ca);
    assert.ok(from >= startedAt - MINUTE - SECOND && from <= endedAt - MINUTE, `notBefore ${ca.validFrom}`);
  });

  it('ends the validity after the requested period (-d 1y is 365 days)', () => {
    const to = notAfter(ca);
    assert.ok(to >= startedAt + 365 * DAY - SECOND && to <= endedAt + 365 * DAY, `notAfter ${ca.validTo}`);
  });

  it('honours a shorter period: -d 30d10h', async () => {
    const other = freshFolder();
    const started = Date.now();
    const run = await tcld(['gen', 'ca', '--org', 'myco', '-d', '30d10h', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--auto_confirm'], {
      cwd: other,
    });
    assertExit(run, 0);
    const to = notAfter(readCertificate(join(other, 'ca.pem')));
    const expected = started + 30 * DAY + 10 * 60 * MINUTE;
    assert.ok(to >= expected - SECOND && to <= Date.now() + 30 * DAY + 10 * 60 * MINUTE, `notAfter ${new Date(to).toISOString()}`);
  });

  it('accepts the longest period, 365d, and just over the shortest, 7d1h', async () => {
    for (const period of ['365d', '7d1h']) {
      const other = freshFolder();
      const run = await tcld(['gen', 'ca', '--org', 'myco', '-d', period, '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--auto_confirm'], {
        cwd: other,
      });
      assertExit(run, 0);
    }
  });

  it('gives two CAs of one organization different subjects and keys', async () => {
    const other = freshFolder();
    await makeCa(other, 'ca.pem', 'ca.key');
    const second = readCertificate(join(other, 'ca.pem'));
    assert.notEqual(second.subject, ca.subject);
    assert.notEqual(second.serialNumber, ca.serialNumber);
    assert.equal(second.publicKey.equals(ca.publicKey), false);
  });

  it('makes a DNS label of the organization ("My Co!" → my-co) and keeps the name as O', async () => {
    const other = freshFolder();
    const run = await tcld(['gen', 'ca', '--org', 'My Co!', '-d', '90d', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--auto_confirm'], {
      cwd: other,
    });
    assertExit(run, 0);
    const named = readCertificate(join(other, 'ca.pem'));
    assert.match(named.subject, /^O=My Co!\nCN=client\.root\.my-co\.[a-z0-9]{4}$/);
    assert.match(named.subjectAltName ?? '', /^DNS:client\.root\.my-co\.[a-z0-9]{4}$/);
  });

  describe('with an 80-character organization name', () => {
    const longOrg = 'a'.repeat(80);
    let named: X509Certificate;
    before(async () => {
      const other = freshFolder();
      const run = await tcld(['gen', 'ca', '--org', longOrg, '-d', '30d', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--auto_confirm'], {
        cwd: other,
      });
      assertExit(run, 0);
      named = readCertificate(join(other, 'ca.pem'));
    });

    it('cuts the organization label to 42 characters, so that a leaf CN (client.endentity.<label>.<4>) still fits 64', () => {
      assert.match(named.subjectAltName ?? '', /^DNS:client\.root\.a{42}\.[a-z0-9]{4}$/);
    });

    it("keeps the CN it generates within RFC 5280's upper bound of 64 characters", () => {
      const cn = /CN=(.*)$/.exec(named.subject)?.[1] ?? '';
      assert.ok(cn.length <= 64, `CN has ${cn.length} characters: ${cn}`);
    });
  });

  it('accepts --organization, --validity-period, --ca-certificate-file and --ca-key-file', async () => {
    const other = freshFolder();
    const run = await tcld(
      ['gen', 'ca', '--organization', 'longco', '--validity-period', '30d', '--ca-certificate-file', 'a.pem', '--ca-key-file', 'a.key'],
      { cwd: other, env: { AUTO_CONFIRM: 'true' } },
    );
    assertExit(run, 0);
    assert.match(readCertificate(join(other, 'a.pem')).subject, /^O=longco\n/);
  });

  describe('seen by openssl', { skip: NEEDS_OPENSSL }, () => {
    let text: string;
    before(() => {
      text = opensslText('ca.pem', folder);
    });

    it('has critical basicConstraints CA:TRUE, pathlen:0', () => {
      assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:TRUE, pathlen:0\n/);
    });

    it('has critical key usage Digital Signature, Certificate Sign, CRL Sign (no Key Encipherment for ECDSA)', () => {
      assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature, Certificate Sign, CRL Sign\n/);
    });

    it('is ECDSA P-384 signed with ecdsa-with-SHA384', () => {
      assert.match(text, /Public-Key: \(384 bit\)/);
      assert.match(text, /NIST CURVE: P-384/);
      assert.match(text, /Signature Algorithm: ecdsa-with-SHA384/);
    });

    it('has a subject key identifier and a version 3 certificate', () => {
      assert.match(text, /X509v3 Subject Key Identifier:/);
      assert.match(text, /Version: 3 \(0x2\)/);
    });
  });
});
