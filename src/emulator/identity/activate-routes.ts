/**
 * The verification pages (RFC 8628 section 3.3): `GET /activate` to type or follow a user code,
 * `POST /activate` to approve or deny it (CSRF-checked; Approve only for a browser signed in as the
 * admin, or with an API key that signs it in), `POST /signout`, and `GET /v2/logout`, which tcld logout
 * opens. Unknown user codes are bounded per port (RFC 8628 section 5.1: the code space is small).
 */
import type { FailureLimit } from '../http/failure-limit.js';
import type { HttpReply, HttpRequest, Route } from '../http/router.js';
import type { AdminSessions } from './admin-sessions.js';
import { isCrossSite, type CsrfGuard } from './csrf.js';
import { formatUserCode, normalizeUserCode, type DeviceCodes, type UserCodeState } from './device-codes.js';
import { VERIFICATION_PATH } from './oauth-routes.js';
import { confirmPage, enterCodePage, outcomePage, sentence, type Outcome } from './pages.js';

export interface ActivateRoutesOptions {
  deviceCodes: DeviceCodes;
  csrf: CsrfGuard;
  sessions: AdminSessions;
  /** Counts lookups of codes the server never gave out (or forgot). */
  unknownCodes: FailureLimit;
  now: () => Date;
}

function html(status: number, body: string, headers: Record<string, string | string[]> = {}, note?: string): HttpReply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body, ...(note !== undefined && { note }) };
}

function outcome(status: number, which: Outcome, request: HttpRequest, userCode?: string): HttpReply {
  return html(status, outcomePage(which, request.nonce, userCode), {}, which);
}

/** The page for a code that is not pending: status and outcome, as a GET shows them. */
function settled(state: Exclude<UserCodeState, { code: 'pending' }>, request: HttpRequest): HttpReply {
  switch (state.code) {
    case 'unknown':
      return outcome(404, 'unknown', request);
    case 'expired':
      return outcome(410, 'expired', request, state.userCode);
    case 'approved':
      return outcome(200, 'already-approved', request, state.userCode);
    case 'denied':
      return outcome(200, 'already-denied', request, state.userCode);
  }
}

/** A POST's answer for a code that is not pending: a second decision is a conflict. */
function decided(state: Exclude<UserCodeState, { code: 'pending' }>, request: HttpRequest): HttpReply {
  if (state.code === 'approved' || state.code === 'denied') return outcome(409, `already-${state.code}`, request, state.userCode);
  return settled(state, request);
}

export function activateRoutes(options: ActivateRoutesOptions): Route[] {
  const { deviceCodes, csrf, sessions, unknownCodes } = options;

  /** Where a typed code stands, or 'limited' once too many unknown codes were tried this minute (then none is looked up). */
  const lookUp = (typed: string): UserCodeState | { code: 'limited'; retryAfterSeconds: number } => {
    const limit = unknownCodes.check();
    if (limit.code === 'limited') return limit;
    const state = deviceCodes.find(typed);
    if (state.code === 'unknown') unknownCodes.fail();
    return state;
  };
  const tooManyCodes = (request: HttpRequest, retryAfterSeconds: number) =>
    html(429, outcomePage('too-many-codes', request.nonce), { 'retry-after': String(retryAfterSeconds) }, 'too-many-codes');

  /** The confirmation page of a pending code, for this browser: signed in, or with the API key field (and why the last key was refused). */
  const confirm = (request: HttpRequest, state: Extract<UserCodeState, { code: 'pending' }>, reply: { status: number; error?: string; headers?: Record<string, string>; note?: string }) => {
    const cookie = csrf.cookieFor(request.cookies.get(csrf.cookieName));
    const session = sessions.current(request.cookies);
    const body = confirmPage({
      userCode: state.userCode,
      request: state.request,
      expiresAt: state.expiresAt,
      now: options.now(),
      csrfToken: csrf.tokenFor(cookie.value, normalizeUserCode(state.userCode)!),
      nonce: request.nonce,
      session: session ? { signedInAs: session.label } : { ...(reply.error !== undefined && { error: reply.error }) },
    });
    const headers = { ...reply.headers, ...(cookie.setCookie && { 'set-cookie': cookie.setCookie }) };
    return html(reply.status, body, headers, reply.note);
  };

  const show = (request: HttpRequest): HttpReply => {
    const typed = request.query.get('user_code')?.trim();
    if (!typed) return html(200, enterCodePage(request.nonce));
    const state = lookUp(typed);
    if (state.code === 'limited') return tooManyCodes(request, state.retryAfterSeconds);
    if (state.code !== 'pending') return settled(state, request);
    return confirm(request, state, { status: 200 });
  };

  const decide = (request: HttpRequest): HttpReply => {
    const typed = request.form.get('user_code') ?? '';
    const decision = request.form.get('decision');
    if (decision !== 'approve' && decision !== 'deny') return outcome(400, 'refused', request);
    const token = request.form.get('csrf_token') ?? undefined;
    if (isCrossSite(request) || !csrf.verify(request.cookies.get(csrf.cookieName), normalizeUserCode(typed) ?? '', token)) {
      return outcome(403, 'refused', request);
    }
    const state = lookUp(typed);
    if (state.code === 'limited') return tooManyCodes(request, state.retryAfterSeconds);
    if (state.code !== 'pending') return decided(state, request);
    let signedIn: string | undefined;
    if (decision === 'approve' && !sessions.current(request.cookies)) {
      const attempt = sessions.signIn(request.form.get('api_key') ?? '');
      if (attempt.code === 'too-many-failures') {
        return confirm(request, state, { status: 429, error: sentence(attempt.message), headers: { 'retry-after': String(attempt.retryAfterSeconds) }, note: attempt.code });
      }
      if (attempt.code !== 'signed-in') return confirm(request, state, { status: 401, error: sentence(attempt.message), note: `sign-in-${attempt.code}` });
      signedIn = attempt.setCookie;
    }
    const before = deviceCodes.decide(typed, decision);
    if (before.code !== 'pending') return decided(before, request);
    return html(200, outcomePage(decision === 'approve' ? 'approved' : 'denied', request.nonce, before.userCode), signedIn ? { 'set-cookie': signedIn } : {}, decision === 'approve' ? 'approved' : 'denied');
  };

  const signOut = (request: HttpRequest): HttpReply => {
    if (isCrossSite(request)) return outcome(403, 'refused', request);
    const userCode = normalizeUserCode(request.form.get('user_code') ?? '');
    const shown = userCode === undefined ? undefined : formatUserCode(userCode);
    return html(200, outcomePage('browser-signed-out', request.nonce, shown), { 'set-cookie': sessions.signOut(request.cookies) }, 'signed-out');
  };

  // What tcld logout opens (Auth0's logout): it ends this browser's session too.
  const logout = (request: HttpRequest): HttpReply =>
    html(200, outcomePage('signed-out', request.nonce), { 'set-cookie': [csrf.clearCookie, sessions.signOut(request.cookies)] }, 'signed-out');

  return [
    { method: 'GET', path: VERIFICATION_PATH, handle: show },
    { method: 'POST', path: VERIFICATION_PATH, handle: decide },
    { method: 'POST', path: '/signout', handle: signOut },
    { method: 'GET', path: '/v2/logout', handle: logout },
  ];
}
