/**
 * The emulator's state in SQLite (better-sqlite3): namespaces and async operations.
 *
 * Durability: WAL journal with synchronous=NORMAL. In WAL mode a commit appends the transaction to
 * the WAL with write() before better-sqlite3 returns, so the change is in the operating system's page
 * cache when we acknowledge it: a killed process (even kill -9) loses nothing acknowledged, and the
 * next open replays the WAL. What NORMAL gives up is only durability across a power loss or OS crash
 * (no fsync per commit), which is the right trade for a local emulator: FULL would cost an fsync per
 * mutation and cap updates at the disk's flush rate.
 *
 * One process per file, and only tcld's own schema: see store-schema.ts.
 */
import type Database from 'better-sqlite3';
import { openDatabase } from './store-schema.js';
import { VERSIONED_COLUMNS, upsertSql, versionedRowOf, type RawVersionedRow, type VersionedRow } from './versioned-row.js';

export { SqliteUnavailableError, StoreError, type StoreErrorCode } from './store-schema.js';

export interface NamespaceRow extends VersionedRow {
  /** spec.name, for the GetNamespaces name filter. */
  name: string;
  /** CreateNamespace's tags (UpdateNamespace keeps them); always read back, none when left out of a write. */
  tags?: Readonly<Record<string, string>>;
}

export interface OperationRow {
  id: string;
  /** `create-namespace`, `update-namespace`, `delete-namespace`, and the same for `-api-key` */
  type: string;
  /** The namespace it changes; for an API key operation, the key's ID. */
  namespace: string;
  startedMs: number;
  /** startedMs + the async delay at the time: pending before, fulfilled from then on. */
  finishMs: number;
  /**
   * What the request that started it asked for (a digest), so that a reused operation ID is told
   * from a retry of the same request; '' for operations kept by a tcld that did not record it.
   */
  requestDigest: string;
}

export interface ListNamespacesQuery {
  /** Only IDs after this one (exclusive), in ID order. */
  afterId: string;
  /** Matches spec.name or the namespace ID exactly; '' for all. */
  name: string;
  limit: number;
}

interface RawNamespace extends RawVersionedRow {
  name: string;
  tags: string;
}

interface RawOperation {
  id: string;
  type: string;
  namespace: string;
  started_ms: number;
  finish_ms: number;
  request_digest: string;
}

/** Namespaces and operations, with every statement prepared once. */
export class Store {
  /** The connection, for the identity store's statements (identity/identity-store.ts): one file, one lock, one transaction. */
  readonly db: Database.Database;
  private readonly statements;
  private readonly inTransaction: Database.Transaction<(fn: () => unknown) => unknown>;
  private readonly listeners = new Set<(namespaceId: string) => void>();

  /**
   * Opens (creating if needed) the database at `path`, or an in-memory one for ':memory:', locked to
   * this process until close(). Throws StoreError: in use by another process, not tcld's, newer, unopenable.
   */
  constructor(readonly path: string) {
    const db = (this.db = openDatabase(path));
    this.inTransaction = db.transaction((fn: () => unknown) => fn());
    this.statements = {
      resourceVersion: db.prepare<[string], string>('SELECT resource_version FROM namespaces WHERE id = ?').pluck(),
      namespace: db.prepare<[string], RawNamespace>('SELECT * FROM namespaces WHERE id = ?'),
      list: db.prepare<[ListNamespacesQuery], RawNamespace>(
        "SELECT * FROM namespaces WHERE id > @afterId AND (@name = '' OR name = @name OR id = @name) ORDER BY id LIMIT @limit",
      ),
      upsertNamespace: db.prepare(upsertSql('namespaces', [...VERSIONED_COLUMNS, ['name', 'name'], ['tags', 'tags']])),
      deleteNamespace: db.prepare<[string]>('DELETE FROM namespaces WHERE id = ?'),
      operation: db.prepare<[string], RawOperation>('SELECT * FROM operations WHERE id = ?'),
      insertOperation: db.prepare(
        'INSERT INTO operations (id, type, namespace, started_ms, finish_ms, request_digest) VALUES (@id, @type, @namespace, @startedMs, @finishMs, @requestDigest)',
      ),
    };
  }

  /** The namespace's current resource version, the cheapest check that a cached rendering is fresh. */
  resourceVersion(id: string): string | undefined {
    return this.statements.resourceVersion.get(id);
  }

  namespace(id: string): NamespaceRow | undefined {
    const raw = this.statements.namespace.get(id);
    return raw && namespaceOf(raw);
  }

  namespaces(query: ListNamespacesQuery): NamespaceRow[] {
    return this.statements.list.all(query).map(namespaceOf);
  }

  operation(id: string): OperationRow | undefined {
    const raw = this.statements.operation.get(id);
    return raw && { id: raw.id, type: raw.type, namespace: raw.namespace, startedMs: raw.started_ms, finishMs: raw.finish_ms, requestDigest: raw.request_digest };
  }

  /** Inserts or replaces a namespace. Call inside transaction() together with the operation. */
  putNamespace(row: NamespaceRow): void {
    const tags = Object.fromEntries(Object.entries(row.tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    this.statements.upsertNamespace.run({ ...row, spec: Buffer.from(row.spec), tags: JSON.stringify(tags) });
    this.changed(row.id);
  }

  deleteNamespace(id: string): void {
    this.statements.deleteNamespace.run(id);
    this.changed(id);
  }

  /**
   * Calls `listener` with a namespace's ID whenever a write in this process touches it, so that caches
   * (the mTLS gateway's admission policies) are dropped without a query per use. It is told during the
   * write, before the commit: a listener should only forget, and read again later (a rolled-back write
   * then costs one needless read). Returns a function that removes the listener.
   */
  onNamespaceChange(listener: (namespaceId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(id: string): void {
    for (const listener of this.listeners) listener(id);
  }

  putOperation(row: OperationRow): void {
    this.statements.insertOperation.run(row);
  }

  /**
   * Runs `fn` as one IMMEDIATE transaction: its reads and writes are atomic, and when this returns the
   * transaction has committed (so the caller may acknowledge). A throw rolls everything back.
   */
  transaction<T>(fn: () => T): T {
    return this.inTransaction.immediate(fn) as T;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function namespaceOf(raw: RawNamespace): NamespaceRow {
  return { ...versionedRowOf(raw), name: raw.name, tags: tagsOf(raw.tags) };
}

/** Stored tags; text that is not a JSON object of strings (a file written by something else) reads as none. */
function tagsOf(text: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}
