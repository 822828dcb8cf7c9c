/**
 * Real-browser tests: Debian's chromium, headless, driven by playwright-core. `npm test` installs the
 * browser when it can (scripts/ensure-browser.mjs); where there is none, tests skip with NEEDS_BROWSER.
 * Launching costs about a second, so a test file shares one browser (useBrowser) and gives each test
 * its own context (withPage): fresh cookies and storage, closed after the test.
 */
import { after, before } from 'node:test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium } from '../scripts/ensure-browser.mjs';

/** The Chromium executable the tests launch, or null. */
export const CHROMIUM = findChromium();

/** For `{ skip: NEEDS_BROWSER }`: false when a browser was found, else why the test is skipped. */
export const NEEDS_BROWSER: string | false = CHROMIUM
  ? false
  : 'no chromium on PATH or at /usr/bin/chromium (npm test installs it with apt-get as root or with passwordless sudo)';

/** The window size of every page, so that screenshots are the same from run to run. */
export const VIEWPORT = { width: 1024, height: 768 } as const;

/** A browser that does not start in this long fails the test rather than hanging the run. */
const LAUNCH_TIMEOUT_MS = 30_000;

/** Launches headless Chromium; the caller closes it. Throws NEEDS_BROWSER's message when there is none. */
export async function launchBrowser(): Promise<Browser> {
  if (!CHROMIUM) throw new Error(`cannot launch a browser: ${NEEDS_BROWSER}`);
  // Chromium's sandbox refuses to run as root; as any other user it stays on.
  const asRoot = process.getuid?.() === 0;
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: asRoot ? ['--no-sandbox'] : [],
    timeout: LAUNCH_TIMEOUT_MS,
  });
}

/** Runs fn with a fresh browser, and closes the browser whatever fn does. */
export async function withBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchBrowser();
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

/** Runs fn with a page in a new context of browser (its own cookies and storage), closed afterwards. */
export async function withPage<T>(browser: Browser, fn: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    return await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

/**
 * One browser for the test file (or the describe block this is called in): launched in a `before`
 * hook unless NEEDS_BROWSER, closed in an `after` hook. Returns a getter for the tests to call.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  before(async () => {
    if (!NEEDS_BROWSER) browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error(`no browser: ${NEEDS_BROWSER || 'called before the before hook ran'}`);
    return browser;
  };
}

/**
 * Writes a PNG of page to path (its folders made), the whole page and not only the window, with
 * animations stopped and the caret hidden so that the same page gives the same picture. Returns path.
 */
export async function saveScreenshot(page: Page, path: string): Promise<string> {
  const png = await page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide' });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png);
  return path;
}
