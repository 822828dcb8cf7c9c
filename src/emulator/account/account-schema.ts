/**
 * The account table of the emulator's SQLite file (schema version 4): one row per account ID, holding
 * the account's spec (AccountSpec, canonically encoded: today the metrics endpoint's accepted client CA
 * bundle) with its resource version and the operation that last changed it, as namespaces are kept.
 */

/** The account table's columns, in order, as `PRAGMA table_info` lists them. */
export const ACCOUNT_TABLES: Record<string, readonly string[]> = {
  accounts: ['id', 'resource_version', 'spec', 'async_operation_id', 'operation_type', 'operation_finish_ms', 'created_ms', 'modified_ms'],
};

export const ACCOUNT_SCHEMA = `
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  resource_version TEXT NOT NULL,
  spec BLOB NOT NULL,
  async_operation_id TEXT NOT NULL,
  operation_type TEXT NOT NULL,
  operation_finish_ms INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  modified_ms INTEGER NOT NULL
) WITHOUT ROWID;
`;
