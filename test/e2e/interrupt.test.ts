/**
 * Ctrl-C during --wait stops the wait, not the request: tcld says how to wait for the request again
 * and exits 130. Operations stay pending until the test moves the emulator's clock past the async
 * delay, so nothing here depends on timing.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import { startTestEmulator, TEST_KEY } from '../../src/emulator/test-support.js';
import { generateCertificateAuthority } from '../../src/pki/ca.js';
import { DAY, HOUR, assertExit, freshFolder, removeFolders, startTcld, tcld } from './helpers.js';

const NS = 'ctrlc.acct';

describe('Ctrl-C during --wait', () => {
  let emulator: Emulator;
  let folder: string;
  let clockOffset = 0;
  before(async () => {
    emulator = await startTestEmulator({ namespaces: [NS], asyncDelayMs: HOUR, now: () => new Date(Date.now() + clockOffset) });
    folder = freshFolder();
  });
  after(async () => {
    await emulator.close();
    removeFolders();
  });

  const connection = () => ['--server', emulator.address, '--insecure', '--api-key', TEST_KEY];
  const finishPendingOperations = () => (clockOffset += HOUR);

  async function caFile(name: string): Promise<string> {
    const ca = await generateCertificateAuthority({ organization: name, validityMs: 30 * DAY });
    writeFileSync(join(folder, `${name}.pem`), ca.certificatePem);
    return `${name}.pem`;
  }

  /** Starts a waiting command, interrupts it once it waits, and returns its result and the request it waited for. */
  async function interrupt(args: readonly string[], signal: NodeJS.Signals) {
    const running = startTcld([...connection(), ...args], { cwd: folder });
    const waiting = await running.waitForStderr(/waiting for request (\S+) to finish\n/);
    const requestId = /waiting for request (\S+) to finish/.exec(waiting)![1]!;
    running.child.kill(signal);
    return { result: await running.done, requestId, before: waiting };
  }

  it('prints the request and the command that waits for it again, exits 130, and that command then finishes', async () => {
    const { result, requestId, before: waiting } = await interrupt(['n', 'ca', 'a', '-n', NS, '-f', await caFile('first'), '--wait'], 'SIGINT');
    assertExit(result, 130);
    assert.equal(result.stdout, '');
    const resume = `tcld r g -r ${requestId} --wait --server ${emulator.address}`;
    assert.equal(result.stderr.slice(waiting.length), `interrupted; request ${requestId} was not cancelled: to wait for it again, run ${resume}\n`);

    const pending = await tcld([...connection(), 'r', 'g', '-r', requestId], { cwd: folder });
    assertExit(pending, 0);
    assert.equal(JSON.parse(pending.stdout).requestStatus.state, 'Pending', 'the request goes on after the interrupted wait');

    finishPendingOperations();
    const resumed = await tcld([...connection(), 'r', 'g', '-r', requestId, '--wait'], { cwd: folder });
    assertExit(resumed, 0);
    assert.equal(JSON.parse(resumed.stdout).requestStatus.state, 'Fulfilled');
  });

  it('interrupts tcld r g --wait the same way, and SIGTERM exits 143', async () => {
    const started = await tcld([...connection(), 'n', 'ca', 'a', '-n', NS, '-f', await caFile('second')], { cwd: folder });
    assertExit(started, 0);
    const requestId = String(JSON.parse(started.stdout).requestId);
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      const { result, requestId: waitedFor } = await interrupt(['r', 'g', '-r', requestId, '--wait'], signal);
      assert.equal(waitedFor, requestId);
      assertExit(result, code);
      assert.match(result.stderr, new RegExp(`^interrupted; request ${requestId} was not cancelled: .*tcld r g -r ${requestId} --wait`, 'm'));
    }
  });

  it('leaves Ctrl-C alone when nothing waits: at a question, tcld ends as it always did', async () => {
    const running = startTcld(['gen', 'ca', '--org', 'myco', '-d', '30d', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key'], { cwd: freshFolder() });
    await running.waitForStderr(/\[y\/n\]\n$/);
    running.child.kill('SIGINT');
    const result = await running.done;
    assert.deepEqual([result.code, result.signal], [null, 'SIGINT']);
  });
});
