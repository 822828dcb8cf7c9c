import assert from 'node:assert/strict';
import { X509Certificate, createPublicKey, type KeyObject } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { OctetString } from '@peculiar/asn1-schema';
import { Extension, id_ce_keyUsage, type Name } from '@peculiar/asn1-x509';
import { admitClient, describeCertificate, preparePolicy, subjectForFilters, type AdmissionResult } from './admission.js';
import { parseBundle } from './bundle.js';
import { generateCertificateAuthority, type GeneratedCertificate } from './ca.js';
import type { CertificateFilter } from './filters.js';
import { loadCertificateAuthority, type CertificateAuthority } from './issuer.js';
import { generateEndEntityCertificate } from './leaf.js';
import { generateServerCertificate } from './server-certificate.js';
import { DAY_MS, FIXED_NOW, makeTestCertificate, testKey, testName } from './test-support.js';
import { signatureSchemeOf } from './keys.js';
import { toPem } from './pem.js';
import { KeyUsageFlags, NAME_ATTRIBUTE, parseSubjectPublicKeyInfo, serialFromRandom, signCertificate } from './x509.js';

const O = NAME_ATTRIBUTE.organization;
const CN = NAME_ATTRIBUTE.commonName;
const LATER = (days: number) => new Date(FIXED_NOW.getTime() + days * DAY_MS);

interface Admit {
  bundle: readonly string[];
  filters?: CertificateFilter[];
  now?: Date;
}

/** Checks a chain of PEM certificates (leaf first) against a bundle of PEM CAs, at FIXED_NOW unless told. */
function admit(chain: readonly string[], options: Admit) {
  const policy = preparePolicy({ bundle: options.bundle.flatMap((pem) => parseBundle(pem)), filters: options.filters ?? [] });
  return admitClient(
    chain.map((pem) => new X509Certificate(pem)),
    policy,
    options.now ?? FIXED_NOW,
  );
}

/** The codes of a result's problems, in order: what metrics and JSON switch on. */
const codes = (result: AdmissionResult) => result.problems.map((p) => p.code);

/** A CA made with the library, with what tests need to issue under it by hand. */
interface TestCa {
  pem: string;
  name: Name;
  key: KeyObject;
  authority: CertificateAuthority;
}

async function libraryCa(organization: string, now = FIXED_NOW): Promise<TestCa> {
  const made: GeneratedCertificate = await generateCertificateAuthority({ organization, validityMs: 365 * DAY_MS, now });
  return fromFiles(made.certificatePem, made.privateKeyPem, now);
}

/** `issuerPem` follows an intermediate in its file: these test intermediates name no authority key, so the loader checks them against it. */
function fromFiles(pem: string, privateKeyPem: string, now = FIXED_NOW, issuerPem = ''): TestCa {
  const authority = loadCertificateAuthority({ certificate: pem + issuerPem, privateKey: privateKeyPem, now });
  return { pem, name: authority.subject, key: authority.privateKey, authority };
}

/** 16 serial bytes ending in n. */
function serialOf(n: number): Uint8Array {
  return Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? n : 0x11));
}

/** A CA with no path length limit (unlike tcld's), self-signed unless given an issuer. */
async function keyedCa(subject: Name, options: { issuer?: TestCa; notAfter?: Date; serial?: number } = {}): Promise<TestCa> {
  const key = testKey();
  const pem = await makeTestCertificate({
    subject,
    key,
    pathLength: null,
    ...(options.issuer ? { issuer: { subject: options.issuer.name, key: options.issuer.key } } : {}),
    ...(options.notAfter ? { notAfter: options.notAfter } : {}),
    serial: serialOf(options.serial ?? 1),
  });
  return fromFiles(pem, key.export({ type: 'pkcs8', format: 'pem' }).toString(), FIXED_NOW, options.issuer?.pem);
}

async function leafOf(ca: TestCa, options: { validityMs?: number; now?: Date; organizationalUnit?: string; commonName?: string } = {}): Promise<string> {
  const leaf = await generateEndEntityCertificate({ ca: ca.authority, organization: 'myco', now: FIXED_NOW, ...options });
  return leaf.certificatePem;
}

describe('admitClient', () => {
  let myco: TestCa;
  let other: TestCa;
  let leaf: string;

  before(async () => {
    [myco, other] = await Promise.all([libraryCa('myco'), libraryCa('other')]);
    leaf = await leafOf(myco);
  });

  it('accepts a leaf of a CA in the bundle and returns the path it followed', () => {
    const result = admit([leaf], { bundle: [other.pem, myco.pem] });
    assert.deepEqual(result.reasons, []);
    assert.equal(result.accepted, true);
    assert.deepEqual(
      result.path!.map((c) => c.fingerprint256),
      [new X509Certificate(leaf).fingerprint256, new X509Certificate(myco.pem).fingerprint256],
    );
  });

  it('refuses a leaf of another CA as untrusted-issuer, naming its issuer', () => {
    const result = admit([leaf], { bundle: [other.pem] });
    assert.equal(result.accepted, false);
    assert.deepEqual(codes(result), ['untrusted-issuer']);
    assert.equal(result.path, undefined);
    const issuer = `CN=${myco.authority.certificate.subject.split('CN=')[1]},O=myco`;
    assert.deepEqual(result.reasons, [`the certificate is not issued by any CA in the namespace's accepted bundle (issuer ${issuer})`]);
  });

  it('refuses a certificate from another CA with the same name', async () => {
    const impostor = await keyedCa(myco.name);
    // With an authority key identifier (the library's leaves) OpenSSL's issuer check already tells them apart;
    // without one, only the signature does.
    const withKeyId = await leafOf(impostor);
    const withoutKeyId = await makeTestCertificate({
      subject: testName([O, 'myco'], [CN, 'worker']),
      key: testKey(),
      issuer: { subject: impostor.name, key: impostor.key },
      basicConstraints: 'leaf',
      keyUsage: KeyUsageFlags.digitalSignature,
    });
    for (const forged of [withKeyId, withoutKeyId]) {
      const result = admit([forged], { bundle: [myco.pem] });
      assert.equal(result.accepted, false);
      assert.deepEqual(codes(result), ['untrusted-issuer']);
      assert.match(result.reasons[0]!, /^the certificate names the namespace's CA CN=client\.root\.myco\.\w+,O=myco as its issuer, but that CA did not sign it: it comes from another CA with the same name$/);
    }
  });

  it('refuses an expired leaf as expired, and accepts it up to its last second', async () => {
    const shortLived = await leafOf(myco, { validityMs: 10 * DAY_MS });
    const notAfter = new Date('2026-12-07T12:00:00Z');
    assert.equal(admit([shortLived], { bundle: [myco.pem], now: notAfter }).accepted, true);
    const result = admit([shortLived], { bundle: [myco.pem], now: new Date(notAfter.getTime() + 1000) });
    assert.deepEqual(result.reasons, ['the certificate expired on 2026-12-07T12:00:00Z']);
    assert.deepEqual(codes(result), ['expired']);
  });

  it('refuses a leaf that is not valid yet as not-yet-valid', async () => {
    const future = await generateEndEntityCertificate({ ca: myco.authority, organization: 'myco', now: LATER(2) });
    const result = admit([future.certificatePem], { bundle: [myco.pem] });
    assert.deepEqual(result.reasons, ['the certificate is not valid until 2026-11-29T11:59:00Z']);
    assert.deepEqual(codes(result), ['not-yet-valid']);
  });

  it('rechecks validity at each call, even for a certificate it has seen', () => {
    const policy = preparePolicy({ bundle: parseBundle(myco.pem), filters: [] });
    assert.equal(admitClient([new X509Certificate(leaf)], policy, FIXED_NOW).accepted, true);
    const late = admitClient([new X509Certificate(leaf)], policy, LATER(400));
    assert.equal(late.accepted, false);
    assert.match(late.reasons.join('\n'), /^the certificate expired on .*\nthe namespace's CA .* expired on 2027-11-27T12:00:00Z$/);
  });

  it('refuses an expired intermediate the client sent', async () => {
    const root = await keyedCa(testName([O, 'acme'], [CN, 'acme root']));
    const intermediate = await keyedCa(testName([O, 'acme'], [CN, 'acme intermediate']), { issuer: root, notAfter: LATER(5), serial: 2 });
    const client = await makeTestCertificate({
      subject: testName([O, 'acme'], [CN, 'worker']),
      key: testKey(),
      issuer: { subject: intermediate.name, key: intermediate.key },
      basicConstraints: 'leaf',
      keyUsage: KeyUsageFlags.digitalSignature,
    });
    assert.equal(admit([client, intermediate.pem], { bundle: [root.pem] }).accepted, true);
    const result = admit([client, intermediate.pem], { bundle: [root.pem], now: LATER(6) });
    assert.deepEqual(result.reasons, ['the intermediate CA CN=acme intermediate,O=acme expired on 2026-12-02T12:00:00Z']);
    assert.deepEqual(codes(result), ['expired']);
  });

  it('follows intermediates from the client or from the bundle, and refuses when neither has them', async () => {
    const root = await keyedCa(testName([O, 'acme'], [CN, 'acme root']));
    const intermediate = await keyedCa(testName([O, 'acme'], [CN, 'acme intermediate']), { issuer: root, serial: 3 });
    const client = await leafOf(intermediate);
    const sent = admit([client, intermediate.pem], { bundle: [root.pem] });
    assert.deepEqual(sent.reasons, []);
    assert.equal(sent.path!.length, 3);
    const inBundle = admit([client], { bundle: [root.pem, intermediate.pem] });
    assert.deepEqual(inBundle.reasons, []);
    assert.equal(inBundle.path!.length, 2, 'a bundle intermediate is an anchor: the path ends there');
    assert.deepEqual(admit([client], { bundle: [intermediate.pem] }).reasons, []);
    assert.deepEqual(admit([client], { bundle: [root.pem] }).reasons, [
      "the certificate is not issued by any CA in the namespace's accepted bundle (issuer CN=acme intermediate,O=acme)",
    ]);
    assert.deepEqual(admit([client, intermediate.pem], { bundle: [other.pem] }).reasons, [
      "the certificate is not issued by any CA in the namespace's accepted bundle: its chain ends at the intermediate CA CN=acme intermediate,O=acme, whose issuer CN=acme root,O=acme is not in the bundle",
    ]);
  });

  it("refuses an intermediate below a tcld CA, whose pathlen:0 allows none, as path-length", async () => {
    const intermediate = await keyedCa(testName([O, 'myco'], [CN, 'myco intermediate']), { issuer: myco, serial: 4 });
    const result = admit([await leafOf(intermediate), intermediate.pem], { bundle: [myco.pem] });
    assert.deepEqual(codes(result), ['path-length']);
    assert.match(result.reasons[0]!, /^the namespace's CA CN=client\.root\.myco\.\w+,O=myco allows 0 intermediate CAs below it \(pathlen:0\), but the chain has 1$/);
  });

  it('refuses a leaf issued by an end-entity certificate the client sent as its intermediate, as not-a-ca', async () => {
    const root = await keyedCa(testName([O, 'acme'], [CN, 'acme root']));
    const name = testName([O, 'acme'], [CN, 'acme worker']);
    const key = testKey();
    const notCa = await makeTestCertificate({ subject: name, key, issuer: { subject: root.name, key: root.key }, basicConstraints: 'leaf', serial: serialOf(8) });
    const client = await makeTestCertificate({
      subject: testName([O, 'acme'], [CN, 'worker']),
      key: testKey(),
      issuer: { subject: name, key },
      basicConstraints: 'leaf',
      keyUsage: KeyUsageFlags.digitalSignature,
    });
    const result = admit([client, notCa], { bundle: [root.pem] });
    assert.deepEqual(result.reasons, ['the intermediate CA CN=acme worker,O=acme is not a CA (its basicConstraints lack CA:TRUE), so it may not issue certificates']);
    assert.deepEqual(codes(result), ['not-a-ca']);
  });

  it('ignores copies and loops among the certificates the client sends', async () => {
    const a = testName([O, 'loop'], [CN, 'a']);
    const b = testName([O, 'loop'], [CN, 'b']);
    const [keyA, keyB] = [testKey(), testKey()];
    const aByB = await makeTestCertificate({ subject: a, key: keyA, issuer: { subject: b, key: keyB }, serial: serialOf(5) });
    const bByA = await makeTestCertificate({ subject: b, key: keyB, issuer: { subject: a, key: keyA }, serial: serialOf(6) });
    const client = await makeTestCertificate({
      subject: testName([O, 'loop'], [CN, 'client']),
      key: testKey(),
      issuer: { subject: a, key: keyA },
      basicConstraints: 'leaf',
      keyUsage: KeyUsageFlags.digitalSignature,
    });
    const result = admit([client, aByB, bByA, aByB, client], { bundle: [myco.pem] });
    assert.deepEqual(codes(result), ['untrusted-issuer']);
    assert.match(result.reasons[0]!, /chain ends at the intermediate CA CN=[ab],O=loop, whose issuer CN=[ab],O=loop is not in the bundle$/);
  });

  it('follows a chain of 8 certificates and refuses a longer one', async () => {
    const root = await keyedCa(testName([O, 'deep'], [CN, 'deep root']));
    const cas = [root];
    for (let i = 1; i <= 7; i++) cas.push(await keyedCa(testName([O, 'deep'], [CN, `deep ${i}`]), { issuer: cas[i - 1]!, serial: 10 + i }));
    const leafUnder = (ca: TestCa) => leafOf(ca, { validityMs: DAY_MS });
    const sixDeep = await leafUnder(cas[6]!);
    assert.deepEqual(admit([sixDeep, ...cas.slice(1, 7).map((c) => c.pem).reverse()], { bundle: [root.pem] }).reasons, []);
    const sevenDeep = await leafUnder(cas[7]!);
    const tooLong = admit([sevenDeep, ...cas.slice(1).map((c) => c.pem)], { bundle: [root.pem] });
    assert.deepEqual(tooLong.reasons, [
      "the certificate's chain is longer than 8 certificates before it reaches a CA in the namespace's accepted bundle",
    ]);
    assert.deepEqual(codes(tooLong), ['untrusted-issuer']);
  });

  it('refuses a CA presented as the client certificate as ca-as-client', () => {
    const result = admit([myco.pem], { bundle: [myco.pem] });
    assert.deepEqual(result.reasons, ['the certificate is a CA (basicConstraints CA:TRUE); present an end-entity certificate']);
    assert.deepEqual(codes(result), ['ca-as-client']);
  });

  it('refuses a server certificate presented as a client certificate as ext-key-usage', async () => {
    const server = await generateServerCertificate({ ca: myco.authority, dnsNames: ['localhost'], validityMs: DAY_MS, now: FIXED_NOW });
    const result = admit([server.certificatePem], { bundle: [myco.pem] });
    assert.deepEqual(result.reasons, ["the certificate's extended key usage (serverAuth) lacks clientAuth"]);
    assert.deepEqual(codes(result), ['ext-key-usage']);
  });

  it('refuses a leaf whose key usage lacks digitalSignature as key-usage', async () => {
    const client = await makeTestCertificate({
      subject: testName([O, 'myco'], [CN, 'worker']),
      key: testKey(),
      issuer: { subject: myco.name, key: myco.key },
      basicConstraints: 'leaf',
      keyUsage: KeyUsageFlags.keyEncipherment | KeyUsageFlags.dataEncipherment,
    });
    const result = admit([client], { bundle: [myco.pem] });
    assert.deepEqual(result.reasons, ["the certificate's key usage (keyEncipherment, dataEncipherment) lacks digitalSignature"]);
    assert.deepEqual(codes(result), ['key-usage']);
  });

  it("refuses a leaf whose subject is its CA's, compared case-insensitively, as duplicate-name", async () => {
    const [cn] = myco.authority.certificate.subject.split('CN=').slice(1);
    const client = await makeTestCertificate({
      subject: testName([O, 'MYCO'], [CN, cn!.toUpperCase()]),
      key: testKey(),
      issuer: { subject: myco.name, key: myco.key },
      basicConstraints: 'leaf',
      keyUsage: KeyUsageFlags.digitalSignature,
    });
    const result = admit([client], { bundle: [myco.pem] });
    assert.deepEqual(result.reasons, [
      `the certificate's subject (CN=${cn!.toUpperCase()},O=MYCO) is also the subject of the namespace's CA above it: Temporal Cloud requires distinct names along the chain`,
    ]);
    assert.deepEqual(codes(result), ['duplicate-name']);
  });

  it('admits only leaves that match one of the filters, with wildcards at either end, and refuses others as filter-mismatch', async () => {
    const worker = await leafOf(myco, { organizationalUnit: 'payments', commonName: 'worker-1' });
    const accepted = (filters: CertificateFilter[]) => admit([worker], { bundle: [myco.pem], filters }).accepted;
    assert.equal(accepted([{ organization: 'MyCo' }]), true);
    assert.equal(accepted([{ organization: 'other' }, { commonName: 'worker-1', organizationalUnit: 'payments' }]), true);
    assert.equal(accepted([{ commonName: 'worker-*' }]), true);
    assert.equal(accepted([{ subjectAlternativeName: 'client.endentity.*' }]), true);
    const [san] = subjectForFilters(new X509Certificate(worker)).subjectAlternativeNames!;
    assert.equal(accepted([{ subjectAlternativeName: `*${san!.slice(-'.myco.abcd'.length)}` }]), true);
    assert.equal(accepted([{ commonName: 'worker-1', organizationalUnit: 'billing' }]), false);
    const result = admit([worker], { bundle: [myco.pem], filters: [{ organization: 'other' }, { commonName: '*-2' }] });
    assert.deepEqual(codes(result), ['filter-mismatch']);
    assert.match(
      result.reasons[0]!,
      /^the certificate matches none of the namespace's 2 certificate filters \(it has CN=worker-1, O=myco, OU=payments, SAN DNS:client\.endentity\.myco\.\w{4}\)$/,
    );
    assert.match(admit([worker], { bundle: [myco.pem], filters: [{ organization: 'x' }] }).reasons[0]!, /none of the namespace's 1 certificate filter \(/);
  });

  it('gives every reason at once', async () => {
    const expired = await leafOf(other, { validityMs: DAY_MS });
    const result = admit([expired], { bundle: [myco.pem], filters: [{ organization: 'myco' }], now: LATER(2) });
    assert.deepEqual(
      result.reasons.map((r) => r.replace(/CN=client\.root\.other\.\w+/, 'CN=…')),
      [
        'the certificate expired on 2026-11-28T12:00:00Z',
        "the certificate is not issued by any CA in the namespace's accepted bundle (issuer CN=…,O=other)",
      ],
    );
    assert.deepEqual(codes(result), ['expired', 'untrusted-issuer']);
    const filtered = admit([expired], { bundle: [myco.pem], filters: [{ organization: 'nobody' }], now: LATER(2) });
    assert.deepEqual(codes(filtered), ['expired', 'untrusted-issuer', 'filter-mismatch']);
    assert.match(filtered.reasons[2]!, /^the certificate matches none of the namespace's 1 certificate filter/);
  });

  it('refuses a certificate whose extensions do not parse as unreadable, rather than throwing', async () => {
    const key = testKey();
    const der = await signCertificate(
      {
        serialNumber: serialFromRandom(serialOf(7)),
        subject: testName([O, 'myco'], [CN, 'broken']),
        issuer: myco.name,
        notBefore: FIXED_NOW,
        notAfter: LATER(1),
        subjectPublicKeyInfo: parseSubjectPublicKeyInfo(createPublicKey(key)),
        // keyUsage holding a NULL where its BIT STRING belongs
        extensions: [new Extension({ extnID: id_ce_keyUsage, critical: true, extnValue: new OctetString(Uint8Array.of(0x05, 0x00)) })],
      },
      { privateKey: myco.key, scheme: signatureSchemeOf(myco.authority.keySpec) },
    );
    const result = admit([toPem('CERTIFICATE', der)], { bundle: [myco.pem] });
    assert.equal(result.accepted, false);
    assert.match(result.reasons.join('\n'), /^a certificate of the chain could not be read: [^\n]+$/);
    assert.deepEqual(codes(result), ['unreadable']);
  });

  it('refuses an empty chain as no-client-certificate', () => {
    const result = admit([], { bundle: [myco.pem] });
    assert.deepEqual(result.reasons, ["no client certificate was presented: present one issued by a CA in the namespace's accepted bundle"]);
    assert.deepEqual(codes(result), ['no-client-certificate']);
  });

  // Its cost against a bundle of one is measured by `npm run bench` (the gateway's 1-CA and 100-CA namespaces), not here.
  it('finds the issuer among 100 CAs of a bundle, and refuses a leaf of none of them, on every repeated check', async () => {
    const cas = await Promise.all(Array.from({ length: 101 }, (_, i) => generateCertificateAuthority({ organization: `org${i}`, validityMs: 365 * DAY_MS, now: FIXED_NOW })));
    const issuer = fromFiles(cas[73]!.certificatePem, cas[73]!.privateKeyPem);
    const der = new X509Certificate(await leafOf(issuer)).raw;
    const outsider = new X509Certificate(await leafOf(fromFiles(cas[100]!.certificatePem, cas[100]!.privateKeyPem))).raw;
    const large = preparePolicy({ bundle: cas.slice(0, 100).flatMap((c) => parseBundle(c.certificatePem)), filters: [] });
    for (let i = 0; i < 3; i++) {
      const result = admitClient([new X509Certificate(der)], large, FIXED_NOW);
      assert.deepEqual(result.reasons, []);
      assert.equal(result.path?.at(-1)?.fingerprint256, new X509Certificate(cas[73]!.certificatePem).fingerprint256);
      assert.match(admitClient([new X509Certificate(outsider)], large, FIXED_NOW).reasons[0]!, /not issued by any CA in the namespace's accepted bundle/);
    }
  });
});

describe('subjectForFilters', () => {
  it("reads the leaf's CN, O, OU and SAN DNS names", async () => {
    const ca = await libraryCa('myco');
    const leaf = new X509Certificate(await leafOf(ca, { organizationalUnit: 'payments', commonName: 'worker' }));
    const subject = subjectForFilters(leaf);
    assert.deepEqual(subject.commonName, ['worker']);
    assert.deepEqual(subject.organization, ['myco']);
    assert.deepEqual(subject.organizationalUnit, ['payments']);
    assert.deepEqual(subject.subjectAlternativeNames, [leaf.subjectAltName!.replace('DNS:', '')]);
  });

  it('keeps the last of several CNs, as Go does, and every O and OU', async () => {
    const pem = await makeTestCertificate({
      subject: testName([O, 'a'], [O, 'b'], [NAME_ATTRIBUTE.organizationalUnit, 'u'], [CN, 'first'], [CN, 'last']),
      key: testKey(),
    });
    assert.deepEqual(subjectForFilters(new X509Certificate(pem)), {
      commonName: ['last'],
      organization: ['a', 'b'],
      organizationalUnit: ['u'],
      subjectAlternativeNames: [],
    });
  });
});

describe('describeCertificate', () => {
  it('names the subject, the issuer and the validity on one line', async () => {
    const pem = await makeTestCertificate({ subject: testName([O, 'acme'], [CN, 'line\nbreak']), key: testKey() });
    assert.equal(
      describeCertificate(new X509Certificate(pem)),
      'CN=line\\x0abreak,O=acme, issued by CN=line\\x0abreak,O=acme, valid 2026-11-26T12:00:00Z to 2026-12-27T12:00:00Z',
    );
  });
});
