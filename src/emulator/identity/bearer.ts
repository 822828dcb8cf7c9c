/**
 * Who a bearer secret belongs to, read from the database on every call: a key disabled, deleted or
 * expired, or a token revoked or expired, is refused by the next call, without a restart.
 */
import type { BearerVerdict } from './authority.js';
import type { IdentityStore } from './identity-store.js';
import { digestSecret, kindOfSecret } from './secrets.js';

/** What the secret was taken for, so that a refusal can say what to do; never the secret itself. */
export type Credential = 'bootstrap-key' | 'api-key' | 'access-token' | 'refresh-token' | 'unknown';

/** A BearerVerdict with what a message needs: which credential, which key, and when it expired. */
export type Verdict = BearerVerdict & { credential: Credential; apiKeyId?: string; expiredAtMs?: number };

export type VerifyBearer = (secret: string) => Verdict;

export interface BearerVerifierOptions {
  identity: IdentityStore;
  /** The dev-server's `--api-key` keys: they act as the admin user. Kept here only as digests. */
  bootstrapKeys: readonly string[];
  /** The admin user's ID, the principal of a bootstrap key. */
  adminId: string;
  now(): Date;
}

export function createBearerVerifier(options: BearerVerifierOptions): VerifyBearer {
  const { identity, adminId } = options;
  const bootstrap = new Set(options.bootstrapKeys.map(digestSecret));
  return (secret) => {
    const digest = digestSecret(secret);
    // The bootstrap keys are checked in memory first: the common case costs no query.
    if (bootstrap.has(digest)) return { code: 'admitted', credential: 'bootstrap-key', principal: { userId: adminId, kind: 'bootstrap-key' } };
    const now = options.now().getTime();
    const key = identity.apiKeyByDigest(digest);
    if (key) {
      if (key.disabled) return { code: 'disabled', credential: 'api-key', apiKeyId: key.id };
      if (key.expiryMs <= now) return { code: 'expired', credential: 'api-key', apiKeyId: key.id, expiredAtMs: key.expiryMs };
      return { code: 'admitted', credential: 'api-key', apiKeyId: key.id, principal: { userId: key.ownerId, kind: 'api-key', apiKeyId: key.id } };
    }
    const token = identity.token(digest);
    if (token?.kind === 'refresh') return { code: 'unknown', credential: 'refresh-token' };
    if (token) {
      if (token.expiryMs <= now) return { code: 'expired', credential: 'access-token', expiredAtMs: token.expiryMs };
      return { code: 'admitted', credential: 'access-token', principal: { userId: token.userId, kind: 'login' } };
    }
    return { code: 'unknown', credential: 'unknown' };
  };
}

/** Why a secret is refused, as the Cloud Ops API and the sign-in page say it. The secret is only looked at for its prefix. */
export function refusalMessage(verdict: Exclude<Verdict, { code: 'admitted' }>, secret: string): string {
  switch (verdict.code) {
    case 'disabled':
      return `API key ${verdict.apiKeyId} is disabled: enable it (UpdateApiKey, tcld apikey enable) or use another key`;
    case 'expired':
      return verdict.credential === 'access-token'
        ? 'the access token has expired'
        : `API key ${verdict.apiKeyId} expired at ${new Date(verdict.expiredAtMs ?? 0).toISOString()}: create a new key`;
    case 'unknown':
      if (verdict.credential === 'refresh-token') return 'a refresh token cannot authenticate a call: exchange it for an access token at the token endpoint';
      if (kindOfSecret(secret) === 'access-token') return 'invalid access token: it was revoked or is unknown to this dev-server; sign in again (tcld login)';
      if (kindOfSecret(secret) === 'api-key') return 'invalid API key: it was deleted or is unknown to this dev-server';
      return 'invalid API key';
  }
}
