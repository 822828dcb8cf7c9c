/**
 * The console's routes on the dev-server's sign-in port: pages anyone on this machine may read, and
 * forms that change a namespace. A change is taken only from a page of this console (the Origin or
 * Sec-Fetch-Site check and a token bound to a SameSite=Strict cookie, identity/csrf.ts) and only from
 * a browser signed in as the admin with an API key (identity/admin-sessions.ts, the session the
 * approval page uses); it then goes through the Cloud Ops API's own handlers (actions.ts).
 */
import { authMethodOf } from '../../cloud/auth-method.js';
import type { INamespaceSpec } from '../../cloud/proto.js';
import { errorKind } from '../../errors.js';
import { canonicalFilter } from '../../pki/filters.js';
import type { HttpReply, HttpRequest, Route } from '../http/router.js';
import type { AdminSessions } from '../identity/admin-sessions.js';
import { isCrossSite, type CsrfGuard } from '../identity/csrf.js';
import { accountPage } from './account-page.js';
import type { ConsoleActions, NamespaceRecord, ServiceRefusalCode } from './actions.js';
import type { AdmissionLog } from './admission-log.js';
import { caView, type CaView } from './certificate-view.js';
import { ACCOUNT_PATH, CONSOLE_PATH, namespaceHref, NAMESPACE_PATH, sentence, SIGN_IN_PATH, SIGN_OUT_PATH, type Viewer } from './layout.js';
import { namespaceListPage } from './list-page.js';
import { ADD_CA_PATH, FILTERS_PATH, namespacePage, REMOVE_CA_PATH, removeCaPage, type FormOutcome, type NamespaceForm, type NamespacePage } from './namespace-page.js';
import { messagePage, signInPage } from './sign-in-page.js';
import { bundleOf, specWithAddedCas, specWithFilters, specWithoutCa, type SpecChange } from './spec-changes.js';

/** The console's CSRF cookie: its own name and path, beside the approval page's. */
export const CONSOLE_CSRF_COOKIE = 'tcld_console';
/** What the console's form tokens are bound to, beside the browser's cookie. */
const CSRF_PURPOSE = 'console';

export interface ConsoleRoutesOptions {
  actions: ConsoleActions;
  admissions: AdmissionLog;
  /** The port's admin sessions, shared with the approval page. */
  sessions: AdminSessions;
  /** Made with CONSOLE_CSRF_COOKIE and the path CONSOLE_PATH. */
  csrf: CsrfGuard;
  now: () => Date;
}

/** The status a service's refusal is answered with. */
const REFUSAL_STATUS: Record<ServiceRefusalCode, number> = {
  'invalid-argument': 400,
  'not-found': 404,
  'failed-precondition': 409,
  'already-exists': 409,
  'data-loss': 500,
  other: 500,
};

const NOT_SIGNED_IN = 'sign in with an API key (top right) to change anything: nothing was changed';
const CROSS_SITE = 'This change did not come from a page of this console (or the page is too old), so nothing was changed. Open the namespace again and retry.';

export function consoleRoutes(options: ConsoleRoutesOptions): Route[] {
  const { actions, admissions, sessions, csrf, now } = options;

  const viewerOf = (request: HttpRequest): { viewer: Viewer; setCookie?: string } => {
    const cookie = csrf.cookieFor(request.cookies.get(csrf.cookieName));
    const session = sessions.current(request.cookies);
    return { viewer: { csrfToken: csrf.tokenFor(cookie.value, CSRF_PURPOSE), ...(session && { signedInAs: session.label }) }, ...(cookie.setCookie && { setCookie: cookie.setCookie }) };
  };
  const html = (request: HttpRequest, status: number, render: (viewer: Viewer) => string, note?: string, headers: Record<string, string> = {}): HttpReply => {
    const { viewer, setCookie } = viewerOf(request);
    return {
      status,
      headers: { 'content-type': 'text/html; charset=utf-8', ...headers, ...(setCookie && { 'set-cookie': setCookie }) },
      body: render(viewer),
      ...(note !== undefined && { note }),
    };
  };
  const fromThisConsole = (request: HttpRequest) =>
    !isCrossSite(request) && csrf.verify(request.cookies.get(csrf.cookieName), CSRF_PURPOSE, request.form.get('csrf_token') ?? undefined);
  const refusedCrossSite = (request: HttpRequest) => html(request, 403, (viewer) => messagePage('Request refused', CROSS_SITE, { nonce: request.nonce, viewer }), 'refused-csrf');

  const showList = (request: HttpRequest): HttpReply => {
    const { namespaces, more } = actions.listNamespaces();
    const at = now();
    const summaries = namespaces.map((n) => ({ id: n.id, authMethod: authMethodOf(n.spec), endpoint: n.endpoint, state: n.state, cas: casOf(n.spec, at) }));
    return html(request, 200, (viewer) => namespaceListPage({ namespaces: summaries, more, nonce: request.nonce, viewer }));
  };

  /** The namespace page, with what a form did (or why it was refused) and what was typed in it. */
  const renderNamespace = (request: HttpRequest, id: string, status: number, extra: Pick<NamespacePage, 'outcome' | 'drafts'> = {}, note?: string): HttpReply => {
    const read = actions.namespace(id);
    if (!read.ok) return missing(request, read.code, read.message);
    const at = now();
    return html(
      request,
      status,
      (viewer) => namespacePage({ ...namespaceModel(read.value, at), admissions: admissions.recent(id), now: at, nonce: request.nonce, viewer, ...extra }),
      note,
    );
  };
  const missing = (request: HttpRequest, code: ServiceRefusalCode, message: string) =>
    html(request, code === 'not-found' || code === 'invalid-argument' ? 404 : REFUSAL_STATUS[code], (viewer) => messagePage('Not available', sentence(message), { nonce: request.nonce, viewer }), code);

  const showNamespace = (request: HttpRequest): HttpReply => {
    const done = request.query.get('done');
    const operation = request.query.get('operation');
    const outcome: FormOutcome | undefined = isForm(done) && operation ? { form: done, ok: true, operationId: operation } : undefined;
    return renderNamespace(request, request.query.get('id') ?? '', 200, outcome && { outcome });
  };

  const confirmRemoval = (request: HttpRequest): HttpReply => {
    const id = request.query.get('id') ?? '';
    const read = actions.namespace(id);
    if (!read.ok) return missing(request, read.code, read.message);
    const model = namespaceModel(read.value, now());
    const ca = model.cas.find((c) => c.sha1 === request.query.get('fingerprint'));
    if (!ca) return missing(request, 'not-found', `no CA with that fingerprint in namespace ${id}: it may have been removed already`);
    return html(request, 200, (viewer) => removeCaPage({ namespace: model.namespace, ca, nonce: request.nonce, viewer }));
  };

  /** A form that changes the namespace: checked, decided, sent to UpdateNamespace, then back to the page (303) or the page with the refusal. */
  const change =
    (form: NamespaceForm, decide: (spec: INamespaceSpec, fields: URLSearchParams) => SpecChange) =>
    (request: HttpRequest): HttpReply => {
      const id = request.form.get('id') ?? '';
      if (!fromThisConsole(request)) return refusedCrossSite(request);
      const drafts = { ...(request.form.has('pem') && { pem: request.form.get('pem')! }), ...(request.form.has('filters') && { filters: request.form.get('filters')! }) };
      const refuse = (status: number, message: string, note: string) => renderNamespace(request, id, status, { outcome: { form, ok: false, message }, drafts }, note);
      if (!sessions.current(request.cookies)) return refuse(401, NOT_SIGNED_IN, 'not-signed-in');
      const read = actions.namespace(id);
      if (!read.ok) return missing(request, read.code, read.message);
      const decided = decide(read.value.spec, request.form);
      if (!decided.ok) return refuse(400, decided.message, decided.code);
      const result = actions.updateNamespace(id, request.form.get('resource_version') ?? '', decided.spec);
      if (!result.ok) return refuse(REFUSAL_STATUS[result.code], result.message, result.code);
      return { status: 303, headers: { location: `${namespaceHref(id)}&done=${form}&operation=${encodeURIComponent(result.operationId)}` }, note: form };
    };

  const showAccount = (request: HttpRequest): HttpReply => {
    const read = actions.account();
    if (!read.ok) return missing(request, read.code, read.message);
    const at = now();
    const account = read.value;
    return html(request, 200, (viewer) =>
      accountPage({
        id: account.id,
        ...(account.metricsUri !== undefined && { metricsUri: account.metricsUri }),
        metricsCas: casOfBundle(account.metricsBundle, at),
        apiKeys: actions.apiKeys(),
        now: at,
        nonce: request.nonce,
        viewer,
      }),
    );
  };

  const showSignIn = (request: HttpRequest): HttpReply => html(request, 200, (viewer) => signInPage({ next: safeNext(request.query.get('next')), nonce: request.nonce, viewer }));

  const signIn = (request: HttpRequest): HttpReply => {
    const next = safeNext(request.form.get('next'));
    if (!fromThisConsole(request)) return refusedCrossSite(request);
    const attempt = sessions.signIn(request.form.get('api_key') ?? '');
    if (attempt.code === 'signed-in') return { status: 303, headers: { location: next, 'set-cookie': attempt.setCookie }, note: 'signed-in' };
    const limited = attempt.code === 'too-many-failures';
    return html(
      request,
      limited ? 429 : 401,
      (viewer) => signInPage({ next, nonce: request.nonce, viewer, error: attempt.message }),
      `sign-in-${attempt.code}`,
      limited ? { 'retry-after': String(attempt.retryAfterSeconds) } : {},
    );
  };

  const signOut = (request: HttpRequest): HttpReply => {
    if (!fromThisConsole(request)) return refusedCrossSite(request);
    return { status: 303, headers: { location: safeNext(request.form.get('next')), 'set-cookie': sessions.signOut(request.cookies) }, note: 'signed-out' };
  };

  return [
    { method: 'GET', path: CONSOLE_PATH, handle: showList },
    { method: 'GET', path: NAMESPACE_PATH, handle: showNamespace },
    { method: 'GET', path: REMOVE_CA_PATH, handle: confirmRemoval },
    { method: 'POST', path: ADD_CA_PATH, handle: change('add-ca', (spec, fields) => specWithAddedCas(spec, fields.get('pem') ?? '')) },
    { method: 'POST', path: REMOVE_CA_PATH, handle: change('remove-ca', (spec, fields) => specWithoutCa(spec, fields.get('fingerprint') ?? '')) },
    { method: 'POST', path: FILTERS_PATH, handle: change('filters', (spec, fields) => specWithFilters(spec, fields.get('filters') ?? '')) },
    { method: 'GET', path: ACCOUNT_PATH, handle: showAccount },
    { method: 'GET', path: SIGN_IN_PATH, handle: showSignIn },
    { method: 'POST', path: SIGN_IN_PATH, handle: signIn },
    { method: 'POST', path: SIGN_OUT_PATH, handle: signOut },
  ];
}

function isForm(value: string | null): value is NamespaceForm {
  return value === 'add-ca' || value === 'remove-ca' || value === 'filters';
}

/** Where to go after signing in or out: a console page of this server, nothing else (no open redirect). */
export function safeNext(next: string | null | undefined): string {
  return next && /^\/console(?:[/?][^\\\s]*)?$/.test(next) && !next.startsWith('/console//') && !next.includes('/..') ? next : CONSOLE_PATH;
}

function namespaceModel(record: NamespaceRecord, now: Date) {
  return {
    namespace: { id: record.id, authMethod: authMethodOf(record.spec), endpoint: record.endpoint, state: record.state, resourceVersion: record.resourceVersion },
    cas: casOf(record.spec, now),
    filters: (record.spec.mtlsAuth?.certificateFilters ?? []).map(canonicalFilter),
  };
}

function casOf(spec: INamespaceSpec, now: Date): CaView[] {
  try {
    return bundleOf(spec).map((c) => caView(c, now));
  } catch (error) {
    // A bundle the API never accepted (a database written by something else) shows as none rather than breaking the page.
    if (errorKind(error) === undefined) throw error;
    return [];
  }
}

function casOfBundle(bundle: Uint8Array, now: Date): CaView[] {
  return casOf({ mtlsAuth: { acceptedClientCa: bundle } }, now);
}
