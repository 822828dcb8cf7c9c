/**
 * Users, API keys and OAuth tokens in the emulator's SQLite file (the tables of identity-schema.ts),
 * on the Store's connection: one file, one lock, and Store.transaction() spans both.
 */
import type { Store } from '../store.js';
import type { ApiKeySpecValues } from './api-key-spec.js';
import { operationStateOf, upsertSql, type Column, type OperationState, type RawOperationState } from '../versioned-row.js';

/** The dev-server has one person, the account's admin. */
export type AccountRole = 'admin';

export interface UserRow {
  id: string;
  email: string;
  accountRole: AccountRole;
  resourceVersion: string;
  createdMs: number;
  modifiedMs: number;
}

/** identity.v1.OwnerType, as stored: a user or a service account (the dev-server has no service accounts). */
export type OwnerKind = 'user' | 'service-account';

/** A stored API key: its spec's values, and what the store keeps beside them. */
export interface ApiKeyRow extends ApiKeySpecValues, OperationState {
  id: string;
  /** digestSecret(the key's secret); the secret itself is never stored. */
  secretDigest: string;
}

export interface TokenRow {
  /** digestSecret(the token). */
  digest: string;
  kind: 'access' | 'refresh';
  /** The sign-in the token belongs to: revoking its refresh token ends every token of the grant. */
  grantId: string;
  userId: string;
  expiryMs: number;
  createdMs: number;
}

export interface ListApiKeysQuery {
  /** Only IDs after this one (exclusive), in ID order. */
  afterId: string;
  /** '' for any owner. */
  ownerId: string;
  /** '' for any owner type. */
  ownerType: OwnerKind | '';
  limit: number;
}

export interface ListUsersQuery {
  afterId: string;
  /** '' for any email. */
  email: string;
  limit: number;
}

interface RawApiKey extends RawOperationState {
  id: string;
  secret_digest: string;
  owner_id: string;
  owner_type: string;
  display_name: string;
  description: string;
  expiry_ms: number;
  disabled: number;
}

interface RawUser {
  id: string;
  email: string;
  account_role: string;
  resource_version: string;
  created_ms: number;
  modified_ms: number;
}

interface RawToken {
  digest: string;
  kind: string;
  grant_id: string;
  user_id: string;
  expiry_ms: number;
  created_ms: number;
}

export class IdentityStore {
  private readonly statements;

  constructor(readonly store: Store) {
    const { db } = store;
    this.statements = {
      user: db.prepare<[string], RawUser>('SELECT * FROM users WHERE id = ?'),
      admin: db.prepare<[], RawUser>("SELECT * FROM users WHERE account_role = 'admin' ORDER BY created_ms, id LIMIT 1"),
      users: db.prepare<[ListUsersQuery], RawUser>("SELECT * FROM users WHERE id > @afterId AND (@email = '' OR email = @email) ORDER BY id LIMIT @limit"),
      insertUser: db.prepare(
        'INSERT INTO users (id, email, account_role, resource_version, created_ms, modified_ms) VALUES (@id, @email, @accountRole, @resourceVersion, @createdMs, @modifiedMs)',
      ),
      apiKey: db.prepare<[string], RawApiKey>('SELECT * FROM api_keys WHERE id = ?'),
      apiKeyByDigest: db.prepare<[string], RawApiKey>('SELECT * FROM api_keys WHERE secret_digest = ?'),
      apiKeys: db.prepare<[ListApiKeysQuery], RawApiKey>(
        `SELECT * FROM api_keys WHERE id > @afterId AND (@ownerId = '' OR owner_id = @ownerId) AND (@ownerType = '' OR owner_type = @ownerType)
         ORDER BY id LIMIT @limit`,
      ),
      upsertApiKey: db.prepare(upsertSql('api_keys', API_KEY_COLUMNS, ['secret_digest', 'owner_id', 'owner_type'])),
      deleteApiKey: db.prepare<[string]>('DELETE FROM api_keys WHERE id = ?'),
      token: db.prepare<[string], RawToken>('SELECT * FROM tokens WHERE digest = ?'),
      insertToken: db.prepare('INSERT INTO tokens (digest, kind, grant_id, user_id, expiry_ms, created_ms) VALUES (@digest, @kind, @grantId, @userId, @expiryMs, @createdMs)'),
      deleteToken: db.prepare<[string]>('DELETE FROM tokens WHERE digest = ?'),
      deleteGrant: db.prepare<[string]>('DELETE FROM tokens WHERE grant_id = ?'),
      deleteExpiredAccessTokens: db.prepare<[string, number]>("DELETE FROM tokens WHERE grant_id = ? AND kind = 'access' AND expiry_ms <= ?"),
      deleteDeadTokens: db.prepare<{ now: number }>(
        `DELETE FROM tokens WHERE expiry_ms <= @now
           AND (kind = 'refresh' OR grant_id NOT IN (SELECT grant_id FROM tokens WHERE kind = 'refresh' AND expiry_ms > @now))`,
      ),
    };
  }

  user(id: string): UserRow | undefined {
    const raw = this.statements.user.get(id);
    return raw && userOf(raw);
  }

  /** The account's admin user: the first made, or undefined before it is seeded. */
  admin(): UserRow | undefined {
    const raw = this.statements.admin.get();
    return raw && userOf(raw);
  }

  users(query: ListUsersQuery): UserRow[] {
    return this.statements.users.all(query).map(userOf);
  }

  insertUser(row: UserRow): void {
    this.statements.insertUser.run(row);
  }

  apiKey(id: string): ApiKeyRow | undefined {
    const raw = this.statements.apiKey.get(id);
    return raw && apiKeyOf(raw);
  }

  apiKeyByDigest(digest: string): ApiKeyRow | undefined {
    const raw = this.statements.apiKeyByDigest.get(digest);
    return raw && apiKeyOf(raw);
  }

  apiKeys(query: ListApiKeysQuery): ApiKeyRow[] {
    return this.statements.apiKeys.all(query).map(apiKeyOf);
  }

  /** Inserts a key, or replaces an existing one's spec, version and operation (its secret digest, owner and creation time stay). */
  putApiKey(row: ApiKeyRow): void {
    this.statements.upsertApiKey.run({ ...row, disabled: row.disabled ? 1 : 0 });
  }

  deleteApiKey(id: string): void {
    this.statements.deleteApiKey.run(id);
  }

  token(digest: string): TokenRow | undefined {
    const raw = this.statements.token.get(digest);
    return raw && { digest: raw.digest, kind: raw.kind === 'refresh' ? 'refresh' : 'access', grantId: raw.grant_id, userId: raw.user_id, expiryMs: raw.expiry_ms, createdMs: raw.created_ms };
  }

  insertToken(row: TokenRow): void {
    this.statements.insertToken.run(row);
  }

  deleteToken(digest: string): void {
    this.statements.deleteToken.run(digest);
  }

  /** Ends every token of a grant (its refresh token and the access tokens issued with it). */
  deleteGrant(grantId: string): void {
    this.statements.deleteGrant.run(grantId);
  }

  /** Forgets a grant's access tokens that expired at or before `nowMs` (its holder has refreshed: it will not send them again). */
  deleteExpiredAccessTokens(grantId: string, nowMs: number): void {
    this.statements.deleteExpiredAccessTokens.run(grantId, nowMs);
  }

  /**
   * Forgets expired tokens of grants that cannot go on (no live refresh token). An expired access token
   * of a live grant stays, so that it is still refused as "expired" (which tells a client to refresh)
   * rather than as unknown.
   */
  deleteDeadTokens(nowMs: number): void {
    this.statements.deleteDeadTokens.run({ now: nowMs });
  }
}

function userOf(raw: RawUser): UserRow {
  return { id: raw.id, email: raw.email, accountRole: 'admin', resourceVersion: raw.resource_version, createdMs: raw.created_ms, modifiedMs: raw.modified_ms };
}

/** An API key's own columns (its spec values are columns, not one encoded spec); upsertSql adds the operation state's. */
const API_KEY_COLUMNS: readonly Column[] = [
  ['id', 'id'],
  ['secret_digest', 'secretDigest'],
  ['owner_id', 'ownerId'],
  ['owner_type', 'ownerType'],
  ['display_name', 'displayName'],
  ['description', 'description'],
  ['expiry_ms', 'expiryMs'],
  ['disabled', 'disabled'],
];

function apiKeyOf(raw: RawApiKey): ApiKeyRow {
  return {
    id: raw.id,
    secretDigest: raw.secret_digest,
    ownerId: raw.owner_id,
    ownerType: raw.owner_type === 'service-account' ? 'service-account' : 'user',
    displayName: raw.display_name,
    description: raw.description,
    expiryMs: raw.expiry_ms,
    disabled: raw.disabled !== 0,
    ...operationStateOf(raw),
  };
}
