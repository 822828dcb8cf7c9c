/**
 * The dev-server's identity provider, put together: the account's admin user (made on first start and
 * kept in the database), the bearer verifier the Cloud Ops API authenticates with, and the
 * TokenAuthority the OAuth endpoints hand tokens out with.
 */
import type { RandomSource } from '../../pki/random.js';
import { randomHexId, randomUuid } from '../ids.js';
import type { Store } from '../store.js';
import type { TokenAuthority } from './authority.js';
import { createBearerVerifier, type VerifyBearer } from './bearer.js';
import { IdentityStore, type UserRow } from './identity-store.js';
import { createTokenAuthority } from './token-authority.js';

export interface OpenIdentityOptions {
  store: Store;
  /** The account ID: the admin's email is `admin@<account>.<domain>`. */
  account: string;
  /** The account's local domain, as the gateway's (default 'tmprl.local'). */
  domain: string;
  /** The dev-server's `--api-key` keys, which act as the admin. */
  bootstrapKeys: readonly string[];
  /** Seconds an access token lives. Default 600. */
  accessTokenTtlSeconds?: number;
  now(): Date;
  random: RandomSource;
}

export interface Identity {
  store: IdentityStore;
  /** The account's admin user, the dev-server's one person. */
  admin: UserRow;
  verify: VerifyBearer;
  tokens: TokenAuthority;
}

export function openIdentity(options: OpenIdentityOptions): Identity {
  const { store, now, random } = options;
  const ttl = options.accessTokenTtlSeconds;
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0)) throw new RangeError(`accessTokenTtlSeconds must be a positive whole number of seconds (got ${ttl})`);
  const identity = new IdentityStore(store);
  const admin = seedAdmin(identity, options);
  return {
    store: identity,
    admin,
    verify: createBearerVerifier({ identity, bootstrapKeys: options.bootstrapKeys, adminId: admin.id, now }),
    tokens: createTokenAuthority({ identity, userId: admin.id, now, random, ...(ttl !== undefined && { accessTokenTtlSeconds: ttl }) }),
  };
}

/** The admin user: the one kept in the database, or a new one on first start. */
function seedAdmin(identity: IdentityStore, options: OpenIdentityOptions): UserRow {
  return options.store.transaction(() => {
    const existing = identity.admin();
    if (existing) return existing;
    const now = options.now().getTime();
    const admin: UserRow = {
      id: randomHexId(options.random),
      email: `admin@${options.account}.${options.domain}`,
      accountRole: 'admin',
      resourceVersion: randomUuid(options.random),
      createdMs: now,
      modifiedMs: now,
    };
    identity.insertUser(admin);
    return admin;
  });
}
