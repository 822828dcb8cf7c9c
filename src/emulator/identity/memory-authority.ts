/**
 * A TokenAuthority in memory, for tests of the OAuth endpoints, and the emulator's PLACEHOLDER until the
 * SQLite identity store (issue 10) replaces it in index.ts. Like that store, it keeps only SHA-256
 * digests of the tokens it hands out.
 */
import { createHash } from 'node:crypto';
import type { RandomSource } from '../../pki/random.js';
import type { BearerVerdict, TokenAuthority, TokenGrant } from './authority.js';

export const DEFAULT_ACCESS_TOKEN_SECONDS = 600;

export interface MemoryAuthorityOptions {
  now: () => Date;
  random: RandomSource;
  /** The admin user's id. Default 'admin'. */
  userId?: string;
  /** How long an access token lives, in seconds. Default 600. */
  accessTokenSeconds?: number;
}

export interface MemoryAuthority extends TokenAuthority {
  /** What an access token is worth now (the Cloud Ops API's question). */
  verify(accessToken: string): BearerVerdict;
}

export function createMemoryAuthority(options: MemoryAuthorityOptions): MemoryAuthority {
  const userId = options.userId ?? 'admin';
  const lifetime = options.accessTokenSeconds ?? DEFAULT_ACCESS_TOKEN_SECONDS;
  /** Access token digest → expiry (ms); refresh token digest → the access token digest it was issued with. */
  const access = new Map<string, number>();
  const refreshes = new Map<string, string>();
  const secret = (prefix: string) => `${prefix}${Buffer.from(options.random(32)).toString('base64url')}`;

  const issue = (): TokenGrant => {
    const accessToken = secret('tcld-dev-at-');
    const refreshToken = secret('tcld-dev-rt-');
    access.set(digest(accessToken), options.now().getTime() + lifetime * 1000);
    refreshes.set(digest(refreshToken), digest(accessToken));
    return { accessToken, refreshToken, expiresIn: lifetime };
  };

  return {
    issue,
    refresh(refreshToken) {
      const key = digest(refreshToken);
      if (!refreshes.has(key)) return { code: 'invalid-grant' };
      refreshes.delete(key);
      return issue();
    },
    revoke(token) {
      const key = digest(token);
      const paired = refreshes.get(key);
      if (paired !== undefined) access.delete(paired);
      refreshes.delete(key);
      access.delete(key);
    },
    verify(accessToken) {
      const expiresAt = access.get(digest(accessToken));
      if (expiresAt === undefined) return { code: 'unknown' };
      if (options.now().getTime() >= expiresAt) return { code: 'expired' };
      return { code: 'admitted', principal: { userId, kind: 'login' } };
    },
  };
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
