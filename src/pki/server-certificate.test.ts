import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, createServer } from 'node:tls';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AuthorityKeyIdentifier, id_ce_authorityKeyIdentifier } from '@peculiar/asn1-x509';
import { CertificateError } from '../errors.js';
import { generateCertificateAuthority } from './ca.js';
import { loadCertificateAuthority, type CertificateAuthority } from './issuer.js';
import { generateServerCertificate } from './server-certificate.js';
import { DAY_MS, FIXED_NOW, countingRandom, makeTestCertificate, testKey, testName } from './test-support.js';
import {
  KeyUsageFlags,
  NAME_ATTRIBUTE,
  basicConstraintsOf,
  extendedKeyUsageOf,
  keyUsageOf,
  parseCertificateStructure,
} from './x509.js';

const HAS_OPENSSL = spawnSync('openssl', ['version']).status === 0;
const NEEDS_OPENSSL = HAS_OPENSSL ? {} : { skip: 'openssl not installed' };

function refusal(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof CertificateError, `expected a CertificateError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  };
}

async function devServerCa(now?: Date): Promise<CertificateAuthority> {
  const made = await generateCertificateAuthority({ organization: 'tcld dev-server', validityMs: 365 * DAY_MS, ...(now ? { now } : {}) });
  return loadCertificateAuthority({ certificate: made.certificatePem, privateKey: made.privateKeyPem, ...(now ? { now } : {}) });
}

describe('generateServerCertificate', () => {
  let ca: CertificateAuthority;
  before(async () => {
    ca = await devServerCa(FIXED_NOW);
  });

  it('issues a TLS server certificate: CA:FALSE, digitalSignature, serverAuth, the DNS names in order', async () => {
    const server = await generateServerCertificate({ ca, dnsNames: ['localhost', 'gateway.example'], validityMs: 30 * DAY_MS, now: FIXED_NOW, random: countingRandom() });
    const cert = new X509Certificate(server.certificatePem);
    const structure = parseCertificateStructure(cert.raw);
    assert.deepEqual(basicConstraintsOf(structure), { ca: false });
    assert.equal(keyUsageOf(structure), KeyUsageFlags.digitalSignature);
    assert.deepEqual(extendedKeyUsageOf(structure), ['1.3.6.1.5.5.7.3.1']);
    assert.equal(cert.subjectAltName, 'DNS:localhost, DNS:gateway.example');
    assert.equal(cert.subject, 'O=tcld dev-server\nCN=localhost');
    assert.equal(server.dnsName, 'localhost');
    assert.ok(cert.checkIssued(ca.certificate) && cert.verify(ca.certificate.publicKey));
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'secp384r1', "the CA's algorithm");
    const aki = structure.tbsCertificate.extensions!.find((e) => e.extnID === id_ce_authorityKeyIdentifier)!;
    assert.deepEqual(new Uint8Array(AsnConvert.parse(aki.extnValue, AuthorityKeyIdentifier).keyIdentifier!.buffer), ca.keyIdentifier);
    assert.equal(server.notBefore.toISOString(), '2026-11-27T11:59:00.000Z');
    assert.equal(server.notAfter.toISOString(), '2026-12-27T12:00:00.000Z');
  });

  it('writes IP addresses as SAN after the DNS names, for clients that connect by IP, and refuses text that is not one', async () => {
    const server = await generateServerCertificate({ ca, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'], validityMs: DAY_MS, now: FIXED_NOW });
    const cert = new X509Certificate(server.certificatePem);
    assert.equal(cert.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    assert.deepEqual([cert.checkIP('127.0.0.1'), cert.checkIP('::1'), cert.checkIP('10.0.0.1')], ['127.0.0.1', '::1', undefined]);
    await assert.rejects(generateServerCertificate({ ca, dnsNames: ['localhost'], ipAddresses: ['localhost'], validityMs: DAY_MS, now: FIXED_NOW }), refusal(/^'localhost' is not an IP address/));
  });

  it('ends with its CA rather than outliving it', async () => {
    const server = await generateServerCertificate({ ca, dnsNames: ['localhost'], validityMs: 400 * DAY_MS, now: FIXED_NOW });
    assert.equal(server.notAfter.getTime(), ca.notAfter.getTime());
  });

  it("takes the CA's organization, or 'tcld dev-server' when the CA has none", async () => {
    const key = testKey();
    const pem = await makeTestCertificate({ subject: testName([NAME_ATTRIBUTE.commonName, 'bare CA']), key, pathLength: null });
    const bare = loadCertificateAuthority({ certificate: pem, privateKey: key.export({ type: 'pkcs8', format: 'pem' }), now: FIXED_NOW });
    const server = await generateServerCertificate({ ca: bare, dnsNames: ['localhost'], validityMs: DAY_MS, now: FIXED_NOW });
    assert.equal(new X509Certificate(server.certificatePem).subject, 'O=tcld dev-server\nCN=localhost');
    assert.equal(server.privateKeyPem.startsWith('-----BEGIN PRIVATE KEY-----'), true);
  });

  it('writes a first DNS name longer than a CN may be as SAN only', async () => {
    const long = `${'a'.repeat(60)}.example`;
    const server = await generateServerCertificate({ ca, dnsNames: [long], validityMs: DAY_MS, now: FIXED_NOW });
    const cert = new X509Certificate(server.certificatePem);
    assert.equal(cert.subject, 'O=tcld dev-server');
    assert.equal(cert.subjectAltName, `DNS:${long}`);
  });

  it('refuses no DNS name, an IP address, a malformed name, a validity that is not positive, and an expired CA', async () => {
    const make = (dnsNames: string[], validityMs = DAY_MS, now = FIXED_NOW) => generateServerCertificate({ ca, dnsNames, validityMs, now });
    await assert.rejects(make([]), refusal(/needs at least one DNS name/));
    await assert.rejects(make(['localhost', '127.0.0.1']), refusal(/^'127\.0\.0\.1' is an IP address, not a DNS name/));
    await assert.rejects(make(['::1']), refusal(/is an IP address/));
    await assert.rejects(make(['under_score.example']), refusal(/^'under_score\.example' is not a DNS name/));
    await assert.rejects(make(['-bad.example']), refusal(/is not a DNS name/));
    await assert.rejects(make(['localhost'], 0), refusal(/validity period must be positive/));
    await assert.rejects(make(['localhost'], DAY_MS, new Date(FIXED_NOW.getTime() + 366 * DAY_MS)), refusal(/^CA expired on 2027-11-27T12:00:00.000Z/));
    assert.equal((await make(['*.gateway.example', 'localhost'])).dnsName, '*.gateway.example');
  });

  it("refuses a subject equal to its CA's", async () => {
    const key = testKey();
    const subject = testName([NAME_ATTRIBUTE.organization, 'tcld dev-server'], [NAME_ATTRIBUTE.commonName, 'LOCALHOST']);
    const pem = await makeTestCertificate({ subject, key, pathLength: null });
    const twin = loadCertificateAuthority({ certificate: pem, privateKey: key.export({ type: 'pkcs8', format: 'pem' }), now: FIXED_NOW });
    await assert.rejects(
      generateServerCertificate({ ca: twin, dnsNames: ['localhost'], validityMs: DAY_MS, now: FIXED_NOW }),
      refusal(/subject would equal its CA's .*: choose another first DNS name$/),
    );
  });

  it('issues RSA 4096 keys with keyEncipherment under an RSA CA', async () => {
    const key = testKey({ rsaBits: 2048 });
    const pem = await makeTestCertificate({ subject: testName([NAME_ATTRIBUTE.organization, 'rsa co'], [NAME_ATTRIBUTE.commonName, 'rsa ca']), key });
    const rsa = loadCertificateAuthority({ certificate: pem, privateKey: key.export({ type: 'pkcs8', format: 'pem' }), now: FIXED_NOW });
    const server = await generateServerCertificate({ ca: rsa, dnsNames: ['localhost'], validityMs: DAY_MS, now: FIXED_NOW });
    const cert = new X509Certificate(server.certificatePem);
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 4096);
    assert.equal(keyUsageOf(parseCertificateStructure(cert.raw)), KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment);
    assert.equal(cert.subject, 'O=rsa co\nCN=localhost');
  });
});

describe('generateServerCertificate, checked by TLS clients and openssl', () => {
  let ca: CertificateAuthority;
  let server: Awaited<ReturnType<typeof generateServerCertificate>>;
  let folder = '';
  before(async () => {
    ca = await devServerCa();
    server = await generateServerCertificate({ ca, dnsNames: ['localhost', 'gateway.test'], validityMs: DAY_MS });
    folder = mkdtempSync(join(tmpdir(), 'tcld-server-certificate-'));
    writeFileSync(join(folder, 'ca.pem'), ca.certificate.toString());
    writeFileSync(join(folder, 'server.pem'), server.certificatePem);
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  /** Connects a client that trusts the dev-server CA to a node:tls server using the certificate; resolves the client's verdict. */
  async function connectAs(servername: string): Promise<string> {
    const tlsServer = createServer({ key: server.privateKeyPem, cert: server.certificatePem }, (socket) => socket.end('hello\n'));
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    const { port } = tlsServer.address() as AddressInfo;
    try {
      return await new Promise<string>((resolve) => {
        const client = connect({ host: '127.0.0.1', port, servername, ca: ca.certificate.toString() }, () => {
          resolve(client.authorized ? 'authorized' : String(client.authorizationError));
          client.destroy();
        });
        client.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
    } finally {
      await new Promise((resolve) => tlsServer.close(resolve));
    }
  }

  it('is accepted by a node:tls client that trusts the CA, for each of its DNS names', async () => {
    assert.equal(await connectAs('localhost'), 'authorized');
    assert.equal(await connectAs('gateway.test'), 'authorized');
  });

  it('is refused for a name it does not hold', async () => {
    assert.equal(await connectAs('other.test'), 'ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('passes openssl verify -purpose sslserver, and fails -purpose sslclient', NEEDS_OPENSSL, () => {
    const verify = (purpose: string) =>
      spawnSync('openssl', ['verify', '-x509_strict', '-purpose', purpose, '-CAfile', 'ca.pem', 'server.pem'], { cwd: folder, encoding: 'utf8' });
    const asServer = verify('sslserver');
    assert.equal(asServer.status, 0, asServer.stderr);
    assert.equal(asServer.stdout.trim(), 'server.pem: OK');
    assert.notEqual(verify('sslclient').status, 0);
  });
});

describe('generateServerCertificate with a key spec', () => {
  it('makes the server key of the kind asked for, still signed by the CA', async () => {
    const made = await generateCertificateAuthority({ organization: 'spec', validityMs: 30 * DAY_MS });
    const ca = loadCertificateAuthority({ certificate: made.certificatePem, privateKey: made.privateKeyPem });
    const server = await generateServerCertificate({ ca, dnsNames: ['a.tmprl.local'], validityMs: DAY_MS, keySpec: { type: 'ec', curve: 'P-256' } });
    const certificate = new X509Certificate(server.certificatePem);
    assert.equal(certificate.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.ok(certificate.verify(new X509Certificate(made.certificatePem).publicKey));
  });
});
