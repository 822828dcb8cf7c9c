// tcld benchmark: CLI start-up against bare `node -e 0`, peak memory of `gen ca`, in-process
// certificate issuance through the library against a node:crypto-only ceiling, the Cloud Ops API
// commands and emulator throughput against `tcld dev-server` (bench/cloud.mjs), and the namespaces'
// mTLS gateway: full handshakes per second with 1-CA and 100-CA bundles, and the latency it adds to a
// GetSystemInfo call (bench/gateway.mjs); and the offline certificate checks, `tcld cert verify`
// against a 100-CA bundle and `tcld cert check-expiry` on 1000 certificates (bench/cert-checks.mjs);
// and hostile bundles (4 MB, a BEGIN-line flood) refused by the dev-server beside a GetNamespace (bench/hostile.mjs).
// Run `npm run build` first. It reports and exits 0 when a
// target is missed; it exits 1 when a command itself fails. `npm run bench -- startup` runs only the
// start-up parts: 1, 2, and 4 without the emulator's throughput.
import { spawnSync } from 'node:child_process';
import { generateKeyPair, randomBytes, sign } from 'node:crypto';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { certChecksBench, certChecksRows } from './cert-checks.mjs';
import { checkLoadSettings, cloudBench, cloudRows, killChildren } from './cloud.mjs';
import { CommandFailed, RSS_METHOD, childEnv, f1, f2, median, peakRss, run, verdict } from './common.mjs';
import { gatewayBench, gatewayRows, killGatewayChildren } from './gateway.mjs';
import { hostileBench, hostileRows, killHostileChildren } from './hostile.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const BIN = join(root, 'bin/tcld');
const WARMUP_ROUNDS = 3;
const ROUNDS = 30;
const MEMORY_RUNS = 5;
const LEAVES = 600; // per trial
const LEAF_WARMUP = 50;
const TRIALS = 3;
const CONCURRENCY = [8, 16];

const tmp = mkdtempSync(join(tmpdir(), 'tcld-bench-'));
const caCert = join(tmp, 'ca.pem');
const caKey = join(tmp, 'ca.key');
const genCaArgs = ['gen', 'ca', '--org', 'bench', '-d', '1y', '--ca-cert', caCert, '--ca-key', caKey, '--auto_confirm'];

/** One `gen ca` into paths cleared beforehand (so no overwrite question), checked to have written both files. */
/** One `gen ca` into fresh paths, measured by `measure` (run: wall time; peakRss: memory), checked to have written both files. */
function genCa(measure = run) {
  rmSync(caCert, { force: true });
  rmSync(caKey, { force: true });
  const outcome = measure(BIN, genCaArgs);
  if (!existsSync(caCert) || !existsSync(caKey)) throw new CommandFailed('gen ca exited 0 but did not write both files');
  return outcome;
}

function checkLauncher() {
  const { result } = run('/usr/bin/env', ['node', '-p', 'process.execPath']);
  const found = result.stdout.trim();
  if (realpathSync(found) !== realpathSync(process.execPath)) {
    console.log(`  WARNING: bin/tcld's shebang finds ${found}, not ${process.execPath}`);
  }
}

/**
 * NODE_EXTRA_CA_CERTS makes every node process read and parse that file at start-up, before any of
 * its code runs: bare node and tcld pay it alike, so it is part of both sides of each ratio. Said,
 * with bare node's time without it, so that ratios from machines with and without it can be compared.
 */
function extraCaNote() {
  if (!process.env.NODE_EXTRA_CA_CERTS) return;
  const { NODE_EXTRA_CA_CERTS: _, ...without } = childEnv;
  const times = [];
  for (let i = 0; i < 11; i++) {
    const start = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0'], { env: without, stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  console.log(`   note: NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS} is set, and node loads it at start-up: every time above,`);
  console.log(`   bare node's and tcld's alike, includes it (node -e 0 without it: median ${f1(median(times))} ms); the ratios are taken as the environment is`);
}

/** Part 1: the three commands interleaved round-robin, so that machine noise hits each alike. */
function startup() {
  const commands = {
    node: () => run(process.execPath, ['-e', '0']).ms,
    help: () => run(BIN, ['--help']).ms,
    genCa: () => genCa().ms,
  };
  const times = { node: [], help: [], genCa: [] };
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    for (const [name, once] of Object.entries(commands)) {
      const ms = once();
      if (round >= WARMUP_ROUNDS) times[name].push(ms);
    }
  }
  const stats = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, { median: median(xs), min: Math.min(...xs) }]));
  console.log(`\n1. Start-up: wall time of spawnSync, ${ROUNDS} interleaved rounds after ${WARMUP_ROUNDS} warm-up rounds`);
  console.log(`   (bin/tcld run directly through its shebang; node -e 0 run as ${process.execPath})`);
  const row = (label, s) => console.log(`   ${label.padEnd(22)} median ${f1(s.median).padStart(6)} ms   min ${f1(s.min).padStart(6)} ms`);
  row('node -e 0', stats.node);
  row('tcld --help', stats.help);
  row('tcld gen ca (P-384)', stats.genCa);
  extraCaNote();
  return { genCaRatio: stats.genCa.median / stats.node.median, helpRatio: stats.help.median / stats.node.median };
}

/** Part 2: peak RSS of `gen ca`, the largest of several runs, in MiB. */
function peakMemory() {
  const samples = [];
  for (let i = 0; i < MEMORY_RUNS; i++) samples.push(genCa(peakRss).mb);
  console.log(`\n2. Peak memory (max RSS) of gen ca, ${MEMORY_RUNS} runs, via ${RSS_METHOD} bin/tcld ...`);
  console.log(`   max ${f1(Math.max(...samples))} MB   median ${f1(median(samples))} MB   (MB = KiB/1024)`);
  return Math.max(...samples);
}

/** Certificates per second: `count` calls of `task`, at most `concurrency` in flight. */
async function rate(task, count, concurrency) {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      await task();
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return count / ((performance.now() - start) / 1000);
}

/** Part 3: library issuance against bare node:crypto (P-384 key pair + one SHA-384 signature of ~600 bytes). */
async function throughput() {
  const lib = createRequire(import.meta.url)(join(root, 'dist/lib/index.cjs'));
  const generated = await lib.generateCertificateAuthority({ organization: 'bench', validityMs: 365 * 86400000 });
  const ca = lib.loadCertificateAuthority({ certificate: generated.certificatePem, privateKey: generated.privateKeyPem });
  const tbs = randomBytes(600);
  const issue = async () => {
    const leaf = await lib.generateEndEntityCertificate({ ca, organization: 'bench' });
    if (!leaf.certificatePem.startsWith('-----BEGIN CERTIFICATE-----')) throw new Error('library returned no certificate');
  };
  const cryptoOnly = () =>
    new Promise((resolve, reject) =>
      generateKeyPair('ec', { namedCurve: 'P-384' }, (error) =>
        error ? reject(error) : sign('sha384', tbs, ca.privateKey, (e, sig) => (e ? reject(e) : resolve(sig)))),
    );
  const pool = process.env.UV_THREADPOOL_SIZE ?? '4 (default)';
  console.log(`\n3. In-process issuance via dist/lib/index.cjs: ${LEAVES} P-384 leaves per trial, median of ${TRIALS} trials,`);
  console.log(`   after ${LEAF_WARMUP} warm-up; ceiling = generateKeyPair P-384 + sign sha384 only (thread pool ${pool})`);
  let best = { lib: 0 };
  for (const concurrency of CONCURRENCY) {
    await rate(issue, LEAF_WARMUP, concurrency);
    await rate(cryptoOnly, LEAF_WARMUP, concurrency);
    const libRates = [];
    const ceilingRates = [];
    for (let t = 0; t < TRIALS; t++) {
      libRates.push(await rate(issue, LEAVES, concurrency));
      ceilingRates.push(await rate(cryptoOnly, LEAVES, concurrency));
    }
    const r = { concurrency, lib: median(libRates), ceiling: median(ceilingRates) };
    console.log(`   ${String(concurrency).padStart(2)} in flight: library ${r.lib.toFixed(0).padStart(5)}/s   crypto-only ${r.ceiling.toFixed(0).padStart(5)}/s   library = ${(100 * r.lib / r.ceiling).toFixed(0)}% of ceiling`);
    if (r.lib > best.lib) best = r;
  }
  return best;
}

function summary({ genCaRatio, helpRatio }, peakMb, best, cloud, gateway, certChecks, hostile) {
  const optional = (value, rows) => (value ? rows(value) : []);
  const rows = [
    ['gen ca time / node -e 0', `${f2(genCaRatio)}x`, '<= 1.8x (stretch 1.5x)', `${verdict(genCaRatio <= 1.8)}${genCaRatio <= 1.5 ? ' (stretch met)' : ''}`],
    ['--help time / node -e 0', `${f2(helpRatio)}x`, '<= 1.3x', verdict(helpRatio <= 1.3)],
    ['gen ca peak RSS', `${f1(peakMb)} MB`, '< 80 MB', verdict(peakMb < 80)],
    ...optional(best, () => [
      [`leaf issuance (${best.concurrency} in flight)`, `${best.lib.toFixed(0)}/s`, '>= 500/s', verdict(best.lib >= 500)],
      ['  as share of crypto-only', `${(100 * best.lib / best.ceiling).toFixed(0)}%`, '(reference)', ''],
    ]),
    ...cloudRows(cloud),
    ...optional(gateway, gatewayRows),
    ...optional(certChecks, certChecksRows),
    ...optional(hostile, hostileRows),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), ['Metric', 'Measured', 'Target'][i].length));
  const line = (cells) => `   ${cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ')}`.trimEnd();
  console.log('\nSummary (the bench reports; a MISS does not fail it)');
  console.log(line(['Metric', 'Measured', 'Target', 'Result']));
  console.log(line(widths.map((w) => '-'.repeat(w)).concat('------')));
  rows.forEach((r) => console.log(line(r)));
}

async function main() {
  const only = process.argv[2];
  if (only !== undefined && only !== 'startup') throw new CommandFailed(`unknown part "${only}": run all parts, or only "startup"`);
  const all = only === undefined;
  if (!existsSync(BIN) || !existsSync(join(root, 'dist/lib/index.cjs'))) throw new CommandFailed('not built: run `npm run build` first');
  checkLoadSettings();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`tcld bench: Node ${process.version}, ${availableParallelism()} cores (${cpu.trim()}), ${process.platform}`);
  checkLauncher();
  const times = startup();
  const peakMb = peakMemory();
  const best = all ? await throughput() : undefined;
  const cloud = await cloudBench(tmp, { throughput: all });
  const gateway = all ? await gatewayBench(tmp) : undefined;
  const certChecks = all ? await certChecksBench({ tmp, bin: BIN, root }) : undefined;
  const hostile = all ? await hostileBench({ tmp, bin: BIN, root }) : undefined;
  summary(times, peakMb, best, cloud, gateway, certChecks, hostile);
}

// Interrupted (Ctrl-C, or a SIGTERM from outside): stop the dev-server, the emulator child and the
// load workers, remove the temp folder. The normal and failing paths do the same through cloudBench's
// and gatewayBench's finally and below.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.once(signal, () => {
    console.error(`\nbench interrupted (${signal}): stopping what it started`);
    killChildren();
    killGatewayChildren();
    killHostileChildren();
    rmSync(tmp, { recursive: true, force: true });
    process.exit(code);
  });
}
process.once('exit', () => {
  killChildren();
  killGatewayChildren();
  killHostileChildren();
});

try {
  await main();
} catch (error) {
  console.error(`\nbench failed: ${error instanceof CommandFailed ? error.message : error.stack}`);
  process.exitCode = 1;
} finally {
  killChildren();
  killGatewayChildren();
  rmSync(tmp, { recursive: true, force: true });
}
