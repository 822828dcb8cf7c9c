/**
 * tcld cert inspect / verify / check-expiry and tcld n ca check-expiry, run as a user runs them
 * (./bin/tcld), checked against node:crypto, openssl and the emulator seeded through the official client.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import { connectOfficialClient, startTestEmulator, TEST_KEY, type OfficialClient } from '../../src/emulator/test-support.js';
import { generateCertificateAuthority } from '../../src/pki/ca.js';
import { generateEndEntityCertificate } from '../../src/pki/leaf.js';
import { DAY, NEEDS_OPENSSL, assertExit, assertOneLineError, freshFolder, makeCa, makeLeaf, openssl, removeFolders, tcld } from './helpers.js';

interface Details {
  subject: string;
  issuer: string;
  serialNumber: string;
  subjectAlternativeNames: string[];
  notBefore: string;
  notAfter: string;
  ca: boolean;
  key: { type: string; bits?: number; curve?: string };
  keyUsage?: string[];
  extendedKeyUsage?: string[];
  fingerprints: { sha1: string; sha256: string };
}

const iso = (text: string) => new Date(text).toISOString().replace('.000Z', 'Z');

describe('tcld certificates', () => {
  let folder: string;
  const run = (...args: string[]) => tcld(args, { cwd: folder });
  const path = (name: string) => join(folder, name);

  before(async () => {
    folder = freshFolder();
    await makeCa(folder, 'ca.pem', 'ca.key');
    await makeLeaf(folder, { certificate: 'ca.pem', key: 'ca.key' }, { certificate: 'leaf.pem', key: 'leaf.key' }, ['--common-name', 'worker']);
    await makeCa(folder, 'other.pem', 'other.key');
    // A CA issued 10 days ago that expires in 20, and a leaf of it that expired 2 days ago.
    const past = await generateCertificateAuthority({ organization: 'past', validityMs: 30 * DAY, now: new Date(Date.now() - 10 * DAY) });
    const expired = await generateEndEntityCertificate({
      ca: { certificate: past.certificatePem, privateKey: past.privateKeyPem },
      organization: 'myco',
      validityMs: DAY,
      now: new Date(Date.now() - 3 * DAY),
    });
    writeFileSync(path('expired.pem'), expired.certificatePem);
    writeFileSync(path('past-ca.pem'), past.certificatePem);
  });
  after(() => removeFolders());

  describe('inspect', () => {
    it('prints each certificate of a bundle as JSON, matching node:crypto', async () => {
      writeFileSync(path('chain.pem'), readFileSync(path('leaf.pem'), 'utf8') + readFileSync(path('ca.pem'), 'utf8'));
      const result = await run('cert', 'inspect', 'chain.pem', '--output', 'json');
      assertExit(result, 0);
      assert.equal(result.stderr, '');
      const details = JSON.parse(result.stdout) as Details[];
      assert.equal(details.length, 2);
      const [leaf, ca] = [path('leaf.pem'), path('ca.pem')].map((p) => new X509Certificate(readFileSync(p)));
      for (const [d, x] of [[details[0]!, leaf!], [details[1]!, ca!]] as const) {
        assert.equal(d.serialNumber, x.serialNumber.toUpperCase());
        assert.equal(d.fingerprints.sha1, x.fingerprint);
        assert.equal(d.fingerprints.sha256, x.fingerprint256);
        assert.equal(d.notBefore, iso(x.validFrom));
        assert.equal(d.notAfter, iso(x.validTo));
        assert.equal(d.ca, x.ca);
        assert.deepEqual(d.subjectAlternativeNames, x.subjectAltName!.split(', '));
        assert.deepEqual(d.key, { type: 'ECDSA', bits: 384, curve: 'P-384' });
      }
      assert.equal(details[0]!.subject, `CN=worker,O=myco`);
      assert.equal(details[0]!.issuer, details[1]!.subject);
      // node's keyUsage lists the extended key usage OIDs
      assert.deepEqual([leaf!.keyUsage, details[0]!.extendedKeyUsage], [['1.3.6.1.5.5.7.3.2'], ['clientAuth']]);
      assert.equal(details[1]!.extendedKeyUsage, undefined);
      assert.ok(details[1]!.keyUsage?.includes('keyCertSign'));
    });

    it('prints text for people, with the fingerprint openssl prints', { skip: NEEDS_OPENSSL }, async () => {
      const result = await run('cert', 'inspect', 'ca.pem');
      assertExit(result, 0);
      const sha256 = openssl(['x509', '-noout', '-fingerprint', '-sha256', '-in', 'ca.pem'], folder).trim().split('=')[1]!;
      const sha1 = openssl(['x509', '-noout', '-fingerprint', '-sha1', '-in', 'ca.pem'], folder).trim().split('=')[1]!;
      assert.match(result.stdout, new RegExp(`^  SHA-256: +${sha256}$`, 'm'));
      assert.match(result.stdout, new RegExp(`^  SHA-1: +${sha1}$`, 'm'));
      const serial = openssl(['x509', '-noout', '-serial', '-in', 'ca.pem'], folder).trim().split('=')[1]!;
      assert.match(result.stdout, new RegExp(`^  serial: +0*${serial.replace(/^0+/, '')}$`, 'm'));
      assert.match(result.stdout, /^  CA: +yes \(pathlen:0\)$/m);
      assert.match(result.stdout, /^  not after: +\S+ \(expires in 36\dd/m);
      assert.match(result.stdout, /^  key: +ECDSA P-384$/m);
    });

    it('reads DER, and refuses a truncated PEM, a key and an empty file with one line', async () => {
      writeFileSync(path('ca.der'), new X509Certificate(readFileSync(path('ca.pem'))).raw);
      assertExit(await run('cert', 'inspect', 'ca.der'), 0);
      writeFileSync(path('cut.pem'), readFileSync(path('ca.pem'), 'utf8').slice(0, 300));
      writeFileSync(path('empty.pem'), '');
      const cut = await run('cert', 'inspect', 'cut.pem');
      assertOneLineError(cut, /cut\.pem: the file is not valid PEM/);
      assertExit(cut, 2);
      assertOneLineError(await run('cert', 'inspect', 'ca.key'), /holds a PRIVATE KEY block, not a certificate/);
      assertOneLineError(await run('cert', 'inspect', 'empty.pem'), /empty\.pem holds no certificate/);
      assertOneLineError(await run('cert', 'inspect', 'ca.pem', '-o', 'yaml'), /--output must be text or json/);
    });
  });

  describe('verify', () => {
    it('accepts a leaf of a CA in the bundle: exit 0, "accepted" on stdout', async () => {
      writeFileSync(path('bundle.pem'), readFileSync(path('other.pem'), 'utf8') + readFileSync(path('ca.pem'), 'utf8'));
      const result = await run('cert', 'verify', '--cert', 'leaf.pem', '--ca-bundle', 'bundle.pem');
      assertExit(result, 0);
      assert.match(result.stdout, /^accepted: CN=worker,O=myco, issued by CN=client\.root\.myco\./);
      assert.equal(result.stderr, '');
    });

    it('tells a file it cannot read (exit 2) from a refused certificate (exit 1)', async () => {
      const missing = await run('cert', 'verify', '--cert', 'missing.pem', '--ca-bundle', 'ca.pem');
      assertOneLineError(missing, /cannot read client certificate file missing\.pem/);
      assertExit(missing, 2);
      const refused = await run('cert', 'verify', '--cert', 'expired.pem', '--ca-bundle', 'ca.pem');
      assertExit(refused, 1);
      const endless = await run('cert', 'inspect', '/dev/zero');
      assertOneLineError(endless, /certificate file \/dev\/zero is larger than 64 MiB/);
      assertExit(endless, 2);
    });

    it('refuses an expired leaf of a CA not in the bundle, giving both reasons on stderr: exit 1', async () => {
      const result = await run('cert', 'verify', '--cert', 'expired.pem', '--ca-bundle', 'ca.pem');
      assertExit(result, 1);
      assert.equal(result.stdout, '');
      const lines = result.stderr.trim().split('\n');
      assert.match(lines[0]!, /^refused by the CAs in ca\.pem \(2 reasons\)/);
      assert.match(lines[1]!, /- the certificate expired on /);
      assert.match(lines[2]!, /- the certificate is not issued by any CA in the namespace's accepted bundle/);
    });

    it('prints {accepted, reasons: [{code, message}], path} with --output json, still exiting 1 when refused', async () => {
      const refused = await run('cert', 'verify', '--cert', 'expired.pem', '--ca-bundle', 'ca.pem', '-o', 'json');
      assertExit(refused, 1);
      const json = JSON.parse(refused.stdout) as { accepted: boolean; reasons: Array<{ code: string; message: string }>; path: string[] };
      assert.equal(json.accepted, false);
      assert.deepEqual(json.reasons.map((r) => r.code), ['expired', 'untrusted-issuer']);
      assert.match(json.reasons[0]!.message, /^the certificate expired on /);
      assert.deepEqual(json.path, []);
      const accepted = await run('cert', 'verify', '--cert', 'leaf.pem', '--ca-bundle', 'ca.pem', '-o', 'json');
      assertExit(accepted, 0);
      assert.deepEqual((JSON.parse(accepted.stdout) as { reasons: unknown[] }).reasons, []);
    });

    it('applies certificate filters from a file', async () => {
      writeFileSync(path('match.json'), JSON.stringify({ filters: [{ commonName: 'work*' }] }));
      writeFileSync(path('nomatch.json'), JSON.stringify({ filters: [{ organizationalUnit: 'payments' }] }));
      writeFileSync(path('broken.json'), '{"filters": [{"commonName": }]}');
      assertExit(await run('cert', 'verify', '--cert', 'leaf.pem', '--ca-bundle', 'ca.pem', '--certificate-filter-file', 'match.json'), 0);
      const refused = await run('cert', 'verify', '--cert', 'leaf.pem', '--ca-bundle', 'ca.pem', '--certificate-filter-file', 'nomatch.json');
      assertExit(refused, 1);
      assert.match(refused.stderr, /matches none of the namespace's 1 certificate filter/);
      assertOneLineError(
        await run('cert', 'verify', '--cert', 'leaf.pem', '--ca-bundle', 'ca.pem', '--certificate-filter-file', 'broken.json'),
        /broken\.json: the filters are not valid JSON/,
      );
    });

    it('refuses flag combinations with exit 2', async () => {
      for (const args of [['--ca-bundle', 'ca.pem', '-n', 'myns.acct'], [], ['-n', 'myns.acct', '--certificate-filter-file', 'match.json']]) {
        const result = await run('cert', 'verify', '--cert', 'leaf.pem', ...args);
        assertOneLineError(result, /--ca-bundle/);
        assertExit(result, 2);
      }
    });
  });

  describe('check-expiry', () => {
    it('exits 0 when nothing expires within the window', async () => {
      const result = await run('cert', 'check-expiry', 'ca.pem', 'leaf.pem');
      assertExit(result, 0);
      assert.match(result.stdout, /^ok: none of the 2 certificates expires within 30d/);
    });

    it('exits 1 listing each certificate within the window, and the expired one as expired', async () => {
      const result = await run('cert', 'check-expiry', 'ca.pem', 'expired.pem', 'past-ca.pem', '--within', '25d');
      assertExit(result, 1);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines[0], '2 of the 3 certificates expire within 25d:');
      assert.match(lines[1]!, /^expired\.pem: CN=\S+,O=myco expired on \S+ \(2 days ago\)$/);
      assert.match(lines[2]!, /^past-ca\.pem: CN=client\.root\.past\.\S+,O=past expires on \S+ \(19 days left\)$/);
      assert.equal(lines.length, 3);
    });

    it('exits 2 on bad input: a missing file, malformed PEM, no certificate, a bad duration', async () => {
      writeFileSync(path('junk.pem'), 'hello');
      for (const [args, pattern] of [
        [['missing.pem'], /cannot read certificate file missing\.pem/],
        [['ca.pem', 'cut.pem'], /cut\.pem: the file is not valid PEM/],
        [['junk.pem'], /junk\.pem: the file is not PEM/],
        [['empty.pem'], /empty\.pem holds no certificate/],
        [['ca.pem', '--within', 'a month'], /--within: invalid duration/],
        [[], /missing argument <file>/],
      ] as const) {
        const result = await run('cert', 'check-expiry', ...args);
        assertOneLineError(result, pattern);
        assertExit(result, 2);
      }
    });

    // Its speed is measured by `npm run bench` (bench/cert-checks.mjs), not here.
    it('checks 1000 certificates in one file', async () => {
      writeFileSync(path('many.pem'), readFileSync(path('ca.pem'), 'utf8').repeat(1000));
      const result = await run('cert', 'check-expiry', 'many.pem', '-o', 'json');
      assertExit(result, 0);
      assert.equal((JSON.parse(result.stdout) as { checked: number }).checked, 1000);
    });
  });

  describe('against the dev-server', () => {
    const NS = 'certs.acct';
    let emulator: Emulator;
    let official: OfficialClient;
    const cloud = (...args: string[]) => run('--server', emulator.address, '--insecure', '--api-key', TEST_KEY, ...args);

    before(async () => {
      emulator = await startTestEmulator({ namespaces: [NS], asyncDelayMs: 10 });
      official = await connectOfficialClient(emulator);
      const current = (await official.cloud.getNamespace({ namespace: NS })).namespace!;
      const bundle = readFileSync(path('ca.pem'), 'utf8') + readFileSync(path('past-ca.pem'), 'utf8');
      await official.cloud.updateNamespace({
        namespace: NS,
        resourceVersion: current.resourceVersion,
        spec: {
          ...current.spec,
          mtlsAuth: { ...current.spec?.mtlsAuth, acceptedClientCa: Buffer.from(bundle), certificateFilters: [{ organization: 'myco' }] },
        },
      });
      for (let i = 0; i < 100; i++) {
        const seen = (await official.cloud.getNamespace({ namespace: NS })).namespace?.spec?.mtlsAuth?.acceptedClientCa ?? [];
        if (Buffer.from(seen).toString('utf8') === bundle) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    after(async () => {
      official.close();
      await emulator.close();
    });

    it("verify --namespace uses the namespace's bundle and filters", async () => {
      const accepted = await cloud('cert', 'verify', '--cert', 'leaf.pem', '-n', NS);
      assertExit(accepted, 0);
      assert.match(accepted.stdout, /^accepted: /);
      assert.match(accepted.stdout, new RegExp(`by namespace ${NS} and its certificate filter`));
      const refused = await cloud('cert', 'verify', '--cert', 'expired.pem', '-n', NS);
      assertExit(refused, 1);
      assert.match(refused.stderr, /the certificate expired on/);
      assert.doesNotMatch(refused.stderr, /not issued by any CA/); // past-ca.pem is in the bundle
    });

    it('n ca check-expiry exits 0 when no CA expires within the window, 1 listing the one that does', async () => {
      const fine = await cloud('namespace', 'accepted-client-ca', 'check-expiry', '-n', NS, '--within', '10d');
      assertExit(fine, 0);
      assert.match(fine.stdout, /^ok: none of the 2 certificates expires within 10d/);
      const soon = await cloud('n', 'ca', 'check-expiry', '-n', NS, '--within', '30d');
      assertExit(soon, 1);
      const pastFingerprint = new X509Certificate(readFileSync(path('past-ca.pem'))).fingerprint.replace(/:/g, '').toLowerCase();
      assert.match(soon.stderr, new RegExp(`CN=client\\.root\\.past\\.\\S+,O=past expires on \\S+ \\(19 days left\\) \\(fingerprint ${pastFingerprint}\\)`));
      assert.equal(soon.stderr.trim().split('\n').length, 2);
    });

    it('n ca check-expiry exits 2 for a bad duration, 1 for an unknown namespace', async () => {
      const bad = await cloud('n', 'ca', 'check-expiry', '-n', NS, '--within', 'forever');
      assertOneLineError(bad, /--within/);
      assertExit(bad, 2);
      const unknown = await cloud('n', 'ca', 'check-expiry', '-n', 'nope.acct');
      assertOneLineError(unknown, /nope\.acct/);
      assertExit(unknown, 1);
    });
  });
});
