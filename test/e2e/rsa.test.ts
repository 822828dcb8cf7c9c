/** `--rsa`: an RSA 4096 CA, and an RSA leaf issued with a PKCS#1 copy of its key. */
import assert from 'node:assert/strict';
import { createPrivateKey, type X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  HAS_OPENSSL,
  NEEDS_OPENSSL,
  convertKey,
  freshFolder,
  makeCa,
  makeLeaf,
  openssl,
  opensslText,
  opensslVerify,
  readCertificate,
  removeFolders,
  tcld,
} from './helpers.js';

describe('gen ca --rsa', () => {
  let folder: string;
  let ca: X509Certificate;
  let leaf: X509Certificate;

  before(async () => {
    folder = freshFolder();
    // The one RSA CA and RSA leaf of the suite: 4096-bit key generation takes about a second each.
    await makeCa(folder, 'ca.pem', 'ca.key', ['--rsa']);
    // The leaf is issued with the CA key in PKCS#1, as older tools write it: one leaf tests both.
    if (HAS_OPENSSL) openssl(['rsa', '-in', 'ca.key', '-traditional', '-out', 'pkcs1.key'], folder);
    else convertKey(join(folder, 'ca.key'), join(folder, 'pkcs1.key'), 'pkcs1');
    await makeLeaf(folder, { certificate: 'ca.pem', key: 'pkcs1.key' }, { certificate: 'client.pem', key: 'client.key' });
    ca = readCertificate(join(folder, 'ca.pem'));
    leaf = readCertificate(join(folder, 'client.pem'));
  });
  after(removeFolders);

  it('makes an RSA 4096 CA key, PKCS#8, that belongs to the certificate', () => {
    const pem = readFileSync(join(folder, 'ca.key'), 'utf8');
    assert.match(pem, /^-----BEGIN PRIVATE KEY-----\n/);
    const key = createPrivateKey(pem);
    assert.equal(key.asymmetricKeyType, 'rsa');
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 4096);
    assert.equal(ca.checkPrivateKey(key), true);
    assert.equal(ca.verify(ca.publicKey), true);
    assert.equal(ca.ca, true);
  });

  it('gen leaf accepts the CA key as PKCS#1 (-----BEGIN RSA PRIVATE KEY-----)', () => {
    assert.match(readFileSync(join(folder, 'pkcs1.key'), 'utf8'), /^-----BEGIN RSA PRIVATE KEY-----\n/);
    assert.equal(leaf.checkIssued(ca), true);
  });

  it('gives a leaf from an RSA CA an RSA 4096 key too, signed by the CA', () => {
    const key = createPrivateKey(readFileSync(join(folder, 'client.key'), 'utf8'));
    assert.equal(key.asymmetricKeyType, 'rsa');
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 4096);
    assert.equal(leaf.checkPrivateKey(key), true);
    assert.equal(leaf.checkIssued(ca), true);
    assert.equal(leaf.verify(ca.publicKey), true);
  });

  it('accepts --rsa-algorithm as the long name of --rsa', async () => {
    // Parsing only, to spare a key generation: a too-short validity stops tcld after the flags are read.
    const other = freshFolder();
    const run = await tcld(['gen', 'ca', '--org', 'myco', '-d', '7d', '--rsa-algorithm', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key'], {
      cwd: other,
      env: { AUTO_CONFIRM: 'true' },
    });
    assert.doesNotMatch(run.stderr, /not defined/);
    assert.match(run.stderr, /out of range/);
  });

  describe('seen by openssl', { skip: NEEDS_OPENSSL }, () => {
    it('shows the CA as RSA 4096, sha256WithRSAEncryption, with Key Encipherment in its key usage', () => {
      const text = opensslText('ca.pem', folder);
      assert.match(text, /Public-Key: \(4096 bit\)/);
      assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
      assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:TRUE, pathlen:0\n/);
      assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment, Certificate Sign, CRL Sign\n/);
    });

    it('shows the leaf as RSA 4096, sha256WithRSAEncryption, Digital Signature and Key Encipherment, client auth', () => {
      const text = opensslText('client.pem', folder);
      assert.match(text, /Public-Key: \(4096 bit\)/);
      assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
      assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE\n/);
      assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment\n/);
      assert.match(text, /TLS Web Client Authentication/);
    });

    it('verifies the leaf strictly for the TLS client purpose', () => {
      assert.equal(opensslVerify('ca.pem', 'client.pem', folder), 'client.pem: OK');
    });

  });
});
