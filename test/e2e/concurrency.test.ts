/**
 * Lost updates: concurrent `tcld n ca a` processes by different people, each with its own CA, all
 * survive, because each re-reads and re-applies its change when another got there first, for as long
 * as its time budget lasts. Two busy loops keep both cores busy meanwhile, as on a loaded machine.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import { startTestEmulator, TEST_KEY } from '../../src/emulator/test-support.js';
import { generateCertificateAuthority } from '../../src/pki/ca.js';
import { BUNDLE_MAX_CERTIFICATES, parseBundle } from '../../src/pki/bundle.js';
import { DAY, assertExit, freshFolder, removeFolders, tcld } from './helpers.js';

/** A full bundle's worth of writers into one namespace, and a few into another. */
const WRITERS = [
  { namespace: 'race.acct', count: BUNDLE_MAX_CERTIFICATES },
  { namespace: 'other.acct', count: 4 },
];
const BUSY_LOOPS = 2;

describe('concurrent tcld n ca a', () => {
  let emulator: Emulator;
  let folder: string;
  const busy: ChildProcess[] = [];
  before(async () => {
    emulator = await startTestEmulator({ namespaces: WRITERS.map((w) => w.namespace), asyncDelayMs: 10 });
    folder = freshFolder();
  });
  after(async () => {
    for (const loop of busy) loop.kill('SIGKILL');
    await emulator.close();
    removeFolders();
  });

  const connection = () => ['--server', emulator.address, '--insecure', '--api-key', TEST_KEY];

  async function subjectsIn(namespace: string): Promise<string[]> {
    const listed = await tcld([...connection(), 'n', 'ca', 'l', '-n', namespace], { cwd: folder });
    assertExit(listed, 0);
    const pems = (JSON.parse(listed.stdout) as Array<{ base64EncodedData: string }>).map((c) => Buffer.from(c.base64EncodedData, 'base64').toString());
    return parseBundle(pems.join('\n')).map((c) => c.x509.subject).sort();
  }

  it('keeps every CA added by 20 processes started at once on a busy machine, a full bundle in one namespace', async (t) => {
    const writers: Array<{ namespace: string; file: string; subject: string }> = [];
    for (const { namespace, count } of WRITERS) {
      for (let i = 0; i < count; i++) {
        const ca = await generateCertificateAuthority({ organization: `${namespace.split('.')[0]}-writer-${i}`, validityMs: 30 * DAY });
        const file = `ca-${writers.length}.pem`;
        writeFileSync(join(folder, file), ca.certificatePem);
        writers.push({ namespace, file, subject: new X509Certificate(ca.certificatePem).subject });
      }
    }
    for (let i = 0; i < BUSY_LOOPS; i++) busy.push(spawn(process.execPath, ['-e', 'for(;;);'], { stdio: 'ignore' }));

    const runs = await Promise.all(
      writers.map(({ namespace, file }) =>
        tcld([...connection(), 'n', 'ca', 'a', '-n', namespace, '-f', file, '--enable-debug-logs'], { cwd: folder, timeoutMs: 120_000 }),
      ),
    );
    for (const loop of busy.splice(0)) loop.kill('SIGKILL');

    for (const run of runs) assertExit(run, 0);
    const retried = runs.filter((run) => /changed meanwhile/.test(run.stderr)).length;
    const rounds = runs.map((run) => 1 + (run.stderr.match(/changed meanwhile/g) ?? []).length);
    t.diagnostic(`${retried} of ${runs.length} writers met a conflict; the most rounds one took: ${Math.max(...rounds)}`);
    assert.ok(retried > 0, 'no writer ever met a conflict, so this run did not exercise the retry');
    for (const { namespace } of WRITERS) {
      const expected = writers.filter((w) => w.namespace === namespace).map((w) => w.subject).sort();
      assert.deepEqual(await subjectsIn(namespace), expected, `the bundle of ${namespace}`);
    }
  });
});
