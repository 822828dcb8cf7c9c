/**
 * The stored login as a Cloud Ops API credential: its access token, refreshed within a minute of its
 * expiry as tcld does (the rotated refresh token stored at once), asked for before every call so that
 * a long --wait outlives a short-lived token. openid-client loads only when a refresh is due.
 *
 * Unlike tcld, a missing or expired login does not start the device flow by itself: a Cloud command
 * pointed at a dev-server would open Temporal Cloud's real login page, and a script would hang on a
 * browser. It says in one line to run `tcld login` (or pass --api-key).
 */
import type { Files } from '../../io/files.js';
import { UserError } from '../../errors.js';
import { tokenState, withTokens, type StoredLogin } from './token-config.js';
import { readLogin, tokensPath, writeLogin } from './token-store.js';

export interface SessionDeps {
  files: Files;
  now(): Date;
  /** Debug lines (--enable-debug-logs): what happens, never a token. */
  debug?(line: string): void;
}

/** A credential source: resolves the access token to send now. */
export type AccessTokenSource = () => Promise<string>;

export const NOT_LOGGED_IN = 'not logged in: run tcld login, or pass --api-key (or set TEMPORAL_CLOUD_API_KEY)';
export const LOGIN_EXPIRED = 'your login has expired: run tcld login';

export function storedLoginToken(folder: string, deps: SessionDeps): AccessTokenSource {
  let login: StoredLogin | undefined;
  let pending: Promise<string> | undefined;
  const debug = deps.debug ?? (() => {});

  const current = async (): Promise<string> => {
    if (!login) {
      login = await readLogin(deps.files, folder);
      if (!login) throw new UserError(NOT_LOGGED_IN);
      debug(`authenticating with the login in ${tokensPath(folder)} (${login.domain})`);
    }
    switch (tokenState(login, deps.now())) {
      case 'valid':
        return login.oauth_token.access_token;
      case 'no-refresh-token':
        throw new UserError(LOGIN_EXPIRED);
      case 'refresh':
        login = await refresh(login, folder, deps);
        return login.oauth_token.access_token;
    }
  };

  // Calls made at once share one refresh: a second refresh would spend a rotated refresh token twice.
  return () => (pending ??= current().finally(() => (pending = undefined)));
}

async function refresh(login: StoredLogin, folder: string, deps: SessionDeps): Promise<StoredLogin> {
  const debug = deps.debug ?? (() => {});
  const { LoginError, oauthConfiguration, refreshTokens } = await import('./oauth.js');
  const config = oauthConfiguration({ domain: login.domain, clientId: login.oauth_config.ClientID, tokenUrl: login.oauth_config.Endpoint.TokenURL });
  debug(`the login's access token expires within a minute: refreshing it at ${login.oauth_config.Endpoint.TokenURL}`);
  try {
    const refreshed = withTokens(login, await refreshTokens(config, login.oauth_token.refresh_token!, login.domain), deps.now());
    await writeLogin(deps.files, folder, refreshed);
    return refreshed;
  } catch (error) {
    if (!(error instanceof LoginError && error.code === 'invalid-grant')) throw error;
    // Another tcld may have refreshed first and rotated the refresh token: its file then holds a live token.
    const again = await readLogin(deps.files, folder);
    if (again && again.oauth_token.refresh_token !== login.oauth_token.refresh_token && tokenState(again, deps.now()) === 'valid') {
      debug('another tcld refreshed the login meanwhile: using its token');
      return again;
    }
    throw new UserError(LOGIN_EXPIRED);
  }
}
