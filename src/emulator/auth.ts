/**
 * API key authentication, as the Cloud Ops API does it: `authorization: Bearer <key>` on every call.
 * The keys are kept only as SHA-256 digests, so neither a log nor a heap dump of the checker shows them.
 */
import { createHash } from 'node:crypto';
import { status, type Metadata } from '@grpc/grpc-js';
import { ApiError } from './api-error.js';

const BEARER = /^bearer\s+(.+)$/i;

export type Authenticate = (metadata: Metadata) => void;

/** Returns a check that throws UNAUTHENTICATED unless the call carries one of `keys`. */
export function createAuthenticator(keys: readonly string[]): Authenticate {
  const digests = new Set(keys.map(digest));
  return (metadata) => {
    const header = metadata.get('authorization')[0];
    if (typeof header !== 'string' || header === '') {
      throw new ApiError(status.UNAUTHENTICATED, 'missing API key: send the header "authorization: Bearer <api key>"');
    }
    const key = BEARER.exec(header.trim())?.[1];
    if (key === undefined) throw new ApiError(status.UNAUTHENTICATED, 'the authorization header must be "Bearer <api key>"');
    if (!digests.has(digest(key))) throw new ApiError(status.UNAUTHENTICATED, 'invalid API key');
  };
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('base64');
}
