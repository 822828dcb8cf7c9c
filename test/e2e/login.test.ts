import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { startOAuthServer, type TestOAuthServer } from '../../src/cloud/login/test-oauth-server.js';
import { scriptedServer, type Reply } from '../../src/cloud/test-support.js';
import { assertExit, assertOneLineError, freshFolder, mode, removeFolders, tcld, type RunResult } from './helpers.js';

/**
 * `tcld login` and `logout` as a user runs them, against a scripted OAuth server on 127.0.0.1, and a
 * Cloud command that then authenticates with the stored login against a scripted Cloud Ops API.
 * (The dev-server's own login endpoints and the browser are tested where they are built.)
 */
describe('tcld login, a Cloud command with the login, and tcld logout', () => {
  const script: Reply[] = [];
  let cloud: Awaited<ReturnType<typeof scriptedServer>>;
  let oauth: TestOAuthServer;
  before(async () => {
    cloud = await scriptedServer(script);
  });
  afterEach(async () => {
    await oauth?.close();
    removeFolders();
  });
  after(() => cloud.stop());

  /**
   * Runs tcld as a person at a machine without a display, HOME in a fresh folder, no API key in the
   * environment; and checks that no token the login server handed out appears in anything it printed.
   */
  async function run(args: string[], home: string): Promise<RunResult> {
    const result = await tcld(args, { cwd: home, env: { HOME: home, DISPLAY: '', WAYLAND_DISPLAY: '', TEMPORAL_CLOUD_API_KEY: '' } });
    for (const token of oauth.issued) assert.ok(!`${result.stdout}${result.stderr}`.includes(token), `a token in the output of tcld ${args.join(' ')}`);
    return result;
  }

  const cloudFlags = () => ['-s', cloud.address, '--insecure'];
  const tokensIn = (home: string) => join(home, '.config', 'tcld', 'tokens.json');
  const stored = (home: string) => JSON.parse(readFileSync(tokensIn(home), 'utf8')) as { oauth_token: { access_token: string; refresh_token: string; expiry: string } };

  it('logs in (URL and code on stderr, nothing on stdout), then n l sends the stored token, and logout ends it', async () => {
    oauth = await startOAuthServer({ polls: ['pending', 'approve'] });
    const home = freshFolder();

    const login = await run(['login', '--domain', oauth.url, '--disable-pop-up'], home);
    assertExit(login, 0);
    assert.equal(login.stdout, '');
    assert.deepEqual(login.stderr.trim().split('\n'), [
      `Login via this url: ${oauth.url}/activate?user_code=WDJB-MJHT`,
      'The page should show this code: WDJB-MJHT',
      'Successfully logged in!',
    ]);
    assert.equal(mode(tokensIn(home)), 0o600);
    assert.equal(mode(join(home, '.config', 'tcld')), 0o700);

    script.push({ response: { namespaces: [{ namespace: 'a.acct' }] } });
    const list = await run(['n', 'l', ...cloudFlags(), '--enable-debug-logs'], home);
    assertExit(list, 0);
    assert.deepEqual(JSON.parse(list.stdout).namespaces, ['a.acct']);
    assert.deepEqual(cloud.seen.at(-1)!.metadata.get('authorization'), [`Bearer ${stored(home).oauth_token.access_token}`]);

    const logout = await run(['logout', '--disable-pop-up'], home);
    assertExit(logout, 0);
    assert.deepEqual(logout.stderr.trim().split('\n'), [`Logout via this url: ${oauth.url}/v2/logout`, `logged out: removed ${tokensIn(home)}`]);
    assert.ok(!existsSync(tokensIn(home)));
    assert.equal(oauth.revoked.length, 1);

    const after = await run(['n', 'l', ...cloudFlags()], home);
    assertOneLineError(after, /^error: not logged in: run tcld login, or pass --api-key \(or set TEMPORAL_CLOUD_API_KEY\)$/);
    assert.equal(after.code, 1);
  });

  it('refreshes an expired access token before the call, storing the rotated refresh token; says to log in once the refresh token is refused', async () => {
    oauth = await startOAuthServer();
    const home = freshFolder();
    assertExit(await run(['login', '-d', oauth.url, '--disable-pop-up'], home), 0);
    const first = stored(home);
    writeFileSync(tokensIn(home), readFileSync(tokensIn(home), 'utf8').replace(first.oauth_token.expiry, '2001-01-01T00:00:00Z'));

    script.push({ response: { asyncOperation: { id: 'op-1', state: 5 } } });
    const get = await run(['r', 'g', '-r', 'op-1', ...cloudFlags(), '--enable-debug-logs'], home);
    assertExit(get, 0);
    const second = stored(home);
    assert.notEqual(second.oauth_token.refresh_token, first.oauth_token.refresh_token);
    assert.deepEqual(cloud.seen.at(-1)!.metadata.get('authorization'), [`Bearer ${second.oauth_token.access_token}`]);
    assert.match(get.stderr, /debug: the login's access token expires within a minute: refreshing it at /);

    writeFileSync(tokensIn(home), readFileSync(tokensIn(home), 'utf8').replace(second.oauth_token.expiry, '2001-01-01T00:00:00Z'));
    oauth.liveRefreshTokens.clear();
    const expired = await run(['r', 'g', '-r', 'op-1', ...cloudFlags()], home);
    assertOneLineError(expired, /^error: your login has expired: run tcld login$/);
    assert.equal(expired.code, 1);
  });

  it('says in one line that the login was denied, exit 1, and stores nothing', async () => {
    oauth = await startOAuthServer({ polls: ['access_denied'] });
    const home = freshFolder();
    const denied = await run(['login', '--domain', oauth.url, '--disable-pop-up'], home);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr.trim().split('\n').at(-1)!, /^error: the login was denied: scripted access_denied; run tcld login to try again$/);
    assert.ok(!existsSync(tokensIn(home)));
  });

  it('prefers --api-key to the stored login, and apikey create prints the secret once with its warning', async () => {
    oauth = await startOAuthServer();
    const home = freshFolder();
    assertExit(await run(['login', '--domain', oauth.url, '--disable-pop-up', '--config-dir', join(home, 'conf')], home), 0);
    script.push({ response: { user: { id: 'user-1' } } }, { response: { keyId: 'key-1', token: 'tmprl_e2e_secret', asyncOperation: { id: 'op-9', state: 1 } } });
    const created = await run(['ak', 'c', '-n', 'ci', '-d', '30d', '--api-key', 'bootstrap-key', ...cloudFlags(), '--config-dir', join(home, 'conf'), '--enable-debug-logs'], home);
    assertExit(created, 0);
    assert.deepEqual(cloud.seen.slice(-2).map((s) => [s.method, s.metadata.get('authorization')]), [
      ['GetCurrentIdentity', ['Bearer bootstrap-key']],
      ['CreateApiKey', ['Bearer bootstrap-key']],
    ]);
    assert.equal(JSON.parse(created.stdout).secretKey, 'tmprl_e2e_secret');
    assert.equal(created.stdout.split('tmprl_e2e_secret').length, 2);
    assert.ok(!created.stderr.includes('tmprl_e2e_secret') && !created.stderr.includes('bootstrap-key'));
    assert.match(created.stderr, /the secretKey above is shown only this once/);
  });
});
