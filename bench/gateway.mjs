// Part 5 of the bench: the namespaces' mTLS gateway. Full handshakes per second (a new connection and
// a full TLS handshake with a P-384 client certificate each time, counted once the gateway admitted
// the client) for a namespace whose bundle is 1 CA and one whose bundle is 100 CAs, interleaved; and
// the latency a GetSystemInfo call gains by going through the gateway, against the same call made
// directly, in plaintext, to the frontend the gateway forwards to.
//
// The emulator runs in a child process from the TypeScript sources (bench/gateway-child.ts, through
// tsx): a 100-CA bundle cannot be set through the Cloud Ops API (16 at most, Temporal Cloud's rule),
// so that child writes the namespaces into its database itself before it starts the emulators. The
// handshakes come from forked processes (bench/handshake-worker.mjs); the plaintext frontend and the
// SDK client of the latency measurement run in this process.
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { CommandFailed, childEnv, exited, f1, f2, machineCpu, median, percentile, processCpuSeconds, verdict, waitExit } from './common.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);
const CHILD = join(here, 'gateway-child.ts');
const WORKER = join(here, 'handshake-worker.mjs');

/**
 * Two load processes for two cores. The gateway is one event loop, so it uses one core at most, and a
 * client spends more CPU per handshake than the gateway does (measured: about 3.0 against 2.3 ms; the
 * client verifies two P-384 signatures, the server certificate's and its CertificateVerify, and makes
 * one; the gateway makes one and verifies one, and finds the client certificate itself in its
 * admission cache). Two processes, so that the load is not held to one core by construction: the
 * clients take what the gateway leaves of the machine. The rate is therefore what this machine does
 * with the load and the gateway on it, a floor for the gateway; the gateway's CPU per handshake says
 * what it would do with a core to itself. (On the 2-core bench machine, one process with 8 connections
 * in flight did about as well as two with 4: the load used about one core either way.)
 */
const WORKERS = 2;
/** Connections in flight per load process: enough that the gateway always has a handshake to work on. */
const IN_FLIGHT = 4;
const WARMUP_MS = 1000;
const ROUND_MS = 1000;
/**
 * 1 CA and 100 CAs in turns, each first as often as second (1,100 | 100,1 | 1,100 ...), so that drift
 * and noise hit both alike; the bundles are compared round by round (the two runs of a round are
 * neighbours in time), and the median of those ratios taken.
 */
const ROUNDS = Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? ['one.bench', 'hundred.bench'] : ['hundred.bench', 'one.bench']));
/** Cores used by other processes during the rounds above which the run is called noisy. */
const NOISY_REST_CORES = 0.2;
const LATENCY_WARMUP = 100;
const LATENCY_CALLS = 500;
const TARGETS = { handshakesPerSecond: 300, bundleChange: 0.2 };
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5000;
const ANSWER_TIMEOUT_MS = 30_000;
const GET_SYSTEM_INFO = '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo';
const UPSTREAM_VERSION = 'bench plaintext upstream (grpc-js)';

/** Every child process part 5 starts, so that any way out of the bench can stop them. */
const children = new Set();

/** Stops whatever part 5 still has running, synchronously (for an exit or signal handler). */
export function killGatewayChildren() {
  for (const child of children) {
    if (!exited(child)) child.kill('SIGTERM');
  }
}

function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

const identity = (bytes) => bytes;

/**
 * The plaintext frontend the forwarding gateway sends admitted clients to: a grpc-js server answering
 * WorkflowService/GetSystemInfo with the built-in frontend's answer (set once the child has said what
 * it is), its server version aside, which tells a forwarded call from one the built-in frontend answered.
 */
async function startUpstream() {
  const grpc = require('@grpc/grpc-js');
  const server = new grpc.Server();
  let response;
  const definition = {
    GetSystemInfo: { path: GET_SYSTEM_INFO, requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity },
  };
  server.addService(definition, {
    GetSystemInfo: (_call, callback) => (response ? callback(null, response) : callback({ code: grpc.status.UNAVAILABLE, details: 'not ready' })),
  });
  const port = await new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    address: `127.0.0.1:${port}`,
    answerAs(systemInfo) {
      const { temporal } = require('@temporalio/proto');
      const type = temporal.api.workflowservice.v1.GetSystemInfoResponse;
      response = Buffer.from(type.encode(type.fromObject({ ...systemInfo, serverVersion: UPSTREAM_VERSION })).finish());
    },
    close: () => new Promise((done) => server.tryShutdown(() => done())),
  };
}

/** The emulator child; resolves with what it printed once it is ready. */
async function startChild(tmp, upstream) {
  if (!existsSync(join(root, 'node_modules/tsx'))) throw new CommandFailed('part 5 runs the emulator from its sources through tsx, a devDependency: run `npm install`');
  // stdin stays open as long as the bench lives: the child stops when it ends.
  const child = track(spawn(process.execPath, ['--import', 'tsx', CHILD, tmp, upstream.address, String(WORKERS)], { cwd: root, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new CommandFailed(`bench/gateway-child.ts was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${stderr}`)), READY_TIMEOUT_MS);
    const onData = () => {
      const line = stdout.split('\n').find((l, i, all) => i < all.length - 1 && l.startsWith('{'));
      if (line) {
        try {
          done(undefined, JSON.parse(line));
        } catch (error) {
          done(new CommandFailed(`bench/gateway-child.ts printed a line that is not JSON (${error.message}): ${line.slice(0, 200)}`));
        }
      }
    };
    const onExit = (code, signal) => done(new CommandFailed(`bench/gateway-child.ts exited (code ${code}, signal ${signal}) before it was ready:\n${stderr}`));
    function done(error, value) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value);
    }
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
  return { child, ready, stderr: () => stderr, logPath: join(tmp, 'gateway.log') };
}

function checkChildAlive(emulator) {
  if (exited(emulator.child)) {
    throw new CommandFailed(`the emulator child died during part 5 (code ${emulator.child.exitCode}, signal ${emulator.child.signalCode}):\n${emulator.stderr()}`);
  }
}

/** SIGTERM; SIGKILL if it has not gone after a few seconds. Returns how it ended. */
async function stopChild(child) {
  if (!exited(child)) {
    child.kill('SIGTERM');
    if (!(await waitExit(child, STOP_TIMEOUT_MS))) {
      child.kill('SIGKILL');
      await waitExit(child, STOP_TIMEOUT_MS);
      return { clean: false, why: `did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM (killed)` };
    }
  }
  const { exitCode, signalCode } = child;
  return exitCode === 0 ? { clean: true } : { clean: false, why: `ended with ${signalCode ? `signal ${signalCode}` : `exit code ${exitCode}`}` };
}

/** One raw connection from this process: 'admitted' when the server behind the gateway answered the HTTP/2 preface. */
function rawOutcome(port, servername, caPem, leaf) {
  return new Promise((resolve) => {
    const socket = connectTls({ host: '127.0.0.1', port, servername, ca: caPem, cert: leaf.certificatePem, key: leaf.privateKeyPem, ALPNProtocols: ['h2'] });
    let settled = false;
    const settle = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => settle('no answer'), 5000);
    socket.once('secureConnect', () => socket.write(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])])));
    socket.once('data', () => settle('admitted'));
    socket.once('error', () => settle('refused'));
    socket.once('close', () => settle('refused'));
  });
}

function startWorker() {
  const child = track(fork(WORKER, [], { env: childEnv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  let pending;
  child.on('message', (message) => pending?.(message));
  child.on('exit', (code, signal) => pending?.({ type: 'failed', message: `handshake worker exited (code ${code}, signal ${signal})` }));
  const ask = (message) =>
    new Promise((resolve, reject) => {
      if (exited(child)) return reject(new CommandFailed('handshake worker is not running'));
      const limitMs = (message.ms ?? 0) + ANSWER_TIMEOUT_MS;
      const timer = setTimeout(() => pending?.({ type: 'failed', message: `no answer to ${message.type} within ${limitMs / 1000} s` }), limitMs);
      pending = (answer) => {
        pending = undefined;
        clearTimeout(timer);
        if (answer.type === 'failed') reject(new CommandFailed(`handshake worker: ${answer.message}`));
        else resolve(answer);
      };
      child.send(message);
    });
  return { child, ask };
}

/** Every worker handshaking with one namespace for `ms`; the merged counts, latencies and CPU. */
async function handshakes(emulator, workers, namespace, ms) {
  const { ready } = emulator;
  const servername = ready.namespaces[namespace].host;
  const gatewayCpu0 = processCpuSeconds(emulator.child.pid);
  const machine0 = machineCpu();
  const start = performance.now();
  const results = await Promise.all(workers.map((w) => w.ask({ type: 'run', servername, ms, inFlight: IN_FLIGHT })));
  const wallMs = performance.now() - start;
  const gatewayCpu1 = processCpuSeconds(emulator.child.pid);
  const machine1 = machineCpu();
  checkChildAlive(emulator);
  const count = results.reduce((n, r) => n + r.handshakes, 0);
  const errors = results.reduce((n, r) => n + r.errors, 0);
  const gatewayCpu = gatewayCpu0 === undefined || gatewayCpu1 === undefined ? undefined : gatewayCpu1 - gatewayCpu0;
  return {
    count,
    errors,
    errorSamples: results.flatMap((r) => r.errorSamples),
    latencies: results.flatMap((r) => Array.from(r.latencies)),
    rate: count / (Math.max(...results.map((r) => r.elapsedMs)) / 1000),
    gatewayCores: gatewayCpu === undefined ? undefined : gatewayCpu / (wallMs / 1000),
    gatewayUsPerHandshake: gatewayCpu === undefined || count === 0 ? undefined : (gatewayCpu * 1e6) / count,
    workersCores: results.reduce((s, r) => s + r.cpuMs, 0) / wallMs,
    machineCores: machine0 && machine1 ? (availableParallelism() * (machine1.busy - machine0.busy)) / (machine1.total - machine0.total) : undefined,
  };
}

/** Part 5a: handshakes per second, 1-CA and 100-CA bundles in interleaved rounds. */
async function handshakeRate(emulator, caPem) {
  const { ready } = emulator;
  const port = ready.builtIn.port;
  // The gateway must refuse a stranger and admit our clients on both namespaces, or the count means nothing.
  for (const namespace of Object.keys(ready.namespaces)) {
    const host = ready.namespaces[namespace].host;
    const outsider = await rawOutcome(port, host, caPem, ready.outsiderLeaf);
    if (outsider !== 'refused') throw new CommandFailed(`the gateway did not refuse a client of a CA outside ${namespace}'s bundle (${outsider})`);
    const own = await rawOutcome(port, host, caPem, ready.leaves[0]);
    if (own !== 'admitted') throw new CommandFailed(`the gateway did not admit a client of ${namespace}'s bundle CA (${own}); see ${emulator.logPath}`);
  }

  const workers = Array.from({ length: WORKERS }, startWorker);
  try {
    await Promise.all(workers.map((w, i) => w.ask({ type: 'setup', port, caPem, leaf: ready.leaves[i] })));
    const cores = availableParallelism();
    const order = ROUNDS.slice(0, 2).map((r) => r.map((ns) => ready.namespaces[ns].bundleSize).join(',')).join(' | ');
    console.log("\n5. The namespaces' mTLS gateway (the emulator from the TypeScript sources through tsx: bench/gateway-child.ts;");
    console.log('   a log line per connection to a file, as tcld dev-server writes)');
    console.log(`   a) Full handshakes per second to the built-in frontend, from ${WORKERS} forked processes x ${IN_FLIGHT} connections in flight:`);
    console.log('      each a new TCP connection and TLS handshake (no session resumed) with a P-384 client certificate, the');
    console.log('      server checked against the dev server CA and the namespace host name, counted once the gateway admitted');
    console.log('      the client (the server behind it answered the HTTP/2 preface with SETTINGS), then destroyed.');
    console.log("      one.bench: a bundle of 1 CA; hundred.bench: 100 CAs, the clients' CA last; same client certificates.");
    console.log(`      ${ROUNDS.length} rounds of ${ROUND_MS / 1000} s per bundle, interleaved (${order} | ...), after ${WARMUP_MS / 1000} s warm-up each;`);
    console.log('      medians of the rounds, and the bundles compared round by round. The gateway is one event loop (one');
    console.log(`      core at most) sharing the ${cores} cores with the load, which spends more CPU per handshake than it does:`);
    console.log('      handshakes/s is what this machine does with both on it, a floor for the gateway; its CPU per handshake');
    console.log('      says what it would do with a core to itself. CPU in cores over each window: rest = other processes.');
    for (const namespace of Object.keys(ready.namespaces)) await handshakes(emulator, workers, namespace, WARMUP_MS);
    const rounds = Object.fromEntries(Object.keys(ready.namespaces).map((ns) => [ns, []]));
    for (const order of ROUNDS) {
      for (const namespace of order) rounds[namespace].push(await handshakes(emulator, workers, namespace, ROUND_MS));
    }
    const out = {};
    for (const [namespace, rs] of Object.entries(rounds)) {
      const sorted = Float64Array.from(rs.flatMap((r) => r.latencies)).sort();
      const defined = (xs) => xs.filter((x) => x !== undefined);
      const r = {
        bundleSize: ready.namespaces[namespace].bundleSize,
        rate: median(rs.map((x) => x.rate)),
        rates: rs.map((x) => x.rate),
        count: rs.reduce((n, x) => n + x.count, 0),
        errors: rs.reduce((n, x) => n + x.errors, 0),
        errorSamples: rs.flatMap((x) => x.errorSamples).slice(0, 3),
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        gatewayUsPerHandshake: defined(rs.map((x) => x.gatewayUsPerHandshake)).length ? median(defined(rs.map((x) => x.gatewayUsPerHandshake))) : undefined,
        gatewayCores: defined(rs.map((x) => x.gatewayCores)).length ? median(defined(rs.map((x) => x.gatewayCores))) : undefined,
        workersCores: median(rs.map((x) => x.workersCores)),
        machineCores: defined(rs.map((x) => x.machineCores)).length ? median(defined(rs.map((x) => x.machineCores))) : undefined,
      };
      if (r.count === 0) throw new CommandFailed(`no handshake with ${namespace} was admitted, e.g. ${r.errorSamples[0] ?? '(no error either)'}`);
      const label = `${r.bundleSize} CA${r.bundleSize === 1 ? '' : 's'} (${namespace})`;
      console.log(`      ${label.padEnd(24)} ${r.rate.toFixed(0).padStart(4)} handshakes/s   p50 ${f2(r.p50)} ms   p99 ${f2(r.p99)} ms   errors ${r.errors} of ${r.count + r.errors}`);
      console.log(`      ${''.padEnd(24)} by round: ${r.rates.map((x) => x.toFixed(0)).join(', ')}`);
      const cpu = [
        r.gatewayCores === undefined ? '' : `gateway ${f2(r.gatewayCores)}`,
        `load ${f2(r.workersCores)}`,
        r.machineCores === undefined || r.gatewayCores === undefined ? '' : `rest ${f2(Math.max(0, r.machineCores - r.gatewayCores - r.workersCores))}`,
        r.machineCores === undefined ? '' : `idle ${f2(Math.max(0, availableParallelism() - r.machineCores))}`,
      ].filter(Boolean);
      const perHandshake = r.gatewayUsPerHandshake === undefined ? '' : `; gateway CPU/handshake ${r.gatewayUsPerHandshake.toFixed(0)} us (one core: ~${(1e6 / r.gatewayUsPerHandshake).toFixed(0)}/s)`;
      console.log(`      ${''.padEnd(24)} CPU (cores): ${cpu.join(', ')}${perHandshake}`);
      for (const sample of r.errorSamples) console.log(`        error: ${sample}`);
      out[namespace] = r;
    }
    // Round by round: the two runs of a round are neighbours in time, so noise that comes and goes hits both.
    const perRound = (f) => ROUNDS.map((_, i) => f(rounds['hundred.bench'][i], rounds['one.bench'][i]));
    const roundRatios = perRound((h, o) => h.rate / o.rate);
    const ratio = median(roundRatios);
    const cpuRatios = perRound((h, o) => (h.gatewayUsPerHandshake === undefined || o.gatewayUsPerHandshake === undefined ? undefined : h.gatewayUsPerHandshake / o.gatewayUsPerHandshake)).filter((x) => x !== undefined);
    const cpuRatio = cpuRatios.length ? median(cpuRatios) : undefined;
    const pct = (x) => `${x >= 1 ? '+' : ''}${f1(100 * (x - 1))}%`;
    const cpuPart = cpuRatio === undefined ? '' : `, gateway CPU/handshake ${pct(cpuRatio)}`;
    console.log(`      100 CAs vs 1 CA (median of the rounds' ratios): handshakes/s ${pct(ratio)}${cpuPart}`);
    console.log(`      ${''.padEnd(24)} by round: ${roundRatios.map(pct).join(', ')}`);
    const rests = Object.values(rounds)
      .flat()
      .map((x) => (x.machineCores === undefined || x.gatewayCores === undefined ? undefined : x.machineCores - x.gatewayCores - x.workersCores))
      .filter((x) => x !== undefined);
    const noisy = rests.length > 0 && Math.max(...rests) > NOISY_REST_CORES;
    if (noisy) console.log(`      WARNING: other processes used up to ${f2(Math.max(...rests))} cores during a round: a noisy run (see the rounds above)`);
    return { one: out['one.bench'], hundred: out['hundred.bench'], ratio, cpuRatio, noisy };
  } finally {
    for (const w of workers) {
      if (w.child.connected) w.child.disconnect();
    }
    await Promise.all(workers.map(async (w) => (await waitExit(w.child, STOP_TIMEOUT_MS)) || w.child.kill('SIGKILL')));
  }
}

/** Part 5b: GetSystemInfo latency, directly to the plaintext upstream and through the gateway, interleaved call by call. */
async function addedLatency(emulator, upstream, caPem) {
  const { Connection } = require('@temporalio/client');
  const { ready } = emulator;
  const namespace = 'one.bench';
  const leaf = ready.leaves[0];
  const tls = {
    serverNameOverride: ready.namespaces[namespace].host,
    serverRootCACertificate: Buffer.from(caPem),
    clientCertPair: { crt: Buffer.from(leaf.certificatePem), key: Buffer.from(leaf.privateKeyPem) },
  };
  const paths = [
    { key: 'direct', label: 'direct, plaintext', address: upstream.address, expect: UPSTREAM_VERSION },
    { key: 'gateway', label: 'through the gateway', address: ready.forwarding.address, tls, expect: UPSTREAM_VERSION },
    { key: 'builtIn', label: 'built-in frontend', address: ready.builtIn.address, tls, expect: ready.systemInfo.serverVersion },
  ];
  const connections = [];
  try {
    for (const path of paths) {
      path.connection = await Connection.connect({ address: path.address, connectTimeout: '5s', ...(path.tls && { tls: path.tls }) });
      connections.push(path.connection);
      const info = await path.connection.workflowService.getSystemInfo({});
      if (info.serverVersion !== path.expect) throw new CommandFailed(`GetSystemInfo ${path.label} answered server version "${info.serverVersion}", not "${path.expect}"`);
      path.times = [];
    }
    console.log(`   b) GetSystemInfo latency, @temporalio/client, one connection per path, sequential calls interleaved path by path,`);
    console.log(`      ${LATENCY_CALLS} each after ${LATENCY_WARMUP} warm-up: direct = plaintext to a grpc-js frontend in the bench process;`);
    console.log(`      through the gateway = mTLS to a dev-server started with --upstream <that frontend> (${namespace});`);
    console.log('      built-in frontend = mTLS to the default gateway, answered in-process (reference)');
    for (let i = 0; i < LATENCY_WARMUP + LATENCY_CALLS; i++) {
      for (const path of paths) {
        const t0 = performance.now();
        await path.connection.workflowService.getSystemInfo({});
        if (i >= LATENCY_WARMUP) path.times.push(performance.now() - t0);
      }
    }
    checkChildAlive(emulator);
    const out = {};
    for (const path of paths) {
      const sorted = Float64Array.from(path.times).sort();
      out[path.key] = { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
      console.log(`      ${path.label.padEnd(22)} p50 ${out[path.key].p50.toFixed(3).padStart(6)} ms   p99 ${out[path.key].p99.toFixed(3).padStart(6)} ms`);
    }
    out.addedP50 = out.gateway.p50 - out.direct.p50;
    // The p99s are set by pauses (GC, a busy core) more than by the path, so only the p50s are subtracted.
    console.log(`      added by the gateway (p50 through it - p50 direct): ${out.addedP50.toFixed(3)} ms`);
    return out;
  } finally {
    await Promise.all(connections.map((c) => c.close().catch(() => {})));
  }
}

/** The gateway's log: connections admitted and refused, per emulator. */
function logCounts(logPath) {
  const counts = { admitted: 0, refused: 0, other: [] };
  let text = '';
  try {
    text = readFileSync(logPath, 'utf8');
  } catch {
    return counts;
  }
  for (const line of text.split('\n')) {
    if (line.includes(' gateway: admitted ')) counts.admitted++;
    else if (line.includes(' gateway: refused ')) counts.refused++;
    else if (line.trim() !== '' && counts.other.length < 3) counts.other.push(line);
  }
  return counts;
}

/** Runs part 5 with its emulator child started for it and stopped afterwards, whatever happens. */
export async function gatewayBench(tmp) {
  // A folder of its own: the child's database, the dev server CA it makes beside it, and its log.
  const folder = join(tmp, 'gateway');
  mkdirSync(folder, { recursive: true });
  const upstream = await startUpstream();
  let emulator;
  let result;
  try {
    emulator = await startChild(folder, upstream);
    upstream.answerAs(emulator.ready.systemInfo);
    const caPem = readFileSync(emulator.ready.caPath, 'utf8');
    const rate = await handshakeRate(emulator, caPem);
    const latency = await addedLatency(emulator, upstream, caPem);
    const log = logCounts(emulator.logPath);
    // Two refusals are ours (the stranger, once per namespace); any other is a client the count missed.
    console.log(`      gateway log: ${log.admitted} admitted, ${log.refused} refused (2 expected: the sanity check's stranger)`);
    for (const line of log.other) console.log(`        log: ${line}`);
    result = { rate, latency, unexpectedRefusals: log.refused - 2 };
  } finally {
    const stopped = emulator ? await stopChild(emulator.child) : { clean: true };
    await upstream.close();
    if (result && !stopped.clean) throw new CommandFailed(`the emulator child ${stopped.why} on SIGTERM:\n${emulator.stderr()}`);
  }
  return result;
}

/** The summary table's rows for part 5: [metric, measured, target, result]. */
export function gatewayRows({ rate, latency, unexpectedRefusals }) {
  const { one, hundred, ratio, cpuRatio, noisy } = rate;
  const note = noisy ? ' (noisy run)' : '';
  const change = Math.abs(ratio - 1);
  const ms = (x) => `${x.toFixed(2)} ms`;
  const us = (r) => (r.gatewayUsPerHandshake === undefined ? 'n/a' : `${r.gatewayUsPerHandshake.toFixed(0)} us`);
  return [
    ['mTLS handshakes, 1-CA bundle', `${one.rate.toFixed(0)}/s${note}`, `>= ${TARGETS.handshakesPerSecond}/s`, verdict(one.rate >= TARGETS.handshakesPerSecond)],
    ['mTLS handshakes, 100-CA bundle', `${hundred.rate.toFixed(0)}/s${note}`, `>= ${TARGETS.handshakesPerSecond}/s`, verdict(hundred.rate >= TARGETS.handshakesPerSecond)],
    ['  100 CAs vs 1 CA (rounds\' median)', `${ratio >= 1 ? '+' : ''}${f1(100 * (ratio - 1))}%`, `within ${100 * TARGETS.bundleChange}%`, verdict(change <= TARGETS.bundleChange)],
    ['  errors (and refusals)', `${one.errors + hundred.errors} of ${one.count + one.errors + hundred.count + hundred.errors} (${Math.max(0, unexpectedRefusals)})`, '0', verdict(one.errors + hundred.errors === 0 && unexpectedRefusals <= 0)],
    ['  gateway CPU per handshake', `${us(one)} / ${us(hundred)}${cpuRatio === undefined ? '' : ` (${cpuRatio >= 1 ? '+' : ''}${f1(100 * (cpuRatio - 1))}%)`}`, '(reference)', ''],
    ['GetSystemInfo direct p50 (p99)', `${ms(latency.direct.p50)} (${ms(latency.direct.p99)})`, '(reference)', ''],
    ['  through the gateway', `${ms(latency.gateway.p50)} (${ms(latency.gateway.p99)})`, '(reference)', ''],
    ['  added by the gateway, p50', ms(latency.addedP50), '(reference)', ''],
  ];
}
