import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { USER_CODE_ALPHABET } from './device-codes.js';
import { DEVICE_CODE_GRANT } from './oauth-routes.js';
import { CLIENT_ID, requestWithHost, startTestAuthServer, type TestAuthServer } from './test-support.js';

describe('auth server (the OAuth device flow)', () => {
  let t: TestAuthServer;
  before(async () => (t = await startTestAuthServer()));
  after(() => t.close());

  it('answers a device code request as Auth0 does: a device code, a user code like BCDF-GHJK, the verification URLs on the host asked, expiry and interval', async () => {
    const started = await t.startDevice();
    assert.match(started.device_code, /^[A-Za-z0-9_-]{43}$/);
    assert.match(started.user_code, new RegExp(`^[${USER_CODE_ALPHABET}]{4}-[${USER_CODE_ALPHABET}]{4}$`));
    assert.equal(started.verification_uri, `${t.server.url}/activate`);
    assert.equal(started.verification_uri_complete, `${t.server.url}/activate?user_code=${started.user_code}`);
    assert.equal(started.expires_in, 60);
    assert.equal(started.interval, 1);
  });

  it('names in verification_uri the host the request came to (localhost or 127.0.0.1)', async () => {
    const body = new URLSearchParams({ client_id: CLIENT_ID, scope: 'openid' }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    for (const host of [`localhost:${t.server.port}`, `127.0.0.1:${t.server.port}`]) {
      const response = await requestWithHost(`${t.server.url}/oauth/device/code`, host, { method: 'POST', headers, body });
      assert.equal(response.status, 200, response.body);
      const started = JSON.parse(response.body) as { verification_uri: string; verification_uri_complete: string };
      assert.equal(new URL(started.verification_uri).host, host);
      assert.equal(new URL(started.verification_uri_complete).host, host);
    }
  });

  it('runs the whole flow: pending until a person approves in the browser, then Bearer tokens the authority admits, without caching', async () => {
    const started = await t.startDevice();
    assert.deepEqual((await t.poll(started.device_code)).body, { error: 'authorization_pending', error_description: 'the sign-in has not been approved yet' });
    const approved = await t.decideInBrowser(started.verification_uri_complete, 'approve');
    assert.equal(approved.status, 200);
    assert.match(await approved.text(), /You can close this window and return to tcld/);
    t.advance(1);
    const response = await t.post('/oauth/token', { grant_type: DEVICE_CODE_GRANT, device_code: started.device_code, client_id: CLIENT_ID });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('pragma'), 'no-cache');
    const tokens = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(tokens).sort(), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    assert.equal(tokens['token_type'], 'Bearer');
    assert.equal(tokens['expires_in'], 600);
    assert.equal(tokens['scope'], 'openid profile user offline_access');
    assert.equal(t.identity.verify(tokens['access_token'] as string).code, 'admitted');
  });

  it('answers access_denied once the person denies, and keeps answering it', async () => {
    const started = await t.startDevice();
    const denied = await t.decideInBrowser(started.verification_uri_complete, 'deny');
    assert.equal(denied.status, 200);
    assert.match(await denied.text(), /You denied this sign-in/);
    for (let i = 0; i < 2; i++) {
      t.advance(1);
      const polled = await t.poll(started.device_code);
      assert.equal(polled.status, 400);
      assert.equal(polled.body['error'], 'access_denied');
    }
  });

  it('answers expired_token once the device code has lived its expires_in, even if approved', async () => {
    const started = await t.startDevice();
    assert.equal((await t.decideInBrowser(started.verification_uri_complete, 'approve')).status, 200);
    t.advance(started.expires_in);
    const polled = await t.poll(started.device_code);
    assert.equal(polled.status, 400);
    assert.equal(polled.body['error'], 'expired_token');
  });

  it('answers slow_down to a poll before the interval, and from then on wants the interval 5 seconds longer', async () => {
    const started = await t.startDevice();
    assert.equal((await t.poll(started.device_code)).body['error'], 'authorization_pending');
    const fast = await t.poll(started.device_code);
    assert.equal(fast.status, 400);
    assert.equal(fast.body['error'], 'slow_down');
    assert.match(String(fast.body['error_description']), /wait 6 seconds/);
    t.advance(1);
    assert.equal((await t.poll(started.device_code)).body['error'], 'slow_down', 'the old interval is now too fast');
    t.advance(11);
    assert.equal((await t.poll(started.device_code)).body['error'], 'authorization_pending', 'the interval is 11 s after two slow_downs');
  });

  it('hands out tokens for a device code once: the second exchange is invalid_grant', async () => {
    const started = await t.startDevice();
    await t.decideInBrowser(started.verification_uri_complete, 'approve');
    assert.equal((await t.poll(started.device_code)).status, 200);
    t.advance(1);
    const again = await t.poll(started.device_code);
    assert.equal(again.status, 400);
    assert.equal(again.body['error'], 'invalid_grant');
  });

  it('answers invalid_grant to an unknown device code and to one polled by another client', async () => {
    assert.equal((await t.poll('no-such-code')).body['error'], 'invalid_grant');
    const started = await t.startDevice();
    const other = await t.post('/oauth/token', { grant_type: DEVICE_CODE_GRANT, device_code: started.device_code, client_id: 'someone-else' });
    assert.equal(other.status, 400);
    assert.equal(((await other.json()) as { error: string }).error, 'invalid_grant');
  });

  it('refreshes: new tokens for a refresh token, which then is invalid_grant', async () => {
    const started = await t.startDevice();
    await t.decideInBrowser(started.verification_uri_complete, 'approve');
    const first = (await t.poll(started.device_code)).body;
    const refreshed = await t.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: first['refresh_token'] as string, client_id: CLIENT_ID });
    assert.equal(refreshed.status, 200);
    const second = (await refreshed.json()) as Record<string, unknown>;
    assert.equal(second['token_type'], 'Bearer');
    assert.notEqual(second['access_token'], first['access_token']);
    assert.notEqual(second['refresh_token'], first['refresh_token']);
    assert.equal(t.identity.verify(second['access_token'] as string).code, 'admitted');
    const reused = await t.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: first['refresh_token'] as string, client_id: CLIENT_ID });
    assert.equal(reused.status, 400);
    assert.deepEqual(await reused.json(), { error: 'invalid_grant', error_description: 'the refresh token is unknown, revoked or already used' });
  });

  it('revokes a refresh token (RFC 7009) with 200, and answers 200 for an unknown token too', async () => {
    const started = await t.startDevice();
    await t.decideInBrowser(started.verification_uri_complete, 'approve');
    const tokens = (await t.poll(started.device_code)).body;
    assert.equal((await t.post('/oauth/revoke', { token: tokens['refresh_token'] as string, client_id: CLIENT_ID })).status, 200);
    assert.equal(t.identity.verify(tokens['access_token'] as string).code, 'unknown', 'its access token goes with it');
    const refreshed = await t.post('/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens['refresh_token'] as string });
    assert.equal(((await refreshed.json()) as { error: string }).error, 'invalid_grant');
    assert.equal((await t.post('/oauth/revoke', { token: 'never-issued' })).status, 200);
    assert.equal((await t.post('/oauth/revoke', {})).status, 400);
  });

  for (const [name, path, fields, status, error] of [
    ['a device code request without client_id', '/oauth/device/code', { scope: 'openid' }, 400, 'invalid_request'],
    ['a device code request with a scope of 1001 characters', '/oauth/device/code', { client_id: CLIENT_ID, scope: 'x'.repeat(1001) }, 400, 'invalid_request'],
    ['a token request without grant_type', '/oauth/token', { device_code: 'x' }, 400, 'invalid_request'],
    ['an unsupported grant type', '/oauth/token', { grant_type: 'password', username: 'u' }, 400, 'unsupported_grant_type'],
    ['a device_code grant without the code', '/oauth/token', { grant_type: DEVICE_CODE_GRANT, client_id: CLIENT_ID }, 400, 'invalid_request'],
    ['a refresh without the token', '/oauth/token', { grant_type: 'refresh_token' }, 400, 'invalid_request'],
  ] as const) {
    it(`answers ${name} with ${status} ${error}`, async () => {
      const response = await t.post(path, fields);
      assert.equal(response.status, status);
      const body = (await response.json()) as Record<string, string>;
      assert.deepEqual(Object.keys(body), ['error', 'error_description']);
      assert.equal(body['error'], error);
    });
  }

  it('refuses a parameter given twice (RFC 6749 section 3.1)', async () => {
    const body = `grant_type=refresh_token&refresh_token=a&refresh_token=b`;
    const response = await fetch(`${t.server.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: 'invalid_request', error_description: 'refresh_token is given more than once' });
  });

  it('refuses a body over 64 KiB with 413 and an OAuth error, and a Host that is not loopback with 421', async () => {
    const response = await t.post('/oauth/device/code', { client_id: CLIENT_ID, scope: 'x'.repeat(64 * 1024) });
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_request');
    const rebound = await requestWithHost(`${t.server.url}/oauth/device/code`, `attacker.example:${t.server.port}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `client_id=${CLIENT_ID}` });
    assert.equal(rebound.status, 421);
    assert.equal(JSON.parse(rebound.body).error, 'invalid_request');
  });

  it('listens on another loopback address when told, and answers to it by name', async () => {
    const other = await startTestAuthServer({ host: '127.0.0.2' });
    try {
      assert.equal(other.server.url, `http://127.0.0.2:${other.server.port}`);
      assert.equal(new URL((await other.startDevice()).verification_uri).host, `127.0.0.2:${other.server.port}`);
    } finally {
      await other.close();
    }
    await assert.rejects(startTestAuthServer({ host: '0.0.0.0' }), /the sign-in port listens on loopback only \(got 0\.0\.0\.0\)/);
  });

  it('takes a JSON body as Auth0 does', async () => {
    const response = await fetch(`${t.server.url}/oauth/device/code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: CLIENT_ID, scope: 'openid' }) });
    assert.equal(response.status, 200);
    assert.match(((await response.json()) as { user_code: string }).user_code, /^[A-Z]{4}-[A-Z]{4}$/);
  });

  it('logs one line per request, without the query, codes or tokens', async () => {
    t.lines.length = 0;
    const started = await t.startDevice();
    await t.poll(started.device_code);
    await t.decideInBrowser(started.verification_uri_complete, 'approve');
    t.advance(1);
    const tokens = (await t.poll(started.device_code)).body;
    const log = t.lines.join('\n');
    assert.equal(t.lines.length, 5, log);
    assert.match(log, /^auth: POST \/oauth\/device\/code 200$/m);
    assert.match(log, /^auth: GET \/activate 200$/m);
    assert.match(log, /^auth: POST \/activate 200 approved$/m);
    assert.match(log, /^auth: POST \/oauth\/token 400 authorization_pending$/m);
    for (const secret of [started.device_code, started.user_code, tokens['access_token'], tokens['refresh_token']]) {
      assert.ok(!log.includes(String(secret)), `the log shows ${String(secret)}`);
    }
  });
});
