import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openPage, startTestAuthServer, submitForm, TEST_API_KEY, type TestAuthServer } from './test-support.js';

const KEY = { fields: { api_key: TEST_API_KEY } };

describe('verification page (/activate)', () => {
  let t: TestAuthServer;
  before(async () => (t = await startTestAuthServer()));
  after(() => t.close());

  it('shows the code to confirm, what asks, a labelled API key field, and Approve and Deny buttons in one POST form with a CSRF token', async () => {
    const started = await t.startDevice();
    const opened = await openPage(started.verification_uri_complete);
    assert.equal(opened.status, 200);
    assert.match(opened.html, /^<!doctype html>\n<html lang="en">/);
    assert.match(opened.html, new RegExp(`<p class="code" id="user-code" aria-describedby="code-help">${started.user_code}</p>`));
    assert.match(opened.html, /<form method="post" action="\/activate">/);
    assert.match(opened.html, /<button type="submit" name="decision" value="approve" class="primary" aria-describedby="user-code">Approve<\/button>/);
    assert.match(opened.html, /<button type="submit" name="decision" value="deny" formnovalidate aria-describedby="user-code">Deny<\/button>/);
    assert.match(opened.html, /<label for="api_key">API key<\/label>/);
    assert.match(opened.html, /<input id="api_key" name="api_key" type="password" autocomplete="current-password" spellcheck="false" required aria-describedby="api-key-help">/);
    assert.ok(opened.html.indexOf('id="api_key"') < opened.html.indexOf('value="approve"'), 'the field is in the form, before the buttons');
    assert.match(opened.html, /tcld \(client ID d7V5bZMLCbRLfRVpqC567AqjAERaWHhl\)/);
    assert.match(opened.html, /<dd>in 1 minute<\/dd>/);
    assert.equal(opened.fields['user_code'], started.user_code);
    assert.match(opened.fields['csrf_token'] ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(opened.cookie ?? '', /^tcld_activate=[A-Za-z0-9_-]{43}$/);
  });

  it('sends the security headers: a CSP without inline script except by nonce, no framing, no caching, a SameSite=Strict HttpOnly cookie', async () => {
    const started = await t.startDevice();
    const response = await fetch(started.verification_uri_complete);
    const html = await response.text();
    const csp = response.headers.get('content-security-policy') ?? '';
    const nonce = /style-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce, csp);
    assert.match(csp, /default-src 'none'/);
    assert.ok(csp.includes(`script-src 'nonce-${nonce}'`), csp);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /form-action 'self'/);
    assert.ok(html.includes(`<style nonce="${nonce}">`), 'the inline style carries the nonce');
    assert.ok(!/<script/i.test(html), 'no script');
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('referrer-policy'), 'same-origin', "not no-referrer: with it, a browser's POST from the page says Origin: null");
    assert.match(response.headers.get('set-cookie') ?? '', /; Path=\/activate; HttpOnly; SameSite=Strict$/);
    const other = await fetch(`${t.server.url}/activate`);
    assert.notEqual(/nonce-([^']+)/.exec(other.headers.get('content-security-policy') ?? '')?.[1], nonce, 'a nonce per response');
  });

  it('asks for the code when opened without one, and takes it typed in lower case with spaces', async () => {
    const entry = await openPage(`${t.server.url}/activate`);
    assert.equal(entry.status, 200);
    assert.match(entry.html, /<label for="user_code">Code that <code>tcld login<\/code> printed<\/label>/);
    assert.match(entry.html, /<input id="user_code" name="user_code"/);
    const started = await t.startDevice();
    const typed = started.user_code.toLowerCase().replace('-', ' ');
    const opened = await openPage(`${t.server.url}/activate?user_code=${encodeURIComponent(typed)}`);
    assert.equal(opened.status, 200);
    assert.equal(opened.fields['user_code'], started.user_code);
  });

  it('says in words that a code is unknown (404) or expired (410)', async () => {
    const unknown = await openPage(`${t.server.url}/activate?user_code=BCDF-GHJK`);
    assert.equal(unknown.status, 404);
    assert.match(unknown.html, /<h1>Unknown code<\/h1>/);
    assert.match(unknown.html, /This code is not one the dev-server gave out/);
    const garbage = await openPage(`${t.server.url}/activate?user_code=${encodeURIComponent('<script>alert(1)</script>')}`);
    assert.equal(garbage.status, 404);
    assert.ok(!garbage.html.includes('<script>'));
    const started = await t.startDevice();
    t.advance(started.expires_in);
    const expired = await openPage(started.verification_uri_complete);
    assert.equal(expired.status, 410);
    assert.match(expired.html, /This code has expired\. Run tcld login again for a new one\./);
  });

  it('refuses a form POST without the CSRF token, with a wrong one, with another code\'s, or without the cookie, and approves nothing', async () => {
    const started = await t.startDevice();
    const opened = await openPage(started.verification_uri_complete);
    const other = await openPage((await t.startDevice()).verification_uri_complete, opened.cookie);
    const attempts = [
      submitForm(t.server.url, opened, 'approve', { fields: { csrf_token: '' } }),
      submitForm(t.server.url, opened, 'approve', { fields: { csrf_token: 'A'.repeat(43) } }),
      submitForm(t.server.url, opened, 'approve', { fields: { csrf_token: other.fields['csrf_token']! } }),
      submitForm(t.server.url, opened, 'approve', { cookie: null }),
      submitForm(t.server.url, opened, 'approve', { cookie: `tcld_activate=${'B'.repeat(43)}` }),
    ];
    for (const response of await Promise.all(attempts)) {
      assert.equal(response.status, 403);
      assert.match(await response.text(), /nothing was approved/);
    }
    assert.equal((await t.poll(started.device_code)).body['error'], 'authorization_pending');
    const still = await openPage(started.verification_uri_complete, opened.cookie);
    assert.match(still.html, /Approve sign-in\?/, 'the code is still pending');
  });

  it('refuses a POST whose Origin is another site, even with the right token and cookie', async () => {
    const started = await t.startDevice();
    const opened = await openPage(started.verification_uri_complete);
    const response = await fetch(`${t.server.url}/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example', cookie: opened.cookie! },
      body: new URLSearchParams({ ...opened.fields, decision: 'approve' }),
    });
    assert.equal(response.status, 403);
    assert.equal((await t.poll(started.device_code)).body['error'], 'authorization_pending');
  });

  it('keeps one cookie per browser: a second page reuses it, and both pages\' forms work', async () => {
    const first = await t.startDevice();
    const second = await t.startDevice();
    const pageOne = await openPage(first.verification_uri_complete);
    const pageTwo = await openPage(second.verification_uri_complete, pageOne.cookie);
    assert.equal(pageTwo.cookie, undefined, 'no new cookie');
    assert.equal((await submitForm(t.server.url, pageTwo, 'deny', { cookie: pageOne.cookie! })).status, 200);
    assert.equal((await submitForm(t.server.url, pageOne, 'approve', KEY)).status, 200);
    assert.equal((await t.poll(first.device_code)).status, 200);
    assert.equal((await t.poll(second.device_code)).body['error'], 'access_denied');
  });

  it('answers a second decision on a code with 409 and what was decided, and changes nothing', async () => {
    const started = await t.startDevice();
    const opened = await openPage(started.verification_uri_complete);
    assert.equal((await submitForm(t.server.url, opened, 'approve', KEY)).status, 200);
    const again = await submitForm(t.server.url, opened, 'deny');
    assert.equal(again.status, 409);
    assert.match(await again.text(), /This code was already approved/);
    assert.equal((await t.poll(started.device_code)).status, 200);
    const reopened = await openPage(started.verification_uri_complete);
    assert.match(reopened.html, /<h1>Already approved<\/h1>/);
  });

  it('refuses a decision other than approve or deny', async () => {
    const started = await t.startDevice();
    const opened = await openPage(started.verification_uri_complete);
    assert.equal((await submitForm(t.server.url, opened, 'maybe')).status, 400);
    assert.equal((await t.poll(started.device_code)).body['error'], 'authorization_pending');
  });

  it('serves /v2/logout (what tcld logout opens): a page saying the browser is signed out, clearing the cookies', async () => {
    const response = await fetch(`${t.server.url}/v2/logout?client_id=x&returnTo=http%3A%2F%2Fevil.example`, { redirect: 'manual' });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<h1>Signed out<\/h1>/);
    assert.deepEqual(response.headers.getSetCookie(), [
      'tcld_activate=; Path=/activate; HttpOnly; SameSite=Strict; Max-Age=0',
      'tcld_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0',
    ]);
  });
});
