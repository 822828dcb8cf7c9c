/**
 * `npm run demo` (the built dist/demo/main.cjs) ends by printing the web console's URL; its in-process
 * dev-server stops with it, unless `--keep` asks it to run on until Ctrl-C.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertExit, startTcld, tcld } from './helpers.js';

const DEMO = ['dist/demo/main.cjs'];
const run = { cwd: process.cwd(), executable: process.execPath, timeoutMs: 180_000 };
const CONSOLE_LINE = /^Web console: (http:\/\/127\.0\.0\.1:\d+\/console\/namespace\?id=demo\.local)\b/m;

/** Whether anything answers at `url` now. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return true;
  } catch {
    return false;
  }
}

describe('npm run demo', () => {
  it('prints the web console URL at the end, and leaves nothing running once it exits', async () => {
    const result = await tcld(DEMO, run);
    assertExit(result, 0);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.at(-2), 'Done: every step did what it should.');
    const url = CONSOLE_LINE.exec(lines.at(-1)!)?.[1];
    assert.ok(url, lines.at(-1));
    assert.match(lines.at(-1)!, /npm run demo -- --keep keeps it running\)$/);
    assert.equal(await answers(url), false, 'the console stopped with the demo');
  });

  it('with --keep, serves the console showing the demo\'s namespace and its CA until SIGINT', async () => {
    const running = startTcld([...DEMO, '--keep'], run);
    running.child.stdin.end();
    const printed = await running.waitForStdout(/The dev-server runs until Ctrl-C/);
    const url = CONSOLE_LINE.exec(printed)?.[1];
    assert.ok(url, printed);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<h1>demo\.local<\/h1>/);
    assert.match(html, /CA 1: CN=client\.root\.demo\.\w+,O=demo/);
    running.child.kill('SIGINT');
    const result = await running.done;
    assertExit(result, 0);
    assert.match(result.stdout, /demo: stopped\n$/);
    assert.equal(await answers(url), false);
  });

  it('refuses an argument it does not know with one line and exit 2', async () => {
    const result = await tcld([...DEMO, '--stay'], run);
    assertExit(result, 2);
    assert.equal(result.stderr, 'demo: unknown argument --stay: the demo takes only --keep (keep the dev-server running for its web console)\n');
  });
});
