/**
 * The dev-server's OAuth tokens (the TokenAuthority of authority.ts): access tokens the Cloud Ops API
 * accepts as `Authorization: Bearer`, and refresh tokens that rotate, each stored as a digest.
 */
import type { RandomSource } from '../../pki/random.js';
import { randomUuid } from '../ids.js';
import type { TokenAuthority, TokenGrant } from './authority.js';
import type { IdentityStore } from './identity-store.js';
import { digestSecret, newSecret } from './secrets.js';

/** How long an access token lives unless told otherwise: 10 minutes, as the issue asks. */
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 600;

/**
 * How long a refresh token lives: 30 days, renewed by each refresh (it rotates). A person who does not
 * use tcld for a month signs in again, as with Auth0's default inactivity lifetime.
 */
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

export interface TokenAuthorityOptions {
  identity: IdentityStore;
  /** The user every grant is for: the account's admin. */
  userId: string;
  /** Seconds an access token lives. Default 600. */
  accessTokenTtlSeconds?: number;
  now(): Date;
  random: RandomSource;
}

export function createTokenAuthority(options: TokenAuthorityOptions): TokenAuthority {
  const { identity, userId, random } = options;
  const accessTtlMs = (options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS) * 1000;
  const refreshTtlMs = REFRESH_TOKEN_TTL_SECONDS * 1000;
  const nowMs = () => options.now().getTime();

  /** A new access and refresh token of `grantId` for `user`. Call inside a transaction. */
  function grant(grantId: string, user: string, now: number): TokenGrant {
    const accessToken = newSecret('access-token', random);
    const refreshToken = newSecret('refresh-token', random);
    identity.insertToken({ digest: digestSecret(accessToken), kind: 'access', grantId, userId: user, expiryMs: now + accessTtlMs, createdMs: now });
    identity.insertToken({ digest: digestSecret(refreshToken), kind: 'refresh', grantId, userId: user, expiryMs: now + refreshTtlMs, createdMs: now });
    return { accessToken, refreshToken, expiresIn: accessTtlMs / 1000 };
  }

  return {
    issue() {
      return identity.store.transaction(() => {
        const now = nowMs();
        // Each sign-in sweeps the tokens of grants that ended, so that the table does not grow.
        identity.deleteDeadTokens(now);
        return grant(randomUuid(random), userId, now);
      });
    },

    refresh(refreshToken) {
      return identity.store.transaction(() => {
        const now = nowMs();
        const row = identity.token(digestSecret(refreshToken));
        if (!row || row.kind !== 'refresh' || row.expiryMs <= now) return { code: 'invalid-grant' as const };
        // Rotation: the presented refresh token ends here; its grant goes on with the new pair.
        identity.deleteToken(row.digest);
        identity.deleteExpiredAccessTokens(row.grantId, now);
        return grant(row.grantId, row.userId, now);
      });
    },

    revoke(token) {
      identity.store.transaction(() => {
        const row = identity.token(digestSecret(token));
        if (!row) return;
        // RFC 7009 section 2.1: revoking a refresh token ends the access tokens of the same grant too.
        if (row.kind === 'refresh') identity.deleteGrant(row.grantId);
        else identity.deleteToken(row.digest);
      });
    },
  };
}
