import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Emulator } from './index.js';
import { messages } from './messages.js';
import { connectOfficialClient, startTestEmulator, type OfficialClient } from './test-support.js';

const IDS = ['big1.acct', 'big2.acct', 'big3.acct', 'big4.acct', 'small.acct'];
const MIB = 1024 * 1024;

describe('emulator › GetNamespaces with large namespaces', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcld-large-'));
  const db = join(dir, 'dev-server.db');
  let emulator: Emulator;
  let c: OfficialClient;
  before(async () => {
    const seeding = await startTestEmulator({ db, namespaces: IDS });
    await seeding.close();
    // Specs of 1 MiB each, written past the API (whose bundle limits keep real ones far smaller).
    const raw = new Database(db);
    const update = raw.prepare('UPDATE namespaces SET spec = ? WHERE id = ?');
    for (const id of IDS.slice(0, 4)) {
      const spec = { name: id.split('.')[0], regions: ['local'], retentionDays: 30, mtlsAuth: { enabled: true, acceptedClientCa: Buffer.alloc(MIB, 0x41) } };
      update.run(Buffer.from(messages().NamespaceSpec.encode(spec).finish()), id);
    }
    raw.close();
    emulator = await startTestEmulator({ db });
    c = await connectOfficialClient(emulator, { retries: false });
  });
  after(async () => {
    c.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps each page within a client's default 4 MiB receive limit, and pages through every namespace", async () => {
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let pageToken = '';
    do {
      const page = await c.cloud.getNamespaces({ pageSize: 1000, pageToken });
      pageSizes.push(page.namespaces?.length ?? 0);
      seen.push(...(page.namespaces ?? []).map((n) => n.namespace!));
      pageToken = page.nextPageToken ?? '';
    } while (pageToken !== '');
    assert.deepEqual(seen, IDS);
    assert.deepEqual(pageSizes, [2, 3]);
  });
});
