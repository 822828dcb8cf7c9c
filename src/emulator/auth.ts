/**
 * Authentication, as the Cloud Ops API does it: `authorization: Bearer <secret>` on every call, where
 * the secret is a bootstrap `--api-key`, an API key made with CreateApiKey, or a login access token
 * (identity/bearer.ts decides which and whether it is admitted). Each refusal is UNAUTHENTICATED with
 * one line that says why and never contains the secret.
 */
import { status, type Metadata } from '@grpc/grpc-js';
import { ApiError } from './api-error.js';
import type { Principal } from './identity/authority.js';
import { refusalMessage, type VerifyBearer } from './identity/bearer.js';

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
    throw new ApiError(status.UNAUTHENTICATED, refusalMessage(verdict, secret));
  };
}
