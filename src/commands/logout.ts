import { loginEndpoints, LOGIN_DEFAULTS, parseDomain } from '../cloud/login/domain.js';
import { parseTokenConfig, type StoredLogin } from '../cloud/login/token-config.js';
import { configFolder, removeLogin, tokensPath } from '../cloud/login/token-store.js';
import { UserError } from '../errors.js';
import type { Deps } from './deps.js';

export interface LogoutOptions {
  /** The login server to sign out of; default the stored login's, else tcld's login.tmprl.cloud. */
  domain?: string;
  disablePopUp?: boolean;
  configDir?: string;
}

/** What logout did: `removed` the stored tokens or found none; revoked the refresh token, failed to (`note` says why), or had none. */
export interface LogoutResult {
  code: 'logged-out' | 'not-logged-in';
  path: string;
  revocation: { code: 'revoked' | 'none' } | { code: 'failed'; note: string };
  logoutUrl: string;
}

/**
 * `tcld logout`: removes tokens.json, revokes its refresh token at the login server (RFC 7009, best
 * effort: tcld does not revoke at all), and sends the browser to the server's logout page, which ends
 * the server's own session.
 */
export async function run(options: LogoutOptions, deps: Deps): Promise<LogoutResult> {
  const folder = configFolder(options.configDir, deps.env);
  const path = tokensPath(folder);
  const text = await deps.files.readOptional(path, 'login file');
  let stored: StoredLogin | undefined;
  try {
    stored = text === undefined ? undefined : parseTokenConfig(text, path);
  } catch {
    stored = undefined; // a file no login can use is still removed
  }
  // Only a --domain given here is a usage error; a stored domain no login can use does not keep the file.
  const logoutDomain = options.domain ? parseDomain(options.domain) : (storedDomain(stored, path) ?? parseDomain(LOGIN_DEFAULTS.domain));
  const removed = await removeLogin(deps.files, folder);
  const revocation = stored?.oauth_token.refresh_token ? await revoke(stored, path) : { code: 'none' as const };

  const logoutUrl = loginEndpoints(logoutDomain).logoutUrl;
  deps.err(`Logout via this url: ${logoutUrl}`);
  if (!options.disablePopUp) {
    const opened = await deps.openUrl(logoutUrl);
    if (opened.code === 'failed') deps.err(`could not open a browser (${opened.message}): open the url above yourself`);
  }
  return { code: removed ? 'logged-out' : 'not-logged-in', path, revocation, logoutUrl };
}

function storedDomain(stored: StoredLogin | undefined, path: string): URL | undefined {
  if (!stored?.domain) return undefined;
  try {
    return parseDomain(stored.domain, `the domain in ${path}`);
  } catch {
    return undefined;
  }
}

async function revoke(stored: StoredLogin, path: string): Promise<LogoutResult['revocation']> {
  try {
    const domain = parseDomain(stored.domain, `the domain in ${path}`);
    const oauth = await import('../cloud/login/oauth.js');
    const config = oauth.oauthConfiguration({ domain: stored.domain, clientId: stored.oauth_config.ClientID, tokenUrl: stored.oauth_config.Endpoint.TokenURL, revokeUrl: loginEndpoints(domain).revokeUrl });
    await oauth.revokeToken(config, stored.oauth_token.refresh_token!, 'refresh_token', stored.domain);
    return { code: 'revoked' };
  } catch (error) {
    if (error instanceof UserError) return { code: 'failed', note: error.message };
    throw error;
  }
}
