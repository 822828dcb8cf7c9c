/** `tcld gen leaf --pkcs12`: the file read back by openssl and by Java's keytool, as Java and .NET workers would. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
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
  makeLeaf,
  mode,
  openssl,
  readCertificate,
  removeFolders,
  tcld,
  type RunResult,
} from './helpers.js';

const CA = { certificate: 'ca.pem', key: 'ca.key' };
const LEAF = { certificate: 'client.pem', key: 'client.key' };
const PASSWORD = 'correct horse';
const HAS_KEYTOOL = spawnSync('keytool', ['-help'], { encoding: 'utf8' }).status === 0;

describe('gen leaf --pkcs12', () => {
  let folder: string;
  let result: RunResult;

  before(async () => {
    folder = freshFolder();
    await makeCa(folder, CA.certificate, CA.key);
    writeFileSync(join(folder, 'pw.txt'), `${PASSWORD}\n`);
    result = await makeLeaf(folder, CA, LEAF, ['--pkcs12', 'client.p12', '--pkcs12-password-file', 'pw.txt']);
  });
  after(removeFolders);

  it('writes the PKCS#12 file 0600 beside the certificate and key, and says so', () => {
    assert.equal(mode(join(folder, 'client.p12')), 0o600);
    assert.deepEqual(listing(folder), ['ca.key', 'ca.pem', 'client.key', 'client.p12', 'client.pem', 'pw.txt']);
    assert.match(result.stdout, /end entity certificate PKCS#12 file generated at: client\.p12/);
  });

  it('reads back in openssl with the password file: the MAC, the leaf and the CA, and the key that matches the leaf', { skip: NEEDS_OPENSSL }, () => {
    const certificates = openssl(['pkcs12', '-in', 'client.p12', '-passin', 'file:pw.txt', '-nokeys'], folder);
    const blocks = certificates.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    assert.equal(blocks.length, 2);
    assert.ok(readCertificate(join(folder, LEAF.certificate)).raw.equals(new X509Certificate(blocks[0]!).raw));
    assert.ok(readCertificate(join(folder, CA.certificate)).raw.equals(new X509Certificate(blocks[1]!).raw));
    const info = spawnSync('openssl', ['pkcs12', '-info', '-in', 'client.p12', '-passin', 'file:pw.txt', '-nokeys'], { cwd: folder, encoding: 'utf8' });
    assert.match(info.stderr, /MAC: sha256, Iteration 2048/); // -info reports on stderr
    const keyPem = openssl(['pkcs12', '-in', 'client.p12', '-passin', 'file:pw.txt', '-nocerts', '-nodes'], folder);
    const key = createPrivateKey(keyPem);
    assert.ok(readCertificate(join(folder, LEAF.certificate)).checkPrivateKey(key));
    const written = createPrivateKey(readFileSync(join(folder, LEAF.key)));
    assert.equal(createPublicKey(key).export({ type: 'spki', format: 'pem' }), createPublicKey(written).export({ type: 'spki', format: 'pem' }));
  });

  it('fails the MAC in openssl with another password', { skip: NEEDS_OPENSSL }, () => {
    assert.throws(() => openssl(['pkcs12', '-info', '-in', 'client.p12', '-passin', 'pass:wrong', '-nokeys'], folder), /mac verify failure|invalid password/i);
  });

  it('lists one private key entry with its two-certificate chain in keytool', { skip: HAS_KEYTOOL ? false : 'keytool is not installed' }, () => {
    const listed = spawnSync('keytool', ['-list', '-v', '-keystore', 'client.p12', '-storetype', 'PKCS12', '-storepass', PASSWORD], { cwd: folder, encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr + listed.stdout);
    const dnsName = /DNS name (\S+)\)/.exec(result.stdout)![1]!;
    assert.match(listed.stdout, /Your keystore contains 1 entry/);
    assert.match(listed.stdout, new RegExp(`Alias name: ${dnsName.replace(/\./g, '\\.')}`));
    assert.match(listed.stdout, /Entry type: PrivateKeyEntry/);
    assert.match(listed.stdout, /Certificate chain length: 2/);
  });

  it('refuses --pkcs12 with --csr in one line, writing nothing', async () => {
    const cwd = freshFolder();
    writeFileSync(join(cwd, 'pw.txt'), PASSWORD);
    const refused = await tcld(['gen', 'leaf', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--cert', 'c.pem', '--csr', 'req.pem', '--pkcs12', 'c.p12', '--pkcs12-password-file', 'pw.txt'], { cwd });
    assertExit(refused, 2);
    assert.match(refused.stderr, /--pkcs12 is not used with --csr/);
    assert.deepEqual(listing(cwd), ['pw.txt']);
  });

  it('refuses --pkcs12 without its password file, and an empty password, writing nothing', async () => {
    const cwd = freshFolder();
    await makeCa(cwd, CA.certificate, CA.key);
    const paths = ['gen', 'leaf', '--org', 'myco', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--cert', 'c.pem', '--key', 'c.key', '--pkcs12', 'c.p12'];
    const missing = await tcld(paths, { cwd, env: { AUTO_CONFIRM: 'true' } });
    assertExit(missing, 2);
    assert.match(missing.stderr, /--pkcs12 needs --pkcs12-password-file/);
    writeFileSync(join(cwd, 'empty.txt'), '\n');
    const empty = await tcld([...paths, '--pkcs12-password-file', 'empty.txt'], { cwd, env: { AUTO_CONFIRM: 'true' } });
    assertOneLineError(empty, /the PKCS#12 password in empty\.txt is empty/);
    assert.deepEqual(listing(cwd), ['ca.key', 'ca.pem', 'empty.txt']);
  });
});
