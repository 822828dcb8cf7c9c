import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Emulator } from '../../src/emulator/index.js';
import { connectOfficialClient, startTestEmulator, TEST_KEY } from '../../src/emulator/test-support.js';
import { NEEDS_BROWSER, useBrowser, withPage } from '../browser.js';
import { assertExit, assertOneLineError, freshFolder, mode, removeFolders, startTcld, tcld, type RunResult } from './helpers.js';

/**
 * The whole sign-in story on one machine, as issue 10 tells it: `tcld login` against the dev-server's
 * sign-in port while headless Chromium opens the printed URL, signs in with the dev-server's key and
 * presses Approve; Cloud commands then run on the stored login, refresh it when it expires, and stop
 * at logout; `tcld apikey` makes keys for automation that the API admits until they are disabled or
 * deleted. Every secret seen along the way is searched for in everything tcld printed.
 */
describe('signing in to the dev-server with tcld login, a browser, and tcld apikey', { skip: NEEDS_BROWSER }, () => {
  const browser = useBrowser();
  let emulator: Emulator;
  /** The emulator's clock runs with real time, plus what a test adds to it. */
  let skew = 0;
  const secrets = new Set<string>([TEST_KEY]);
  const outputs: string[] = [];

  before(async () => {
    emulator = await startTestEmulator({
      authPort: 0,
      deviceFlow: { intervalSeconds: 1, codeSeconds: 60 },
      accessTokenTtlSeconds: 600,
      asyncDelayMs: 0,
      now: () => new Date(Date.now() + skew),
    });
  });
  after(async () => {
    await emulator.close();
    removeFolders();
    // Written last so that it sees every secret every test found.
    for (const secret of secrets) for (const output of outputs) assert.ok(!output.includes(secret), 'a secret appears in tcld output');
  });

  const cloudFlags = () => ['-s', emulator.address, '--insecure'];
  const tokensIn = (home: string) => join(home, '.config', 'tcld', 'tokens.json');
  type Stored = { domain: string; oauth_token: { access_token: string; refresh_token: string; expiry: string } };
  const stored = (home: string): Stored => JSON.parse(readFileSync(tokensIn(home), 'utf8')) as Stored;
  const remember = (home: string) => {
    const { oauth_token: token } = stored(home);
    secrets.add(token.access_token);
    secrets.add(token.refresh_token);
  };

  /** tcld as a person runs it: a fresh HOME, no display, no API key in the environment. */
  async function run(args: string[], home: string, keep = true): Promise<RunResult> {
    const result = await tcld(args, { cwd: home, env: { HOME: home, DISPLAY: '', WAYLAND_DISPLAY: '', TEMPORAL_CLOUD_API_KEY: '' }, timeoutMs: 60_000 });
    if (keep) outputs.push(result.stdout, result.stderr);
    return result;
  }

  /** Runs `tcld login` and, once it prints its URL, lets `inBrowser` act on that page; tcld's result. */
  async function login(home: string, inBrowser: (page: Page) => Promise<void>): Promise<RunResult> {
    const running = startTcld(['login', '--domain', emulator.auth!.url, '--disable-pop-up'], {
      cwd: home,
      env: { HOME: home, DISPLAY: '', WAYLAND_DISPLAY: '', TEMPORAL_CLOUD_API_KEY: '' },
      timeoutMs: 60_000,
    });
    running.child.stdin.end();
    const stderr = await running.waitForStderr(/Login via this url: (\S+)\n/);
    const url = /Login via this url: (\S+)\n/.exec(stderr)![1]!;
    assert.ok(url.startsWith(`${emulator.auth!.url}/`), `the URL is on the domain: ${url}`);
    await withPage(browser(), async (page) => {
      await page.goto(url);
      await inBrowser(page);
    });
    const result = await running.done;
    outputs.push(result.stdout, result.stderr);
    return result;
  }

  const approve = async (page: Page) => {
    const code = /user_code=([A-Z-]+)/.exec(page.url())?.[1];
    assert.ok(code, page.url());
    // The page shows the code tcld printed, for the person to compare.
    assert.match(await page.textContent('body') ?? '', new RegExp(code.replace('-', '-?')));
    await page.getByLabel('API key').fill(TEST_KEY);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForLoadState();
    assert.match(await page.textContent('body') ?? '', /close this window/i);
  };

  it('logs in through the browser, then n l runs on the stored login with no API key', async () => {
    const home = freshFolder();
    const result = await login(home, approve);
    assertExit(result, 0);
    assert.match(result.stderr, /Successfully logged in!/);
    assert.equal(mode(tokensIn(home)), 0o600);
    remember(home);

    const list = await run(['n', 'l', ...cloudFlags(), '--enable-debug-logs'], home);
    assertExit(list, 0);
    assert.ok(Array.isArray(JSON.parse(list.stdout).namespaces));
  });

  it('refreshes an expired access token with the refresh token, which rotates', async () => {
    const home = freshFolder();
    assertExit(await login(home, approve), 0);
    const before = stored(home);
    remember(home);
    // Both clocks move past the access token's life: tcld's by the stored expiry, the API's by skew.
    const file = JSON.parse(readFileSync(tokensIn(home), 'utf8')) as Stored;
    file.oauth_token.expiry = new Date(Date.now() - 1000).toISOString();
    writeFileSync(tokensIn(home), JSON.stringify(file));
    skew += 601_000;

    // The old access token alone is now refused by the API.
    const official = await connectOfficialClient(emulator, { apiKey: before.oauth_token.access_token, retries: false });
    try {
      await assert.rejects(official.cloud.getNamespaces({}), /expired/);
    } finally {
      official.close();
    }

    const list = await run(['n', 'l', ...cloudFlags()], home);
    assertExit(list, 0);
    const after = stored(home);
    remember(home);
    assert.notEqual(after.oauth_token.access_token, before.oauth_token.access_token);
    assert.notEqual(after.oauth_token.refresh_token, before.oauth_token.refresh_token);
    assert.ok(Date.parse(after.oauth_token.expiry) > Date.now());
    // The rotated-out refresh token no longer works.
    const reuse = await fetch(`${emulator.auth!.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: before.oauth_token.refresh_token, client_id: 'd7V5bZMLCbRLfRVpqC567AqjAERaWHhl' }),
    });
    assert.equal(reuse.status, 400);
    assert.equal(((await reuse.json()) as { error: string }).error, 'invalid_grant');
  });

  it('logs out: the next Cloud command says to log in, and the login is revoked at the server', async () => {
    const home = freshFolder();
    assertExit(await login(home, approve), 0);
    const { oauth_token: token } = stored(home);
    remember(home);

    const logout = await run(['logout', '--domain', emulator.auth!.url, '--disable-pop-up'], home);
    assertExit(logout, 0);
    assert.match(logout.stderr, /Logout via this url: http:\/\/127\.0\.0\.1:\d+\/v2\/logout/);

    const list = await run(['n', 'l', ...cloudFlags()], home);
    assertOneLineError(list, /tcld login/);
    const official = await connectOfficialClient(emulator, { apiKey: token.access_token, retries: false });
    try {
      await assert.rejects(official.cloud.getNamespaces({}), (error: Error) => /UNAUTHENTICATED|Unauthenticated|16/.test(`${(error as { code?: number }).code} ${error.message}`));
    } finally {
      official.close();
    }
  });

  it('says so in one line when the person presses Deny, and stores nothing', async () => {
    const home = freshFolder();
    const result = await login(home, async (page) => {
      await page.getByRole('button', { name: 'Deny' }).click();
      await page.waitForLoadState();
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr.trim().split('\n').at(-1)!, /^error: .*denied/i);
    assert.throws(() => readFileSync(tokensIn(home)), /ENOENT/);
  });

  it('says so in one line when the code expires before anyone approves it', async () => {
    const home = freshFolder();
    const result = await login(home, async (page) => {
      // Nobody presses anything; the code's 60 seconds pass on the server's clock.
      await page.getByLabel('API key').waitFor();
      skew += 61_000;
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr.trim().split('\n').at(-1)!, /^error: .*expired.*tcld login/i);
  });

  it('makes an API key for automation that works until it is disabled, again when enabled, never after delete', async () => {
    const home = freshFolder();
    assertExit(await login(home, approve), 0);
    remember(home);

    const create = await run(['apikey', 'create', '--name', 'ci', '--description', 'the build', '--duration', '30d', ...cloudFlags()], home, false);
    assertExit(create, 0);
    outputs.push(create.stderr);
    assert.match(create.stderr, /cannot show it again/);
    const made = JSON.parse(create.stdout) as { id: string; secretKey: string; requestStatus: { state: string } };
    assert.ok(made.id && made.secretKey);
    secrets.add(made.secretKey);
    // The secret is printed once, and kept nowhere tcld writes.
    assert.ok(!readFileSync(tokensIn(home), 'utf8').includes(made.secretKey));

    const withKey = (args: string[]) => run([...args, ...cloudFlags(), '--api-key', made.secretKey], freshFolder());
    assertExit(await withKey(['n', 'l']), 0);

    // The official client sees the same key, owned by the admin user, and never its secret.
    const official = await connectOfficialClient(emulator, { retries: false });
    try {
      const keys = await official.cloud.getApiKeys({});
      const key = keys.apiKeys?.find((k) => k.id === made.id);
      assert.equal(key?.spec?.displayName, 'ci');
      assert.equal(key?.spec?.ownerId, emulator.admin.id);
      assert.ok(!JSON.stringify(keys.toJSON()).includes(made.secretKey));
    } finally {
      official.close();
    }

    const get = await run(['ak', 'g', '-i', made.id, ...cloudFlags()], home);
    assertExit(get, 0);
    assert.equal(JSON.parse(get.stdout).spec.displayName, 'ci');

    assertExit(await run(['ak', 'da', '-i', made.id, ...cloudFlags()], home), 0);
    assertOneLineError(await withKey(['n', 'l']), /disabled/);
    assertExit(await run(['ak', 'ea', '-i', made.id, ...cloudFlags()], home), 0);
    assertExit(await withKey(['n', 'l']), 0);
    assertExit(await run(['ak', 'd', '-i', made.id, ...cloudFlags()], home), 0);
    assertOneLineError(await withKey(['n', 'l']), /API key/i);

    const list = await run(['ak', 'l', ...cloudFlags()], home);
    assertExit(list, 0);
    assert.ok(!list.stdout.includes(made.id), 'a deleted key is not listed');
  });
});
