/** gen leaf with CA files that other tools wrote: SEC1 keys, CRLF line ends, and CAs made entirely by openssl. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
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
} from './helpers.js';

const CLIENT = { certificate: 'client.pem', key: 'client.key' };

/** An openssl CA: `openssl req -x509` with the given curve and extensions. */
function opensslCa(folder: string, curve: string, extensions: string[]): void {
  const ext = extensions.flatMap((e) => ['-addext', e]);
  openssl(
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem']
      .concat(['-days', '30', '-subj', '/O=Other Tools Inc/CN=openssl root', ...ext]),
    folder,
  );
}

describe('gen leaf with CA files from other tools', () => {
  after(removeFolders);

  it('accepts an ECDSA CA key in SEC1 form (-----BEGIN EC PRIVATE KEY-----)', async () => {
    const folder = freshFolder();
    await makeCa(folder, 'ca.pem', 'ca.key');
    if (HAS_OPENSSL) openssl(['ec', '-in', 'ca.key', '-out', 'sec1.key'], folder);
    else convertKey(join(folder, 'ca.key'), join(folder, 'sec1.key'), 'sec1');
    assert.match(readFileSync(join(folder, 'sec1.key'), 'utf8'), /^-----BEGIN EC PRIVATE KEY-----\n/);
    await makeLeaf(folder, { certificate: 'ca.pem', key: 'sec1.key' }, CLIENT);
    const leaf = readCertificate(join(folder, 'client.pem'));
    assert.equal(leaf.checkIssued(readCertificate(join(folder, 'ca.pem'))), true);
    assert.match(readFileSync(join(folder, 'client.key'), 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
    if (HAS_OPENSSL) assert.equal(opensslVerify('ca.pem', 'client.pem', folder), 'client.pem: OK');
  });

  it('accepts CA files with CRLF line ends', async () => {
    const folder = freshFolder();
    await makeCa(folder, 'ca.pem', 'ca.key');
    for (const name of ['ca.pem', 'ca.key']) {
      writeFileSync(join(folder, `crlf-${name}`), readFileSync(join(folder, name), 'utf8').replace(/\n/g, '\r\n'));
    }
    await makeLeaf(folder, { certificate: 'crlf-ca.pem', key: 'crlf-ca.key' }, CLIENT);
    assert.equal(readCertificate(join(folder, 'client.pem')).checkIssued(readCertificate(join(folder, 'ca.pem'))), true);
  });

  it('accepts a CA certificate file with text before the PEM block (openssl x509 -text)', { skip: NEEDS_OPENSSL }, async () => {
    const folder = freshFolder();
    await makeCa(folder, 'ca.pem', 'ca.key');
    openssl(['x509', '-in', 'ca.pem', '-text', '-out', 'ca-text.pem'], folder);
    assert.match(readFileSync(join(folder, 'ca-text.pem'), 'utf8'), /^Certificate:\n/);
    await makeLeaf(folder, { certificate: 'ca-text.pem', key: 'ca.key' }, CLIENT);
    assert.equal(opensslVerify('ca.pem', 'client.pem', folder), 'client.pem: OK');
  });

  describe('a CA made entirely by openssl', { skip: NEEDS_OPENSSL }, () => {
    it('P-256 with CA:TRUE and keyCertSign issues a P-256 leaf that openssl verifies', async () => {
      const folder = freshFolder();
      opensslCa(folder, 'P-256', ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign']);
      await makeLeaf(folder, { certificate: 'ca.pem', key: 'ca.key' }, CLIENT);
      assert.equal(opensslVerify('ca.pem', 'client.pem', folder), 'client.pem: OK');
      const text = opensslText('client.pem', folder);
      assert.match(text, /Public-Key: \(256 bit\)/);
      assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
      assert.match(text, /Issuer: O = Other Tools Inc, CN = openssl root\n/);
      assert.match(text, /Subject: O = myco, CN = client\.endentity\.myco\.[a-z0-9]{4}\n/);
    });

    it('P-256 with CA:TRUE and no key usage extension at all also works', async () => {
      const folder = freshFolder();
      opensslCa(folder, 'P-256', ['basicConstraints=critical,CA:TRUE']);
      await makeLeaf(folder, { certificate: 'ca.pem', key: 'ca.key' }, CLIENT);
      // Not -x509_strict: that refuses any CA certificate without a key usage extension, whoever issued the leaf.
      const verified = openssl(['verify', '-purpose', 'sslclient', '-CAfile', 'ca.pem', 'client.pem'], folder).trim();
      assert.equal(verified, 'client.pem: OK');
    });

    it('P-521 issues a P-521 leaf signed with ecdsa-with-SHA512', async () => {
      const folder = freshFolder();
      opensslCa(folder, 'P-521', ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign']);
      await makeLeaf(folder, { certificate: 'ca.pem', key: 'ca.key' }, CLIENT);
      assert.equal(opensslVerify('ca.pem', 'client.pem', folder), 'client.pem: OK');
      const text = opensslText('client.pem', folder);
      assert.match(text, /NIST CURVE: P-521/);
      assert.match(text, /Signature Algorithm: ecdsa-with-SHA512/);
    });

    it('the default leaf of a 30-day openssl CA expires 24 hours before it', async () => {
      const folder = freshFolder();
      opensslCa(folder, 'P-256', ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign']);
      await makeLeaf(folder, { certificate: 'ca.pem', key: 'ca.key' }, CLIENT);
      const ca = readCertificate(join(folder, 'ca.pem'));
      const leaf = readCertificate(join(folder, 'client.pem'));
      assert.equal(new Date(leaf.validTo).getTime(), new Date(ca.validTo).getTime() - 24 * 3_600_000);
    });
  });
});
