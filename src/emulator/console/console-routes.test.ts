import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { parseBundle } from '../../pki/bundle.js';
import { generateCertificateAuthority } from '../../pki/ca.js';
import type { Emulator } from '../index.js';
import { connectOfficialClient, startTestEmulator, TEST_KEY, type OfficialClient } from '../test-support.js';
import { safeNext } from './console-routes.js';

const NS = 'routes.acct';
const DAY = 86_400_000;

/** A page as a browser gets it: status, HTML, the cookies it set, and the hidden fields of the form posting to `action`. */
interface Page {
  status: number;
  html: string;
  location: string | null;
  cookies: string[];
}

describe('console routes', () => {
  let emulator: Emulator;
  let official: OfficialClient;
  let caPem: string;

  before(async () => {
    emulator = await startTestEmulator({ authPort: 0, namespaces: [NS], asyncDelayMs: 0 });
    official = await connectOfficialClient(emulator);
    caPem = (await generateCertificateAuthority({ organization: 'routes', validityMs: 90 * DAY })).certificatePem;
  });
  after(async () => {
    official.close();
    await emulator.close();
  });

  const url = (path: string) => `${emulator.auth!.url}${path}`;
  const origin = () => emulator.auth!.url;

  async function get(path: string, cookies: string[] = []): Promise<Page> {
    const response = await fetch(url(path), { headers: cookies.length ? { cookie: cookies.join('; ') } : {}, redirect: 'manual' });
    return { status: response.status, html: await response.text(), location: response.headers.get('location'), cookies: response.headers.getSetCookie().map((c) => c.split(';')[0]!) };
  }

  async function post(path: string, fields: Record<string, string>, cookies: string[], headers: Record<string, string> = { origin: origin(), 'sec-fetch-site': 'same-origin' }): Promise<Page> {
    const response = await fetch(url(path), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookies.length && { cookie: cookies.join('; ') }), ...headers },
      body: new URLSearchParams(fields),
      redirect: 'manual',
    });
    return { status: response.status, html: await response.text(), location: response.headers.get('location'), cookies: response.headers.getSetCookie().map((c) => c.split(';')[0]!) };
  }

  /** The hidden fields of the form that posts to `action`. */
  function formFields(html: string, action: string): Record<string, string> {
    const form = new RegExp(`<form method="post" action="${action}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
    assert.ok(form, `a form posting to ${action}`);
    const fields: Record<string, string> = {};
    for (const [, name, value] of form[1]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[name!] = value!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
    return fields;
  }

  /** A browser that opened the namespace page: its console cookie and the page's form fields. */
  async function openNamespace(cookies: string[] = []) {
    const page = await get(`/console/namespace?id=${NS}`, cookies);
    assert.equal(page.status, 200, page.html);
    return { page, cookies: [...cookies, ...page.cookies] };
  }

  async function signedIn(): Promise<string[]> {
    const page = await get('/console/signin');
    const result = await post('/console/signin', { ...formFields(page.html, '/console/signin'), api_key: TEST_KEY }, page.cookies);
    assert.equal(result.status, 303, result.html);
    return [...page.cookies, ...result.cookies];
  }

  const stored = async () => (await official.cloud.getNamespace({ namespace: NS })).namespace!;

  beforeEach(async () => {
    // Each test starts from a namespace holding exactly the one CA.
    const current = await stored();
    const bundle = current.spec?.mtlsAuth?.acceptedClientCa;
    if (bundle && Buffer.from(bundle).toString() === caPem) return;
    await official.cloud.updateNamespace({ namespace: NS, resourceVersion: current.resourceVersion, spec: { ...current.spec, mtlsAuth: { ...current.spec?.mtlsAuth, enabled: true, acceptedClientCa: Buffer.from(caPem) } } });
  });

  it('serves every page to a browser that is not signed in', async () => {
    for (const path of ['/console', `/console/namespace?id=${NS}`, '/console/account', '/console/signin']) {
      const page = await get(path);
      assert.equal(page.status, 200, path);
      assert.match(page.html, /Reading only\./);
    }
    assert.match((await get('/console')).html, new RegExp(`>${NS.replace('.', '\\.')}</a>`));
    assert.equal((await get('/console/namespace?id=nothing.acct')).status, 404);
  });

  it('runs only its own script: the CSP allows the nonce the page carries and connections to this server, nothing inline', async () => {
    const response = await fetch(url(`/console/namespace?id=${NS}`));
    const csp = response.headers.get('content-security-policy') ?? '';
    const html = await response.text();
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce && html.includes(`<script nonce="${nonce}">`), csp);
    assert.match(csp, /connect-src 'self'/, 'the live feed is an EventSource to this server');
    assert.ok(!csp.includes('unsafe-inline'));
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.match(response.headers.get('set-cookie') ?? '', /^tcld_console=[\w-]{43}; Path=\/console; HttpOnly; SameSite=Strict$/);
  });

  it('refuses to remove a CA for a browser that is not signed in: 401, the reason beside the form, nothing changed', async () => {
    const before = await stored();
    const { cookies } = await openNamespace();
    const fingerprint = parseBundle(caPem)[0]!.fingerprint;
    const confirm = await get(`/console/namespace/remove-ca?id=${NS}&fingerprint=${fingerprint}`, cookies);
    assert.equal(confirm.status, 200);
    const refused = await post('/console/namespace/remove-ca', formFields(confirm.html, '/console/namespace/remove-ca'), cookies);
    assert.equal(refused.status, 401);
    assert.match(refused.html, /id="remove-ca-error">Sign in with an API key \(top right\) to change anything: nothing was changed\./);
    assert.equal((await stored()).resourceVersion, before.resourceVersion);
  });

  it('refuses a change from another site, or without the page\'s token, even when signed in: 403, nothing changed', async () => {
    const before = await stored();
    const { page, cookies } = await openNamespace(await signedIn());
    const fields = { ...formFields(page.html, '/console/namespace/filters'), filters: '{"filters":[{"organization":"evil"}]}' };
    const attempts = [
      post('/console/namespace/filters', fields, cookies, { origin: 'http://evil.example' }),
      post('/console/namespace/filters', fields, cookies, { 'sec-fetch-site': 'cross-site' }),
      post('/console/namespace/filters', { ...fields, csrf_token: '' }, cookies),
      post('/console/namespace/filters', { ...fields, csrf_token: 'A'.repeat(43) }, cookies),
      // The token of this page with another browser's console cookie.
      post('/console/namespace/filters', fields, [...cookies.filter((c) => !c.startsWith('tcld_console=')), `tcld_console=${'B'.repeat(43)}`]),
    ];
    for (const refused of await Promise.all(attempts)) {
      assert.equal(refused.status, 403);
      assert.match(refused.html, /did not come from a page of this console/);
    }
    assert.equal((await stored()).resourceVersion, before.resourceVersion);
  });

  it('answers a wrong API key with 401 and the reason on the sign-in form, and opens no session', async () => {
    const page = await get('/console/signin?next=/console/account');
    const refused = await post('/console/signin', { ...formFields(page.html, '/console/signin'), api_key: 'not-the-key' }, page.cookies);
    assert.equal(refused.status, 401);
    assert.match(refused.html, /id="api-key-error">Invalid API key\.</);
    assert.ok(!refused.html.includes('not-the-key'), 'the typed key is not echoed');
    assert.deepEqual(refused.cookies.filter((c) => c.startsWith('tcld_session=')), []);
    const missing = await post('/console/signin', { ...formFields(page.html, '/console/signin'), api_key: ' ' }, page.cookies);
    assert.equal(missing.status, 401);
    assert.match(missing.html, /Enter an API key/);
  });

  it('signs in with an API key, back to the page it came from, into the session the approval page shares', async () => {
    const page = await get('/console/signin?next=/console/account');
    const result = await post('/console/signin', { ...formFields(page.html, '/console/signin'), api_key: TEST_KEY }, page.cookies);
    assert.equal(result.status, 303);
    assert.equal(result.location, '/console/account');
    const session = result.cookies.find((c) => c.startsWith('tcld_session='));
    assert.ok(session);
    assert.match((await get('/console/account', [session])).html, /Signed in as admin@local\.tmprl\.local, with the dev-server&#39;s --api-key/);
    const device = await fetch(url('/oauth/device/code'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: 'c', scope: 'openid' }) });
    const { verification_uri_complete: approve } = (await device.json()) as { verification_uri_complete: string };
    assert.match(await (await fetch(approve, { headers: { cookie: session } })).text(), /id="session">Signed in as/);
  });

  it('adds a CA through UpdateNamespace: 303 back to the page naming the async operation that GetAsyncOperation knows', async () => {
    const other = (await generateCertificateAuthority({ organization: 'second', validityMs: 30 * DAY })).certificatePem;
    const { page, cookies } = await openNamespace(await signedIn());
    const result = await post('/console/namespace/add-ca', { ...formFields(page.html, '/console/namespace/add-ca'), pem: other }, cookies);
    assert.equal(result.status, 303, result.html);
    const operation = /&operation=([^&]+)$/.exec(result.location ?? '')?.[1];
    assert.ok(operation, result.location ?? '');
    assert.equal((await official.cloud.getAsyncOperation({ asyncOperationId: decodeURIComponent(operation) })).asyncOperation?.operationType, 'update-namespace');
    assert.deepEqual(parseBundle(Buffer.from((await stored()).spec!.mtlsAuth!.acceptedClientCa!)).map((c) => c.subject.split(',O=')[1]), ['routes', 'second']);
    const shown = await get(result.location!, cookies);
    assert.match(shown.html, new RegExp(`The CA was added: async operation <code>${decodeURIComponent(operation)}</code>`));
  });

  it('shows the service\'s own refusal beside the form (an expired CA), keeps what was pasted, and changes nothing', async () => {
    const expired = (await generateCertificateAuthority({ organization: 'expired', validityMs: 8 * DAY, now: new Date(Date.now() - 10 * DAY) })).certificatePem;
    const before = await stored();
    const { page, cookies } = await openNamespace(await signedIn());
    const refused = await post('/console/namespace/add-ca', { ...formFields(page.html, '/console/namespace/add-ca'), pem: expired }, cookies);
    assert.equal(refused.status, 400);
    assert.match(refused.html, /id="add-ca-error">Spec\.mtls_auth\.accepted_client_ca: certificate CN=[^<]*O=expired \(fingerprint [0-9a-f]{8}\) expired on [^<]*: remove it\.</);
    assert.ok(refused.html.includes(expired.split('\n')[1]!), 'the pasted PEM is kept in the textarea');
    assert.equal((await stored()).resourceVersion, before.resourceVersion);
  });

  it('refuses a change made from a page older than the namespace (a stale resource version) with 409', async () => {
    const { page, cookies } = await openNamespace(await signedIn());
    const fields = formFields(page.html, '/console/namespace/filters');
    assert.equal((await post('/console/namespace/filters', { ...fields, filters: '{"filters":[{"organization":"one"}]}' }, cookies)).status, 303);
    const stale = await post('/console/namespace/filters', { ...fields, filters: '{"filters":[{"organization":"two"}]}' }, cookies);
    assert.equal(stale.status, 409);
    assert.match(stale.html, /id="filters-error">Resource_version .* is stale/);
    assert.deepEqual((await stored()).spec?.mtlsAuth?.certificateFilters?.map((f) => f.organization), ['one']);
  });

  it('signs out only from its own pages, and the session then changes nothing', async () => {
    const cookies = await signedIn();
    const { page } = await openNamespace(cookies);
    const out = await post('/console/signout', formFields(page.html, '/console/signout'), cookies);
    assert.equal(out.status, 303);
    assert.ok(out.cookies.includes('tcld_session='));
    const refused = await post('/console/namespace/filters', { ...formFields(page.html, '/console/namespace/filters'), filters: '' }, cookies);
    assert.equal(refused.status, 401);
  });
});

describe('safeNext', () => {
  it('goes back only to a console page of this server', () => {
    assert.equal(safeNext('/console/namespace?id=a.b'), '/console/namespace?id=a.b');
    assert.equal(safeNext('/console'), '/console');
    for (const bad of [null, '', '//evil.example/console', 'https://evil.example', '/consolex', '/console//evil', '/console\\@evil', '/console/../activate', '/activate', '/console?x=1 2']) {
      assert.equal(safeNext(bad), '/console', String(bad));
    }
  });
});
