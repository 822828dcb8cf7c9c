import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { renderLogout } from '../cli/render.js';
import { parseDomain } from '../cloud/login/domain.js';
import { newTokenConfig, serializeTokenConfig, withTokens } from '../cloud/login/token-config.js';
import { startOAuthServer, type OAuthServerScript, type TestOAuthServer } from '../cloud/login/test-oauth-server.js';
import { UsageError } from '../errors.js';
import { nodeFiles } from '../io/files.js';
import { FIXED_NOW } from '../pki/test-support.js';
import type { Deps } from './deps.js';
import { run } from './logout.js';
import { fakeDeps } from './test-support.js';

describe('tcld logout', () => {
  let dir: string;
  let server: TestOAuthServer | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tcld-logout-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  function setup() {
    const faked = fakeDeps();
    const deps: Deps = { ...faked.deps, files: nodeFiles };
    return { ...faked, deps };
  }

  /** A stored login from a scripted login server; returns its refresh token. */
  async function loggedIn(script: OAuthServerScript = {}): Promise<string> {
    server = await startOAuthServer(script);
    const login = withTokens(newTokenConfig({ domain: parseDomain(server.url), audience: 'aud', clientId: 'cid', scopes: ['openid'] }), server.grant(), FIXED_NOW);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'tokens.json'), serializeTokenConfig(login), { mode: 0o600 });
    return login.oauth_token.refresh_token!;
  }

  it('removes tokens.json, revokes its refresh token, and prints and opens the login server\'s logout URL', async () => {
    const refresh = await loggedIn();
    const t = setup();
    const result = await run({ configDir: dir }, t.deps);
    assert.ok(!existsSync(join(dir, 'tokens.json')));
    assert.deepEqual(server!.requests, [{ path: '/oauth/revoke', form: { client_id: 'cid', token: refresh, token_type_hint: 'refresh_token' } }]);
    const url = `${server!.url}/v2/logout`;
    assert.deepEqual(result, { code: 'logged-out', path: join(dir, 'tokens.json'), revocation: { code: 'revoked' }, logoutUrl: url });
    assert.deepEqual(t.diagnostics, [`Logout via this url: ${url}`]);
    assert.deepEqual(t.opened, [url]);
    assert.deepEqual(renderLogout(result).stderr, [`logged out: removed ${join(dir, 'tokens.json')}`]);
    for (const secret of server!.issued) assert.ok(!t.diagnostics.join('\n').includes(secret));
  });

  it("removes a login whose stored domain no login can use, and shows the default logout URL instead of refusing", async () => {
    await loggedIn();
    const path = join(dir, 'tokens.json');
    const stored = JSON.parse(readFileSync(path, 'utf8')) as { domain: string };
    stored.domain = 'http://login.example.com'; // http is for loopback hosts only
    writeFileSync(path, JSON.stringify(stored), { mode: 0o600 });
    const t = setup();
    const result = await run({ configDir: dir, disablePopUp: true }, t.deps);
    assert.ok(!existsSync(path), 'the login file is removed');
    assert.equal(result.code, 'logged-out');
    assert.equal(result.logoutUrl, 'https://login.tmprl.cloud/v2/logout');
    assert.equal(result.revocation.code, 'failed');
  });

  it('says "not logged in" without a login, exits 0, and still shows the default logout URL (as tcld)', async () => {
    const t = setup();
    const result = await run({ configDir: join(dir, 'never-made'), disablePopUp: true }, t.deps);
    assert.equal(result.code, 'not-logged-in');
    assert.deepEqual(result.revocation, { code: 'none' });
    assert.deepEqual(t.diagnostics, ['Logout via this url: https://login.tmprl.cloud/v2/logout']);
    assert.deepEqual(t.opened, []);
    assert.deepEqual(renderLogout(result), { stdout: '', stderr: [`not logged in (there was no ${join(dir, 'never-made', 'tokens.json')})`] });
  });

  it('logs out even when the revocation fails, with one note', async () => {
    await loggedIn({ revokeStatus: 503 });
    const t = setup();
    const result = await run({ configDir: dir, disablePopUp: true }, t.deps);
    assert.equal(result.code, 'logged-out');
    assert.equal(result.revocation.code, 'failed');
    const lines = renderLogout(result).stderr;
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /^note: the refresh token was not revoked at the login server \(.+\); it stays valid until it expires$/);
  });

  it('removes a file no login can use, without trying to revoke anything', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'tokens.json'), '{"audience": "legacy"}');
    const t = setup();
    const result = await run({ configDir: dir, disablePopUp: true }, t.deps);
    assert.deepEqual([result.code, result.revocation.code], ['logged-out', 'none']);
    assert.ok(!existsSync(join(dir, 'tokens.json')));
  });

  it('takes --domain for the logout URL, a bare host as https', async () => {
    const t = setup();
    const result = await run({ configDir: dir, domain: 'login.example.com', disablePopUp: true }, t.deps);
    assert.equal(result.logoutUrl, 'https://login.example.com/v2/logout');
    await assert.rejects(run({ configDir: dir, domain: 'http://login.example.com' }, t.deps), UsageError);
  });
});
