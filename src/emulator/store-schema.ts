/**
 * Opening the emulator's SQLite file: one process at a time, and only a file that is empty or holds
 * tcld's own schema. A file that belongs to something else is refused before anything is written to it.
 *
 * One process per file: the connection uses `locking_mode = EXCLUSIVE` and writes once at open, so it
 * takes SQLite's exclusive lock on the file (a kernel fcntl lock) and keeps it until it closes. A
 * second dev-server on the same file gets SQLITE_BUSY at once. The kernel drops the lock when the
 * process dies, so a dev-server killed with SIGKILL leaves nothing stale behind. (In exclusive mode
 * SQLite keeps WAL's index in the process's memory, not in a -shm file.)
 */
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ACCOUNT_SCHEMA, ACCOUNT_TABLES } from './account/account-schema.js';
import { IDENTITY_SCHEMA, IDENTITY_TABLES } from './identity/identity-schema.js';

/** Version 1's tables, each with its columns in order, as `PRAGMA table_info` lists them. */
const VERSION_1_TABLES: Record<string, readonly string[]> = {
  namespaces: ['id', 'name', 'resource_version', 'spec', 'async_operation_id', 'operation_type', 'operation_finish_ms', 'created_ms', 'modified_ms'],
  operations: ['id', 'type', 'namespace', 'started_ms', 'finish_ms'],
};

/**
 * How each version came to be: `UPGRADES[v]` takes a version v - 1 file to version v, and says the
 * tables it then has. A file at version v is checked against its version's tables, then runs every step after v.
 */
const UPGRADES: ReadonlyArray<{ sql: string; tables: (before: Record<string, readonly string[]>) => Record<string, readonly string[]> }> = [
  { sql: '', tables: () => ({}) }, // 0: an empty file (it gets SCHEMA at once)
  { sql: '', tables: () => VERSION_1_TABLES }, // 1: the first
  // 2: a reused operation ID can be told from a retry.
  {
    sql: "ALTER TABLE operations ADD COLUMN request_digest TEXT NOT NULL DEFAULT ''",
    tables: (before) => ({ ...before, operations: [...before['operations']!, 'request_digest'] }),
  },
  // 3: users, API keys and tokens.
  { sql: IDENTITY_SCHEMA, tables: (before) => ({ ...before, ...IDENTITY_TABLES }) },
  // 4: the account.
  { sql: ACCOUNT_SCHEMA, tables: (before) => ({ ...before, ...ACCOUNT_TABLES }) },
  // 5: a namespace's tags, a JSON object of strings (CreateNamespace sets them; UpdateNamespace keeps them).
  {
    sql: "ALTER TABLE namespaces ADD COLUMN tags TEXT NOT NULL DEFAULT '{}'",
    tables: (before) => ({ ...before, namespaces: [...before['namespaces']!, 'tags'] }),
  },
];

/**
 * The version this tcld writes: one more each time a step is added to UPGRADES. An older file is
 * migrated at open, a newer one refused.
 */
export const SCHEMA_VERSION = UPGRADES.length - 1;

/** `TABLES_AT[v]`: what a version v file holds (a version 0 file with tables is read as version 1). */
const TABLES_AT: ReadonlyArray<Record<string, readonly string[]>> = UPGRADES.reduce<Record<string, readonly string[]>[]>(
  (versions, step) => [...versions, step.tables(versions.at(-1) ?? {})],
  [],
);

/** What a file must have to be ours. */
const TABLES = TABLES_AT[SCHEMA_VERSION]!;

const CORE_SCHEMA = `
CREATE TABLE namespaces (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  resource_version TEXT NOT NULL,
  spec BLOB NOT NULL,
  async_operation_id TEXT NOT NULL,
  operation_type TEXT NOT NULL,
  operation_finish_ms INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  modified_ms INTEGER NOT NULL,
  tags TEXT NOT NULL DEFAULT '{}'
) WITHOUT ROWID;
CREATE INDEX namespaces_by_name ON namespaces (name);
CREATE TABLE operations (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  namespace TEXT NOT NULL,
  started_ms INTEGER NOT NULL,
  finish_ms INTEGER NOT NULL,
  request_digest TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
`;

const SCHEMA = CORE_SCHEMA + IDENTITY_SCHEMA + ACCOUNT_SCHEMA;

/**
 * Why a database cannot be used: `unopenable` (no such folder, no permission), `in-use` (another
 * process holds it), `foreign` (not SQLite, or another program's tables), `newer` (a newer tcld's schema),
 * `sqlite-unavailable` (better-sqlite3's native module is not built: see SqliteUnavailableError).
 */
export type StoreErrorCode = 'unopenable' | 'in-use' | 'foreign' | 'newer' | 'sqlite-unavailable';

export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    message: string,
    readonly code: StoreErrorCode = 'unopenable',
  ) {
    super(message);
  }
}

/**
 * better-sqlite3's native module cannot be loaded: its install script did not run (npm's
 * --ignore-scripts, or install scripts not approved) or built it for another Node.js.
 */
export class SqliteUnavailableError extends StoreError {
  override name = 'SqliteUnavailableError';
  /** The folder better-sqlite3 is installed in. */
  readonly moduleDir: string;
  constructor(cause: unknown) {
    super(`better-sqlite3 cannot load its native module: ${messageOf(cause).split('\n')[0]}`, 'sqlite-unavailable');
    this.moduleDir = dirname(require.resolve('better-sqlite3/package.json'));
  }
}

/** The `bindings` package's "not built" error (it lists the paths it tried), or a module built for another Node.js. */
function isNativeModuleMissing(error: unknown): boolean {
  const found = error as { tries?: unknown; code?: unknown } | null;
  return Array.isArray(found?.tries) || found?.code === 'ERR_DLOPEN_FAILED';
}

/**
 * Opens `path` (':memory:' for a private in-memory database), locked to this process, with tcld's
 * schema created in an empty file or migrated from an older version, in WAL mode.
 */
export function openDatabase(path: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (error) {
    if (isNativeModuleMissing(error)) throw new SqliteUnavailableError(error);
    throw new StoreError(`cannot open database ${path}: ${messageOf(error)}`);
  }
  try {
    // Never wait for a lock: the holder is another server, which will not let go (and a wait would block the event loop).
    db.pragma('busy_timeout = 0');
    if (path !== ':memory:') db.pragma('locking_mode = EXCLUSIVE');
    db.transaction(() => prepareSchema(db, path)).immediate();
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    return db;
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw new StoreError(`database ${path} is in use by another process`, 'in-use');
    if (code === 'SQLITE_NOTADB') {
      throw new StoreError(`${path} is not a SQLite database (expected a tcld dev-server database, or a file that does not exist yet)`, 'foreign');
    }
    throw new StoreError(`cannot open database ${path}: ${messageOf(error)}`);
  }
}

/** Inside the opening transaction: checks the file is ours, then creates, migrates or just stamps it (the write takes the lock). */
function prepareSchema(db: Database.Database, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = db
    .prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
    .pluck()
    .all();
  const expected = `a tcld dev-server database has tables ${listed(Object.keys(TABLES))}, schema version ${SCHEMA_VERSION}`;
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      `database ${path} has schema version ${version}, written by a newer tcld; this one reads versions 1 to ${SCHEMA_VERSION}`,
      'newer',
    );
  }
  if (version === 0 && tables.length === 0) {
    db.exec(SCHEMA);
  } else if (version >= 0) {
    // Version 0 with version 1's tables: a file made by a build that stamped the version after creating them, cut short.
    const from = Math.max(version, 1);
    checkTables(db, path, tables, TABLES_AT[from]!, version, expected);
    for (let step = from + 1; step <= SCHEMA_VERSION; step++) db.exec(UPGRADES[step]!.sql);
  } else {
    throw new StoreError(`database ${path} is not a tcld dev-server database: it has schema version ${version} (${expected})`, 'foreign');
  }
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

function checkTables(db: Database.Database, path: string, tables: readonly string[], wanted: Record<string, readonly string[]>, version: number, expected: string): void {
  const names = Object.keys(wanted).sort();
  if (tables.length !== names.length || tables.some((table, i) => table !== names[i])) {
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ` and ${tables.length - 5} more` : '');
    throw new StoreError(`database ${path} is not a tcld dev-server database: it has tables ${shown || '(none)'} at schema version ${version} (${expected})`, 'foreign');
  }
  for (const table of names) {
    const columns = db.prepare<[], string>(`SELECT name FROM pragma_table_info('${table}')`).pluck().all();
    if (columns.join(',') !== wanted[table]!.join(',')) {
      throw new StoreError(
        `database ${path} is not a tcld dev-server database: its table ${table} does not have tcld's columns (${wanted[table]!.join(', ')}) (${expected})`,
        'foreign',
      );
    }
  }
}

/** `a, b and c` */
function listed(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
