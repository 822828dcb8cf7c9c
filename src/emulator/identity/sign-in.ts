/**
 * Signing in to the dev-server's pages as its admin, with an API key: a bootstrap `--api-key` or a key
 * the admin made with CreateApiKey, judged by the same verifier as the Cloud Ops API and refused in
 * its words. Approving a device flow hands out admin tokens, so a login token does not sign in.
 */
import type { Principal } from './authority.js';
import { refusalMessage } from './bearer.js';
import type { Identity } from './identity.js';

export type SignInRefusal = 'unknown' | 'disabled' | 'expired' | 'not-an-api-key' | 'not-admin';

export type SignInVerdict =
  | { code: 'signed-in'; principal: Principal; /** Who, for the page: the admin's email and which key. */ label: string }
  | { code: SignInRefusal; message: string };

export interface AdminSignIn {
  verify(secret: string): SignInVerdict;
  /** Whether a session opened with `principal` may still act: not once its API key is disabled, expired or deleted. */
  isCurrent(principal: Principal): boolean;
}

export interface AdminSignInOptions {
  identity: Pick<Identity, 'verify' | 'store' | 'admin'>;
  now: () => Date;
}

export function createAdminSignIn(options: AdminSignInOptions): AdminSignIn {
  const { verify, store, admin } = options.identity;
  return {
    verify(secret) {
      const verdict = verify(secret);
      if (verdict.credential === 'access-token' || verdict.credential === 'refresh-token') {
        return { code: 'not-an-api-key', message: "sign in with an API key (the dev-server's --api-key or one made with tcld apikey create), not a login token" };
      }
      if (verdict.code !== 'admitted') return { code: verdict.code, message: refusalMessage(verdict, secret) };
      const { principal } = verdict;
      if (principal.userId !== admin.id) return { code: 'not-admin', message: `API key ${principal.apiKeyId} does not belong to the account's admin, who alone approves sign-ins` };
      const key = principal.kind === 'bootstrap-key' ? "the dev-server's --api-key" : `API key ${principal.apiKeyId}`;
      return { code: 'signed-in', principal, label: `${admin.email}, with ${key}` };
    },
    isCurrent(principal) {
      if (principal.kind === 'bootstrap-key') return principal.userId === admin.id;
      if (principal.kind !== 'api-key' || principal.apiKeyId === undefined) return false;
      const key = store.apiKey(principal.apiKeyId);
      return key !== undefined && !key.disabled && key.expiryMs > options.now().getTime() && key.ownerId === admin.id;
    },
  };
}
