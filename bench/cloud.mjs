// Part 4 of the bench: the Cloud Ops API commands against a local emulator (`tcld dev-server`, run as
// a child process) and the dev-server's start-up (both in bench/cloud-cli.mjs), and the emulator's own throughput under 16 concurrent clients driven from
// load-generator processes (bench/load-worker.mjs). By default they are lean grpc-js clients sending
// pre-encoded requests, so that the measurement is of the emulator, not of a client's protobuf work;
// BENCH_LOAD=official uses the official @temporalio/cloud client instead, for comparison;
// BENCH_LOAD_WORKERS=<n> spreads the loops over n processes (default 1); BENCH_CPU_PROF=<dir> writes
// CPU profiles of the dev-server and the load workers there.
import { fork, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { API_KEY, NAMESPACE, cliLatency, cliRows, devServerReady } from './cloud-cli.mjs';
import { CommandFailed, childEnv, exited, f2, machineCpu, percentile, processCpuSeconds, verdict, waitExit } from './common.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const BIN = join(root, 'bin/tcld');
const WORKER = join(here, 'load-worker.mjs');

const API_VERSION = 'v0.10.0';
const ASYNC_DELAY = '10ms';
/** Which client the load generator uses: 'lean' (bare grpc-js, pre-encoded requests) or 'official'. */
const LOAD_CLIENT = process.env.BENCH_LOAD ?? 'lean';
/** 16 loops, each its own connection, namespace and one call in flight. */
const LOOPS = 16;
/**
 * Load-generator processes (BENCH_LOAD_WORKERS overrides). One, measured on a 2-core machine: even the
 * lean client spends more CPU per call than the emulator (grpc-js and HTTP/2 client work, much of it
 * GC), so the machine's cores are the limit either way, and what matters is how much of them the
 * generator leaves to the emulator. One process spent less CPU per call than two (it handles more
 * responses per event-loop turn) and there are two processes, not three, for the two cores: GetNamespace
 * got 8300-9000 req/s, p99 10-11 ms, with one lean process against 6700-7500 req/s, p99 13-15 ms with
 * two; the official client likewise (5400-5900 against 3200-4400 req/s). UpdateNamespace was about even.
 */
const WORKERS = Number(process.env.BENCH_LOAD_WORKERS ?? 1);
const LOAD_WARMUP_MS = 1000;
const LOAD_MS = 10_000;
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5000;
/** How long past its run time a load worker may take to answer (connecting, or sending its latencies). */
const ANSWER_TIMEOUT_MS = 30_000;
const TARGETS = { getRps: 3000, getP99Ms: 20, updateRps: 500 };
/** BENCH_CPU_PROF=<dir>: run the dev-server and the load workers under `node --cpu-prof` into that folder. */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;
const cpuProfArgs = CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF_DIR] : [];

/** Every child process part 4 starts, so that any way out of the bench can stop them. */
const children = new Set();

/** Stops whatever is still running, synchronously (for an exit or signal handler). */
export function killChildren() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
}

function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** `tcld dev-server` on a free port, its log (one line per call) in a file; resolves once it prints its address. */
async function startDevServer(tmp) {
  const logPath = join(tmp, 'dev-server.log');
  const namespaces = [NAMESPACE, ...Array.from({ length: LOOPS }, (_, i) => `load${i}.acct`)];
  const args = ['dev-server', '--db', join(tmp, 'bench.db'), '--port', '0', '--gateway-port', '0', '--auth-port', '0', '--api-key', API_KEY, '--async-delay', ASYNC_DELAY];
  for (const ns of namespaces) args.push('--namespace', ns);
  const log = openSync(logPath, 'w');
  let child;
  try {
    // Profiled, bin/tcld runs under this node rather than through its shebang (which takes no flags).
    child = track(CPU_PROF_DIR ? spawn(process.execPath, [...cpuProfArgs, BIN, ...args], { env: childEnv, stdio: ['ignore', log, log] }) : spawn(BIN, args, { env: childEnv, stdio: ['ignore', log, log] }));
  } finally {
    closeSync(log);
  }
  const readLog = () => readFileSync(logPath, 'utf8');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const found = /Cloud Ops API on (\S+) /.exec(readLog());
    if (found && /created namespaces: /.test(readLog())) return { child, address: found[1], logPath, readLog, namespaces };
    if (exited(child)) throw new CommandFailed(`tcld dev-server exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready:\n${readLog()}`);
    if (Date.now() > deadline) throw new CommandFailed(`tcld dev-server printed no address within ${READY_TIMEOUT_MS / 1000} s:\n${readLog()}`);
    await sleep(20);
  }
}

/** SIGTERM, then SIGKILL if it has not gone after a few seconds. Returns how it ended. */
async function stopDevServer(server) {
  if (!exited(server.child)) {
    server.child.kill('SIGTERM');
    if (!(await waitExit(server.child, STOP_TIMEOUT_MS))) {
      server.child.kill('SIGKILL');
      await waitExit(server.child, STOP_TIMEOUT_MS);
      return { clean: false, why: `did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM (killed)` };
    }
  }
  const { exitCode, signalCode } = server.child;
  return exitCode === 0 ? { clean: true } : { clean: false, why: `ended with ${signalCode ? `signal ${signalCode}` : `exit code ${exitCode}`}` };
}

function checkServerAlive(server) {
  if (exited(server.child)) {
    const tail = server.readLog().trimEnd().split('\n').slice(-10).join('\n');
    throw new CommandFailed(`tcld dev-server died during the bench (code ${server.child.exitCode}, signal ${server.child.signalCode}):\n${tail}`);
  }
}

function startWorker() {
  const child = track(fork(WORKER, [], { env: childEnv, execArgv: [...process.execArgv, ...cpuProfArgs], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  let pending;
  child.on('message', (message) => pending?.(message));
  child.on('exit', (code, signal) => pending?.({ type: 'failed', message: `load worker exited (code ${code}, signal ${signal})` }));
  /** Sends a message and resolves with the worker's answer; a failure answer, or none within the time, rejects. */
  const ask = (message) =>
    new Promise((resolve, reject) => {
      if (exited(child)) return reject(new CommandFailed('load worker is not running'));
      const limitMs = (message.ms ?? 0) + ANSWER_TIMEOUT_MS;
      const timer = setTimeout(() => pending?.({ type: 'failed', message: `no answer to ${message.type} within ${limitMs / 1000} s` }), limitMs);
      pending = (answer) => {
        pending = undefined;
        clearTimeout(timer);
        if (answer.type === 'failed') reject(new CommandFailed(`load worker: ${answer.message}`));
        else resolve(answer);
      };
      child.send(message);
    });
  return { child, ask };
}

/** One method for `ms` on every worker at once; returns the merged calls, latencies and CPU shares. */
async function load(server, workers, method, ms) {
  const emulatorCpu0 = processCpuSeconds(server.child.pid);
  const machine0 = machineCpu();
  const start = performance.now();
  const results = await Promise.all(workers.map((w) => w.ask({ type: 'run', method, ms })));
  const wallMs = performance.now() - start;
  const emulatorCpu1 = processCpuSeconds(server.child.pid);
  const machine1 = machineCpu();
  checkServerAlive(server);
  const calls = results.reduce((n, r) => n + r.calls, 0);
  const errors = results.reduce((n, r) => n + r.errors, 0);
  const sorted = Float64Array.from(results.flatMap((r) => Array.from(r.latencies))).sort();
  // The window: from the first send until the slowest worker's last call came back.
  const windowMs = Math.max(...results.map((r) => r.elapsedMs));
  const cores = (cpuSeconds) => cpuSeconds / (wallMs / 1000);
  return {
    calls,
    errors,
    errorSamples: results.flatMap((r) => r.errorSamples).slice(0, 3),
    rps: calls / (windowMs / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    windowMs,
    // CPU in cores (1 = one core busy all the window); the machine's busy share times its cores.
    emulatorCpu: emulatorCpu0 === undefined || emulatorCpu1 === undefined ? undefined : cores(emulatorCpu1 - emulatorCpu0),
    emulatorUsPerCall: emulatorCpu0 === undefined || emulatorCpu1 === undefined || calls === 0 ? undefined : ((emulatorCpu1 - emulatorCpu0) * 1e6) / calls,
    workersCpu: cores(results.reduce((s, r) => s + r.cpuMs, 0) / 1000),
    workersElu: Math.max(...results.map((r) => r.elu)),
    workersLoopDelayP99: Math.max(...results.map((r) => r.loopDelayP99Ms)),
    machineCpu: machine0 && machine1 ? (availableParallelism() * (machine1.busy - machine0.busy)) / (machine1.total - machine0.total) : undefined,
  };
}

const LOAD_CLIENTS = {
  lean: [
    'a bare @grpc/grpc-js Client per loop: makeUnaryRequest of request bytes encoded once up front, no stack',
    'traces; a response is decoded (in full, and checked) only for the first call of each loop in each run.',
  ],
  official: ['the official @temporalio/cloud client: every request encoded and every response decoded, as a user\'s are.'],
};

/** Throws CommandFailed for a BENCH_LOAD or BENCH_LOAD_WORKERS part 4 cannot use (the bench checks before it starts). */
export function checkLoadSettings() {
  if (!Object.hasOwn(LOAD_CLIENTS, LOAD_CLIENT)) throw new CommandFailed(`BENCH_LOAD=${LOAD_CLIENT}: expected one of ${Object.keys(LOAD_CLIENTS).join(', ')}`);
  if (!(Number.isInteger(WORKERS) && WORKERS >= 1 && WORKERS <= LOOPS)) throw new CommandFailed(`BENCH_LOAD_WORKERS=${process.env.BENCH_LOAD_WORKERS}: expected 1 to ${LOOPS}`);
}

/** Part 4b: GetNamespace, then UpdateNamespace, from 16 loops (each its own connection and namespace) in WORKERS processes. */
async function throughput(server) {
  const workers = Array.from({ length: WORKERS }, startWorker);
  try {
    const loadNamespaces = server.namespaces.filter((ns) => ns !== NAMESPACE);
    // Loops dealt round-robin over the workers.
    await Promise.all(
      workers.map((w, i) =>
        w.ask({ type: 'connect', client: LOAD_CLIENT, address: server.address, apiKey: API_KEY, apiVersion: API_VERSION, namespaces: loadNamespaces.filter((_, j) => j % WORKERS === i) }),
      ),
    );
    const processes = WORKERS === 1 ? `1 forked process x ${LOOPS} loops` : `${WORKERS} forked processes x ${LOOPS / WORKERS} loops`;
    console.log(`   b) Emulator throughput: ${LOOPS} concurrent clients for ${LOAD_MS / 1000} s per method, after ${LOAD_WARMUP_MS / 1000} s warm-up`);
    console.log(`      (load generator: ${LOAD_CLIENT} (BENCH_LOAD=lean|official), ${processes} (BENCH_LOAD_WORKERS);`);
    for (const line of LOAD_CLIENTS[LOAD_CLIENT]) console.log(`      ${line}`);
    if (process.env.BENCH_LOAD_WORKERS === undefined) {
      console.log('      One process: the generator competes with the emulator for the cores, and one spent less CPU per call');
      console.log('      than two, leaving the emulator more (on 2 cores: higher GetNamespace req/s and lower p99, either client).');
    }
    console.log('      Each loop has its own connection, its own namespace and one call in flight; no client retries, so every');
    console.log('      rejected call is an error. UpdateNamespace toggles retention 30/31 days with an empty resource_version');
    console.log('      ("no check"). Latency is as the client sees it. The emulator logs a line per call to a file, as dev-server');
    console.log(`      does. The load generator shares the ${availableParallelism()} cores with the emulator; CPU is in cores used over the window,`);
    console.log('      "rest" = everything else on the machine (kernel, other processes): a large rest means a noisy run.');
    console.log('      emulator CPU/call = its CPU time per call, the cost that sets its capacity whoever sends the load;');
    console.log('      load ELU = the busiest load process\'s event-loop utilisation: near 1 means the generator set the pace');
    console.log('      and req/s is a floor for the emulator; load loop delay p99 = how late that process ran its own timers:');
    console.log('      the part of the client-side p99 that the generator\'s own pauses (GC, waiting for a core) can explain.)');
    const out = {};
    for (const [method, label] of [['get', 'GetNamespace'], ['update', 'UpdateNamespace']]) {
      await load(server, workers, method, LOAD_WARMUP_MS);
      const r = await load(server, workers, method, LOAD_MS);
      if (r.calls > 0 && r.errors === r.calls) throw new CommandFailed(`every ${label} call failed, e.g. ${r.errorSamples[0]}`);
      const cpu = [
        r.emulatorCpu === undefined ? '' : `emulator ${f2(r.emulatorCpu)}`,
        `load generator ${f2(r.workersCpu)} (${LOAD_CLIENT}, ${WORKERS} ${WORKERS === 1 ? 'process' : 'processes'})`,
        r.machineCpu === undefined || r.emulatorCpu === undefined ? '' : `rest ${f2(Math.max(0, r.machineCpu - r.emulatorCpu - r.workersCpu))}`,
      ].filter(Boolean);
      console.log(
        `      ${label.padEnd(16)} ${r.rps.toFixed(0).padStart(5)} req/s   p50 ${r.p50.toFixed(2).padStart(5)} ms   p99 ${r.p99.toFixed(2).padStart(5)} ms   ` +
          `errors ${r.errors} of ${r.calls}`,
      );
      console.log(`      ${''.padEnd(16)} CPU (cores): ${cpu.join(', ')}`);
      const perCall = r.emulatorUsPerCall === undefined ? '' : `emulator CPU/call ${r.emulatorUsPerCall.toFixed(0)} us   `;
      console.log(`      ${''.padEnd(16)} ${perCall}load ELU ${f2(r.workersElu)}   load loop delay p99 ${f2(r.workersLoopDelayP99)} ms`);
      for (const sample of r.errorSamples) console.log(`        error: ${sample}`);
      out[method] = r;
    }
    return out;
  } finally {
    for (const w of workers) {
      if (w.child.connected) w.child.disconnect();
    }
    await Promise.all(workers.map(async (w) => (await waitExit(w.child, STOP_TIMEOUT_MS)) || w.child.kill('SIGKILL')));
  }
}

/**
 * Runs part 4 with a dev-server started for it and stopped afterwards, whatever happens; the emulator's
 * throughput (4b) only when `throughput` is true (`npm run bench -- startup` leaves it out).
 */
export async function cloudBench(tmp, { throughput: withThroughput = true } = {}) {
  checkLoadSettings();
  const server = await startDevServer(tmp);
  let result;
  try {
    console.log(`\n4. Cloud Ops API against tcld dev-server (plaintext gRPC on ${server.address}, SQLite in a temp folder, --async-delay ${ASYNC_DELAY})`);
    const cli = await cliLatency(server, tmp);
    checkServerAlive(server);
    const load = withThroughput ? await throughput(server) : undefined;
    const ready = await devServerReady(tmp, track);
    result = { cli, load, ready };
  } finally {
    const stopped = await stopDevServer(server);
    // Reported as a failure only when nothing else failed first.
    if (result && !stopped.clean) throw new CommandFailed(`tcld dev-server ${stopped.why} on SIGTERM:\n${server.readLog().trimEnd().split('\n').slice(-5).join('\n')}`);
  }
  return result;
}

/** The summary table's rows for part 4: [metric, measured, target, result]. */
export function cloudRows({ cli, load, ready }) {
  if (!load) return cliRows(cli, ready);
  const { get, update } = load;
  const ms = (x) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
  return [
    ...cliRows(cli, ready),
    ['GetNamespace, 16 clients', `${get.rps.toFixed(0)}/s`, `>= ${TARGETS.getRps}/s`, verdict(get.rps >= TARGETS.getRps)],
    ['  p99 latency (p50)', `${ms(get.p99)} (${ms(get.p50)})`, `< ${TARGETS.getP99Ms} ms`, verdict(get.p99 < TARGETS.getP99Ms)],
    ['  errors', `${get.errors} of ${get.calls}`, '0', verdict(get.errors === 0)],
    ['  emulator CPU per call', get.emulatorUsPerCall === undefined ? 'n/a' : `${get.emulatorUsPerCall.toFixed(0)} us`, '(reference)', ''],
    ['  load generator CPU (ELU)', `${f2(get.workersCpu)} cores (${f2(get.workersElu)}), ${LOAD_CLIENT} x${WORKERS}`, '(reference)', ''],
    ['UpdateNamespace, 16 clients', `${update.rps.toFixed(0)}/s`, `>= ${TARGETS.updateRps}/s`, verdict(update.rps >= TARGETS.updateRps)],
    ['  p99 latency (p50)', `${ms(update.p99)} (${ms(update.p50)})`, '(reference)', ''],
    ['  errors', `${update.errors} of ${update.calls}`, '0', verdict(update.errors === 0)],
  ];
}
