// Writes a V8 code cache beside each file of the CLI (see src/cli/boot.ts). It first runs the commands
// users start with in a throwaway folder, so that the cache also holds the functions those commands
// compile lazily, then saves what V8 compiled: help, gen ca, gen leaf, the certificate checks (`cert
// verify` is meant to start as fast as `gen ca`), and the Cloud commands (n l, n g, n ca l, n ca a, r g)
// against a dev-server that runs in this process on 127.0.0.1 and a free port, stopped at the end.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';

const require = createRequire(import.meta.url);
const root = resolve(new URL('.', import.meta.url).pathname, '..');
const { loadBundle, loaded } = require(join(root, 'dist/cli/boot.cjs'));
const { main } = loadBundle(join(root, 'dist/cli/main.cjs'), false);

const dir = mkdtempSync(join(tmpdir(), 'tcld-code-cache-'));
const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
const io = () => ({ stdin: Readable.from([]), stdout: sink(), stderr: sink(), env: {} });
const file = (name) => join(dir, name);
const runs = [
  ['--help'],
  ['gen', 'ca', '--help'],
  ['gen', 'ca', '--org', 'cache', '-d', '90d', '--ca-cert', file('ca.pem'), '--ca-key', file('ca.key'), '--auto_confirm'],
  ['gen', 'leaf', '--org', 'cache', '--ca-cert', file('ca.pem'), '--ca-key', file('ca.key'), '--cert', file('l.pem'), '--key', file('l.key'), '--auto_confirm'],
  ['cert', 'verify', '--cert', file('l.pem'), '--ca-bundle', file('ca.pem')],
  ['cert', 'check-expiry', file('ca.pem'), file('l.pem')],
  ['cert', 'inspect', file('l.pem')],
];
const NAMESPACE = 'cache.acct';
const API_KEY = 'cache';
/** The Cloud commands, against the dev-server at `server`; `r g` asks for the request `n ca a` started. */
async function trainCloud(server) {
  const flags = ['--server', server, '--insecure', '--api-key', API_KEY];
  await train([...flags, 'n', 'l']);
  await train([...flags, 'n', 'g', '-n', NAMESPACE]);
  const added = JSON.parse(await train([...flags, 'n', 'ca', 'a', '-n', NAMESPACE, '-f', file('ca.pem')]));
  await train([...flags, 'n', 'ca', 'a', '-n', NAMESPACE, '-f', file('ca.pem'), '--idempotent']);
  await train([...flags, 'n', 'ca', 'l', '-n', NAMESPACE]);
  await train([...flags, 'r', 'g', '-r', added.requestStatus.requestId, '--wait']);
}

/** `tcld dev-server` in this process; resolves with its address and a function that stops it and waits for it to end. */
async function startDevServer() {
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk) => (text += chunk));
  let stop;
  const args = ['dev-server', '--db', file('dev.db'), '--port', '0', '--gateway-port', '0', '--auth-port', '0', '--api-key', API_KEY, '--namespace', NAMESPACE];
  const ended = main(args, {
    ...io(),
    stdout: output,
    stderr: output,
    onStopSignal(handler) {
      stop = handler;
      return () => {};
    },
  });
  for (let waited = 0; !/created namespaces/.test(text); waited += 10) {
    if (waited > 20_000) {
      stop?.('SIGTERM');
      throw new Error(`the dev-server did not start within 20 s: ${text.trim().split('\n').at(-1)}`);
    }
    const code = await Promise.race([ended, new Promise((done) => setTimeout(done, 10))]);
    if (typeof code === 'number') throw new Error(`the dev-server exited ${code}: ${text.trim().split('\n').at(-1)}`);
  }
  const address = /Cloud Ops API on (\S+) /.exec(text)[1];
  return {
    address,
    async stop() {
      stop('SIGTERM');
      await ended;
    },
  };
}

/** Runs tcld in this process; returns what it printed on stdout. */
async function train(argv) {
  let stdout = '';
  const code = await main(argv, { ...io(), stdout: new Writable({ write: (chunk, _encoding, done) => done(void (stdout += chunk)) }) });
  if (code !== 0) throw new Error(`code-cache training run failed: tcld ${argv.join(' ')} exited ${code}`);
  return stdout;
}

try {
  for (const argv of runs) await train(argv);
  // Without a dev-server (better-sqlite3's native module not built) the Cloud commands go untrained, not the build.
  const server = await startDevServer().catch((error) => void console.warn(`code cache: Cloud commands not trained: ${error.message.split('\n')[0]}`));
  if (server) {
    try {
      await trainCloud(server.address);
    } finally {
      await server.stop();
    }
  }
  for (const { file: bundle, script } of loaded) writeFileSync(`${bundle}.cache`, script.createCachedData());
} finally {
  rmSync(dir, { recursive: true, force: true });
}
