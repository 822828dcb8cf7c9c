/**
 * The verification pages (RFC 8628 section 3.3): `GET /activate` to type or follow a user code,
 * `POST /activate` to approve or deny it (CSRF-checked), and `GET /v2/logout`, which tcld logout opens.
 */
import type { HttpReply, HttpRequest, Route } from '../http/router.js';
import { CSRF_COOKIE, type CsrfGuard } from './csrf.js';
import { normalizeUserCode, type DeviceCodes, type UserCodeState } from './device-codes.js';
import { VERIFICATION_PATH } from './oauth-routes.js';
import { confirmPage, enterCodePage, outcomePage, type Outcome } from './pages.js';

export interface ActivateRoutesOptions {
  deviceCodes: DeviceCodes;
  csrf: CsrfGuard;
  now: () => Date;
}

function html(status: number, body: string, headers: Record<string, string> = {}, note?: string): HttpReply {
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

/** A POST from another site: its Origin (or Sec-Fetch-Site) says so; browsers send one or the other on form posts. */
function isCrossSite(request: HttpRequest): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== request.origin) return true;
  const site = request.headers['sec-fetch-site'];
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

export function activateRoutes(options: ActivateRoutesOptions): Route[] {
  const { deviceCodes, csrf } = options;

  const show = (request: HttpRequest): HttpReply => {
    const typed = request.query.get('user_code')?.trim();
    if (!typed) return html(200, enterCodePage(request.nonce));
    const state = deviceCodes.find(typed);
    if (state.code !== 'pending') return settled(state, request);
    const cookie = csrf.cookieFor(request.cookies.get(CSRF_COOKIE));
    const body = confirmPage({
      userCode: state.userCode,
      request: state.request,
      expiresAt: state.expiresAt,
      now: options.now(),
      csrfToken: csrf.tokenFor(cookie.value, normalizeUserCode(state.userCode)!),
      nonce: request.nonce,
    });
    return html(200, body, cookie.setCookie ? { 'set-cookie': cookie.setCookie } : {});
  };

  const decide = (request: HttpRequest): HttpReply => {
    const typed = request.form.get('user_code') ?? '';
    const decision = request.form.get('decision');
    if (decision !== 'approve' && decision !== 'deny') return outcome(400, 'refused', request);
    const token = request.form.get('csrf_token') ?? undefined;
    if (isCrossSite(request) || !csrf.verify(request.cookies.get(CSRF_COOKIE), normalizeUserCode(typed) ?? '', token)) {
      return outcome(403, 'refused', request);
    }
    const before = deviceCodes.decide(typed, decision);
    if (before.code === 'pending') return outcome(200, decision === 'approve' ? 'approved' : 'denied', request, before.userCode);
    if (before.code === 'approved' || before.code === 'denied') return outcome(409, `already-${before.code}`, request, before.userCode);
    return settled(before, request);
  };

  const logout = (request: HttpRequest): HttpReply => html(200, outcomePage('signed-out', request.nonce), { 'set-cookie': csrf.clearCookie }, 'signed-out');

  return [
    { method: 'GET', path: VERIFICATION_PATH, handle: show },
    { method: 'POST', path: VERIFICATION_PATH, handle: decide },
    { method: 'GET', path: '/v2/logout', handle: logout },
  ];
}
