// Part 4a and 4c of the bench: the start-up of the Cloud commands and of the dev-server. `n ca l` and
// `n ca a` against a running dev-server, their wall time interleaved round-robin with `node -e 0` and
// their peak memory; and how soon a freshly started `tcld dev-server` answers a gRPC health check.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { CommandFailed, RSS_METHOD, childEnv, exited, f1, f2, median, peakRss, run, verdict, waitExit } from './common.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const BIN = join(root, 'bin/tcld');
const require = createRequire(import.meta.url);

export const API_KEY = 'benchkey';
export const NAMESPACE = 'bench.acct';
const CLI_WARMUP_ROUNDS = 2;
const CLI_ROUNDS = 15;
const MEMORY_ROUNDS = 5;
const READY_RUNS = 5;
const READY_LIMIT_MS = 20_000;
const STOP_TIMEOUT_MS = 5000;
const TARGETS = { ratio: 2.0, stretchRatio: 1.6, peakMb: 60, readyMs: 1000 };

const tcld = (server, ...args) => [BIN, ['--server', server.address, '--insecure', '--api-key', API_KEY, ...args]];

function json(result, what) {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new CommandFailed(`${what} printed no JSON:\n${result.stdout}\n${result.stderr}`);
  }
}

/**
 * Part 4a: `n ca l` and `n ca a` wall time, interleaved round-robin with `node -e 0`, then their peak
 * memory. A resident CA stays in the bundle throughout, so `l` lists one certificate and `a` takes the
 * bundle from one to two; each round's `a` adds a CA generated beforehand, and an untimed `n ca r -f`
 * takes it out again.
 */
export async function cliLatency(server, tmp) {
  console.log(`   a) CLI wall time, ${CLI_ROUNDS} interleaved rounds after ${CLI_WARMUP_ROUNDS} warm-up; the bundle holds one resident CA;`);
  console.log('      each round: node -e 0, n ca l, then n ca a -f <a fresh CA> --idempotent (timed), then n ca r -f of it (not timed);');
  console.log(`      all as tcld --server ${server.address} --insecure --api-key ${API_KEY} n ca ... -n ${NAMESPACE};`);
  console.log('      and n ca l once more per round with a stored tcld login (tokens.json) instead of --api-key (timed)');
  const lib = require(join(root, 'dist/lib/index.cjs'));
  const validityMs = 365 * 86_400_000;
  const caFile = async (name) => {
    const { certificatePem } = await lib.generateCertificateAuthority({ organization: name, validityMs });
    const path = join(tmp, `${name}.pem`);
    writeFileSync(path, certificatePem);
    return path;
  };
  const resident = await caFile('bench-resident');
  const fresh = [];
  for (let i = 0; i < CLI_WARMUP_ROUNDS + CLI_ROUNDS + MEMORY_ROUNDS; i++) fresh.push(await caFile(`b${i}`));

  // A change prints tcld's {"requestStatus": ...} of the update it started; `--idempotent` no-op prints nothing.
  const changed = (result, what) => {
    const printed = json(result, what);
    if (typeof printed?.requestStatus?.requestId !== 'string') throw new CommandFailed(`${what} started no update: ${result.stdout}${result.stderr}`);
  };
  changed(run(...tcld(server, 'n', 'ca', 'a', '-n', NAMESPACE, '-f', resident, '--idempotent')).result, 'n ca a of the resident CA');
  const list = () => tcld(server, 'n', 'ca', 'l', '-n', NAMESPACE);
  const add = (ca) => tcld(server, 'n', 'ca', 'a', '-n', NAMESPACE, '-f', ca, '--idempotent');
  const checkListed = (result) => {
    const listed = json(result, 'n ca l');
    if (!Array.isArray(listed) || listed.length !== 1) throw new CommandFailed(`n ca l listed ${JSON.stringify(listed).slice(0, 200)}, not the one resident CA`);
  };
  const checkAdded = (result) => changed(result, 'n ca a of a fresh CA');
  const remove = (ca) => changed(run(...tcld(server, 'n', 'ca', 'r', '-n', NAMESPACE, '-f', ca, '--auto_confirm')).result, 'n ca r of the CA just added');

  // The same n ca l authenticated by a stored `tcld login` instead of --api-key: the login is read
  // from tokens.json and, while fresh, sent as is (openid-client loads only to refresh it).
  const configDir = await loginForBench(server, tmp);
  const listWithLogin = () => [BIN, ['--server', server.address, '--insecure', '--config-dir', configDir, 'n', 'ca', 'l', '-n', NAMESPACE]];

  const times = { node: [], list: [], login: [], add: [] };
  for (let round = 0; round < CLI_WARMUP_ROUNDS + CLI_ROUNDS; round++) {
    const node = run(process.execPath, ['-e', '0']);
    const listed = run(...list());
    checkListed(listed.result);
    const loggedIn = run(...listWithLogin());
    checkListed(loggedIn.result);
    const addition = run(...add(fresh[round]));
    checkAdded(addition.result);
    remove(fresh[round]);
    if (round >= CLI_WARMUP_ROUNDS) {
      times.node.push(node.ms);
      times.list.push(listed.ms);
      times.login.push(loggedIn.ms);
      times.add.push(addition.ms);
    }
  }
  const memory = { list: [], add: [] };
  for (let round = CLI_WARMUP_ROUNDS + CLI_ROUNDS; round < fresh.length; round++) {
    const listed = peakRss(...list());
    checkListed(listed.result);
    const addition = peakRss(...add(fresh[round]));
    checkAdded(addition.result);
    remove(fresh[round]);
    memory.list.push(listed.mb);
    memory.add.push(addition.mb);
  }
  const stats = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, { median: median(xs), min: Math.min(...xs) }]));
  const row = (label, s, ratio) =>
    console.log(`      ${label.padEnd(26)} median ${f1(s.median).padStart(6)} ms   min ${f1(s.min).padStart(6)} ms${ratio ? `   ${f2(s.median / stats.node.median)}x node` : ''}`);
  row('node -e 0', stats.node);
  row('tcld n ca l', stats.list, true);
  row('tcld n ca l (tcld login)', stats.login, true);
  row('tcld n ca a (fresh CA)', stats.add, true);
  console.log(`      peak memory (max RSS) of ${MEMORY_ROUNDS} more runs each, via ${RSS_METHOD}: n ca l ${f1(Math.max(...memory.list))} MB, n ca a ${f1(Math.max(...memory.add))} MB`);
  return {
    list: stats.list.median,
    login: stats.login.median,
    add: stats.add.median,
    node: stats.node.median,
    listPeakMb: Math.max(...memory.list),
    addPeakMb: Math.max(...memory.add),
  };
}

/**
 * Signs in as a person would, so that tokens.json is tcld's own: `tcld login --domain <sign-in port>`,
 * and the verification page's form posted with the bench's API key and Approve. The config folder.
 */
async function loginForBench(server, tmp) {
  const configDir = join(tmp, 'login-config');
  const auth = /sign-in \(OAuth device flow\) on (\S+?):? /.exec(server.readLog())?.[1];
  if (!auth) throw new CommandFailed(`the dev-server printed no sign-in address:\n${server.readLog()}`);
  const child = spawn(BIN, ['login', '--domain', auth, '--disable-pop-up', '--config-dir', configDir], { env: { ...childEnv, DISPLAY: '', WAYLAND_DISPLAY: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
  const ended = new Promise((resolve) => child.on('close', resolve));
  for (const deadline = Date.now() + READY_LIMIT_MS; !/Login via this url: (\S+)/.test(stderr); await sleep(20)) {
    if (exited(child) || Date.now() > deadline) throw new CommandFailed(`tcld login printed no URL:\n${stderr}`);
  }
  const url = /Login via this url: (\S+)/.exec(stderr)[1];
  const page = await fetch(url);
  const html = await page.text();
  const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
  const cookie = page.headers.get('set-cookie')?.split(';')[0];
  const origin = new URL(url).origin;
  const approved = await fetch(`${origin}/activate`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'sec-fetch-site': 'same-origin', ...(cookie && { cookie }) },
    body: new URLSearchParams({ ...fields, api_key: API_KEY, decision: 'approve' }),
  });
  if (approved.status !== 200) throw new CommandFailed(`the sign-in page refused the approval (${approved.status})`);
  const code = await ended;
  if (code !== 0) throw new CommandFailed(`tcld login exited ${code}:\n${stderr}`);
  return configDir;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** One grpc.health.v1.Health/Check; resolves true when the server answers SERVING. */
function healthy(grpc, address) {
  return new Promise((resolve) => {
    const client = new grpc.Client(address, grpc.credentials.createInsecure());
    const identity = (bytes) => bytes;
    // An empty HealthCheckRequest (the whole server) is no bytes; SERVING is field 1 = 1: 08 01.
    client.makeUnaryRequest('/grpc.health.v1.Health/Check', identity, identity, Buffer.alloc(0), new grpc.Metadata(), { deadline: Date.now() + 500 }, (error, response) => {
      client.close();
      resolve(!error && Buffer.from(response ?? []).equals(Buffer.from([8, 1])));
    });
  });
}

/**
 * Part 4c: from spawning `tcld dev-server` on a fresh database (so it also makes its dev server CA) to
 * the first gRPC health check it answers SERVING, polled every 5 ms; each run stopped with SIGTERM.
 */
export async function devServerReady(tmp, track) {
  const grpc = require('@grpc/grpc-js');
  const times = [];
  for (let i = 0; i < READY_RUNS; i++) {
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const start = performance.now();
    const child = track(spawn(BIN, ['dev-server', '--db', join(tmp, `ready-${i}.db`), '--port', String(port), '--gateway-port', '0', '--auth-port', '0', '--api-key', API_KEY], { env: childEnv, stdio: 'ignore' }));
    try {
      while (!(await healthy(grpc, address))) {
        if (exited(child)) throw new CommandFailed(`tcld dev-server exited (code ${child.exitCode}, signal ${child.signalCode}) before it answered a health check`);
        if (performance.now() - start > READY_LIMIT_MS) throw new CommandFailed(`tcld dev-server answered no health check within ${READY_LIMIT_MS / 1000} s`);
        await sleep(5);
      }
      times.push(performance.now() - start);
    } finally {
      child.kill('SIGTERM');
      if (!(await waitExit(child, STOP_TIMEOUT_MS))) child.kill('SIGKILL');
    }
  }
  console.log(`   c) dev-server start-up: spawn to the first gRPC Health/Check answered SERVING, fresh database each, ${READY_RUNS} runs`);
  console.log(`      median ${f1(median(times))} ms   max ${f1(Math.max(...times))} ms`);
  return { median: median(times), max: Math.max(...times) };
}

/** The summary rows for 4a and 4c: [metric, measured, target, result]. */
export function cliRows(cli, ready) {
  const ratioRow = (label, ms) => {
    const ratio = ms / cli.node;
    const ok = ratio <= TARGETS.ratio;
    return [`${label} time / node -e 0`, `${f2(ratio)}x (${f1(ms)} ms)`, `<= ${f1(TARGETS.ratio)}x (stretch ${f1(TARGETS.stretchRatio)}x)`, `${verdict(ok)}${ratio <= TARGETS.stretchRatio ? ' (stretch met)' : ''}`];
  };
  const peak = Math.max(cli.listPeakMb, cli.addPeakMb);
  return [
    ratioRow('n ca l', cli.list),
    ratioRow('n ca l with a stored login', cli.login),
    ratioRow('n ca a', cli.add),
    ['n ca l / n ca a peak RSS', `${f1(cli.listPeakMb)} / ${f1(cli.addPeakMb)} MB`, `< ${TARGETS.peakMb} MB`, verdict(peak < TARGETS.peakMb)],
    ['dev-server ready (median, max)', `${f1(ready.median)} ms (${f1(ready.max)})`, `<= ${TARGETS.readyMs} ms`, verdict(ready.median <= TARGETS.readyMs)],
  ];
}
