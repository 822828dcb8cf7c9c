/**
 * The identity tables of the emulator's SQLite file (schema version 3): the account's users, the API
 * keys made with CreateApiKey, and the OAuth tokens the device flow hands out. A secret is never
 * stored, only its SHA-256 digest (secrets.ts), so the file gives nobody a working credential.
 */

/** Each identity table's columns, in order, as `PRAGMA table_info` lists them. */
export const IDENTITY_TABLES: Record<string, readonly string[]> = {
  users: ['id', 'email', 'account_role', 'resource_version', 'created_ms', 'modified_ms'],
  api_keys: [
    'id',
    'secret_digest',
    'owner_id',
    'owner_type',
    'display_name',
    'description',
    'expiry_ms',
    'disabled',
    'resource_version',
    'async_operation_id',
    'operation_type',
    'operation_finish_ms',
    'created_ms',
    'modified_ms',
  ],
  tokens: ['digest', 'kind', 'grant_id', 'user_id', 'expiry_ms', 'created_ms'],
};

/**
 * `api_keys.operation_type` and `operation_finish_ms` give the key's state as namespaces do theirs
 * (ACTIVATING or UPDATING until the operation is fulfilled); whether it is expired is computed from
 * `expiry_ms` when read. `tokens.grant_id` ties an access token to the refresh token it came with, so
 * that revoking a refresh token ends its access tokens too (RFC 7009 section 2.1).
 */
export const IDENTITY_SCHEMA = `
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  account_role TEXT NOT NULL,
  resource_version TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  modified_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  secret_digest TEXT NOT NULL UNIQUE,
  owner_id TEXT NOT NULL,
  owner_type TEXT NOT NULL,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  expiry_ms INTEGER NOT NULL,
  disabled INTEGER NOT NULL,
  resource_version TEXT NOT NULL,
  async_operation_id TEXT NOT NULL,
  operation_type TEXT NOT NULL,
  operation_finish_ms INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  modified_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX api_keys_by_owner ON api_keys (owner_id);
CREATE TABLE tokens (
  digest TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  grant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  expiry_ms INTEGER NOT NULL,
  created_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX tokens_by_grant ON tokens (grant_id);
`;
