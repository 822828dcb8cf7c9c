/**
 * Where tcld signs in: its fixed login defaults (app/login.go), the endpoints it derives from the
 * domain, and the checks on a verification URL the login server sends back. Pure: no I/O.
 */
import { UsageError } from '../../errors.js';

/** tcld's hidden login flags' defaults: Temporal Cloud's Auth0 tenant, the Cloud Ops API as audience, tcld's public client. */
export const LOGIN_DEFAULTS = {
  domain: 'login.tmprl.cloud',
  audience: 'https://saas-api.tmprl.cloud',
  clientId: 'd7V5bZMLCbRLfRVpqC567AqjAERaWHhl',
  /** offline_access asks for the refresh token; tcld asks for the same four. */
  scopes: ['openid', 'profile', 'user', 'offline_access'],
} as const;

/** golang.org/x/oauth2's AuthStyleInParams: the client id goes in the form body, there is no secret (what tcld stores). */
export const AUTH_STYLE_IN_PARAMS = 1;

/**
 * A login domain as tcld reads it: a bare host gets https:// (`login.tmprl.cloud`), a URL keeps its
 * path. Unlike tcld, plain http:// is refused except on a loopback host (a local dev-server): the
 * device code and tokens would cross the network readable by anyone on the way.
 */
export function parseDomain(text: string, flag = '--domain'): URL {
  const trimmed = text.trim();
  const bad = () => new UsageError(`${flag} ${JSON.stringify(text)} is not a host name or an http(s) URL`);
  if (trimmed === '' || (/^[a-z][\w+.-]*:\/\//i.test(trimmed) && !/^https?:\/\//i.test(trimmed))) throw bad();
  const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw bad();
  }
  if (url.hostname === '' || url.search || url.hash || url.username || url.password) throw bad();
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new UsageError(`${flag} ${text}: http:// is allowed only for a loopback host (a local dev-server); use https://`);
  }
  return url;
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts tcld talks plain HTTP to. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The domain as tcld stores it in tokens.json: Go's url.String(), no trailing slash ("https://login.tmprl.cloud"). */
export function domainString(domain: URL): string {
  return `${domain.origin}${domain.pathname.replace(/\/+$/, '')}`;
}

/** The path below the domain, as Go's url.JoinPath makes it. */
function endpoint(domain: URL, path: string): string {
  return `${domainString(domain)}/${path}`;
}

export interface LoginEndpoints {
  deviceAuthUrl: string;
  tokenUrl: string;
  /** RFC 7009 revocation, Auth0's `/oauth/revoke` (tcld never revokes; we do at logout). */
  revokeUrl: string;
  /** Where the browser signs out of the login server's own session. */
  logoutUrl: string;
}

export function loginEndpoints(domain: URL): LoginEndpoints {
  return {
    deviceAuthUrl: endpoint(domain, 'oauth/device/code'),
    tokenUrl: endpoint(domain, 'oauth/token'),
    revokeUrl: endpoint(domain, 'oauth/revoke'),
    logoutUrl: endpoint(domain, 'v2/logout'),
  };
}

/** Whether tcld may send a token to this URL: https, or http on a loopback host. */
export function isSafeEndpoint(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
  } catch {
    return false;
  }
}

export type VerificationCheck =
  | { ok: true; url: URL }
  | { ok: false; code: 'malformed' | 'other-host' | 'insecure'; message: string };

/**
 * The URL the person opens to approve the login. It must be on the domain's host, as tcld requires
 * ("otherwise the response could have us POST to any arbitrary URL"), and since tcld hands it to the
 * system's URL opener, it must be http(s): a file: or custom-scheme URL on the same host name would
 * otherwise pass the host check. http only on a loopback host, as for the domain.
 */
export function checkVerificationUrl(text: string, domain: URL): VerificationCheck {
  const withScheme = /^[a-z][\w+.-]*:/i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, code: 'malformed', message: `the login server sent a verification URL that is not a URL: ${JSON.stringify(text)}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, code: 'insecure', message: `the login server sent a verification URL that is not http(s): ${url.protocol}` };
  }
  if (url.hostname !== domain.hostname) {
    return { ok: false, code: 'other-host', message: `domain URL \`${domain.hostname}\` does not match verification URL \`${url.hostname}\` in response` };
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return { ok: false, code: 'insecure', message: `the login server sent a plain-http verification URL for ${url.hostname}` };
  }
  return { ok: true, url };
}
