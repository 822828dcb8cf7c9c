/** `tcld gen leaf` output from a tcld CA, checked independently with node:crypto and openssl. */
import assert from 'node:assert/strict';
import { createPrivateKey, type X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DAY,
  HOUR,
  MINUTE,
  NEEDS_OPENSSL,
  freshFolder,
  makeCa,
  makeLeaf,
  notAfter,
  notBefore,
  opensslText,
  opensslVerify,
  readCertificate,
  removeFolders,
  type RunResult,
} from './helpers.js';

const SECOND = 1000;
const CA = { certificate: 'ca.pem', key: 'ca.key' };

describe('gen leaf', () => {
  let folder: string;
  let ca: X509Certificate;
  let leaf: X509Certificate;
  let leafKeyPem: string;
  let result: RunResult;
  let startedAt: number;
  let endedAt: number;

  before(async () => {
    folder = freshFolder();
    await makeCa(folder, CA.certificate, CA.key);
    startedAt = Date.now();
    result = await makeLeaf(folder, CA, { certificate: 'client.pem', key: 'client.key' });
    endedAt = Date.now();
    ca = readCertificate(join(folder, 'ca.pem'));
    leaf = readCertificate(join(folder, 'client.pem'));
    leafKeyPem = readFileSync(join(folder, 'client.key'), 'utf8');
  });
  after(removeFolders);

  /** A leaf made in the shared folder with extra flags; files named after the test's tag. */
  async function leafWith(tag: string, extra: readonly string[]): Promise<X509Certificate> {
    await makeLeaf(folder, CA, { certificate: `${tag}.pem`, key: `${tag}.key` }, extra);
    return readCertificate(join(folder, `${tag}.pem`));
  }

  it('writes an end-entity certificate issued and signed by the CA', () => {
    assert.equal(leaf.ca, false);
    assert.equal(leaf.checkIssued(ca), true);
    assert.equal(leaf.verify(ca.publicKey), true);
    assert.equal(leaf.issuer, ca.subject);
  });

  it('is not signed by another CA', async () => {
    const other = freshFolder();
    await makeCa(other, 'ca.pem', 'ca.key');
    const otherCa = readCertificate(join(other, 'ca.pem'));
    assert.equal(leaf.checkIssued(otherCa), false);
    assert.equal(leaf.verify(otherCa.publicKey), false);
  });

  it('writes an unencrypted PKCS#8 key that belongs to the certificate, not the CA key', () => {
    assert.match(leafKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    const key = createPrivateKey(leafKeyPem);
    assert.equal(leaf.checkPrivateKey(key), true);
    assert.equal(ca.checkPrivateKey(key), false);
  });

  it('uses the CA algorithm: ECDSA P-384 from a default CA', () => {
    const key = createPrivateKey(leafKeyPem);
    assert.equal(key.asymmetricKeyType, 'ec');
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'secp384r1');
  });

  it('names the leaf O=<org>, CN=client.endentity.<label>.<4 chars>, with that DNS name as its SAN', () => {
    const match = /^O=myco\nCN=(client\.endentity\.myco\.[a-z0-9]{4})$/.exec(leaf.subject);
    assert.ok(match, `unexpected subject ${JSON.stringify(leaf.subject)}`);
    assert.equal(leaf.subjectAltName, `DNS:${match[1]}`);
    assert.ok(result.stdout.includes(`(DNS name ${match[1]})`), result.stdout);
  });

  it('gives the leaf a subject different from its CA', () => {
    assert.notEqual(leaf.subject.toLowerCase(), ca.subject.toLowerCase());
  });

  it('starts the validity one minute in the past', () => {
    const from = notBefore(leaf);
    assert.ok(from >= startedAt - MINUTE - SECOND && from <= endedAt - MINUTE, `notBefore ${leaf.validFrom}`);
  });

  it('expires 24 hours before its CA by default', () => {
    assert.equal(notAfter(leaf), notAfter(ca) - 24 * HOUR, `leaf ${leaf.validTo}, CA ${ca.validTo}`);
    assert.ok(result.stdout.includes(`valid until ${new Date(notAfter(leaf)).toISOString()}`), result.stdout);
  });

  it('honours -d 30d', async () => {
    const started = Date.now();
    const short = await leafWith('short', ['-d', '30d']);
    const to = notAfter(short);
    assert.ok(to >= started + 30 * DAY - SECOND && to <= Date.now() + 30 * DAY, `notAfter ${short.validTo}`);
  });

  it('writes --organization-unit as OU between O and CN', async () => {
    const unit = await leafWith('unit', ['--organization-unit', 'payments']);
    assert.match(unit.subject, /^O=myco\nOU=payments\nCN=client\.endentity\.myco\.[a-z0-9]{4}$/);
  });

  it('also accepts --organizational-unit', async () => {
    const unit = await leafWith('unit2', ['--organizational-unit', 'billing']);
    assert.match(unit.subject, /^O=myco\nOU=billing\nCN=client\.endentity\.myco\.[a-z0-9]{4}$/);
  });

  it('writes --common-name as CN and keeps the generated DNS name as SAN', async () => {
    const named = await leafWith('worker', ['--common-name', 'worker']);
    assert.equal(named.subject, 'O=myco\nCN=worker');
    assert.match(named.subjectAltName ?? '', /^DNS:client\.endentity\.myco\.[a-z0-9]{4}$/);
  });

  it('gives two leaves of one CA different subjects, serials and keys', async () => {
    const second = await leafWith('second', []);
    assert.notEqual(second.subject, leaf.subject);
    assert.notEqual(second.serialNumber, leaf.serialNumber);
    assert.equal(second.publicKey.equals(leaf.publicKey), false);
  });

  it('may carry another organization than its CA', async () => {
    await makeLeaf(folder, CA, { certificate: 'other-org.pem', key: 'other-org.key' }, ['--org', 'My Co!']);
    const other = readCertificate(join(folder, 'other-org.pem'));
    assert.match(other.subject, /^O=My Co!\nCN=client\.endentity\.my-co\.[a-z0-9]{4}$/);
    assert.equal(other.checkIssued(ca), true);
  });

  describe('seen by openssl', { skip: NEEDS_OPENSSL }, () => {
    let text: string;
    before(() => {
      text = opensslText('client.pem', folder);
    });

    it('verifies strictly against the CA for the TLS client purpose', () => {
      assert.equal(opensslVerify('ca.pem', 'client.pem', folder), 'client.pem: OK');
    });

    it('has critical basicConstraints CA:FALSE', () => {
      assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE\n/);
    });

    it('has critical key usage Digital Signature only, and extended key usage TLS Web Client Authentication', () => {
      assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature\n/);
      assert.match(text, /X509v3 Extended Key Usage: \n?\s*TLS Web Client Authentication\n/);
    });

    it('is ECDSA P-384 signed with ecdsa-with-SHA384', () => {
      assert.match(text, /Public-Key: \(384 bit\)/);
      assert.match(text, /NIST CURVE: P-384/);
      assert.match(text, /Signature Algorithm: ecdsa-with-SHA384/);
    });

    it("names the CA's subject key identifier as its authority key identifier", () => {
      const caText = opensslText('ca.pem', folder);
      const ski = /X509v3 Subject Key Identifier: \n?\s*([0-9A-F:]+)/.exec(caText)?.[1];
      const aki = /X509v3 Authority Key Identifier: \n?\s*(?:keyid:)?([0-9A-F:]+)/.exec(text)?.[1];
      assert.ok(ski, caText);
      assert.equal(aki, ski);
    });

    it('verifies a leaf with an OU and a --common-name too', async () => {
      await leafWith('ou-cn', ['--organization-unit', 'payments', '--common-name', 'worker', '-d', '30d']);
      assert.equal(opensslVerify('ca.pem', 'ou-cn.pem', folder), 'ou-cn.pem: OK');
      assert.match(opensslText('ou-cn.pem', folder), /Subject: O = myco, OU = payments, CN = worker\n/);
    });
  });
});
