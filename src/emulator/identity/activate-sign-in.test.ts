import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { secureRandom } from '../../pki/random.js';
import { randomHexId } from '../ids.js';
import { digestSecret, newSecret } from './secrets.js';
import { cookieSet, openPage, startTestAuthServer, submitForm, TEST_API_KEY, type DeviceCodeResponse, type TestAuthServer } from './test-support.js';

const DAY_MS = 24 * 3600 * 1000;

describe('verification page › signing in as the admin before Approve', () => {
  let t: TestAuthServer;
  /** Every page the tests were answered, to look for secrets in. */
  let pages: string[];
  beforeEach(async () => {
    t = await startTestAuthServer();
    pages = [];
  });
  afterEach(() => t.close());

  /** Opens the code's page with `cookies` (a Cookie header) and presses `decision` with `apiKey` typed, if any. */
  async function press(started: DeviceCodeResponse, decision: 'approve' | 'deny', apiKey?: string, cookies?: string) {
    const opened = await openPage(started.verification_uri_complete, cookies);
    assert.equal(opened.status, 200, opened.html);
    pages.push(opened.html);
    const cookie = [cookies, opened.cookie].filter(Boolean).join('; ');
    const response = await submitForm(t.server.url, opened, decision, { cookie, ...(apiKey !== undefined && { fields: { api_key: apiKey } }) });
    const html = await response.text();
    pages.push(html);
    return { status: response.status, html, response, cookie };
  }

  async function isPending(started: DeviceCodeResponse) {
    t.advance(1);
    return (await t.poll(started.device_code)).body['error'] === 'authorization_pending';
  }

  /** An API key of the admin in the identity store, as CreateApiKey leaves it. */
  function storeKey(overrides: { disabled?: boolean; expiryMs?: number; ownerId?: string } = {}) {
    const secret = newSecret('api-key', secureRandom);
    const id = randomHexId(secureRandom);
    const now = t.now().getTime();
    t.identity.store.putApiKey({
      id,
      secretDigest: digestSecret(secret),
      ownerId: overrides.ownerId ?? t.identity.admin.id,
      ownerType: 'user',
      displayName: 'ci',
      description: '',
      expiryMs: overrides.expiryMs ?? now + 30 * DAY_MS,
      disabled: overrides.disabled ?? false,
      resourceVersion: 'v1',
      asyncOperationId: 'op',
      operationType: 'create-api-key',
      operationFinishMs: now,
      createdMs: now,
      modifiedMs: now,
    });
    return { id, secret };
  }

  it('refuses Approve without a key with 401 and an inline message: nothing issued, the code still pending, no session', async () => {
    const started = await t.startDevice();
    const refused = await press(started, 'approve');
    assert.equal(refused.status, 401);
    assert.match(refused.html, /<p class="error" role="alert" id="api-key-error">Enter an API key: the dev-server&#39;s --api-key or one the admin made with tcld apikey create\.<\/p>/);
    assert.match(refused.html, /<h1>Approve sign-in\?<\/h1>/, 'the page again');
    assert.equal(cookieSet(refused.response, 'tcld_session'), undefined);
    assert.equal(t.lines.at(-1), 'auth: POST /activate 401 sign-in-missing');
    assert.ok(await isPending(started));
  });

  it('answers a wrong key with the page again, 401, a clear inline error on the field, and the code still pending', async () => {
    const started = await t.startDevice();
    const refused = await press(started, 'approve', 'not-the-key');
    assert.equal(refused.status, 401);
    assert.match(refused.html, /<p class="error" role="alert" id="api-key-error">Invalid API key\.<\/p>/);
    assert.match(refused.html, /aria-describedby="api-key-help api-key-error" aria-invalid="true" autofocus>/);
    assert.ok(!refused.html.includes('not-the-key'), 'the typed key is not echoed');
    assert.equal(cookieSet(refused.response, 'tcld_session'), undefined);
    assert.ok(await isPending(started));
  });

  it('approves with the right key and signs the browser in: a session cookie, and the next approval needs no key', async () => {
    const first = await t.startDevice();
    const approved = await press(first, 'approve', TEST_API_KEY);
    assert.equal(approved.status, 200);
    assert.match(approved.html, /<h1>Signed in<\/h1>/);
    assert.match(approved.response.headers.getSetCookie().join('\n'), /^tcld_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/m);
    assert.equal((await t.poll(first.device_code)).status, 200);

    const session = `${approved.cookie}; ${cookieSet(approved.response, 'tcld_session')!}`;
    const second = await t.startDevice();
    const opened = await openPage(second.verification_uri_complete, session);
    assert.match(opened.html, /<p id="session">Signed in as <strong>admin@local\.tmprl\.local, with the dev-server&#39;s --api-key<\/strong>\.<\/p>/);
    assert.ok(!opened.html.includes('name="api_key"'), 'no key field');
    assert.match(opened.html, /<form method="post" action="\/signout" class="signout">/);
    const again = await press(second, 'approve', undefined, session);
    assert.equal(again.status, 200);
    assert.equal(cookieSet(again.response, 'tcld_session'), undefined, 'the session goes on');
    assert.equal((await t.poll(second.device_code)).status, 200);
  });

  it('lets anyone Deny without a key, and signs no one in', async () => {
    const started = await t.startDevice();
    const denied = await press(started, 'deny');
    assert.equal(denied.status, 200);
    assert.equal(cookieSet(denied.response, 'tcld_session'), undefined);
    assert.equal((await t.poll(started.device_code)).body['error'], 'access_denied');
  });

  it("signs in with an API key of the admin's, and refuses a disabled, expired, deleted or another user's key, or a login token, in the API's words", async () => {
    const active = storeKey();
    const approved = await press(await t.startDevice(), 'approve', active.secret);
    assert.equal(approved.status, 200);
    const opened = await openPage((await t.startDevice()).verification_uri_complete, `${approved.cookie}; ${cookieSet(approved.response, 'tcld_session')!}`);
    assert.match(opened.html, new RegExp(`Signed in as <strong>admin@local\\.tmprl\\.local, with API key ${active.id}</strong>`));

    const disabled = storeKey({ disabled: true });
    const expired = storeKey({ expiryMs: t.now().getTime() - 1000 });
    const foreign = storeKey({ ownerId: 'someone-else' });
    const tokens = t.identity.tokens.issue();
    const cases = [
      [disabled.secret, `API key ${disabled.id} is disabled: enable it (UpdateApiKey, tcld apikey enable) or use another key.`, 'disabled'],
      [expired.secret, `API key ${expired.id} expired at ${new Date(t.now().getTime() - 1000).toISOString()}: create a new key.`, 'expired'],
      [newSecret('api-key', secureRandom), 'Invalid API key: it was deleted or is unknown to this dev-server.', 'unknown'],
      [foreign.secret, `API key ${foreign.id} does not belong to the account&#39;s admin, who alone approves sign-ins.`, 'not-admin'],
      [tokens.accessToken, 'Sign in with an API key (the dev-server&#39;s --api-key or one made with tcld apikey create), not a login token.', 'not-an-api-key'],
    ] as const;
    for (const [secret, message, code] of cases) {
      const started = await t.startDevice();
      const refused = await press(started, 'approve', secret);
      assert.equal(refused.status, 401, code);
      assert.ok(refused.html.includes(`<p class="error" role="alert" id="api-key-error">${message}</p>`), `${code}: ${refused.html}`);
      assert.equal(t.lines.at(-1), `auth: POST /activate 401 sign-in-${code}`);
      assert.equal(cookieSet(refused.response, 'tcld_session'), undefined);
      assert.ok(await isPending(started), code);
    }
  });

  it('ends a session whose API key is disabled or deleted since: the next approval needs a key again', async () => {
    const key = storeKey();
    const approved = await press(await t.startDevice(), 'approve', key.secret);
    const session = `${approved.cookie}; ${cookieSet(approved.response, 'tcld_session')!}`;
    t.identity.store.putApiKey({ ...t.identity.store.apiKey(key.id)!, disabled: true });
    const started = await t.startDevice();
    const refused = await press(started, 'approve', undefined, session);
    assert.equal(refused.status, 401);
    assert.match(refused.html, /name="api_key"/);
    assert.ok(await isPending(started));
  });

  it('ends the session on Sign out (a same-site POST) and at tcld logout, after which Approve needs the key again', async () => {
    for (const signOut of ['form', 'logout'] as const) {
      const approved = await press(await t.startDevice(), 'approve', TEST_API_KEY);
      const session = `${approved.cookie}; ${cookieSet(approved.response, 'tcld_session')!}`;
      const started = await t.startDevice();
      const ended =
        signOut === 'form'
          ? await fetch(`${t.server.url}/signout`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded', origin: t.server.url, cookie: session },
              body: new URLSearchParams({ user_code: started.user_code }),
            })
          : await fetch(`${t.server.url}/v2/logout`, { headers: { cookie: session } });
      assert.equal(ended.status, 200);
      const html = await ended.text();
      assert.match(html, /<h1>Signed out<\/h1>/);
      if (signOut === 'form') assert.ok(html.includes(`<a href="/activate?user_code=${started.user_code}">Back to code ${started.user_code}</a>`), html);
      assert.equal(cookieSet(ended, 'tcld_session'), 'tcld_session=');
      const refused = await press(started, 'approve', undefined, session);
      assert.equal(refused.status, 401, `${signOut}: the old cookie no longer signs in`);
      assert.ok(await isPending(started));
    }
  });

  it('refuses a Sign out POST from another site, and keeps the session', async () => {
    const approved = await press(await t.startDevice(), 'approve', TEST_API_KEY);
    const session = `${approved.cookie}; ${cookieSet(approved.response, 'tcld_session')!}`;
    const forged = await fetch(`${t.server.url}/signout`, { method: 'POST', headers: { origin: 'http://evil.example', cookie: session } });
    assert.equal(forged.status, 403);
    assert.equal(forged.headers.getSetCookie().length, 0);
    assert.equal((await press(await t.startDevice(), 'approve', undefined, session)).status, 200);
  });

  it('signs the browser out after 12 hours', async () => {
    const approved = await press(await t.startDevice(), 'approve', TEST_API_KEY);
    const session = `${approved.cookie}; ${cookieSet(approved.response, 'tcld_session')!}`;
    t.advance(12 * 3600);
    assert.equal((await press(await t.startDevice(), 'approve', undefined, session)).status, 401);
  });

  it('answers 429 after 10 wrong keys in a minute, even to the right key, and not to a browser signed in; a minute later the key works', async () => {
    const signedIn = await press(await t.startDevice(), 'approve', TEST_API_KEY);
    const session = `${signedIn.cookie}; ${cookieSet(signedIn.response, 'tcld_session')!}`;
    const started = await t.startDevice();
    for (let i = 0; i < 10; i++) assert.equal((await press(started, 'approve', `wrong-${i}`)).status, 401);
    const limited = await press(started, 'approve', TEST_API_KEY);
    assert.equal(limited.status, 429);
    assert.equal(limited.response.headers.get('retry-after'), '60');
    assert.match(limited.html, /<p class="error" role="alert" id="api-key-error">Too many wrong API keys on this port in the last minute: try again in 60 seconds\.<\/p>/);
    assert.equal(t.lines.at(-1), 'auth: POST /activate 429 too-many-failures');
    assert.ok(await isPending(started));
    assert.equal((await press(await t.startDevice(), 'approve', undefined, session)).status, 200, 'a session needs no key check');
    t.advance(60);
    assert.equal((await press(await t.startDevice(), 'approve', TEST_API_KEY)).status, 200);
  });

  it('answers 429 to any code after 10 unknown codes in a minute (RFC 8628 section 5.1), and looks codes up again a minute later', async () => {
    const started = await t.startDevice();
    for (const code of ['BCDF-GHJK', 'BCDF-GHJL', 'nonsense', 'BBBB-BBBB', 'CCCC-CCCC', 'DDDD-DDDD', 'FFFF-FFFF', 'GGGG-GGGG', 'HHHH-HHHH', 'JJJJ-JJJJ']) {
      assert.equal((await openPage(`${t.server.url}/activate?user_code=${code}`)).status, 404, code);
    }
    const limited = await fetch(started.verification_uri_complete);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '60');
    assert.match(await limited.text(), /<h1>Too many unknown codes<\/h1>/);
    assert.equal(t.lines.at(-1), 'auth: GET /activate 429 too-many-codes');
    assert.equal((await openPage(`${t.server.url}/activate`)).status, 200, 'the page to type a code is still there');
    t.advance(60);
    assert.equal((await openPage((await t.startDevice()).verification_uri_complete)).status, 200);
  });

  it('never shows or logs a key: not the right one, not a wrong one, not a stored one', async () => {
    const stored = storeKey();
    const disabled = storeKey({ disabled: true });
    await press(await t.startDevice(), 'approve', 'wrong-key-Zr8Tq1');
    await press(await t.startDevice(), 'approve', disabled.secret);
    await press(await t.startDevice(), 'approve', stored.secret);
    await press(await t.startDevice(), 'approve', TEST_API_KEY);
    await press(await t.startDevice(), 'deny', TEST_API_KEY);
    const everything = [...pages, ...t.lines].join('\n');
    assert.ok(pages.length >= 10 && t.lines.length >= 10, 'pages and log lines were seen');
    for (const secret of [TEST_API_KEY, 'wrong-key-Zr8Tq1', stored.secret, disabled.secret]) assert.ok(!everything.includes(secret), `a page or log line shows ${secret}`);
  });
});
