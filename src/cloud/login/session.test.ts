import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { UserError } from '../../errors.js';
import { nodeFiles } from '../../io/files.js';
import { parseDomain } from './domain.js';
import { LOGIN_EXPIRED, NOT_LOGGED_IN, storedLoginToken } from './session.js';
import { newTokenConfig, serializeTokenConfig, withTokens, type StoredLogin } from './token-config.js';
import { startOAuthServer, type TestOAuthServer } from './test-oauth-server.js';

const T0 = new Date('2030-01-01T00:00:00Z');

describe('storedLoginToken', () => {
  let dir: string;
  let server: TestOAuthServer;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tcld-session-'));
    server = await startOAuthServer();
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A login stored at T0 whose access token lives `lifetime` seconds. */
  function storeLogin(lifetime = 600): StoredLogin {
    const config = newTokenConfig({ domain: parseDomain(server.url), audience: 'aud', clientId: 'cid', scopes: ['openid'] });
    const login = withTokens(config, { ...server.grant(), expires_in: lifetime }, T0);
    writeFileSync(join(dir, 'tokens.json'), serializeTokenConfig(login), { mode: 0o600 });
    return login;
  }

  const stored = () => JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8')) as StoredLogin;

  function source(now: Date, debug: string[] = []) {
    return storedLoginToken(dir, { files: nodeFiles, now: () => now, debug: (line) => debug.push(line) });
  }

  it('uses a token that lives more than a minute longer, without asking the login server', async () => {
    const login = storeLogin();
    assert.equal(await source(new Date(T0.getTime() + 538_000))(), login.oauth_token.access_token);
    assert.deepEqual(server.requests, []);
  });

  it('refreshes a token within a minute of its expiry (tcld\'s grace), stores the rotated refresh token at 0600, and never logs a token', async () => {
    const login = storeLogin();
    const debug: string[] = [];
    const token = await source(new Date(T0.getTime() + 541_000), debug)();
    const [, , newAccess, newRefresh] = server.issued;
    assert.equal(token, newAccess);
    assert.deepEqual(server.requests.map((r) => r.form), [{ client_id: 'cid', grant_type: 'refresh_token', refresh_token: login.oauth_token.refresh_token }]);
    assert.equal(stored().oauth_token!.refresh_token, newRefresh);
    assert.equal(stored().oauth_token!.access_token, newAccess);
    assert.equal(stored().oauth_token!.expiry, new Date(T0.getTime() + 541_000 + 600_000).toISOString());
    assert.equal(statSync(join(dir, 'tokens.json')).mode & 0o777, 0o600);
    assert.ok(!server.liveRefreshTokens.has(login.oauth_token.refresh_token!), 'the server rotated the old one out');
    assert.equal(debug.length, 2);
    for (const secret of server.issued) assert.ok(!debug.join('\n').includes(secret), debug.join('\n'));
  });

  it('refreshes once for calls made at the same time', async () => {
    storeLogin();
    const next = source(new Date(T0.getTime() + 3_600_000));
    const [a, b] = await Promise.all([next(), next()]);
    assert.equal(a, b);
    assert.equal(server.requests.length, 1);
  });

  it('says the login has expired when the refresh token is refused (invalid_grant)', async () => {
    const login = storeLogin();
    server.liveRefreshTokens.delete(login.oauth_token.refresh_token!);
    await assert.rejects(source(new Date(T0.getTime() + 3_600_000))(), (e: unknown) => e instanceof UserError && e.message === LOGIN_EXPIRED);
    assert.equal(stored().oauth_token!.refresh_token, login.oauth_token.refresh_token, 'the file is left as it was');
  });

  it('uses the token another tcld stored when that one rotated the refresh token first', async () => {
    const login = storeLogin();
    const later = new Date(T0.getTime() + 3_600_000);
    // Another tcld refreshes first: the file holds a new pair, and the old refresh token is dead.
    const theirs = await source(later)();
    // This one read the file before that: its first read sees the old login, the next the file as it is now.
    let reads = 0;
    const files = { ...nodeFiles, readOptional: async (path: string, what: string) => (reads++ === 0 ? serializeTokenConfig(login) : nodeFiles.readOptional(path, what)) };
    assert.equal(await storedLoginToken(dir, { files, now: () => later })(), theirs);
    assert.equal(reads, 2);
  });

  it('says the login has expired when the token expired and there is no refresh token', async () => {
    const config = newTokenConfig({ domain: parseDomain(server.url), audience: 'aud', clientId: 'cid', scopes: ['openid'] });
    const login = withTokens(config, { access_token: 'at-only', token_type: 'bearer', expires_in: 60 }, T0);
    writeFileSync(join(dir, 'tokens.json'), serializeTokenConfig(login));
    await assert.rejects(source(new Date(T0.getTime() + 120_000))(), (e: unknown) => e instanceof UserError && e.message === LOGIN_EXPIRED);
  });

  it('says in one line that the login server cannot be reached for a refresh, and leaves the file as it was', async () => {
    const login = storeLogin();
    await server.close();
    await assert.rejects(source(new Date(T0.getTime() + 3_600_000))(), (e: unknown) => e instanceof UserError && e.message === `cannot reach ${server.url} for the token refresh (ECONNREFUSED); check the network`);
    assert.deepEqual(stored(), JSON.parse(serializeTokenConfig(login)));
  });

  it('says to log in or pass an API key when there is no login', async () => {
    await assert.rejects(source(T0)(), (e: unknown) => e instanceof UserError && e.message === NOT_LOGGED_IN);
    await assert.rejects(storedLoginToken(join(dir, 'missing', 'folder'), { files: nodeFiles, now: () => T0 })(), (e: unknown) => e instanceof UserError && e.message === NOT_LOGGED_IN);
  });
});
