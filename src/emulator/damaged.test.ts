import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Emulator } from './index.js';
import { connectOfficialClient, grpcError, startTestEmulator, status, type OfficialClient } from './test-support.js';

const GOOD = ['good1.acct', 'good2.acct'];

describe('emulator › a database with damaged rows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcld-damaged-'));
  const db = join(dir, 'dev-server.db');
  const log: string[] = [];
  let emulator: Emulator;
  let c: OfficialClient;
  before(async () => {
    const seeding = await startTestEmulator({ db, namespaces: [...GOOD, 'bytes.acct', 'text.acct'] });
    await seeding.close();
    const raw = new Database(db);
    raw.prepare("UPDATE namespaces SET spec = x'ff' WHERE id = 'bytes.acct'").run();
    raw.prepare("UPDATE namespaces SET spec = 'not protobuf' WHERE id = 'text.acct'").run();
    raw.close();
    emulator = await startTestEmulator({ db, metricsPort: 0, log: (line) => log.push(line) });
    c = await connectOfficialClient(emulator, { retries: false });
  });
  after(async () => {
    c.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GetNamespaces › lists the other namespaces, and logs each damaged one it leaves out', async () => {
    log.length = 0;
    const { namespaces, nextPageToken } = await c.cloud.getNamespaces({});
    assert.deepEqual(namespaces?.map((n) => n.namespace), GOOD);
    assert.equal(nextPageToken, '');
    assert.deepEqual(
      log.filter((line) => line.startsWith('store: ')).map((line) => line.replace(/ \(.*\)$/, '')),
      ['store: GetNamespaces skipped namespace bytes.acct, which is damaged: its stored spec does not decode', 'store: GetNamespaces skipped namespace text.acct, which is damaged: its stored spec is string, not bytes'],
    );
  });

  it('GetNamespace and UpdateNamespace › answer DATA_LOSS naming the damaged namespace, and what to do; the others answer', async () => {
    const error = await grpcError(() => c.cloud.getNamespace({ namespace: 'bytes.acct' }));
    assert.equal(error.code, status.DATA_LOSS);
    assert.match(error.details, /^namespace "bytes\.acct" is damaged in the database \(its stored spec does not decode \(.+\)\): delete it with DeleteNamespace, or restore the database$/);
    const update = await grpcError(() => c.cloud.updateNamespace({ namespace: 'text.acct', spec: { name: 'text', regions: ['local'], retentionDays: 3 } }));
    assert.equal(update.code, status.DATA_LOSS);
    assert.equal((await c.cloud.getNamespace({ namespace: 'good1.acct' })).namespace?.spec?.name, 'good1');
  });

  it('/metrics › keeps serving, with the CA series of the others', async () => {
    const response = await fetch(`http://${emulator.metrics!.address}/metrics`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /^# TYPE tcld_namespace_ca_expiry_timestamp_seconds gauge$/m);
  });

  it('DeleteNamespace › removes a damaged namespace, after which nothing is skipped', async () => {
    for (const namespace of ['bytes.acct', 'text.acct']) await c.cloud.deleteNamespace({ namespace });
    log.length = 0;
    assert.deepEqual((await c.cloud.getNamespaces({})).namespaces?.map((n) => n.namespace), GOOD);
    assert.deepEqual(log.filter((line) => line.startsWith('store: ')), []);
  });
});
