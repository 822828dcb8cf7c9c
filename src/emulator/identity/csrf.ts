/**
 * The verification form's CSRF defence: a random browser cookie (SameSite=Strict, HttpOnly, so another
 * site can neither send nor read it) and, in the form, an HMAC of that cookie and the user code under
 * a key that lives as long as the server. A POST approves only with both, for that very code.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RandomSource } from '../../pki/random.js';
import type { HttpRequest } from '../http/router.js';

export const CSRF_COOKIE = 'tcld_activate';
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

export interface CsrfGuard {
  /** The cookie's name (default 'tcld_activate'; the console's guard has its own). */
  readonly cookieName: string;
  /** The browser's cookie value if it has a well-formed one, else a new one (with `setCookie` to send). */
  cookieFor(current: string | undefined): { value: string; setCookie?: string };
  /** The form token for this browser and user code. */
  tokenFor(cookie: string, userCode: string): string;
  /** Whether a posted token was made for this cookie and user code. */
  verify(cookie: string | undefined, userCode: string, token: string | undefined): boolean;
  /** A Set-Cookie header that removes the cookie. */
  clearCookie: string;
}

export function createCsrfGuard(random: RandomSource, path: string, cookieName = CSRF_COOKIE): CsrfGuard {
  const key = Buffer.from(random(32));
  const attributes = `Path=${path}; HttpOnly; SameSite=Strict`;
  const tokenFor = (cookie: string, userCode: string) => createHmac('sha256', key).update(`${cookie}\n${userCode}`).digest('base64url');
  return {
    cookieName,
    cookieFor(current) {
      if (current !== undefined && COOKIE_VALUE.test(current)) return { value: current };
      const value = Buffer.from(random(32)).toString('base64url');
      return { value, setCookie: `${cookieName}=${value}; ${attributes}` };
    },
    tokenFor,
    verify(cookie, userCode, token) {
      if (cookie === undefined || token === undefined || !COOKIE_VALUE.test(cookie)) return false;
      const expected = Buffer.from(tokenFor(cookie, userCode));
      const given = Buffer.from(token);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
    clearCookie: `${cookieName}=; ${attributes}; Max-Age=0`,
  };
}

/** A POST from another site: its Origin (or Sec-Fetch-Site) says so; browsers send one or the other on form posts. */
export function isCrossSite(request: HttpRequest): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== request.origin) return true;
  const site = request.headers['sec-fetch-site'];
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}
