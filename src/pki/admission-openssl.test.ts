/**
 * admitClient on chains that OpenSSL made (an intermediate CA, key usages tcld never writes), checked
 * against OpenSSL's own verdicts: `openssl verify -purpose sslclient` and real mutual-TLS handshakes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, createServer } from 'node:tls';
import { admitClient, preparePolicy } from './admission.js';
import { parseBundle } from './bundle.js';
import { generateCertificateAuthority, type GeneratedCertificate } from './ca.js';
import { loadCertificateAuthority } from './issuer.js';
import { CLIENT_USAGE_PROFILES } from './chain-corpus-test-support.js';
import { generateServerCertificate } from './server-certificate.js';
import { DAY_MS } from './test-support.js';

const HAS_OPENSSL = spawnSync('openssl', ['version']).status === 0;
const NEEDS_OPENSSL = HAS_OPENSSL ? {} : { skip: 'openssl not installed' };

/** Extension profiles, one section each: `-extensions <name>`. */
const CONFIG = `
[req]
distinguished_name = dn
prompt = no
[dn]
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[intermediate]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:worker.acme.example
authorityKeyIdentifier = keyid
${CLIENT_USAGE_PROFILES}`;

let folder = '';
let serial = 0x1000;

function openssl(args: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync('openssl', args, { cwd: folder, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

function must(args: readonly string[]): void {
  const { status, output } = openssl(args);
  if (status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${output}`);
}

const read = (file: string) => readFileSync(join(folder, file), 'utf8');

function key(name: string): void {
  must(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`]);
}

function selfSigned(name: string, subject: string): void {
  key(name);
  must(['req', '-x509', '-new', '-key', `${name}.key`, '-subj', subject, '-days', '30', '-config', 'openssl.cnf', '-extensions', 'root', '-out', `${name}.pem`]);
}

/** `name.pem`, issued by `issuer` with the profile's extensions; extra arguments go to `openssl x509 -req`. */
function issue(name: string, issuer: string, subject: string, profile: string, extra: readonly string[] = []): void {
  key(name);
  must(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-config', 'openssl.cnf', '-out', `${name}.csr`]);
  must(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-set_serial', String(serial++), '-days', '30']
      .concat(['-extfile', 'openssl.cnf', '-extensions', profile, '-out', `${name}.pem`], extra),
  );
}

/** admitClient now, on PEM files of the folder (leaf first), against a bundle of PEM files. */
function admit(chain: readonly string[], bundle: readonly string[]) {
  const policy = preparePolicy({ bundle: bundle.flatMap((file) => parseBundle(read(file))), filters: [] });
  return admitClient(
    chain.map((file) => new X509Certificate(read(file))),
    policy,
    new Date(),
  );
}

describe('admitClient on OpenSSL-made chains', NEEDS_OPENSSL, () => {
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'tcld-admission-'));
    writeFileSync(join(folder, 'openssl.cnf'), CONFIG);
    selfSigned('root', '/O=acme/CN=acme root');
    issue('intermediate', 'root', '/O=acme/CN=acme intermediate', 'intermediate');
    for (const profile of ['client', 'no_key_usage', 'key_encipherment_only', 'server_only', 'any_usage']) {
      issue(profile, 'intermediate', `/O=acme/CN=${profile}`, profile);
    }
    issue('sha1', 'intermediate', '/O=acme/CN=sha1', 'client', ['-sha1']);
    selfSigned('other-root', '/O=other/CN=other root');
    issue('other-client', 'other-root', '/O=other/CN=worker', 'client');
    selfSigned('impostor-root', '/O=acme/CN=acme root');
    issue('impostor-client', 'impostor-root', '/O=acme/CN=impostor', 'client');
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('accepts a leaf with the intermediate the client sends, or the bundle holds', () => {
    const sent = admit(['client.pem', 'intermediate.pem'], ['root.pem']);
    assert.deepEqual(sent.reasons, []);
    assert.equal(sent.path!.length, 3);
    assert.deepEqual(admit(['client.pem'], ['root.pem', 'intermediate.pem']).reasons, []);
    assert.deepEqual(admit(['client.pem'], ['intermediate.pem']).reasons, []);
    assert.deepEqual(admit(['client.pem'], ['root.pem']).reasons, [
      "the certificate is not issued by any CA in the namespace's accepted bundle (issuer CN=acme intermediate,O=acme)",
    ]);
  });

  it('accepts a leaf without key usage', () => {
    assert.deepEqual(admit(['no_key_usage.pem', 'intermediate.pem'], ['root.pem']).reasons, []);
  });

  it('refuses a leaf whose only key usage is keyEncipherment', () => {
    assert.deepEqual(admit(['key_encipherment_only.pem', 'intermediate.pem'], ['root.pem']).reasons, [
      "the certificate's key usage (keyEncipherment) lacks digitalSignature",
    ]);
  });

  it('refuses a leaf for TLS servers only', () => {
    assert.deepEqual(admit(['server_only.pem', 'intermediate.pem'], ['root.pem']).reasons, [
      "the certificate's extended key usage (serverAuth) lacks clientAuth",
    ]);
  });

  it('refuses anyExtendedKeyUsage without clientAuth, as OpenSSL (the gateway) does', () => {
    assert.deepEqual(admit(['any_usage.pem', 'intermediate.pem'], ['root.pem']).reasons, [
      "the certificate's extended key usage (anyExtendedKeyUsage) lacks clientAuth",
    ]);
  });

  it('refuses a leaf signed with SHA-1 as weak-signature', () => {
    const result = admit(['sha1.pem', 'intermediate.pem'], ['root.pem']);
    assert.deepEqual(result.reasons, ['the certificate is signed with ecdsa-with-SHA1: Temporal Cloud requires RSA or ECDSA with SHA-256 or stronger']);
    assert.deepEqual(result.problems.map((p) => p.code), ['weak-signature']);
  });

  it('refuses a leaf of a CA that has the name of a bundle CA but another key', () => {
    assert.deepEqual(admit(['impostor-client.pem', 'impostor-root.pem'], ['root.pem']).reasons, [
      "the certificate names the namespace's CA CN=acme root,O=acme as its issuer, but that CA did not sign it: it comes from another CA with the same name",
    ]);
  });

  it('agrees with openssl verify -purpose sslclient', () => {
    const cases: Array<[leaf: string, root: string, accepted: boolean, opensslAccepts: boolean]> = [
      ['client', 'root', true, true],
      ['no_key_usage', 'root', true, true],
      ['key_encipherment_only', 'root', false, false],
      ['server_only', 'root', false, false],
      ['any_usage', 'root', false, false],
      ['other-client', 'root', false, false],
      ['impostor-client', 'root', false, false],
    ];
    for (const [leaf, root, accepted, opensslAccepts] of cases) {
      assert.equal(admit([`${leaf}.pem`, 'intermediate.pem'], [`${root}.pem`]).accepted, accepted, leaf);
      const verdict = openssl(['verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', `${root}.pem`, '-untrusted', 'intermediate.pem', `${leaf}.pem`]);
      assert.equal(verdict.status === 0, opensslAccepts, `${leaf}: ${verdict.output}`);
    }
  });

  describe('and a real mutual-TLS handshake', () => {
    let serverCa: GeneratedCertificate;
    let server: GeneratedCertificate;
    before(async () => {
      serverCa = await generateCertificateAuthority({ organization: 'tcld dev-server', validityMs: 365 * DAY_MS });
      const ca = loadCertificateAuthority({ certificate: serverCa.certificatePem, privateKey: serverCa.privateKeyPem });
      server = await generateServerCertificate({ ca, dnsNames: ['localhost'], validityMs: DAY_MS });
    });

    /**
     * A handshake with a node:tls server that asks for a client certificate and trusts `trusted` (OpenSSL
     * verifies). With rejectUnauthorized the server drops a client that fails; without, it says why it would.
     */
    async function handshake(chain: readonly string[], trusted: readonly string[], rejectUnauthorized: boolean) {
      const tlsServer = createServer({
        key: server.privateKeyPem,
        cert: server.certificatePem,
        requestCert: true,
        rejectUnauthorized,
        ca: trusted.map(read),
      });
      const outcome = new Promise<{ completed: boolean; authorizationError?: string }>((resolve) => {
        tlsServer.on('secureConnection', (socket) => {
          resolve(socket.authorized ? { completed: true } : { completed: true, authorizationError: String(socket.authorizationError) });
          socket.end();
        });
        tlsServer.on('tlsClientError', () => resolve({ completed: false }));
      });
      await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
      const { port } = tlsServer.address() as AddressInfo;
      const client = connect({
        host: '127.0.0.1',
        port,
        servername: 'localhost',
        ca: serverCa.certificatePem,
        key: read(chain[0]!.replace(/\.pem$/, '.key')),
        cert: chain.map(read).join(''),
      });
      client.on('error', () => {}); // the connection the server drops
      try {
        return await outcome;
      } finally {
        client.destroy();
        await new Promise((resolve) => tlsServer.close(resolve));
      }
    }

    it('accepts what admitClient accepts', async () => {
      assert.equal(admit(['client.pem', 'intermediate.pem'], ['root.pem']).accepted, true);
      assert.deepEqual(await handshake(['client.pem', 'intermediate.pem'], ['root.pem'], true), { completed: true });
    });

    it('refuses what admitClient refuses for its chain', async () => {
      const cases: Array<[chain: string[], opensslSays: string]> = [
        [['other-client.pem', 'other-root.pem'], 'SELF_SIGNED_CERT_IN_CHAIN'],
        [['impostor-client.pem', 'impostor-root.pem'], 'SELF_SIGNED_CERT_IN_CHAIN'],
        [['impostor-client.pem'], 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
        [['client.pem'], 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
      ];
      for (const [chain, opensslSays] of cases) {
        assert.equal(admit(chain, ['root.pem']).accepted, false, chain[0]);
        assert.deepEqual(await handshake(chain, ['root.pem'], true), { completed: false }, chain[0]);
        const { authorizationError } = await handshake(chain, ['root.pem'], false);
        assert.equal(authorizationError, opensslSays, chain[0]);
      }
    });
  });
});
