/**
 * The browser test helper end to end: headless Chromium fills and submits a form served on 127.0.0.1,
 * the server sees the value and the page shows the server's answer; a screenshot is a PNG on disk;
 * and withBrowser closes its browser even when the test inside it fails.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { NEEDS_BROWSER, VIEWPORT, saveScreenshot, useBrowser, withBrowser, withPage } from './browser.js';

const FORM = `<!doctype html><title>Approve</title>
<form method="post" action="/approve"><label>Code <input name="code"></label><button>Approve</button></form>`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page with a form; each code POSTed to /approve is recorded and echoed back. */
async function startFormServer(): Promise<{ url: string; received: string[]; server: Server }> {
  const received: string[] = [];
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(FORM);
      return;
    }
    if (request.method === 'POST' && request.url === '/approve') {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        const code = new URLSearchParams(body).get('code') ?? '';
        received.push(code);
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(`<!doctype html><p id="result">Approved ${escapeHtml(code)}</p>`);
      });
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, received, server };
}

describe('a headless Chromium from test/browser.ts', { skip: NEEDS_BROWSER }, () => {
  const browser = useBrowser();
  let site: Awaited<ReturnType<typeof startFormServer>>;
  let folder: string;
  before(async () => {
    site = await startFormServer();
    folder = mkdtempSync(join(tmpdir(), 'tcld-browser-'));
  });
  after(async () => {
    site.server.closeAllConnections();
    await new Promise((resolve) => site.server.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  });

  test('fills in and submits a form: the server receives the value and the page shows its answer', async () => {
    await withPage(browser(), async (page) => {
      await page.goto(site.url);
      await page.getByLabel('Code').fill('WXYZ-<42>');
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.waitForURL(`${site.url}approve`);
      assert.equal(await page.locator('#result').textContent(), 'Approved WXYZ-<42>');
    });
    assert.deepEqual(site.received, ['WXYZ-<42>']);
  });

  test('saveScreenshot writes a PNG of the page to the path given, making its folders', async () => {
    const path = join(folder, 'docs', 'screenshots', 'form.png');
    await withPage(browser(), async (page) => {
      await page.goto(site.url);
      assert.equal(await saveScreenshot(page, path), path);
    });
    const png = readFileSync(path);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // The IHDR chunk's width is the viewport's: the picture is of the page, not an empty buffer.
    assert.equal(png.readUInt32BE(16), VIEWPORT.width);
  });

  test('withBrowser closes its browser when the function inside it throws', async () => {
    let inside: Browser | undefined;
    await assert.rejects(
      withBrowser(async (opened) => {
        inside = opened;
        throw new Error('the test failed');
      }),
      /the test failed/,
    );
    const leftOpen = inside?.isConnected();
    await inside?.close(); // so that a failure here fails the test instead of keeping the run alive
    assert.equal(leftOpen, false);
  });
});
