/**
 * SIGINT and SIGTERM at random moments of `gen ca` and `gen leaf` (some of them just as the first
 * file of the write appears): afterwards each folder holds no temporary file, and either none of the
 * outputs or all of them, the key matching the certificate. The delays come from a fixed seed; the
 * moments they land on vary with the machine, which is the point: any moment must be safe.
 */
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freshFolder, listing, makeCa, makeLeaf, removeFolders, startTcld, type RunResult } from './helpers.js';

/** Runs per command; with both commands, 200 runs. */
const RUNS_PER_COMMAND = 100;
const PARALLEL = 3;
const SEED = 0x7c1d;

/** mulberry32: a small seeded generator, so that a failing run can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

type Command = 'ca' | 'leaf';

interface Plan {
  command: Command;
  signal: 'SIGINT' | 'SIGTERM';
  /** 'delay': after `delayMs` from the start; 'write': `delayMs` after the first new name appears in the folder. */
  trigger: 'delay' | 'write';
  delayMs: number;
  /** Whether a complete set of outputs is already there (then it must be the old set or the new one, never a mix). */
  overwrite: boolean;
  pkcs12: boolean;
}

const OUTPUTS: Record<Command, { certificate: string; key: string }> = {
  ca: { certificate: 'new-ca.pem', key: 'new-ca.key' },
  leaf: { certificate: 'leaf.pem', key: 'leaf.key' },
};
const P12 = 'leaf.p12';

function argsOf(plan: Plan): string[] {
  const { certificate, key } = OUTPUTS[plan.command];
  if (plan.command === 'ca') return ['gen', 'ca', '--org', 'sig', '-d', '30d', '--ca-cert', certificate, '--ca-key', key, '--auto_confirm'];
  const p12 = plan.pkcs12 ? ['--pkcs12', P12, '--pkcs12-password-file', 'p12.pass'] : [];
  return ['gen', 'leaf', '--org', 'sig', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--cert', certificate, '--key', key, ...p12, '--auto_confirm'];
}

describe('signals during gen ca and gen leaf', () => {
  let template: string;
  /** completed: exit 0; rolledBack / afterCommit: exit 130/143 with the old files / with the new ones; endedBySignal: the signal's default action. */
  const outcomes = { completed: 0, rolledBack: 0, afterCommit: 0, endedBySignal: 0 };
  before(async () => {
    template = freshFolder();
    await makeCa(template, 'ca.pem', 'ca.key');
    writeFileSync(join(template, 'p12.pass'), 'secret\n');
    // The "old" outputs an overwrite starts from.
    await makeCa(template, OUTPUTS.ca.certificate, OUTPUTS.ca.key);
    await makeLeaf(template, { certificate: 'ca.pem', key: 'ca.key' }, OUTPUTS.leaf, ['--pkcs12', P12, '--pkcs12-password-file', 'p12.pass']);
  });
  after(() => removeFolders());

  function prepare(plan: Plan): string {
    const folder = freshFolder();
    const names = plan.command === 'leaf' ? ['ca.pem', 'ca.key', 'p12.pass'] : [];
    if (plan.overwrite) names.push(OUTPUTS[plan.command].certificate, OUTPUTS[plan.command].key, ...(plan.pkcs12 ? [P12] : []));
    for (const name of names) copyFileSync(join(template, name), join(folder, name));
    return folder;
  }

  async function interrupt(plan: Plan, folder: string): Promise<RunResult> {
    const running = startTcld(argsOf(plan), { cwd: folder });
    running.child.stdin.end();
    let timer: NodeJS.Timeout | undefined;
    const kill = () => {
      timer = setTimeout(() => running.child.kill(plan.signal), plan.delayMs);
    };
    const watcher = plan.trigger === 'write' ? watch(folder, () => timer ?? kill()) : undefined;
    if (plan.trigger === 'delay') kill();
    const result = await running.done;
    watcher?.close();
    clearTimeout(timer);
    return result;
  }

  function check(plan: Plan, folder: string, result: RunResult): void {
    const about = `${JSON.stringify(plan)} → exit ${result.code} signal ${result.signal}, stderr ${JSON.stringify(result.stderr)}, folder ${listing(folder).join(' ')}`;
    const reported = / generated at: /.test(result.stdout);
    const interrupted = result.code === (plan.signal === 'SIGTERM' ? 143 : 130);
    if (result.code === 0) outcomes.completed++;
    else if (interrupted) outcomes[reported ? 'afterCommit' : 'rolledBack']++;
    else if (result.signal === plan.signal) outcomes.endedBySignal++;
    else assert.fail(`unexpected end: ${about}`);
    if (interrupted && !reported) assert.match(result.stderr, /^interrupted; nothing was written \(.+ unchanged\)\n$/, about);
    assert.deepEqual(listing(folder).filter((name) => name.startsWith('.')), [], `temporary files left: ${about}`);

    const { certificate, key } = OUTPUTS[plan.command];
    const outputs = [certificate, key, ...(plan.pkcs12 ? [P12] : [])];
    const present = outputs.filter((name) => existsSync(join(folder, name)));
    if (present.length === 0) {
      assert.ok(!plan.overwrite, `the old files are gone: ${about}`);
      assert.ok(!reported, `reported written, but no files: ${about}`);
      return;
    }
    assert.deepEqual(present, outputs, `some files without the others: ${about}`);
    const cert = new X509Certificate(readFileSync(join(folder, certificate)));
    assert.ok(cert.checkPrivateKey(createPrivateKey(readFileSync(join(folder, key)))), `the key does not match the certificate: ${about}`);
    const old = plan.overwrite && readFileSync(join(template, certificate)).equals(readFileSync(join(folder, certificate)));
    if (reported) assert.ok(!old, `reported written, but the old files are there: ${about}`);
    if (interrupted && !reported) assert.ok(old, `said nothing was written, yet the files are new: ${about}`);
    if (plan.pkcs12 && plan.overwrite) {
      assert.equal(readFileSync(join(template, P12)).equals(readFileSync(join(folder, P12))), old, `PKCS#12 file from another write: ${about}`);
    }
  }

  it(`leaves no temporary file and both files or neither, in ${2 * RUNS_PER_COMMAND} interrupted runs`, async (t) => {
    const random = seeded(SEED);
    // How long an uninterrupted run takes here, to spread the delays over a whole run.
    const lifetime: Record<Command, number> = { ca: 0, leaf: 0 };
    for (const command of ['ca', 'leaf'] as const) {
      const folder = prepare({ command, signal: 'SIGTERM', trigger: 'delay', delayMs: 0, overwrite: false, pkcs12: false });
      const started = performance.now();
      const result = await startTcld(argsOf({ command } as Plan), { cwd: folder }).done;
      assert.equal(result.code, 0, result.stderr);
      lifetime[command] = performance.now() - started;
    }
    const plans: Plan[] = [];
    for (let i = 0; i < 2 * RUNS_PER_COMMAND; i++) {
      const command: Command = i % 2 === 0 ? 'ca' : 'leaf';
      const trigger = random() < 0.5 ? 'write' : 'delay';
      plans.push({
        command,
        signal: random() < 0.5 ? 'SIGINT' : 'SIGTERM',
        trigger,
        delayMs: trigger === 'write' ? Math.floor(random() * 4) : Math.floor(random() * lifetime[command] * 1.2),
        overwrite: random() < 0.5,
        pkcs12: command === 'leaf' && random() < 0.5,
      });
    }
    const queue = [...plans];
    const worker = async () => {
      for (let plan = queue.shift(); plan; plan = queue.shift()) {
        const folder = prepare(plan);
        check(plan, folder, await interrupt(plan, folder));
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    t.diagnostic(`${plans.length} runs: ${JSON.stringify(outcomes)}`);
    // Some signal must have landed inside a write, or this test proved nothing about writes.
    assert.ok(outcomes.rolledBack > 0, `no signal landed during a write: ${JSON.stringify(outcomes)}`);
  });
});
