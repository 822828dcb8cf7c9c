/**
 * Who is signed in as the admin in a browser on the dev-server's HTTP port: a sign-in with an API key
 * opens a session (http/session.ts) that later pages of that browser use without the key, until it
 * expires, the person signs out, or the key it was opened with stops working. Wrong keys are bounded
 * per port. Pages that change something (the device flow's Approve today, a console later) ask this.
 */
import type { RandomSource } from '../../pki/random.js';
import { createFailureLimit } from '../http/failure-limit.js';
import { createSessions } from '../http/session.js';
import type { Principal } from './authority.js';
import type { AdminSignIn, SignInRefusal } from './sign-in.js';

export const DEFAULT_SIGN_IN_FAILURES_PER_MINUTE = 10;

export interface AdminSession {
  principal: Principal;
  /** The admin's email and which key signed in, for the page. */
  label: string;
}

export type BrowserSignIn =
  | { code: 'signed-in'; session: AdminSession; setCookie: string }
  /** No key typed: not counted as a failure. */
  | { code: 'missing'; message: string }
  | { code: SignInRefusal; message: string }
  | { code: 'too-many-failures'; message: string; retryAfterSeconds: number };

export interface AdminSessions {
  /** The browser's session, if it has one that may still act. */
  current(cookies: ReadonlyMap<string, string>): AdminSession | undefined;
  /** Checks a typed API key and, if it signs in, opens a session (`setCookie` for the reply). */
  signIn(secret: string): BrowserSignIn;
  /** Ends the browser's session, if any: the Set-Cookie header that removes its cookie. */
  signOut(cookies: ReadonlyMap<string, string>): string;
}

export interface AdminSessionsOptions {
  signIn: AdminSignIn;
  now: () => Date;
  random: RandomSource;
  /** Failed sign-ins allowed per minute on the port before every sign-in is answered too-many-failures. Default 10. */
  failuresPerMinute?: number;
  /** How long a session lives, in seconds. Default 12 hours. */
  sessionSeconds?: number;
}

export function createAdminSessions(options: AdminSessionsOptions): AdminSessions {
  const sessions = createSessions<AdminSession>({
    now: options.now,
    random: options.random,
    ...(options.sessionSeconds !== undefined && { lifetimeSeconds: options.sessionSeconds }),
  });
  const failures = createFailureLimit({ limit: options.failuresPerMinute ?? DEFAULT_SIGN_IN_FAILURES_PER_MINUTE, now: options.now });
  return {
    current(cookies) {
      const session = sessions.get(cookies);
      if (session === undefined || options.signIn.isCurrent(session.principal)) return session;
      sessions.end(cookies);
      return undefined;
    },
    signIn(typed) {
      const secret = typed.trim();
      if (secret === '') return { code: 'missing', message: "enter an API key: the dev-server's --api-key or one the admin made with tcld apikey create" };
      // Checked before the key: while limited, no guess can succeed.
      const limit = failures.check();
      if (limit.code === 'limited') {
        const wait = limit.retryAfterSeconds;
        return { code: 'too-many-failures', message: `too many wrong API keys on this port in the last minute: try again in ${wait} second${wait === 1 ? '' : 's'}`, retryAfterSeconds: wait };
      }
      const verdict = options.signIn.verify(secret);
      if (verdict.code !== 'signed-in') {
        failures.fail();
        return verdict;
      }
      const session = { principal: verdict.principal, label: verdict.label };
      return { code: 'signed-in', session, setCookie: sessions.start(session) };
    },
    signOut: (cookies) => sessions.end(cookies),
  };
}
