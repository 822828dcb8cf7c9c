/**
 * The dev-server as Temporal Cloud's identity provider: an HTTP port on loopback that serves the OAuth
 * device flow (`tcld login --domain http://127.0.0.1:<port>`) against a TokenAuthority, and the pages
 * where a person approves (signed in as the account's admin with an API key) or denies a sign-in.
 */
import { secureRandom, type RandomSource } from '../../pki/random.js';
import { formatHostPort, ListenError } from '../address.js';
import { admissionEventsRoute, type AdmissionEventsOptions } from '../console/events-route.js';
import { serveHttp } from '../http/http-server.js';
import { createFailureLimit } from '../http/failure-limit.js';
import { createOpenStreams } from '../http/open-streams.js';
import { createRouter, failureStatus, type HttpReply, type RouterFailure } from '../http/router.js';
import type { ConsoleActions } from '../console/actions.js';
import { CONSOLE_CSRF_COOKIE, consoleRoutes } from '../console/console-routes.js';
import { CONSOLE_PATH } from '../console/layout.js';
import { activateRoutes } from './activate-routes.js';
import { createAdminSessions } from './admin-sessions.js';
import type { TokenAuthority } from './authority.js';
import { createCsrfGuard } from './csrf.js';
import { DeviceCodes } from './device-codes.js';
import { oauthError, oauthRoutes, VERIFICATION_PATH, type OAuthErrorCode } from './oauth-routes.js';
import { escapeHtml, page } from './pages.js';
import type { AdminSignIn } from './sign-in.js';

/** Unknown user codes looked up per minute on the port before every lookup is answered 429. */
export const DEFAULT_UNKNOWN_CODES_PER_MINUTE = 10;

export interface StartAuthServerOptions {
  /** Issues, refreshes and revokes the tokens. */
  authority: TokenAuthority;
  /** Who may approve: a browser signed in with an API key of the account's admin (createAdminSignIn). */
  signIn: AdminSignIn;
  /** Guessing bounds, per minute on the port: failed sign-ins (default 10) and unknown user codes (default 10); past them, 429. */
  limits?: { signInFailuresPerMinute?: number; unknownCodesPerMinute?: number };
  /** How long a browser stays signed in, in seconds. Default 12 hours. */
  sessionSeconds?: number;
  /** Loopback only: the port is for this machine's browsers. Default '127.0.0.1'. */
  host?: string;
  /** 0: any free port. Default 0. */
  port?: number;
  /** How long a device code lives, in seconds. Default 900 (15 minutes). */
  deviceCodeSeconds?: number;
  /** The least time between token polls, in seconds, at least 1. Default 5. */
  intervalSeconds?: number;
  /** Default: the system clock. */
  now?: () => Date;
  /** Default: node:crypto. */
  random?: RandomSource;
  /** One line per request: method, path (never the query), status, and the OAuth error or page outcome. Default: none. */
  log?: (line: string) => void;
  /** How long close() lets running requests finish, in ms. Default 1000. */
  graceMs?: number;
  /** Largest request body, in bytes. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Live streams open at once (past it, 503). Default 32. */
  maxStreams?: number;
  /**
   * The web console at /console: the services it reads and changes through, and the gateway's
   * admissions, which it shows and serves live at /console/namespaces/<id>/events. Default: none.
   */
  console?: { actions: ConsoleActions } & AdmissionEventsOptions;
}

export interface AuthServer {
  /** `http://127.0.0.1:<port>`: tcld login's --domain. */
  url: string;
  /** `<url>/console`, when the console is served. */
  consoleUrl?: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function startAuthServer(options: StartAuthServerOptions): Promise<AuthServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) throw new ListenError(`the sign-in port listens on loopback only (got ${host})`, 'auth');
  const now = options.now ?? (() => new Date());
  const random = options.random ?? secureRandom;
  const deviceCodes = new DeviceCodes({
    now,
    random,
    ...(options.deviceCodeSeconds !== undefined && { expiresInSeconds: options.deviceCodeSeconds }),
    ...(options.intervalSeconds !== undefined && { intervalSeconds: options.intervalSeconds }),
  });
  // One set of sessions for the port: signing in on the approval page or the console signs in on both.
  const sessions = createAdminSessions({
    signIn: options.signIn,
    now,
    random,
    ...(options.limits?.signInFailuresPerMinute !== undefined && { failuresPerMinute: options.limits.signInFailuresPerMinute }),
    ...(options.sessionSeconds !== undefined && { sessionSeconds: options.sessionSeconds }),
  });
  const routes = [
    ...oauthRoutes({ deviceCodes, authority: options.authority }),
    ...activateRoutes({
      deviceCodes,
      csrf: createCsrfGuard(random, VERIFICATION_PATH),
      sessions,
      unknownCodes: createFailureLimit({ limit: options.limits?.unknownCodesPerMinute ?? DEFAULT_UNKNOWN_CODES_PER_MINUTE, now }),
      now,
    }),
    ...(options.console
      ? [
          ...consoleRoutes({ ...options.console, sessions, csrf: createCsrfGuard(random, CONSOLE_PATH, CONSOLE_CSRF_COOKIE), now }),
          admissionEventsRoute(options.console),
        ]
      : []),
  ];
  const streams = createOpenStreams({ ...(options.maxStreams !== undefined && { max: options.maxStreams }) });
  const server = await serveHttp({
    host,
    port: options.port ?? 0,
    listener: 'auth',
    ...(options.graceMs !== undefined && { graceMs: options.graceMs }),
    handler: (port) =>
      createRouter({
        routes,
        port,
        address: host,
        failure,
        random,
        streams,
        logPrefix: 'auth',
        ...(options.log && { log: options.log }),
        ...(options.maxBodyBytes !== undefined && { maxBodyBytes: options.maxBodyBytes }),
      }),
  });
  const url = `http://${formatHostPort(host, server.port)}`;
  return {
    url,
    ...(options.console && { consoleUrl: `${url}${CONSOLE_PATH}` }),
    host,
    port: server.port,
    close() {
      // Live streams end now: close() waits for running requests, and they never finish on their own.
      streams.closeAll();
      return server.close();
    },
  };
}

/** 127.0.0.0/8 or ::1. */
export function isLoopback(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::1';
}

const FAILURES: Record<RouterFailure, { error: OAuthErrorCode; text: string }> = {
  'not-found': { error: 'not_found', text: 'There is no such page here.' },
  'method-not-allowed': { error: 'method_not_allowed', text: 'This page does not take that method.' },
  misdirected: { error: 'invalid_request', text: 'This server answers only at 127.0.0.1, localhost or [::1] with its own port.' },
  'too-large': { error: 'invalid_request', text: 'The request body is too large.' },
  'unsupported-media-type': { error: 'invalid_request', text: 'The body must be application/x-www-form-urlencoded (or a JSON object of strings).' },
  'malformed-body': { error: 'invalid_request', text: 'The body is not a JSON object of strings.' },
  internal: { error: 'server_error', text: 'The dev-server failed to answer (a bug).' },
  unavailable: { error: 'temporarily_unavailable', text: 'Too many live views are open: close one, or try again later.' },
};

/** OAuth endpoints answer errors as RFC 6749 JSON; everything else as a page. */
function failure(which: RouterFailure, path: string, nonce: string): HttpReply {
  const { error, text } = FAILURES[which];
  if (path.startsWith('/oauth/')) return oauthError(error, text, failureStatus(which));
  return {
    status: failureStatus(which),
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: page('Not available', `<p>${escapeHtml(text)}</p>`, nonce),
    note: which,
  };
}
