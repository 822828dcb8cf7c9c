// Part 7 of the bench: hostile bundles against `tcld dev-server` (a child process), sent with
// UpdateNamespace through the official @temporalio/cloud client while a GetNamespace goes out at the
// same moment: how long the refusal takes and how long the GetNamespace beside it waits, median of a
// few rounds, side by side with GetNamespace alone. Targets (issue 9): each refused in well under a
// second (here: < 1 s) with a short message, and the GetNamespace beside it answered (< 1 s).
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CommandFailed, childEnv, exited, f1, median, verdict, waitExit } from './common.mjs';

const require = createRequire(import.meta.url);
const API_KEY = 'benchkey';
const API_VERSION = 'v0.10.0';
const NAMESPACE = 'hostile.acct';
const ROUNDS = 5;
const TARGET_MS = 1000;
const READY_TIMEOUT_MS = 20_000;

/** The dev-server started here, so that any way out of the bench can stop it. */
let server;

export function killHostileChildren() {
  if (server && !exited(server)) server.kill('SIGTERM');
}

async function startDevServer(bin, tmp) {
  const logPath = join(tmp, 'hostile-dev-server.log');
  const log = openSync(logPath, 'w');
  try {
    const args = ['dev-server', '--db', join(tmp, 'hostile.db'), '--port', '0', '--gateway-port', '0', '--auth-port', '0', '--api-key', API_KEY, '--namespace', NAMESPACE];
    server = spawn(bin, args, { env: childEnv, stdio: ['ignore', log, log] });
  } finally {
    closeSync(log);
  }
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const text = readFileSync(logPath, 'utf8');
    const found = /Cloud Ops API on (\S+) /.exec(text);
    if (found && /created namespaces: /.test(text)) return found[1];
    if (exited(server)) throw new CommandFailed(`tcld dev-server exited before it was ready:\n${text}`);
    if (Date.now() > deadline) throw new CommandFailed(`tcld dev-server printed no address within ${READY_TIMEOUT_MS / 1000} s:\n${text}`);
    await sleep(20);
  }
}

/** The inputs, made untimed: a 4 MB bundle of one CA repeated, a 1 MB BEGIN flood, 1,100 BEGIN lines in 32 KB. */
async function inputs(root) {
  const lib = require(join(root, 'dist/lib/index.cjs'));
  const { certificatePem } = await lib.generateCertificateAuthority({ organization: 'hostile', validityMs: 90 * 86_400_000 });
  const begin = '-----BEGIN CERTIFICATE-----\n';
  return [
    { name: '4 MB bundle (one CA x 6,000)', bytes: Buffer.from(certificatePem.repeat(Math.ceil(4_000_000 / certificatePem.length))) },
    { name: '1 MB BEGIN-line flood', bytes: Buffer.from(begin.repeat(Math.ceil(1_000_000 / begin.length))) },
    { name: '1,100 BEGIN lines (32 KB)', bytes: Buffer.from(begin.repeat(1100)) },
  ];
}

async function timed(promise) {
  const start = performance.now();
  let error;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  return { ms: performance.now() - start, error };
}

/** Runs part 7; `bin` is bin/tcld, `root` the repository. */
export async function hostileBench({ tmp, bin, root }) {
  const grpc = require('@grpc/grpc-js');
  const { CloudOperationsClient, CloudOperationsConnection } = require('@temporalio/cloud');
  const cases = await inputs(root);
  const address = await startDevServer(bin, tmp);
  const connect = async () => {
    const connection = await CloudOperationsConnection.connect({
      address,
      apiKey: API_KEY,
      credentials: grpc.credentials.createInsecure(),
      interceptors: [],
      channelArgs: { 'grpc.use_local_subchannel_pool': 1 },
      metadata: { 'temporal-cloud-api-version': API_VERSION },
    });
    return { connection, cloud: new CloudOperationsClient({ connection, apiVersion: API_VERSION }).cloudService };
  };
  // Two connections: the hostile sender's and another client's.
  const sender = await connect();
  const other = await connect();
  try {
    console.log(`\n7. Hostile bundles: UpdateNamespace with each input and, at the same moment, another client's`);
    console.log(`   GetNamespace, on tcld dev-server ${address}; median of ${ROUNDS} rounds`);
    const spec = (await other.cloud.getNamespace({ namespace: NAMESPACE })).namespace.spec;
    const alone = [];
    for (let i = 0; i < ROUNDS; i++) alone.push((await timed(other.cloud.getNamespace({ namespace: NAMESPACE }))).ms);
    console.log(`   ${'GetNamespace alone'.padEnd(30)} ${f1(median(alone)).padStart(7)} ms`);
    const results = [];
    for (const { name, bytes } of cases) {
      const refused = [];
      const beside = [];
      let message = '';
      let code;
      for (let i = 0; i < ROUNDS; i++) {
        const update = sender.cloud.updateNamespace({ namespace: NAMESPACE, spec: { ...spec, mtlsAuth: { enabled: true, acceptedClientCa: bytes } } });
        const [u, g] = await Promise.all([timed(update), timed(other.cloud.getNamespace({ namespace: NAMESPACE }))]);
        if (!u.error) throw new CommandFailed(`the dev-server accepted the ${name}`);
        if (g.error) throw new CommandFailed(`GetNamespace beside the ${name} failed: ${g.error.message}`);
        refused.push(u.ms);
        beside.push(g.ms);
        message = u.error.details ?? '';
        code = grpc.status[u.error.code];
      }
      const result = { name, refusedMs: median(refused), besideMs: median(beside), code, messageLength: message.length };
      results.push(result);
      console.log(
        `   ${name.padEnd(30)} refused (${code}, ${result.messageLength}-character message) in ${f1(result.refusedMs).padStart(6)} ms;` +
          ` GetNamespace beside it ${f1(result.besideMs).padStart(6)} ms`,
      );
    }
    return { alone: median(alone), results };
  } finally {
    sender.connection.close();
    other.connection.close();
    if (!exited(server)) {
      server.kill('SIGTERM');
      if (!(await waitExit(server, 5000))) server.kill('SIGKILL');
    }
  }
}

export function hostileRows(hostile) {
  return hostile.results.flatMap((r) => [
    [`${r.name} refused`, `${f1(r.refusedMs)} ms`, `< ${TARGET_MS} ms`, verdict(r.refusedMs < TARGET_MS)],
    ['  GetNamespace beside it', `${f1(r.besideMs)} ms`, `< ${TARGET_MS} ms`, verdict(r.besideMs < TARGET_MS)],
  ]);
}
