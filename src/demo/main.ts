/**
 * `npm run demo`: the announcement's flow on this machine, printing each step. It starts the Cloud
 * emulator in-process (free ports, throwaway database), runs the real ./bin/tcld against it, checks
 * the certificates with node:crypto (and openssl when present), connects through the namespace's
 * mTLS endpoint with the official SDK client, and shows a leaf of an unregistered CA refused.
 * Exit 0 only when every step did what it should. At the end it prints the emulator's web console
 * URL; the emulator stops with the demo unless `--keep` asks it to run on (until Ctrl-C) for browsing.
 */
import { execFile, spawnSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/index.js';

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
      if (error) reject(new Error(`tcld ${args[0]} ${args[1]} exited with ${String(error.code)}`));
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

/** Connects through the namespace's mTLS endpoint as a worker would, and calls GetSystemInfo. */
async function connectAsWorker(cloud: Emulator, cert: string, key: string): Promise<string> {
  const { Connection } = require('@temporalio/client') as typeof import('@temporalio/client');
  const connection = await Connection.connect({
    address: cloud.gateway.address,
    connectTimeout: '3s',
    tls: {
      serverNameOverride: cloud.namespaceHost(NAMESPACE),
      serverRootCACertificate: readFileSync(cloud.gateway.caPath),
      clientCertPair: { crt: readFileSync(cert), key: readFileSync(key) },
    },
  });
  try {
    const info = await connection.workflowService.getSystemInfo({});
    return `GetSystemInfo answered (server version ${info.serverVersion || 'n/a'})`;
  } finally {
    await connection.close();
  }
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

  step(`Connect to ${cloud.namespaceHost(NAMESPACE)} through the emulator's mTLS endpoint with @temporalio/client`);
  ok(`${cloud.gateway.address}, TLS server name ${cloud.namespaceHost(NAMESPACE)}: admitted, ${await connectAsWorker(cloud, file('client.pem'), file('client.key'))}`);
  const ctFlags = ['--address', cloud.gateway.address, '--tls-server-name', cloud.namespaceHost(NAMESPACE), '--tls-ca-path', cloud.gateway.caPath];
  await tcld(['connectivity', 'test', ...ctFlags, '--tls-cert-path', file('client.pem'), '--tls-key-path', file('client.key')]);

  step('A leaf from a second, unregistered CA is refused');
  await tcld(['gen', 'ca', '--org', 'stranger', '-d', '30d', '--ca-cert', file('other-ca.pem'), '--ca-key', file('other-ca.key')]);
  await tcld(['gen', 'leaf', '--org', 'stranger', '--ca-cert', file('other-ca.pem'), '--ca-key', file('other-ca.key'), '--cert', file('other.pem'), '--key', file('other.key')]);
  const refused = await connectAsWorker(cloud, file('other.pem'), file('other.key')).then(
    () => undefined,
    (error: Error) => error.message.split('\n')[0],
  );
  if (refused === undefined) throw new Error('the gateway admitted a client from an unregistered CA');
  ok(`refused by the gateway: ${refused}`);
  const diagnosis = await tcld(['ct', 'test', ...ctFlags, '--tls-cert-path', file('other.pem'), '--tls-key-path', file('other.key'), '--ca-bundle', file('ca.pem')]).then(
    () => undefined,
    () => 'tcld ct test explains the refusal (exit 1)',
  );
  if (diagnosis === undefined) throw new Error('tcld ct test reported success for an unregistered CA');
  ok(diagnosis);
}

const NAMESPACE = 'demo.local';

/** `npm run demo -- --keep`: the emulator runs on after the demo, until SIGINT or SIGTERM, to browse its console. */
const KEEP_FLAG = '--keep';

async function runDemo(args: readonly string[]): Promise<number> {
  const unknown = args.filter((arg) => arg !== KEEP_FLAG);
  if (unknown.length > 0) {
    process.stderr.write(`demo: unknown argument ${unknown[0]}: the demo takes only ${KEEP_FLAG} (keep the dev-server running for its web console)\n`);
    return 2;
  }
  const keep = args.includes(KEEP_FLAG);
  const dir = mkdtempSync(join(tmpdir(), 'tcld-demo-'));
  process.stdout.write(`tcld demo: generate, upload, verify and connect, in ${dir}\n`);
  let cloud: Emulator | undefined;
  try {
    step('Start the Cloud emulator in-process (tcld dev-server: free port, throwaway database)');
    cloud = await startEmulator({ db: ':memory:', namespaces: [NAMESPACE], asyncDelayMs: 100, authPort: 0 });
    ok(`Cloud Ops API on ${cloud.address} (plaintext), namespace ${NAMESPACE}, a generated API key`);
    ok(`mTLS namespace endpoint on ${cloud.gateway.address}, server root CA ${cloud.gateway.caPath}`);
    await demo(dir, cloud);
    process.stdout.write('\nDone: every step did what it should.\n');
    const consoleUrl = `${cloud.auth!.console}/namespace?id=${encodeURIComponent(NAMESPACE)}`;
    if (!keep) {
      process.stdout.write(`Web console: ${consoleUrl} (stopped with the demo: npm run demo -- ${KEEP_FLAG} keeps it running)\n`);
      return 0;
    }
    // The key is the throwaway one this in-memory emulator generated, printed as tcld dev-server prints its own.
    process.stdout.write(`Web console: ${consoleUrl}\nThe dev-server runs until Ctrl-C; sign in to the console with its API key: ${cloud.apiKeys[0]!}\n`);
    await stopSignal();
    process.stdout.write('demo: stopped\n');
    return 0;
  } catch (error) {
    process.stderr.write(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await cloud?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

runDemo(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
