/**
 * An auth server on 127.0.0.1 port 0 with a fake clock and the SQLite identity store in memory (its
 * bootstrap key TEST_API_KEY signs a browser in), and the requests tcld and a browser make to it.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { secureRandom } from '../../pki/random.js';
import { FIXED_NOW } from '../../pki/test-support.js';
import { Store } from '../store.js';
import { startAuthServer, type AuthServer, type StartAuthServerOptions } from './auth-server.js';
import { openIdentity, type Identity } from './identity.js';
import { DEVICE_CODE_GRANT } from './oauth-routes.js';
import { createAdminSignIn } from './sign-in.js';

/** tcld's client id, as Go tcld sends it. */
export const CLIENT_ID = 'd7V5bZMLCbRLfRVpqC567AqjAERaWHhl';
/** The test server's bootstrap `--api-key`: distinctive, so that a test can look for it in logs and pages. */
export const TEST_API_KEY = 'test-bootstrap-key-Qx7Vd3Kp9Lm2';

export interface DeviceCodeResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

export interface TestAuthServer {
  server: AuthServer;
  /** Users, API keys and tokens: `identity.verify` is what the Cloud Ops API would say of a token. */
  identity: Identity;
  lines: string[];
  /** The fake clock. */
  now(): Date;
  /** Moves the fake clock on. */
  advance(seconds: number): void;
  /** A form POST as tcld (Go's oauth2) makes it. */
  post(path: string, fields: Record<string, string>): Promise<Response>;
  /** POST /oauth/device/code as tcld login does, checked to be 200. */
  startDevice(): Promise<DeviceCodeResponse>;
  /** POST /oauth/token with the device_code grant. */
  poll(deviceCode: string): Promise<{ status: number; body: Record<string, unknown> }>;
  /**
   * What a browser not signed in does: opens the verification page, types `apiKey` (default: TEST_API_KEY
   * to approve, none to deny; null for none) and presses Approve or Deny; the reply to the POST.
   */
  decideInBrowser(url: string, decision: 'approve' | 'deny', apiKey?: string | null): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestAuthServer(overrides: Partial<StartAuthServerOptions> = {}): Promise<TestAuthServer> {
  let time = FIXED_NOW.getTime();
  const now = () => new Date(time);
  const store = new Store(':memory:');
  const identity = openIdentity({ store, account: 'local', domain: 'tmprl.local', bootstrapKeys: [TEST_API_KEY], now, random: secureRandom });
  const lines: string[] = [];
  let server: AuthServer;
  try {
    server = await startAuthServer({
      authority: identity.tokens,
      signIn: createAdminSignIn({ identity, now }),
      now,
      intervalSeconds: 1,
      deviceCodeSeconds: 60,
      log: (line) => lines.push(line),
      ...overrides,
    });
  } catch (error) {
    store.close();
    throw error;
  }
  const post = (path: string, fields: Record<string, string>) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  return {
    server,
    identity,
    lines,
    now,
    advance: (seconds) => void (time += seconds * 1000),
    post,
    async startDevice() {
      const response = await post('/oauth/device/code', { client_id: CLIENT_ID, scope: 'openid profile user offline_access', audience: 'https://saas-api.tmprl.cloud' });
      assert.equal(response.status, 200);
      return (await response.json()) as DeviceCodeResponse;
    },
    async poll(deviceCode) {
      const response = await post('/oauth/token', { grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, client_id: CLIENT_ID });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async decideInBrowser(url, decision, apiKey) {
      const opened = await openPage(url);
      assert.equal(opened.status, 200, opened.html);
      const key = apiKey === undefined ? (decision === 'approve' ? TEST_API_KEY : undefined) : (apiKey ?? undefined);
      return submitForm(server.url, opened, decision, key === undefined ? {} : { fields: { api_key: key } });
    },
    async close() {
      await server.close();
      store.close();
    },
  };
}

export interface OpenedPage {
  status: number;
  html: string;
  /** `name=value` of the cookie the page set, if it set one. */
  cookie?: string;
  /** The hidden fields of its form. */
  fields: Record<string, string>;
}

export async function openPage(url: string, cookie?: string): Promise<OpenedPage> {
  const response = await fetch(url, { headers: cookie ? { cookie } : {} });
  const html = await response.text();
  const fields: Record<string, string> = {};
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[name!] ??= value!;
  const setCookie = response.headers.get('set-cookie')?.split(';')[0];
  return { status: response.status, html, ...(setCookie !== undefined && { cookie: setCookie }), fields };
}

/** `name=value` of the cookie `name` that a reply sets (empty value: it removes it), if it sets one. */
export function cookieSet(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().map((header) => header.split(';')[0]!).find((pair) => pair.startsWith(`${name}=`));
}

/** Presses a button of the page's form as a browser would: its fields, the cookie, and the page's Origin. */
export function submitForm(origin: string, opened: OpenedPage, decision: string, change: { fields?: Record<string, string>; cookie?: string | null } = {}): Promise<Response> {
  const cookie = change.cookie === null ? undefined : (change.cookie ?? opened.cookie);
  return fetch(`${origin}/activate`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'sec-fetch-site': 'same-origin', ...(cookie !== undefined && { cookie }) },
    body: new URLSearchParams({ ...opened.fields, decision, ...change.fields }),
    redirect: 'manual',
  });
}

/** A raw HTTP/1.1 request with the Host header given (fetch sets its own). */
export function requestWithHost(url: string, host: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: init.method ?? 'GET', headers: { ...init.headers, host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(init.body);
  });
}
