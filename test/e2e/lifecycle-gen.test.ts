/** Black-box tests of the certificate lifecycle in `tcld gen`: CSRs, protected CA keys and CA rotation with --like. */
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  NEEDS_OPENSSL,
  assertExit,
  assertOneLineError,
  freshFolder,
  listing,
  makeCa,
  mode,
  openssl,
  opensslVerify,
  readCertificate,
  removeFolders,
  tcld,
} from './helpers.js';

const YES = { AUTO_CONFIRM: 'true' };
const LEAF_FROM_CSR = ['gen', 'leaf', '--csr', 'w.csr', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--cert', 'w.pem'];

after(removeFolders);

describe('gen csr and gen leaf --csr', () => {
  let folder: string;
  before(async () => {
    folder = freshFolder();
    await makeCa(folder, 'ca.pem', 'ca.key');
    assertExit(await tcld(['gen', 'csr', '--org', 'myco', '--common-name', 'worker-1', '--csr', 'w.csr', '--key', 'w.key'], { cwd: folder, env: YES }), 0);
  });

  it('writes a request openssl accepts and a 0600 key', { skip: NEEDS_OPENSSL }, () => {
    assert.match(openssl(['req', '-verify', '-noout', '-subject', '-in', 'w.csr'], folder), /O\s*=\s*myco, CN\s*=\s*worker-1/);
    assert.equal(mode(join(folder, 'w.key')), 0o600);
    assert.equal(mode(join(folder, 'w.csr')), 0o644);
  });

  it('issues a certificate for the request key and writes no key', { skip: NEEDS_OPENSSL }, async () => {
    const before = listing(folder);
    const result = await tcld(LEAF_FROM_CSR, { cwd: folder, env: YES });
    assertExit(result, 0);
    assert.deepEqual(listing(folder), [...before, 'w.pem'].sort());
    const leaf = readCertificate(join(folder, 'w.pem'));
    assert.equal(leaf.subject, 'O=myco\nCN=worker-1');
    assert.ok(leaf.checkPrivateKey(createPrivateKey(readFileSync(join(folder, 'w.key')))));
    assert.equal(opensslVerify('ca.pem', 'w.pem', folder), 'w.pem: OK');
  });

  it('issues for a request made by openssl', { skip: NEEDS_OPENSSL }, async () => {
    const dir = freshFolder();
    await makeCa(dir, 'ca.pem', 'ca.key');
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', 'k.pem', '-out', 'w.csr', '-subj', '/O=x/CN=y'], dir);
    assertExit(await tcld(LEAF_FROM_CSR, { cwd: dir, env: YES }), 0);
    assert.equal(readCertificate(join(dir, 'w.pem')).subject, 'O=x\nCN=y');
    assert.equal(opensslVerify('ca.pem', 'w.pem', dir), 'w.pem: OK');
  });

  it('issues for an RSA request made by openssl and refuses an Ed25519 one', { skip: NEEDS_OPENSSL }, async () => {
    const dir = freshFolder();
    await makeCa(dir, 'ca.pem', 'ca.key');
    openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'w.csr', '-subj', '/O=x/OU=team/CN=rsa'], dir);
    assertExit(await tcld(LEAF_FROM_CSR, { cwd: dir, env: YES }), 0);
    assert.equal(readCertificate(join(dir, 'w.pem')).publicKey.asymmetricKeyType, 'rsa');
    assert.equal(opensslVerify('ca.pem', 'w.pem', dir), 'w.pem: OK');
    openssl(['req', '-new', '-newkey', 'ed25519', '-nodes', '-keyout', 'k.pem', '-out', 'e.csr', '-subj', '/O=x'], dir);
    const refused = await tcld([...LEAF_FROM_CSR.slice(0, 3), 'e.csr', ...LEAF_FROM_CSR.slice(4, -1), 'e.pem'], { cwd: dir, env: YES });
    assertOneLineError(refused, /unsupported key type ed25519: use an RSA or ECDSA/);
    assert.ok(!listing(dir).includes('e.pem'));
  });

  it('refuses a tampered, truncated or malformed request in one line, leaving no file', async () => {
    const pem = readFileSync(join(folder, 'w.csr'), 'utf8');
    const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    der[der.indexOf(Buffer.from('worker-1'))] = 'W'.charCodeAt(0);
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE REQUEST-----\n`;
    for (const [text, pattern] of [
      [tampered, /signature does not verify/],
      [pem.slice(0, pem.length / 2), /no complete PEM request/],
      ['-----BEGIN CERTIFICATE REQUEST-----\nnot base64 at all\n-----END CERTIFICATE REQUEST-----\n', /malformed/],
    ] as const) {
      const dir = freshFolder();
      await makeCa(dir, 'ca.pem', 'ca.key');
      writeFileSync(join(dir, 'w.csr'), text);
      const before = listing(dir);
      assertOneLineError(await tcld(LEAF_FROM_CSR, { cwd: dir, env: YES }), pattern);
      assert.deepEqual(listing(dir), before);
    }
  });
});

describe('protected CA keys', () => {
  let folder: string;
  before(async () => {
    folder = freshFolder();
    writeFileSync(join(folder, 'pass'), 'secret\n');
    await makeCa(folder, 'ca.pem', 'ca.key', ['--ca-key-passphrase-file', 'pass']);
  });
  const leafArgs = (cert: string) => ['gen', 'leaf', '--org', 'myco', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--cert', `${cert}.pem`, '--key', `${cert}.key`];

  it('writes encrypted PKCS#8 that openssl opens with the passphrase', { skip: NEEDS_OPENSSL }, () => {
    assert.match(readFileSync(join(folder, 'ca.key'), 'utf8'), /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    openssl(['pkey', '-in', 'ca.key', '-passin', 'pass:secret', '-noout'], folder);
    assert.throws(() => openssl(['pkey', '-in', 'ca.key', '-passin', 'pass:wrong', '-noout'], folder));
  });

  it('issues with the passphrase from a file, the environment or a piped prompt', { skip: NEEDS_OPENSSL }, async () => {
    assertExit(await tcld([...leafArgs('a'), '--ca-key-passphrase-file', 'pass'], { cwd: folder, env: YES }), 0);
    assertExit(await tcld([...leafArgs('b'), '--ca-key-passphrase-env', 'PW'], { cwd: folder, env: { ...YES, PW: 'secret' } }), 0);
    const prompted = await tcld([...leafArgs('c'), '--ca-key-passphrase-prompt'], { cwd: folder, input: 'secret\ny\n' });
    assertExit(prompted, 0);
    assert.match(prompted.stderr, /CA key passphrase:/);
    assert.ok(!prompted.stderr.includes('secret'));
    for (const name of ['a', 'b', 'c']) assert.equal(opensslVerify('ca.pem', `${name}.pem`, folder), `${name}.pem: OK`);
  });

  it('says which option to use without a passphrase, and that a wrong one is wrong, writing nothing', async () => {
    const before = listing(folder);
    assertOneLineError(await tcld(leafArgs('x'), { cwd: folder, env: YES }), /CA key is encrypted: give its passphrase with --ca-key-passphrase-file/);
    assertOneLineError(await tcld([...leafArgs('x'), '--ca-key-passphrase-env', 'PW'], { cwd: folder, env: { ...YES, PW: 'wrong' } }), /wrong passphrase/);
    const twoWays = await tcld([...leafArgs('x'), '--ca-key-passphrase-env', 'PW', '--ca-key-passphrase-prompt'], { cwd: folder, env: YES });
    assertExit(twoWays, 2);
    assert.deepEqual(listing(folder), before);
  });

  it('gen ca asks for a new passphrase twice and refuses two different answers', { skip: NEEDS_OPENSSL }, async () => {
    const dir = freshFolder();
    const args = ['gen', 'ca', '--org', 'myco', '-d', '30d', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--ca-key-passphrase-prompt'];
    const differ = await tcld(args, { cwd: dir, env: YES, input: 'one\ntwo\n' });
    assertExit(differ, 1);
    // The two questions, then one error line.
    assert.deepEqual(differ.stderr.split('\n').slice(0, 2), ['CA key passphrase: ', 'CA key passphrase again: ']);
    assertOneLineError({ ...differ, stderr: differ.stderr.split('\n').slice(2).join('\n') }, /passphrases differ/);
    assert.deepEqual(listing(dir), []);
    assertExit(await tcld(args, { cwd: dir, env: YES, input: 'pw\npw\n' }), 0);
    openssl(['pkey', '-in', 'ca.key', '-passin', 'pass:pw', '-noout'], dir);
  });
});

describe('gen ca --like', () => {
  it('makes a successor with the old organization and algorithm, a new key, serial and subject', async () => {
    const folder = freshFolder();
    assertExit(await tcld(['gen', 'ca', '--org', 'Old Co', '--rsa', '-d', '30d', '--ca-cert', 'old.pem', '--ca-key', 'old.key'], { cwd: folder, env: YES }), 0);
    assertExit(await tcld(['gen', 'ca', '--like', 'old.pem', '-d', '1y', '--ca-cert', 'new.pem', '--ca-key', 'new.key'], { cwd: folder, env: YES }), 0);
    const [old, successor] = [readCertificate(join(folder, 'old.pem')), readCertificate(join(folder, 'new.pem'))];
    assert.match(successor.subject, /^O=Old Co\nCN=client\.root\.old-co\./);
    assert.notEqual(successor.subject, old.subject);
    assert.notEqual(successor.serialNumber, old.serialNumber);
    assert.equal(successor.publicKey.asymmetricKeyType, 'rsa');
    assert.ok(!successor.publicKey.equals(old.publicKey));
  });

  it('refuses a --like file that is not a certificate, in one line', async () => {
    const folder = freshFolder();
    writeFileSync(join(folder, 'old.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    assertOneLineError(await tcld(['gen', 'ca', '--like', 'old.pem', '-d', '1y', '--ca-cert', 'new.pem', '--ca-key', 'new.key'], { cwd: folder, env: YES }), /--like old\.pem: the old CA certificate is malformed/);
    assert.deepEqual(listing(folder), ['old.pem']);
  });
});
