import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSecureContext, createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { UNRECOGNIZED_NAME_ALERT } from '../emulator/gateway/client-hello.js';
import { generateCertificateAuthority, type GeneratedCertificate } from '../pki/ca.js';
import { loadCertificateAuthority } from '../pki/issuer.js';
import { generateEndEntityCertificate } from '../pki/leaf.js';
import { generateServerCertificate } from '../pki/server-certificate.js';
import { classifyFailure, probeTls, type ProbeFailure, type ProbeStage } from './probe.js';

const DAY_MS = 86_400_000;
const NAME = 'ns.acct.tmprl.local';
const NEEDS_OPENSSL = spawnSync('openssl', ['version']).status === 0 ? {} : { skip: 'openssl is not installed' };

describe('classifyFailure', () => {
  const cases: Array<[string, ProbeFailure, ProbeStage]> = [
    ['a reset before any key (a server that drops an unknown server name)', { code: 'ECONNRESET', message: 'socket hang up', keysDerived: false, handshakeDone: false }, 'server-name-refused'],
    ['a close before any key', { message: 'the server closed the connection', keysDerived: false, handshakeDone: false }, 'server-name-refused'],
    ['handshake_failure before any key (no certificate for the name, or for none)', { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', message: 'alert', keysDerived: false, handshakeDone: false }, 'server-name-refused'],
    ['unrecognized_name', { code: 'ERR_SSL_TLSV1_UNRECOGNIZED_NAME', message: 'tlsv1 unrecognized name', keysDerived: false, handshakeDone: false }, 'server-name-refused'],
    ['a reset after the client sent its certificate (TLS 1.2)', { code: 'ECONNRESET', message: 'socket hang up', keysDerived: true, handshakeDone: false }, 'client-refused'],
    ['a close after the handshake (TLS 1.3)', { message: 'the server closed the connection', keysDerived: true, handshakeDone: true }, 'client-refused'],
    ['handshake_failure after the client sent its certificate', { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', message: 'alert', keysDerived: true, handshakeDone: false }, 'client-refused'],
    ['bad_certificate (a code that says CERTIFICATE, yet about the client)', { code: 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', message: 'alert', keysDerived: true, handshakeDone: false }, 'client-refused'],
    ['certificate_required after the handshake', { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', message: 'alert', keysDerived: true, handshakeDone: true }, 'client-refused'],
    ['unknown_ca', { code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', message: 'alert', keysDerived: true, handshakeDone: false }, 'client-refused'],
    ['protocol_version before any key', { code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', message: 'alert', keysDerived: false, handshakeDone: false }, 'tls'],
    ["an untrusted server's certificate", { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'unable to verify', keysDerived: true, handshakeDone: false }, 'server-certificate'],
    ["a server's certificate for another name", { code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'altname', keysDerived: true, handshakeDone: false }, 'server-name'],
    ['a host that does not resolve', { code: 'ENOTFOUND', message: 'getaddrinfo', keysDerived: false, handshakeDone: false }, 'dns'],
    ['a closed port', { code: 'ECONNREFUSED', message: 'connect', keysDerived: false, handshakeDone: false }, 'connect'],
  ];
  for (const [what, failure, stage] of cases) {
    it(`files ${what} under ${stage}`, () => assert.equal(classifyFailure(failure).stage, stage));
  }

  it("keeps node's code and message as the detail", () => {
    assert.deepEqual(classifyFailure({ code: 'ECONNRESET', message: 'socket hang up\n', keysDerived: false, handshakeDone: false }), {
      stage: 'server-name-refused',
      detail: 'ECONNRESET: socket hang up',
    });
  });
});

describe('probeTls against node:tls servers on 127.0.0.1', () => {
  let serverCa: GeneratedCertificate;
  let server: GeneratedCertificate;
  let clientCa: GeneratedCertificate;
  let client: GeneratedCertificate;
  let stranger: GeneratedCertificate;

  before(async () => {
    [serverCa, clientCa] = await Promise.all([
      generateCertificateAuthority({ organization: 'server', validityMs: 30 * DAY_MS }),
      generateCertificateAuthority({ organization: 'client', validityMs: 30 * DAY_MS }),
    ]);
    const strangerCa = await generateCertificateAuthority({ organization: 'stranger', validityMs: 30 * DAY_MS });
    const issuer = loadCertificateAuthority({ certificate: serverCa.certificatePem, privateKey: serverCa.privateKeyPem });
    [server, client, stranger] = await Promise.all([
      generateServerCertificate({ ca: issuer, dnsNames: [NAME], validityMs: DAY_MS }),
      generateEndEntityCertificate({ ca: { certificate: clientCa.certificatePem, privateKey: clientCa.privateKeyPem }, organization: 'client' }),
      generateEndEntityCertificate({ ca: { certificate: strangerCa.certificatePem, privateKey: strangerCa.privateKeyPem }, organization: 'stranger' }),
    ]);
  });

  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  after(() => {
    for (const socket of sockets) socket.destroy();
    for (const listening of servers) listening.close();
  });

  async function listen(listening: Server): Promise<number> {
    servers.push(listening);
    listening.on('connection', (socket: Socket) => (sockets.add(socket), socket.once('close', () => sockets.delete(socket))));
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    return (listening.address() as AddressInfo).port;
  }

  /** A gateway-like server: a certificate for NAME only, client certificates checked against the client CA. */
  function tlsServer(options: TlsOptions = {}): Promise<number> {
    const context = createSecureContext({ cert: server.certificatePem, key: server.privateKeyPem, ca: clientCa.certificatePem });
    return listen(
      createTlsServer({
        SNICallback: (name, done) => (name === NAME ? done(null, context) : done(new Error(`no endpoint ${name}`))),
        requestCert: true,
        rejectUnauthorized: true,
        ca: clientCa.certificatePem,
        ALPNProtocols: ['h2'],
        ...options,
      }).on('tlsClientError', () => {}),
    );
  }

  const probe = (port: number, servername: string, identity = client) =>
    probeTls({ host: '127.0.0.1', port, servername, ca: serverCa.certificatePem, cert: identity.certificatePem, key: identity.privateKeyPem });

  it('admits a client certificate the server accepts', async () => {
    assert.deepEqual(await probe(await tlsServer(), NAME), { stage: 'admitted' });
  });

  it('says the server refused the server name when it drops the connection at the hello (node SNICallback error)', async () => {
    assert.equal((await probe(await tlsServer(), 'wrong.example')).stage, 'server-name-refused');
  });

  it('says the server refused the server name when none was sent and it has no certificate without one (handshake_failure)', async () => {
    assert.equal((await probe(await tlsServer(), '127.0.0.1')).stage, 'server-name-refused');
  });

  it('says the server refused the server name on an unrecognized_name alert', async () => {
    const port = await listen(createTcpServer((socket) => socket.once('data', () => socket.end(UNRECOGNIZED_NAME_ALERT))));
    const result = await probe(port, 'wrong.example');
    assert.equal(result.stage, 'server-name-refused');
    assert.match('detail' in result ? result.detail : '', /unrecognized name/);
  });

  it('says the server refused the client certificate when a TLS 1.3 node server hangs up on it', async () => {
    assert.equal((await probe(await tlsServer(), NAME, stranger)).stage, 'client-refused');
  });

  it('says the server refused the client certificate when a TLS 1.2 node server hangs up on it', async () => {
    assert.equal((await probe(await tlsServer({ maxVersion: 'TLSv1.2' }), NAME, stranger)).stage, 'client-refused');
  });

  it('says the server refused the client certificate when a TLS 1.2 server hangs up after reading it', async () => {
    const port = await tlsServer({ maxVersion: 'TLSv1.2', rejectUnauthorized: false });
    (servers.at(-1) as Server).on('secureConnection', (socket: Socket) => socket.destroy());
    assert.equal((await probe(port, NAME, stranger)).stage, 'client-refused');
  });

  /** `openssl s_server` for one connection, requiring a client certificate of the client CA: it refuses others with an alert. */
  async function opensslServer(version: '-tls1_2' | '-tls1_3'): Promise<number> {
    const folder = mkdtempSync(join(tmpdir(), 'tcld-probe-'));
    folders.push(folder);
    writeFileSync(join(folder, 'server.pem'), server.certificatePem);
    writeFileSync(join(folder, 'server.key'), server.privateKeyPem);
    writeFileSync(join(folder, 'client-ca.pem'), clientCa.certificatePem);
    const child = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', '-naccept', '1', version, '-cert', 'server.pem', '-key', 'server.key', '-CAfile', 'client-ca.pem', '-Verify', '2', '-verify_return_error', '-alpn', 'h2'], { cwd: folder });
    children.push(child);
    let output = '';
    return new Promise((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (text: string) => {
        const port = /ACCEPT 127\.0\.0\.1:(\d+)/.exec((output += text))?.[1];
        if (port) resolve(Number(port));
      });
      child.once('exit', () => reject(new Error(`openssl s_server exited: ${output}`)));
    });
  }
  const folders: string[] = [];
  const children: ChildProcess[] = [];
  after(() => {
    for (const child of children) child.kill();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  for (const version of ['-tls1_3', '-tls1_2'] as const) {
    it(`says the server refused the client certificate on openssl s_server's alert (${version})`, NEEDS_OPENSSL, async () => {
      const result = await probe(await opensslServer(version), NAME, stranger);
      assert.equal(result.stage, 'client-refused');
      assert.match('detail' in result ? result.detail : '', /^ERR_SSL_\w+_ALERT_/);
    });
  }
});
