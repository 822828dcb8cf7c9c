import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Store, StoreError, type OperationRow } from './store.js';

const OPERATION: OperationRow = { id: 'op-1', type: 'update-namespace', namespace: 'a.local', startedMs: 1, finishMs: 2 };
const NAMESPACE = {
  id: 'a.local',
  name: 'a',
  resourceVersion: 'v1',
  spec: Buffer.from([1, 2, 3]),
  asyncOperationId: 'op-1',
  operationType: 'update-namespace',
  operationFinishMs: 2,
  createdMs: 1,
  modifiedMs: 1,
};

describe('Store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcld-store-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('opens a file in WAL mode and keeps what was committed across a reopen', () => {
    const path = join(dir, 'keep.db');
    const store = new Store(path);
    store.transaction(() => {
      store.putNamespace(NAMESPACE);
      store.putOperation(OPERATION);
    });
    store.close();
    const raw = new Database(path, { readonly: true });
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    raw.close();
    const reopened = new Store(path);
    assert.deepEqual({ ...reopened.namespace('a.local'), spec: Buffer.from(reopened.namespace('a.local')!.spec) }, NAMESPACE);
    assert.deepEqual(reopened.operation('op-1'), OPERATION);
    reopened.close();
  });

  it('rolls back the whole transaction when it throws', () => {
    const store = new Store(':memory:');
    assert.throws(() =>
      store.transaction(() => {
        store.putOperation(OPERATION);
        store.putNamespace(NAMESPACE);
        throw new Error('refused');
      }),
    );
    assert.equal(store.operation('op-1'), undefined);
    assert.equal(store.namespace('a.local'), undefined);
    store.close();
  });

  it('refuses an operation ID it already has', () => {
    const store = new Store(':memory:');
    store.putOperation(OPERATION);
    assert.throws(() => store.putOperation({ ...OPERATION, type: 'delete-namespace' }), /UNIQUE/);
    assert.equal(store.operation('op-1')?.type, 'update-namespace');
    store.close();
  });

  it('lists in ID order after a cursor, filtered by name or ID', () => {
    const store = new Store(':memory:');
    for (const id of ['c.x', 'a.x', 'b.x', 'b.y']) store.putNamespace({ ...NAMESPACE, id, name: id.split('.')[0]! });
    const ids = (query: { afterId?: string; name?: string; limit?: number }) =>
      store.namespaces({ afterId: '', name: '', limit: 10, ...query }).map((n) => n.id);
    assert.deepEqual(ids({}), ['a.x', 'b.x', 'b.y', 'c.x']);
    assert.deepEqual(ids({ afterId: 'b.x', limit: 1 }), ['b.y']);
    assert.deepEqual(ids({ name: 'b' }), ['b.x', 'b.y']);
    assert.deepEqual(ids({ name: 'c.x' }), ['c.x']);
    store.close();
  });

  it('refuses a file that is not a database, and a folder that does not exist, with StoreError', () => {
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'this is not a database, just text long enough to have a header of sorts.......');
    assert.throws(() => new Store(junk), (error: unknown) => error instanceof StoreError && /cannot open database .*junk\.db/.test(error.message));
    assert.throws(() => new Store(join(dir, 'missing', 'x.db')), StoreError);
  });
});
