/**
 * `npm run demo`: the announcement's flow on this machine, printing each step. It starts the Cloud
 * emulator in-process (free port, throwaway database), runs the real ./bin/tcld against it, checks
 * the certificates with node:crypto (and openssl when present) and completes a real mTLS handshake
 * on 127.0.0.1. Exit 0 only when every step did what it should.
 */
import { execFile, spawnSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { generateCertificateAuthority } from '../pki/ca.js';

const TCLD = resolve(__dirname, '../../bin/tcld');

function step(title: string): void {
  process.stdout.write(`\n▶ ${title}\n`);
}

function ok(detail: string): void {
  process.stdout.write(`  ✓ ${detail}\n`);
}

/**
 * Runs ./bin/tcld as a user would, showing the command and what it printed. Asynchronously: the
 * emulator answering it lives in this very process.
 */
function tcld(args: string[], env: Record<string, string> = {}): Promise<string> {
  process.stdout.write(`  $ tcld ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    execFile(TCLD, args, { encoding: 'utf8', env: { ...process.env, AUTO_CONFIRM: 'true', ...env } }, (error, stdout, stderr) => {
      for (const line of `${stdout}${stderr}`.trim().split('\n')) process.stdout.write(`    ${line}\n`);
      if (error) reject(new Error(`tcld ${args[0]} ${args[1]} exited with ${error.code}`));
      else resolve(stdout);
    });
  });
}

function opensslVerify(ca: string, leaf: string): string {
  const run = spawnSync('openssl', ['verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', ca, leaf], { encoding: 'utf8' });
  if (run.error) return 'openssl not installed: skipped';
  if (run.status !== 0) throw new Error(`openssl verify refused the leaf: ${run.stderr.trim() || run.stdout.trim()}`);
  return `openssl verify -x509_strict -purpose sslclient: ${run.stdout.trim()}`;
}

/** Serves TLS on 127.0.0.1 (port chosen by the OS), demanding a client certificate issued by `clientCa`. */
async function mtlsServer(clientCa: string) {
  // The server's own identity is a throwaway self-signed certificate; the client trusts exactly it.
  const identity = await generateCertificateAuthority({ organization: 'tcld demo server', validityMs: 8 * 86_400_000 });
  const refusals: string[] = [];
  // rejectUnauthorized: false only so that the server can say why it refuses; it still admits no one unverified.
  const server = createServer(
    { key: identity.privateKeyPem, cert: identity.certificatePem, ca: clientCa, requestCert: true, rejectUnauthorized: false },
    (socket) => {
      if (socket.authorized) return socket.end(`hello ${socket.getPeerCertificate().subject.CN}`);
      refusals.push(String(socket.authorizationError));
      socket.destroy();
    },
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, identity, refusals, port: (server.address() as AddressInfo).port };
}

function handshake(port: number, trust: { certificatePem: string; dnsName: string }, cert: string, key: string): Promise<string> {
  return new Promise((done, fail) => {
    const socket: TLSSocket = connect({ host: '127.0.0.1', port, servername: trust.dnsName, ca: trust.certificatePem, cert, key });
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk));
    // In TLS 1.3 the server judges the client's certificate after the handshake, so a refusal arrives as a closed connection.
    socket.on('end', () => (reply ? done(reply) : fail(new Error('the server closed the connection'))));
    socket.on('error', fail);
  });
}

async function demo(dir: string, cloud: Emulator): Promise<void> {
  const file = (name: string) => join(dir, name);
  // The connection flags come from the environment, as a user's shell profile would set them.
  const api = { TEMPORAL_CLOUD_API_SERVER: cloud.address, TEMPORAL_CLOUD_API_KEY: cloud.apiKeys[0]! };
  step('Generate a client CA (tcld gen ca)');
  await tcld(['gen', 'ca', '--org', 'demo', '-d', '90d', '--ca-cert', file('ca.pem'), '--ca-key', file('ca.key')]);

  step(`Add it to namespace ${NAMESPACE} of the local Cloud emulator (tcld n ca a)`);
  await tcld(['namespace', 'accepted-client-ca', 'add', '--insecure', '-n', NAMESPACE, '--ca-certificate-file', file('ca.pem'), '--wait'], api);

  step('List the namespace\'s accepted CAs (tcld n ca l)');
  const rows = (await tcld(['n', 'ca', 'l', '--insecure', '-n', NAMESPACE, '--output', 'table'], api)).trim().split('\n').slice(1);
  const expected = createHash('sha1').update(new X509Certificate(readFileSync(file('ca.pem'))).raw).digest('hex');
  if (rows.length !== 1 || !rows[0]!.startsWith(expected)) throw new Error('the namespace does not hold exactly the new CA');
  ok(`the namespace accepts exactly the new CA (fingerprint ${expected})`);

  step('Issue an end-entity certificate from it (tcld gen leaf)');
  await tcld(['gen', 'leaf', '--org', 'demo', '--ca-cert', file('ca.pem'), '--ca-key', file('ca.key'), '--cert', file('client.pem'), '--key', file('client.key')]);

  step('Verify the leaf against the CA');
  const ca = new X509Certificate(readFileSync(file('ca.pem')));
  const leaf = new X509Certificate(readFileSync(file('client.pem')));
  if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) throw new Error('the leaf is not signed by the CA');
  if (leaf.ca || !leaf.keyUsage?.includes('1.3.6.1.5.5.7.3.2')) throw new Error('the leaf is not a client certificate');
  ok(`node:crypto: issued by ${ca.subject.replace(/\n/g, ', ')}, signature valid, CA:FALSE, clientAuth`);
  ok(opensslVerify(file('ca.pem'), file('client.pem')));

  step('mTLS handshake on 127.0.0.1: a server that requires a client certificate from ca.pem');
  const { server, identity, refusals, port } = await mtlsServer(readFileSync(file('ca.pem'), 'utf8'));
  try {
    const reply = await handshake(port, identity, readFileSync(file('client.pem'), 'utf8'), readFileSync(file('client.key'), 'utf8'));
    ok(`port ${port}: client admitted, server says "${reply}"`);

    step('A leaf from a second, unregistered CA is refused');
    await tcld(['gen', 'ca', '--org', 'stranger', '-d', '30d', '--ca-cert', file('other-ca.pem'), '--ca-key', file('other-ca.key')]);
    await tcld(['gen', 'leaf', '--org', 'stranger', '--ca-cert', file('other-ca.pem'), '--ca-key', file('other-ca.key'), '--cert', file('other.pem'), '--key', file('other.key')]);
    const refused = await handshake(port, identity, readFileSync(file('other.pem'), 'utf8'), readFileSync(file('other.key'), 'utf8')).then(
      () => undefined,
      (error: Error) => error.message,
    );
    if (refused === undefined) throw new Error('the server admitted a client from an unregistered CA');
    await new Promise((settle) => setTimeout(settle, 50)); // let the server's side of the refusal arrive
    ok(`refused: ${refused}; the server's reason: ${refusals.join('; ') || 'not reported'}`);
  } finally {
    server.close();
  }
}

const NAMESPACE = 'demo.local';

async function runDemo(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'tcld-demo-'));
  process.stdout.write(`tcld demo: generate, upload, verify and connect, in ${dir}\n`);
  let cloud: Emulator | undefined;
  try {
    step('Start the Cloud emulator in-process (tcld dev-server: free port, throwaway database)');
    cloud = await startEmulator({ db: ':memory:', namespaces: [NAMESPACE], asyncDelayMs: 100 });
    ok(`Cloud Ops API on ${cloud.address} (plaintext), namespace ${NAMESPACE}, a generated API key`);
    await demo(dir, cloud);
    process.stdout.write('\nDone: every step did what it should.\n');
    return 0;
  } catch (error) {
    process.stderr.write(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await cloud?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runDemo().then((code) => {
  process.exitCode = code;
});
