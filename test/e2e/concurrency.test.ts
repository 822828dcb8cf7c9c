/**
 * Lost updates: concurrent `tcld n ca a` processes by different people, each with its own CA,
 * all survive, because each re-reads and re-applies its change when another got there first.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import { startTestEmulator, TEST_KEY } from '../../src/emulator/test-support.js';
import { generateCertificateAuthority } from '../../src/pki/ca.js';
import { parseBundle } from '../../src/pki/bundle.js';
import { DAY, assertExit, freshFolder, removeFolders, tcld } from './helpers.js';

const NS = 'race.acct';
const WRITERS = 10;

describe('concurrent tcld n ca a', () => {
  let emulator: Emulator;
  let folder: string;
  before(async () => {
    emulator = await startTestEmulator({ namespaces: [NS], asyncDelayMs: 10 });
    folder = freshFolder();
  });
  after(async () => {
    await emulator.close();
    removeFolders();
  });

  it(`keeps all ${WRITERS} CAs added by ${WRITERS} processes started at once`, async () => {
    const subjects: string[] = [];
    for (let i = 0; i < WRITERS; i++) {
      const ca = await generateCertificateAuthority({ organization: `writer-${i}`, validityMs: 30 * DAY });
      writeFileSync(join(folder, `ca-${i}.pem`), ca.certificatePem);
      subjects.push(new X509Certificate(ca.certificatePem).subject);
    }
    const runs = await Promise.all(
      subjects.map((_, i) =>
        tcld(['--server', emulator.address, '--insecure', '--api-key', TEST_KEY, 'n', 'ca', 'a', '-n', NS, '-f', `ca-${i}.pem`, '--enable-debug-logs'], {
          cwd: folder,
          timeoutMs: 60_000,
        }),
      ),
    );
    for (const run of runs) assertExit(run, 0);
    const retried = runs.filter((run) => /changed meanwhile/.test(run.stderr)).length;
    assert.ok(retried > 0, 'no writer ever met a conflict, so this run did not exercise the retry');

    const listed = await tcld(['--server', emulator.address, '--insecure', '--api-key', TEST_KEY, 'n', 'ca', 'l', '-n', NS], { cwd: folder });
    assertExit(listed, 0);
    const bundle = (JSON.parse(listed.stdout) as Array<{ base64EncodedData: string }>).map((c) => Buffer.from(c.base64EncodedData, 'base64').toString());
    const found = parseBundle(bundle.join('\n')).map((c) => c.x509.subject);
    assert.deepEqual([...found].sort(), [...subjects].sort());
  });
});
