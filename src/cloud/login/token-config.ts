/**
 * tokens.json as Go tcld writes it (app/token_config.go: its TokenConfig, with golang.org/x/oauth2's
 * Config and Token marshalled by encoding/json), so that a file either tcld wrote works for the other.
 * Pure: parsing, the refresh rule and the new file's contents; token-store.ts reads and writes it.
 */
import { UserError } from '../../errors.js';
import { AUTH_STYLE_IN_PARAMS, domainString, loginEndpoints, type LoginEndpoints } from './domain.js';

/** oauth2.Token's JSON. Unknown fields (expires_in, from newer oauth2 versions) are kept as read. */
export interface TcldOAuthToken {
  access_token: string;
  token_type?: string;
  refresh_token?: string;
  /** RFC 3339; Go's zero time, 0001-01-01T00:00:00Z, for a token without expiry. */
  expiry?: string;
  [field: string]: unknown;
}

/** oauth2.Config's JSON: exported Go field names, no tags. */
export interface TcldOAuthConfig {
  ClientID: string;
  ClientSecret?: string;
  Endpoint: { AuthURL?: string; DeviceAuthURL: string; TokenURL: string; AuthStyle: number };
  RedirectURL?: string;
  Scopes: string[] | null;
}

export interface TcldTokenConfig {
  audience: string;
  domain: string;
  oauth_config: TcldOAuthConfig;
  /** null in tcld's legacy format, which it asks to migrate by logging in again. */
  oauth_token: TcldOAuthToken | null;
  [field: string]: unknown;
}

/** A login whose token can be used, as read from the file. */
export type StoredLogin = TcldTokenConfig & { oauth_token: TcldOAuthToken };

/** Go's zero time.Time as encoding/json writes it: "no expiry" (tcld then never refreshes). */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** tcld refreshes a token this long before it expires (its "grace"). */
export const REFRESH_GRACE_MS = 60_000;

export const TOKENS_FILE = 'tokens.json';

/** A new login's configuration, before it has a token: what tcld's defaultTokenConfig builds. */
export function newTokenConfig(options: { domain: URL; audience: string; clientId: string; scopes: readonly string[] }): TcldTokenConfig {
  const endpoints: LoginEndpoints = loginEndpoints(options.domain);
  return {
    audience: options.audience,
    domain: domainString(options.domain),
    oauth_config: {
      ClientID: options.clientId,
      ClientSecret: '',
      Endpoint: { AuthURL: '', DeviceAuthURL: endpoints.deviceAuthUrl, TokenURL: endpoints.tokenUrl, AuthStyle: AUTH_STYLE_IN_PARAMS },
      RedirectURL: '',
      Scopes: [...options.scopes],
    },
    oauth_token: null,
  };
}

/** Tokens from a token endpoint (RFC 6749 section 5.1), as the OAuth client returns them. */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  expires_in?: number;
}

/**
 * The configuration with new tokens, as oauth2 keeps them: the expiry from expires_in (none without
 * it), and the previous refresh token when a refresh did not send a new one.
 */
export function withTokens(config: TcldTokenConfig, response: TokenResponse, now: Date): StoredLogin {
  const previous = config.oauth_token?.refresh_token ?? '';
  const type = response.token_type.toLowerCase() === 'bearer' ? 'Bearer' : response.token_type;
  const expiry = response.expires_in ? new Date(now.getTime() + response.expires_in * 1000).toISOString() : GO_ZERO_TIME;
  const refresh = response.refresh_token || previous;
  // Go's field order and omitempty: access_token, token_type, refresh_token, expiry.
  const token: TcldOAuthToken = { access_token: response.access_token, token_type: type, ...(refresh ? { refresh_token: refresh } : {}), expiry };
  return { ...config, oauth_token: token };
}

/** What to do with a stored token now: use it, refresh it, or log in again (no refresh token to use). */
export type TokenState = 'valid' | 'refresh' | 'no-refresh-token';

export function tokenState(login: StoredLogin, now: Date): TokenState {
  const expiry = expiryOf(login.oauth_token);
  if (expiry === undefined || now.getTime() < expiry - REFRESH_GRACE_MS) return 'valid';
  return login.oauth_token.refresh_token ? 'refresh' : 'no-refresh-token';
}

/** The expiry in ms, or undefined for none (no field, or Go's zero time: tcld then uses the token as it is). */
export function expiryOf(token: TcldOAuthToken): number | undefined {
  if (!token.expiry || token.expiry.startsWith('0001-01-01T00:00:00')) return undefined;
  const ms = Date.parse(token.expiry);
  return Number.isNaN(ms) ? 0 : ms;
}

/** The file's text as tcld's FormatJson writes it: 4-space indent, a final newline. */
export function serializeTokenConfig(config: TcldTokenConfig): string {
  return `${JSON.stringify(config, null, 4)}\n`;
}

/** Reads tokens.json; a file tcld cannot use either is refused with one line that says to log in again. */
export function parseTokenConfig(text: string, path: string): StoredLogin {
  const unusable = (why: string) => new UserError(`cannot use the login in ${path}: ${why}; run tcld login`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw unusable('it is not JSON');
  }
  if (!isObject(parsed)) throw unusable('it is not a JSON object');
  const config = parsed as Partial<TcldTokenConfig>;
  // tcld's own words for its legacy format (a file without oauth_token).
  if (config.oauth_token === null || config.oauth_token === undefined) throw new UserError('Re-login with `tcld login` to migrate to the new config format');
  const token = config.oauth_token;
  if (!isObject(token) || typeof token.access_token !== 'string' || token.access_token === '') throw unusable('it holds no access token');
  if (typeof token.expiry === 'string' && token.expiry !== '' && expiryOf(token) === 0) throw unusable(`its expiry ${JSON.stringify(token.expiry)} is not a time`);
  const oauth = config.oauth_config;
  if (!isObject(oauth) || typeof oauth.ClientID !== 'string' || !isObject(oauth.Endpoint) || typeof oauth.Endpoint.TokenURL !== 'string') {
    throw unusable('it has no oauth_config with a ClientID and an Endpoint.TokenURL');
  }
  if (typeof config.domain !== 'string') throw unusable('it has no domain');
  return { audience: '', ...config, oauth_config: oauth, oauth_token: token } as StoredLogin;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
