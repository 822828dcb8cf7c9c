/**
 * The namespace page's script in headless Chromium, against the console's own routes and a stand-in
 * for the gateway's live feed: a Server-Sent Events route that answers the namespace's recent events
 * (all of them, every time) and closes, so that the browser reconnects. New admissions appear at the
 * top without a reload, none twice, at most 50, and a hostile subject stays text.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { secureRandom } from '../../src/pki/random.js';
import type { ConsoleActions } from '../../src/emulator/console/actions.js';
import type { AdmissionEvent } from '../../src/emulator/console/admission-log.js';
import { CONSOLE_CSRF_COOKIE, consoleRoutes } from '../../src/emulator/console/console-routes.js';
import { admissionEventsPath } from '../../src/emulator/console/events-route.js';
import { CONSOLE_PATH } from '../../src/emulator/console/layout.js';
import { createAdmissionLog } from '../../src/emulator/console/admission-log-store.js';
import { serveHttp, type HttpServer } from '../../src/emulator/http/http-server.js';
import { createRouter, failureStatus } from '../../src/emulator/http/router.js';
import { createAdminSessions } from '../../src/emulator/identity/admin-sessions.js';
import { createCsrfGuard } from '../../src/emulator/identity/csrf.js';
import { NEEDS_BROWSER, useBrowser, withPage } from '../browser.js';
import { freshFolder, removeFolders } from './helpers.js';

const NS = 'live.acct';

describe('the namespace page in a browser › live connections', { skip: NEEDS_BROWSER }, () => {
  const browser = useBrowser();
  const log = createAdmissionLog();
  let server: HttpServer;
  let base: string;

  const refusal = (subject: string): Omit<AdmissionEvent, 'seq'> => ({
    at: new Date().toISOString(),
    namespace: NS,
    result: 'refused',
    subject,
    fingerprint: 'ab'.repeat(32),
    code: 'untrusted-issuer',
    message: 'no CA of the namespace issued it',
  });

  before(async () => {
    const actions: ConsoleActions = {
      listNamespaces: () => ({ namespaces: [], more: false }),
      namespace: (id) =>
        id === NS ? { ok: true, value: { id, resourceVersion: 'rv-1', state: 'active', endpoint: `${NS}.tmprl.local:7233`, spec: { mtlsAuth: { enabled: true } } } } : { ok: false, code: 'not-found', message: 'not found' },
      updateNamespace: () => ({ ok: false, code: 'other', message: 'not in this test' }),
      account: () => ({ ok: false, code: 'other', message: 'not in this test' }),
      apiKeys: () => [],
    };
    const now = () => new Date();
    const routes = [
      ...consoleRoutes({
        actions,
        admissions: log,
        sessions: createAdminSessions({ signIn: { verify: () => ({ code: 'unknown', message: 'no key signs in here' }), isCurrent: () => false }, now, random: secureRandom }),
        csrf: createCsrfGuard(secureRandom, CONSOLE_PATH, CONSOLE_CSRF_COOKIE),
        now,
      }),
      {
        method: 'GET' as const,
        path: admissionEventsPath(NS),
        // Everything recent, oldest first, then the end of the response: the browser reconnects after `retry` ms.
        handle: () => ({
          status: 200,
          headers: { 'content-type': 'text/event-stream' },
          body: `retry: 100\n\n${log
            .recent(NS, 200)
            .reverse()
            .map((event) => `id: ${event.seq}\nevent: admission\ndata: ${JSON.stringify(event)}\n\n`)
            .join('')}`,
        }),
      },
    ];
    server = await serveHttp({
      host: '127.0.0.1',
      port: 0,
      listener: 'auth',
      handler: (port) => createRouter({ routes, port, failure: (which) => ({ status: failureStatus(which), body: which }), random: secureRandom }),
    });
    base = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    await server.close();
    removeFolders();
  });

  const rows = (page: Page) => page.locator('#admissions tr');
  const seqs = (page: Page) => page.$$eval('#admissions tr', (trs) => trs.map((tr) => Number(tr.getAttribute('data-seq'))));
  /** Waits until the feed has been answered `count` more times: the page has seen every event recorded before. */
  const feedAnswered = async (page: Page, count: number) => {
    for (let i = 0; i < count; i++) await page.waitForResponse((response) => response.url().endsWith(admissionEventsPath(NS)));
  };

  it('shows new refusals at the top without a reload, none twice, and a hostile subject as text', async () => {
    log.record(refusal('CN=before,O=rendered'));
    await withPage(browser(), async (page) => {
      await page.goto(`${base}/console/namespace?id=${NS}`);
      assert.equal(await rows(page).count(), 1, 'rendered by the server');
      const hostile = '<img src=x onerror="window.pwned=1">';
      log.record(refusal(`CN=${hostile}`));
      log.record(refusal('CN=newest,O=stranger'));
      await rows(page).nth(2).waitFor();
      const top = rows(page).first();
      assert.match(await top.innerText(), /refused\s+CN=newest,O=stranger\s+abab.*\s+untrusted-issuer no CA of the namespace issued it/);
      assert.equal(await rows(page).nth(1).locator('td').nth(2).textContent(), `CN=${hostile}`);
      assert.equal(await page.evaluate('typeof window.pwned'), 'undefined');
      assert.equal(await page.locator('#admissions img').count(), 0);
      // The feed replays every event on each reconnect; the page adds none twice.
      await feedAnswered(page, 2);
      const shown = await seqs(page);
      assert.deepEqual(shown, [...shown].sort((a, b) => b - a));
      assert.equal(new Set(shown).size, 3);
      assert.equal(await page.locator('#admissions-empty').isHidden(), true);
    });
  });

  it('keeps the 50 newest', async () => {
    await withPage(browser(), async (page) => {
      await page.goto(`${base}/console/namespace?id=${NS}`);
      for (let i = 0; i < 60; i++) log.record(refusal(`CN=client-${i}`));
      await rows(page).first().filter({ hasText: 'CN=client-59' }).waitFor();
      await feedAnswered(page, 1);
      assert.equal(await rows(page).count(), 50);
      assert.equal(await rows(page).last().locator('td').nth(2).textContent(), 'CN=client-10');
    });
  });

  it('reads a chosen PEM file into the Add form, which posts text', async () => {
    const file = join(freshFolder(), 'ca.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    await withPage(browser(), async (page) => {
      await page.goto(`${base}/console/namespace?id=${NS}`);
      await page.getByLabel('Or upload a PEM file').setInputFiles(file);
      // Polls until the script has read the file in (the textarea's placeholder then hides).
      await page.locator('#pem:not(:placeholder-shown)').waitFor();
      assert.equal(await page.getByLabel('PEM of the CA certificates to add').inputValue(), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    });
  });
});
