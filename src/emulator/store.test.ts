import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from './store-schema.js';
import { Store, StoreError, type OperationRow } from './store.js';

const OPERATION: OperationRow = { id: 'op-1', type: 'update-namespace', namespace: 'a.local', startedMs: 1, finishMs: 2, requestDigest: 'd1' };
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
  tags: {},
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
    assert.throws(() => new Store(junk), (error: unknown) => error instanceof StoreError && error.code === 'foreign' && error.message === `${junk} is not a SQLite database (expected a tcld dev-server database, or a file that does not exist yet)`);
    assert.throws(() => new Store(join(dir, 'missing', 'x.db')), StoreError);
  });

  it("refuses another program's database with one line naming the file and what it expected, and writes nothing to it", () => {
    const path = join(dir, 'foreign.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE operations (x INTEGER); CREATE TABLE mine (y TEXT)');
    raw.close();
    const before = readFileSync(path);
    assert.throws(
      () => new Store(path),
      (error: unknown) =>
        error instanceof StoreError &&
        error.code === 'foreign' &&
        error.message === `database ${path} is not a tcld dev-server database: it has tables mine, operations at schema version 0 (a tcld dev-server database has tables namespaces, operations, users, api_keys, tokens and accounts, schema version ${SCHEMA_VERSION})`,
    );
    assert.deepEqual(readFileSync(path), before, 'the file is untouched');
  });

  it("refuses a file with tcld's version but other columns, naming the table and the columns it expected", () => {
    const path = join(dir, 'columns.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE namespaces (id TEXT); CREATE TABLE operations (id TEXT)');
    raw.pragma('user_version = 2');
    raw.close();
    assert.throws(
      () => new Store(path),
      (error: unknown) => error instanceof StoreError && error.code === 'foreign' && /^database .*columns\.db is not a tcld dev-server database: its table namespaces does not have tcld's columns \(id, name, resource_version, /.test(error.message),
    );
  });

  it('refuses a newer schema, naming its version and the versions this tcld reads', () => {
    const path = join(dir, 'newer.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE namespaces (id TEXT)');
    raw.pragma('user_version = 7');
    raw.close();
    assert.throws(
      () => new Store(path),
      (error: unknown) =>
        error instanceof StoreError &&
        error.code === 'newer' &&
        error.message === `database ${path} has schema version 7, written by a newer tcld; this one reads versions 1 to ${SCHEMA_VERSION}`,
    );
  });

  it('migrates a version 1 file in place: its rows stay, and its operations carry no request digest', () => {
    const path = join(dir, 'v1.db');
    const raw = new Database(path);
    raw.exec(`CREATE TABLE namespaces (id TEXT PRIMARY KEY, name TEXT NOT NULL, resource_version TEXT NOT NULL, spec BLOB NOT NULL,
        async_operation_id TEXT NOT NULL, operation_type TEXT NOT NULL, operation_finish_ms INTEGER NOT NULL, created_ms INTEGER NOT NULL,
        modified_ms INTEGER NOT NULL) WITHOUT ROWID;
      CREATE INDEX namespaces_by_name ON namespaces (name);
      CREATE TABLE operations (id TEXT PRIMARY KEY, type TEXT NOT NULL, namespace TEXT NOT NULL, started_ms INTEGER NOT NULL, finish_ms INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO operations VALUES ('old-op', 'update-namespace', 'a.local', 1, 2);`);
    raw.pragma('user_version = 1');
    raw.close();
    const store = new Store(path);
    assert.deepEqual(store.operation('old-op'), { ...OPERATION, id: 'old-op', requestDigest: '' });
    store.putOperation(OPERATION);
    assert.deepEqual(store.operation('op-1'), OPERATION);
    store.close();
    const check = new Database(path, { readonly: true });
    assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    check.close();
  });

  it('migrates a version 2 file in place: its namespaces and operations stay, and the identity tables are added empty', () => {
    const path = join(dir, 'v2.db');
    const raw = new Database(path);
    raw.exec(`CREATE TABLE namespaces (id TEXT PRIMARY KEY, name TEXT NOT NULL, resource_version TEXT NOT NULL, spec BLOB NOT NULL,
        async_operation_id TEXT NOT NULL, operation_type TEXT NOT NULL, operation_finish_ms INTEGER NOT NULL, created_ms INTEGER NOT NULL,
        modified_ms INTEGER NOT NULL) WITHOUT ROWID;
      CREATE INDEX namespaces_by_name ON namespaces (name);
      CREATE TABLE operations (id TEXT PRIMARY KEY, type TEXT NOT NULL, namespace TEXT NOT NULL, started_ms INTEGER NOT NULL, finish_ms INTEGER NOT NULL,
        request_digest TEXT NOT NULL DEFAULT '') WITHOUT ROWID;
      INSERT INTO namespaces VALUES ('a.local', 'a', 'v1', x'010203', 'op-1', 'update-namespace', 2, 1, 1);
      INSERT INTO operations VALUES ('op-1', 'update-namespace', 'a.local', 1, 2, 'd1');`);
    raw.pragma('user_version = 2');
    raw.close();
    const store = new Store(path);
    assert.deepEqual(store.namespace('a.local'), NAMESPACE);
    assert.deepEqual(store.operation('op-1'), OPERATION);
    store.close();
    const check = new Database(path, { readonly: true });
    assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    for (const table of ['users', 'api_keys', 'tokens', 'accounts']) assert.equal(check.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), 0, table);
    check.close();
    new Store(path).close();
  });

  it('keeps a namespace\'s tags, sorted by key, and reads a row written without them as having none', () => {
    const store = new Store(':memory:');
    store.putNamespace({ ...NAMESPACE, tags: { team: 'payments', env: 'dev' } });
    assert.deepEqual(Object.entries(store.namespace('a.local')!.tags!), [['env', 'dev'], ['team', 'payments']]);
    const { tags: _dropped, ...untagged } = NAMESPACE;
    store.putNamespace({ ...untagged, id: 'b.local' });
    assert.deepEqual(store.namespace('b.local')!.tags, {});
    store.close();
  });

  it('migrates a version 4 file in place: its namespaces stay, with no tags', () => {
    const path = join(dir, 'v4.db');
    new Store(path).close();
    const raw = new Database(path);
    raw.exec('ALTER TABLE namespaces DROP COLUMN tags');
    raw.exec("INSERT INTO namespaces VALUES ('a.local', 'a', 'v1', x'010203', 'op-1', 'update-namespace', 2, 1, 1)");
    raw.pragma('user_version = 4');
    raw.close();
    const store = new Store(path);
    assert.deepEqual({ ...store.namespace('a.local'), spec: Buffer.from(store.namespace('a.local')!.spec) }, NAMESPACE);
    store.close();
    const check = new Database(path, { readonly: true });
    assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    check.close();
  });

  it('migrates a version 3 file in place: its rows stay, and the accounts table is added empty', () => {
    const path = join(dir, 'v3.db');
    new Store(path).close();
    const raw = new Database(path);
    raw.exec(`DROP TABLE accounts;
      ALTER TABLE namespaces DROP COLUMN tags;
      INSERT INTO users VALUES ('u1', 'admin@local.tmprl.local', 'admin', 'v1', 1, 1);
      INSERT INTO namespaces VALUES ('a.local', 'a', 'v1', x'010203', 'op-1', 'update-namespace', 2, 1, 1);`);
    raw.pragma('user_version = 3');
    raw.close();
    const store = new Store(path);
    assert.deepEqual({ ...store.namespace('a.local'), spec: Buffer.from(store.namespace('a.local')!.spec) }, NAMESPACE);
    store.close();
    const check = new Database(path, { readonly: true });
    assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.deepEqual([check.prepare('SELECT count(*) FROM users').pluck().get(), check.prepare('SELECT count(*) FROM accounts').pluck().get()], [1, 0]);
    check.close();
  });

  it('is locked to one Store at a time: a second open of the file is refused as in use until the first closes', () => {
    const path = join(dir, 'locked.db');
    const first = new Store(path);
    assert.throws(() => new Store(path), (error: unknown) => error instanceof StoreError && error.code === 'in-use' && error.message === `database ${path} is in use by another process`);
    first.close();
    new Store(path).close();
  });
});
