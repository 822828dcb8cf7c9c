/**
 * The OAuth endpoints, shaped as Temporal Cloud's identity provider (Auth0 at login.tmprl.cloud) and
 * the RFCs: device authorization (RFC 8628 section 3.1), token with the device_code and refresh_token
 * grants (RFC 8628 section 3.4, RFC 6749 sections 5 and 6), revocation (RFC 7009).
 */
import type { HttpReply, HttpRequest, Route } from '../http/router.js';
import type { TokenAuthority, TokenGrant } from './authority.js';
import type { DeviceCodes } from './device-codes.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** What tcld asks for; a refresh that names no scope is granted this. */
export const TCLD_SCOPE = 'openid profile user offline_access';
export const VERIFICATION_PATH = '/activate';

/** RFC 6749 section 5.2 and RFC 8628 section 3.5 error codes this server answers. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'unsupported_grant_type'
  | 'invalid_grant'
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  | 'access_denied'
  | 'temporarily_unavailable'
  | 'not_found'
  | 'method_not_allowed'
  | 'server_error';

/** `{"error", "error_description"}`; RFC 6749 answers 400 unless it says otherwise. */
export function oauthError(error: OAuthErrorCode, description: string, status = 400, headers: Record<string, string> = {}): HttpReply {
  return json(status, { error, error_description: description }, error, headers);
}

function json(status: number, value: unknown, note?: string, headers: Record<string, string> = {}): HttpReply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', pragma: 'no-cache', ...headers },
    body: JSON.stringify(value),
    ...(note !== undefined && { note }),
  };
}

/** Kept with each waiting code and shown on its page: bounded, so 1000 waiting codes stay small. */
const FIELD_LIMITS = [
  ['client_id', 200],
  ['scope', 1000],
  ['audience', 500],
] as const;

export interface OAuthRoutesOptions {
  deviceCodes: DeviceCodes;
  authority: TokenAuthority;
}

/** A parameter sent at most once (RFC 6749 section 3.1); a repeated one is an invalid_request reply. */
type Fields = Record<string, string | undefined>;

function fields(request: HttpRequest, names: readonly string[]): Fields | HttpReply {
  const found: Fields = {};
  for (const name of names) {
    const values = request.form.getAll(name);
    if (values.length > 1) return oauthError('invalid_request', `${name} is given more than once`);
    found[name] = values[0] === '' ? undefined : values[0];
  }
  return found;
}

function isReply(value: Fields | HttpReply): value is HttpReply {
  return typeof value.status === 'number';
}

export function oauthRoutes(options: OAuthRoutesOptions): Route[] {
  const { deviceCodes, authority } = options;

  const deviceAuthorization = (request: HttpRequest): HttpReply => {
    const f = fields(request, ['client_id', 'scope', 'audience']);
    if (isReply(f)) return f;
    if (f['client_id'] === undefined) return oauthError('invalid_request', 'client_id is required');
    for (const [name, limit] of FIELD_LIMITS) {
      if ((f[name]?.length ?? 0) > limit) return oauthError('invalid_request', `${name} is longer than ${limit} characters`);
    }
    const started = deviceCodes.start({ clientId: f['client_id'], scope: f['scope'] ?? '', ...(f['audience'] !== undefined && { audience: f['audience'] }) });
    if ('code' in started) return oauthError('temporarily_unavailable', 'too many sign-ins are waiting; try again in a minute', 503, { 'retry-after': '60' });
    const verificationUri = `${request.origin}${VERIFICATION_PATH}`;
    return json(200, {
      device_code: started.deviceCode,
      user_code: started.userCode,
      verification_uri: verificationUri,
      verification_uri_complete: `${verificationUri}?user_code=${encodeURIComponent(started.userCode)}`,
      expires_in: started.expiresIn,
      interval: started.interval,
    });
  };

  const deviceCodeGrant = (f: Fields): HttpReply => {
    if (f['device_code'] === undefined) return oauthError('invalid_request', 'device_code is required');
    if (f['client_id'] === undefined) return oauthError('invalid_request', 'client_id is required');
    const verdict = deviceCodes.poll(f['device_code'], f['client_id']);
    switch (verdict.code) {
      case 'approved':
        return tokens(authority.issue(), verdict.request.scope || TCLD_SCOPE);
      case 'authorization_pending':
        return oauthError(verdict.code, 'the sign-in has not been approved yet');
      case 'slow_down':
        return oauthError(verdict.code, `polled too often: wait ${verdict.interval} seconds between polls`);
      case 'expired_token':
        return oauthError(verdict.code, 'the device code has expired: start the sign-in again');
      case 'access_denied':
        return oauthError(verdict.code, 'the sign-in was denied');
      case 'invalid_grant':
        return oauthError(verdict.code, 'the device code is unknown, already used, or was issued to another client');
    }
  };

  const refreshGrant = (f: Fields): HttpReply => {
    if (f['refresh_token'] === undefined) return oauthError('invalid_request', 'refresh_token is required');
    const grant = authority.refresh(f['refresh_token']);
    if ('code' in grant) return oauthError('invalid_grant', 'the refresh token is unknown, revoked or already used');
    return tokens(grant, f['scope'] ?? TCLD_SCOPE);
  };

  const token = (request: HttpRequest): HttpReply => {
    const f = fields(request, ['grant_type', 'device_code', 'client_id', 'refresh_token', 'scope']);
    if (isReply(f)) return f;
    if (f['grant_type'] === DEVICE_CODE_GRANT) return deviceCodeGrant(f);
    if (f['grant_type'] === 'refresh_token') return refreshGrant(f);
    if (f['grant_type'] === undefined) return oauthError('invalid_request', 'grant_type is required');
    return oauthError('unsupported_grant_type', `grant_type must be ${DEVICE_CODE_GRANT} or refresh_token`);
  };

  const revoke = (request: HttpRequest): HttpReply => {
    const f = fields(request, ['token', 'token_type_hint']);
    if (isReply(f)) return f;
    if (f['token'] === undefined) return oauthError('invalid_request', 'token is required');
    // RFC 7009 section 2.2: an unknown token is answered 200 as well.
    authority.revoke(f['token']);
    return { status: 200, headers: { pragma: 'no-cache' } };
  };

  return [
    { method: 'POST', path: '/oauth/device/code', handle: deviceAuthorization },
    { method: 'POST', path: '/oauth/token', handle: token },
    { method: 'POST', path: '/oauth/revoke', handle: revoke },
  ];
}

/** RFC 6749 section 5.1. */
function tokens(grant: TokenGrant, scope: string): HttpReply {
  return json(200, { access_token: grant.accessToken, refresh_token: grant.refreshToken, token_type: 'Bearer', expires_in: grant.expiresIn, scope });
}
