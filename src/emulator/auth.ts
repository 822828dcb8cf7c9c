/**
 * Authentication, as the Cloud Ops API does it: `authorization: Bearer <secret>` on every call, where
 * the secret is a bootstrap `--api-key`, an API key made with CreateApiKey, or a login access token
 * (identity/bearer.ts decides which and whether it is admitted). Each refusal is UNAUTHENTICATED with
 * one line that says why and never contains the secret.
 */
import { status, type Metadata } from '@grpc/grpc-js';
import { ApiError } from './api-error.js';
import type { Principal } from './identity/authority.js';
import type { Verdict, VerifyBearer } from './identity/bearer.js';
import { kindOfSecret } from './identity/secrets.js';

const BEARER = /^bearer\s+(.+)$/i;

/** The caller of a call, or a thrown UNAUTHENTICATED ApiError. */
export type Authenticate = (metadata: Metadata) => Principal;

export function createAuthenticator(verify: VerifyBearer): Authenticate {
  return (metadata) => {
    const header = metadata.get('authorization')[0];
    if (typeof header !== 'string' || header === '') {
      throw new ApiError(status.UNAUTHENTICATED, 'missing API key: send the header "authorization: Bearer <api key>"');
    }
    const secret = BEARER.exec(header.trim())?.[1];
    if (secret === undefined) throw new ApiError(status.UNAUTHENTICATED, 'the authorization header must be "Bearer <api key>"');
    const verdict = verify(secret);
    if (verdict.code === 'admitted') return verdict.principal;
    throw new ApiError(status.UNAUTHENTICATED, refusal(verdict, secret));
  };
}

/** Why a secret is refused. The secret is only looked at for its prefix. */
function refusal(verdict: Exclude<Verdict, { code: 'admitted' }>, secret: string): string {
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
