import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { LOGIN_DEFAULTS } from '../cloud/login/domain.js';
import { LoginError } from '../cloud/login/oauth.js';
import { startOAuthServer, type OAuthServerScript, type TestOAuthServer } from '../cloud/login/test-oauth-server.js';
import { InterruptedError, UsageError } from '../errors.js';
import { nodeFiles } from '../io/files.js';
import { FIXED_NOW } from '../pki/test-support.js';
import type { Deps, OpenUrlOutcome } from './deps.js';
import { run } from './login.js';
import { fakeDeps } from './test-support.js';

describe('tcld login', () => {
  let dir: string;
  let server: TestOAuthServer | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tcld-login-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Real files in a temp config folder; the browser and the clock are fakes. */
  function setup(options: { opened?: OpenUrlOutcome; signal?: AbortSignal } = {}) {
    const faked = fakeDeps();
    const status: Array<string | undefined> = [];
    const deps: Deps = {
      ...faked.deps,
      files: nodeFiles,
      status: (text) => status.push(text),
      openUrl: async (url) => {
        faked.opened.push(url);
        return options.opened ?? { code: 'opened' };
      },
      ...(options.signal ? { signal: options.signal } : {}),
    };
    return { ...faked, deps, status, config: join(dir, 'tcld') };
  }

  async function serve(script: OAuthServerScript = {}) {
    server = await startOAuthServer(script);
    return server;
  }

  /** Every line the command wrote, for the checks that no token leaks. */
  const everything = (t: ReturnType<typeof setup>) => [...t.diagnostics, ...t.printed].join('\n');

  it('asks for a device code with tcld\'s client, scopes and audience, prints the URL and code on stderr, opens the browser, and stores the tokens as tcld does', async () => {
    const oauth = await serve({ polls: ['pending', 'pending', 'approve'] });
    const t = setup();
    const result = await run({ domain: oauth.url, configDir: t.config }, t.deps);

    assert.deepEqual(result, { code: 'logged-in', path: join(t.config, 'tokens.json'), domain: oauth.url });
    const device = oauth.requests.find((r) => r.path === '/oauth/device/code')!;
    assert.deepEqual(device.form, { client_id: LOGIN_DEFAULTS.clientId, scope: 'openid profile user offline_access', audience: 'https://saas-api.tmprl.cloud' });
    const polls = oauth.requests.filter((r) => r.path === '/oauth/token');
    assert.equal(polls.length, 3);
    assert.deepEqual(polls[0]!.form, { client_id: LOGIN_DEFAULTS.clientId, grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'device-1' });

    const url = `${oauth.url}/activate?user_code=WDJB-MJHT`;
    assert.deepEqual(t.diagnostics, [`Login via this url: ${url}`, 'The page should show this code: WDJB-MJHT']);
    assert.deepEqual(t.opened, [url]);
    assert.equal(t.status.at(-1), undefined, 'the status line is cleared');

    const file = join(t.config, 'tokens.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(t.config).mode & 0o777, 0o700);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith('{\n    "audience"'), 'indented with 4 spaces, as tcld\'s FormatJson');
    const [access, refresh] = oauth.issued;
    assert.deepEqual(JSON.parse(text), {
      audience: 'https://saas-api.tmprl.cloud',
      domain: oauth.url,
      oauth_config: {
        ClientID: LOGIN_DEFAULTS.clientId,
        ClientSecret: '',
        Endpoint: { AuthURL: '', DeviceAuthURL: `${oauth.url}/oauth/device/code`, TokenURL: `${oauth.url}/oauth/token`, AuthStyle: 1 },
        RedirectURL: '',
        Scopes: ['openid', 'profile', 'user', 'offline_access'],
      },
      oauth_token: { access_token: access, token_type: 'Bearer', refresh_token: refresh, expiry: new Date(FIXED_NOW.getTime() + 600_000).toISOString() },
    });
    for (const token of oauth.issued) assert.ok(!everything(t).includes(token), 'no token in any output');
  });

  it('takes the hidden --audience and --client-id, and a verification_uri without the code filled in', async () => {
    const oauth = await serve({ withoutComplete: true });
    const t = setup();
    await run({ domain: oauth.url, audience: 'https://api.example', clientId: 'my-client', configDir: t.config, disablePopUp: true }, t.deps);
    assert.deepEqual(oauth.requests[0]!.form, { client_id: 'my-client', scope: 'openid profile user offline_access', audience: 'https://api.example' });
    assert.equal(t.diagnostics[0], `Login via this url: ${oauth.url}/activate`);
    assert.equal(JSON.parse(readFileSync(join(t.config, 'tokens.json'), 'utf8')).oauth_config.ClientID, 'my-client');
  });

  it('is not broken by an ID token that openid-client would refuse, and does not store it', async () => {
    const oauth = await serve({ idToken: true });
    const t = setup();
    await run({ domain: oauth.url, configDir: t.config, disablePopUp: true }, t.deps);
    const stored = readFileSync(join(t.config, 'tokens.json'), 'utf8');
    assert.ok(!stored.includes('id_token') && !stored.includes('eyJ'), stored);
  });

  it('does not open the browser with --disable-pop-up', async () => {
    const oauth = await serve();
    const t = setup();
    await run({ domain: oauth.url, configDir: t.config, disablePopUp: true }, t.deps);
    assert.deepEqual(t.opened, []);
  });

  it('says to open the URL by hand when there is no display or the opener fails, and still logs in', async () => {
    const oauth = await serve();
    const headless = setup({ opened: { code: 'no-display' } });
    await run({ domain: oauth.url, configDir: headless.config }, headless.deps);
    assert.equal(headless.diagnostics[2], 'open the url above in a browser');
    const broken = setup({ opened: { code: 'failed', message: 'xdg-open: not installed' } });
    await run({ domain: oauth.url, configDir: broken.config }, broken.deps);
    assert.equal(broken.diagnostics[2], 'could not open a browser (xdg-open: not installed): open the url above yourself');
    assert.ok(existsSync(join(broken.config, 'tokens.json')));
  });

  for (const [answer, code, message] of [
    ['access_denied', 'access-denied', /^the login was denied: scripted access_denied; run tcld login to try again$/],
    ['expired_token', 'expired', /^the login code expired before it was approved; run tcld login again$/],
  ] as const) {
    it(`says in one line that the login failed when the server answers ${answer}, and stores nothing`, async () => {
      const oauth = await serve({ polls: ['pending', answer] });
      const t = setup();
      const error = await run({ domain: oauth.url, configDir: t.config, disablePopUp: true }, t.deps).catch((e: unknown) => e);
      assert.ok(error instanceof LoginError && error.code === code, String(error));
      assert.match(error.message, message);
      assert.ok(!existsSync(join(t.config, 'tokens.json')));
    });
  }

  it("gives up when the device code's lifetime passes while the server still says authorization_pending", async () => {
    const oauth = await serve({ polls: ['pending'], expiresIn: 1 });
    const t = setup();
    const error = await run({ domain: oauth.url, configDir: t.config, disablePopUp: true }, t.deps).catch((e: unknown) => e);
    assert.ok(error instanceof LoginError && error.code === 'expired', String(error));
  });

  it('refuses a verification URL on another host, as tcld does, before showing or opening it', async () => {
    const oauth = await serve({ verificationUri: 'https://evil.example/activate' });
    const t = setup();
    const error = await run({ domain: oauth.url, configDir: t.config }, t.deps).catch((e: unknown) => e);
    assert.ok(error instanceof LoginError);
    assert.equal(error.message, 'domain URL `127.0.0.1` does not match verification URL `evil.example` in response');
    assert.deepEqual(t.opened, []);
    assert.deepEqual(t.diagnostics, []);
    assert.equal(oauth.requests.filter((r) => r.path === '/oauth/token').length, 0);
  });

  it('refuses a verification URL on the same host name that is not http(s)', async () => {
    const oauth = await serve({ verificationUri: 'file://127.0.0.1/etc/passwd' });
    const t = setup();
    await assert.rejects(run({ domain: oauth.url, configDir: t.config }, t.deps), /not http\(s\): file:/);
    assert.deepEqual(t.opened, []);
  });

  it('stops at once on Ctrl-C while waiting, with an InterruptedError, and stores nothing', async () => {
    const oauth = await serve({ polls: ['pending'] });
    const stop = new AbortController();
    const t = setup({ signal: stop.signal });
    const running = run({ domain: oauth.url, configDir: t.config, disablePopUp: true }, t.deps);
    for (let i = 0; i < 2000 && !oauth.requests.some((r) => r.path === '/oauth/token'); i++) await new Promise((settle) => setTimeout(settle, 5));
    assert.ok(oauth.requests.some((r) => r.path === '/oauth/token'), 'polling started');
    stop.abort('SIGINT');
    await assert.rejects(running, (e: unknown) => e instanceof InterruptedError && e.message === 'interrupted; not logged in');
    assert.ok(!existsSync(join(t.config, 'tokens.json')));
  });

  it('says in one line that the login server cannot be reached', async () => {
    const oauth = await serve();
    const closed = oauth.url;
    await oauth.close();
    server = undefined;
    const t = setup();
    const error = await run({ domain: closed, configDir: t.config }, t.deps).catch((e: unknown) => e);
    assert.ok(error instanceof LoginError && error.code === 'unreachable', String(error));
    assert.match(error.message, new RegExp(`^cannot reach ${closed} for the device code request \\(ECONNREFUSED\\); check the network, or --domain$`));
  });

  it('refuses plain http to a host that is not loopback, and a domain that is not a host or URL, before any request', async () => {
    const t = setup();
    await assert.rejects(run({ domain: 'http://login.example.com', configDir: t.config }, t.deps), (e: unknown) => e instanceof UsageError && /http:\/\/ is allowed only for a loopback host/.test(e.message));
    await assert.rejects(run({ domain: 'ftp://login.example.com', configDir: t.config }, t.deps), UsageError);
    await assert.rejects(run({ domain: 'https://login.example.com/?x=1', configDir: t.config }, t.deps), UsageError);
  });
});
