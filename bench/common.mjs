// Helpers shared by the parts of the bench.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

/** A command (or a process the bench started) failed: the bench exits 1. A missed target is not this. */
export class CommandFailed extends Error {}

// bin/tcld runs through its shebang (`/usr/bin/env node`), so the launcher's cost counts; putting
// this Node's directory first on PATH makes env find the same node that runs `node -e 0`.
export const childEnv = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };

/** Runs a command to completion; throws CommandFailed unless it exits 0. Returns its result and wall ms. */
export function run(command, args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error || result.status !== 0) {
    const why = result.error?.message ?? (result.signal ? `signal ${result.signal}` : `exit code ${result.status}`);
    throw new CommandFailed(`\`${[command, ...args].join(' ')}\` failed (${why})\n${result.stderr ?? ''}`);
  }
  return { result, ms };
}

const PRELOAD = join(dirname(fileURLToPath(import.meta.url)), 'maxrss-preload.cjs');
const viaTime = existsSync('/usr/bin/time') && process.env.BENCH_RSS !== 'preload';
/** How peakRss measures, for the report. */
export const RSS_METHOD = viaTime ? '/usr/bin/time -f %M' : 'node --require bench/maxrss-preload.cjs (resourceUsage().maxRSS)';

/** Runs a node script (bin/tcld) to completion like run() and returns its result and peak resident set size in MiB. */
export function peakRss(script, args) {
  const { result } = viaTime ? run('/usr/bin/time', ['-f', 'TCLD_BENCH_MAXRSS_KB=%M', script, ...args]) : run(process.execPath, ['--require', PRELOAD, script, ...args]);
  const found = [...result.stderr.matchAll(/TCLD_BENCH_MAXRSS_KB=(\d+)/g)].at(-1);
  if (!found) throw new CommandFailed(`no peak RSS reported by ${script} ${args.join(' ')}:\n${result.stderr}`);
  return { result, mb: Number(found[1]) / 1024 };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
export const verdict = (ok) => (ok ? 'PASS' : 'MISS');
export const f1 = (x) => x.toFixed(1);
export const f2 = (x) => x.toFixed(2);

export const exited = (child) => child.exitCode !== null || child.signalCode !== null;
export const waitExit = (child, ms) =>
  exited(child) ? Promise.resolve(true) : Promise.race([new Promise((done) => child.once('exit', () => done(true))), sleep(ms).then(() => false)]);

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
export function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
  } catch {
    return undefined;
  }
}

/** Busy and total CPU jiffies of the whole machine, from /proc/stat; undefined elsewhere. */
export function machineCpu() {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = fields[3] + fields[4];
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** Nearest-rank percentile of an ascending array. */
export const percentile = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]);
