/**
 * The OAuth 2.0 side of tcld's login, with openid-client (over oauth4webapi): the device authorization
 * grant (RFC 8628; the library polls, honouring interval, slow_down and authorization_pending), the
 * refresh token grant, and revocation (RFC 7009). The endpoints are tcld's fixed ones below the domain:
 * no discovery, a public client (client_id in the form, no secret). Loaded only by login, logout, and
 * a Cloud command whose stored token needs refreshing.
 *
 * Errors become one line each, as a LoginError with a stable code; nothing here puts a token in a message.
 */
import * as client from 'openid-client';
import { UserError } from '../../errors.js';
import { isSafeEndpoint } from './domain.js';
import type { TokenResponse } from './token-config.js';

/** Why an exchange with the login server failed. */
export type LoginFailureCode = 'access-denied' | 'expired' | 'invalid-grant' | 'unreachable' | 'timed-out' | 'refused' | 'bad-response';

export class LoginError extends UserError {
  override name = 'LoginError';
  constructor(
    message: string,
    readonly code: LoginFailureCode,
  ) {
    super(message);
  }
}

export interface OAuthServer {
  /** The login domain as stored ("https://login.tmprl.cloud"): named in messages, and openid-client's issuer. */
  domain: string;
  clientId: string;
  tokenUrl: string;
  deviceAuthUrl?: string;
  revokeUrl?: string;
}

export type OAuthConfiguration = client.Configuration;

/** openid-client's configuration for tcld's endpoints; http:// only to a loopback host (checked again here, for a stored file). */
export function oauthConfiguration(server: OAuthServer): OAuthConfiguration {
  const endpoints = { token_endpoint: server.tokenUrl, device_authorization_endpoint: server.deviceAuthUrl, revocation_endpoint: server.revokeUrl };
  for (const [name, url] of Object.entries(endpoints)) {
    if (url !== undefined && !isSafeEndpoint(url)) throw new UserError(`refusing the login's ${name.replace(/_/g, ' ')} ${url}: only https://, or http:// to a loopback host`);
  }
  const config = new client.Configuration({ issuer: server.domain, ...endpoints }, server.clientId, undefined, client.None());
  if (Object.values(endpoints).some((url) => url?.startsWith('http:'))) client.allowInsecureRequests(config);
  config[client.customFetch] = withoutIdToken;
  return config;
}

/**
 * Drops an ID token from a token response. Auth0 sends one for the openid scope; tcld neither reads nor
 * stores it (oauth2.Token keeps it only in memory). openid-client would check its claims against the
 * configuration (iss equal to the issuer, which Auth0 writes as "https://<domain>/" with a slash, aud,
 * exp, RS256), though without a jwks_uri it cannot check its signature: a login would fail on a token
 * that is thrown away. The access and refresh tokens are untouched.
 */
const withoutIdToken: client.CustomFetch = async (url, options) => {
  const response = await fetch(url, options as RequestInit);
  if (response.status !== 200 || !/json/i.test(response.headers.get('content-type') ?? '')) return response;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  if (typeof body !== 'object' || body === null || !('id_token' in body)) return new Response(text, { status: response.status, statusText: response.statusText, headers });
  delete (body as { id_token?: unknown }).id_token;
  return new Response(JSON.stringify(body), { status: response.status, statusText: response.statusText, headers });
};

export interface DeviceAuthorization {
  /** The URL to open: verification_uri_complete (the code filled in) when sent, else verification_uri. */
  verificationUrl: string;
  userCode: string;
  /** Seconds until the device code expires. */
  expiresIn: number;
  /** The library's response, to poll with. */
  response: client.DeviceAuthorizationResponse;
}

export async function startDeviceAuthorization(config: OAuthConfiguration, request: { audience: string; scopes: readonly string[]; domain: string }): Promise<DeviceAuthorization> {
  try {
    const response = await client.initiateDeviceAuthorization(config, { scope: request.scopes.join(' '), audience: request.audience });
    return { verificationUrl: response.verification_uri_complete ?? response.verification_uri, userCode: response.user_code, expiresIn: response.expires_in, response };
  } catch (error) {
    throw loginError(error, request.domain, 'device code request');
  }
}

/**
 * Polls the token endpoint until the code is approved, denied or expires; `signal` stops it (the
 * caller tells an interrupt from its own expiry timer by which signal fired).
 */
export async function pollDeviceAuthorization(config: OAuthConfiguration, authorization: DeviceAuthorization, domain: string, signal: AbortSignal): Promise<TokenResponse> {
  try {
    return tokens(await client.pollDeviceAuthorizationGrant(config, authorization.response, undefined, { signal }));
  } catch (error) {
    throw loginError(error, domain, 'login');
  }
}

export async function refreshTokens(config: OAuthConfiguration, refreshToken: string, domain: string): Promise<TokenResponse> {
  try {
    return tokens(await client.refreshTokenGrant(config, refreshToken));
  } catch (error) {
    throw loginError(error, domain, 'token refresh');
  }
}

export async function revokeToken(config: OAuthConfiguration, token: string, hint: 'refresh_token' | 'access_token', domain: string): Promise<void> {
  try {
    await client.tokenRevocation(config, token, { token_type_hint: hint });
  } catch (error) {
    throw loginError(error, domain, 'revocation');
  }
}

function tokens(response: client.TokenEndpointResponse): TokenResponse {
  return {
    access_token: response.access_token,
    token_type: response.token_type,
    ...(response.refresh_token ? { refresh_token: response.refresh_token } : {}),
    ...(response.expires_in !== undefined ? { expires_in: response.expires_in } : {}),
  };
}

/**
 * One line per failure, by what the server or the network said; the server's own description is kept
 * short. Anything else (a bug) is returned as it is.
 */
export function loginError(error: unknown, domain: string, what: string): Error {
  if (error instanceof client.ResponseBodyError) {
    const said = error.error_description ? `: ${oneLine(error.error_description)}` : '';
    switch (error.error) {
      case 'access_denied':
        return new LoginError(`the login was denied${said}; run tcld login to try again`, 'access-denied');
      case 'expired_token':
        return new LoginError('the login code expired before it was approved; run tcld login again', 'expired');
      case 'invalid_grant':
        return new LoginError('your login has expired: run tcld login', 'invalid-grant');
      default:
        return new LoginError(`${domain} refused the ${what} (${oneLine(error.error)}${said})`, 'refused');
    }
  }
  if (error instanceof client.ClientError && error.code === 'OAUTH_TIMEOUT') return new LoginError(`${domain} did not answer the ${what} in time`, 'timed-out');
  if (error instanceof TypeError && isNetworkFailure(error)) {
    const cause = (error.cause as { code?: string; message?: string } | undefined);
    const detail = cause?.code ?? cause?.message;
    return new LoginError(`cannot reach ${domain} for the ${what}${detail ? ` (${oneLine(detail)})` : ''}; check the network${what === 'token refresh' || what === 'revocation' ? '' : ', or --domain'}`, 'unreachable');
  }
  if (error instanceof client.ClientError || error instanceof client.WWWAuthenticateChallengeError || error instanceof client.AuthorizationResponseError) {
    const { cause } = error;
    const detail = cause instanceof Response ? `: HTTP ${cause.status}` : cause instanceof Error && cause.message !== error.message ? `: ${cause.message}` : '';
    return new LoginError(`${domain} sent an unexpected answer to the ${what} (${oneLine(error.message + detail)})`, 'bad-response');
  }
  if (error instanceof Error) return error;
  return new LoginError(`the ${what} failed: ${oneLine(String(error))}`, 'bad-response');
}

/** fetch's own failure (refused, reset, DNS), as opposed to a TypeError of a bug. */
function isNetworkFailure(error: TypeError): boolean {
  return error.message === 'fetch failed' || (typeof error.cause === 'object' && error.cause !== null && 'code' in error.cause);
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
