/**
 * scripts/ensure-browser.mjs: the decision (find, install, or skip saying why) as a pure function of
 * the machine's facts, the install run with a fake apt-get, and the finder on made-up PATHs. Nothing
 * here installs or removes a package.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  decideBrowserAction,
  ensureBrowser,
  findChromium,
  installCommands,
  type BrowserFacts,
  type CommandResult,
} from '../scripts/ensure-browser.mjs';

const NONE: BrowserFacts = { chromium: null, optedOut: false, aptGet: true, uid: 1000, passwordlessSudo: false };

describe('decideBrowserAction', () => {
  test('does nothing when a chromium is found, even as root with apt-get or when told not to install', () => {
    for (const facts of [{ uid: 0 }, { optedOut: true }, { aptGet: false }]) {
      assert.deepEqual(decideBrowserAction({ ...NONE, ...facts, chromium: '/usr/bin/chromium' }), {
        kind: 'present',
        path: '/usr/bin/chromium',
      });
    }
  });

  test('installs as root with apt-get, and through sudo for a user with passwordless sudo', () => {
    assert.deepEqual(decideBrowserAction({ ...NONE, uid: 0 }), { kind: 'install', sudo: false });
    assert.deepEqual(decideBrowserAction({ ...NONE, passwordlessSudo: true }), { kind: 'install', sudo: true });
  });

  test('skips with a code and a reason: told not to install, no apt-get, or neither root nor sudo', () => {
    const skip = (facts: Partial<BrowserFacts>) => {
      const action = decideBrowserAction({ ...NONE, ...facts });
      assert.equal(action.kind, 'skip');
      return action.kind === 'skip' ? [action.code, action.message] : [];
    };
    const [optedOut, optedOutMessage] = skip({ uid: 0, optedOut: true });
    assert.equal(optedOut, 'opted-out');
    assert.match(optedOutMessage!, /^browser tests will be skipped: .*TCLD_SKIP_BROWSER_INSTALL=1/);
    assert.equal(skip({ uid: 0, aptGet: false })[0], 'no-apt-get');
    const [notRoot, notRootMessage] = skip({});
    assert.equal(notRoot, 'not-root');
    assert.match(notRootMessage!, /sudo apt-get install chromium/);
  });
});

describe('installCommands', () => {
  test('updates the package lists, then installs chromium alone, without questions', () => {
    assert.deepEqual(installCommands(false), [
      ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update', '-qq'],
      ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium'],
    ]);
  });

  test('through sudo, never asks for a password', () => {
    for (const command of installCommands(true)) assert.deepEqual(command.slice(0, 4), ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive']);
  });
});

describe('ensureBrowser', () => {
  /** A fake machine: the commands run, what they answer, what was logged. */
  function machine(answers: CommandResult[], installed: string | null) {
    const ran: string[][] = [];
    const logged: string[] = [];
    const result = ensureBrowser({
      env: { PATH: '/nowhere' },
      facts: { ...NONE, uid: 0 },
      run: (command) => (ran.push(command), answers.shift() ?? { status: 0, output: '' }),
      find: () => installed,
      log: (line) => logged.push(line),
    });
    return { result, ran, logged };
  }

  test('installs and returns the chromium apt-get put in place, saying only that it installs', () => {
    const { result, ran, logged } = machine([], '/usr/bin/chromium');
    assert.equal(result, '/usr/bin/chromium');
    assert.deepEqual(ran, installCommands(false));
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /^Installing Debian's chromium/);
  });

  test("shows the end of apt-get's output when it fails, then why the browser tests will skip", () => {
    const output = `${Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n')}\nE: Unable to locate package chromium\n`;
    const { result, ran, logged } = machine([{ status: 0, output: 'lists updated' }, { status: 100, output }], '/usr/bin/chromium');
    assert.equal(result, null);
    assert.equal(ran.length, 2);
    assert.doesNotMatch(logged.join('\n'), /lists updated|line 0\n/);
    assert.match(logged[1]!, /E: Unable to locate package chromium$/);
    assert.match(logged[2]!, /^browser tests will be skipped: `env DEBIAN_FRONTEND=noninteractive apt-get install .*` failed \(exit 100\)$/);
  });

  test('stops after a failed update without trying to install', () => {
    const { result, ran, logged } = machine([{ status: null, output: 'spawnSync apt-get ENOENT\n' }], null);
    assert.equal(result, null);
    assert.equal(ran.length, 1);
    assert.match(logged.at(-1)!, /apt-get update -qq` failed$/);
  });

  test('says so when apt-get succeeded but still no chromium can be found', () => {
    const { result, logged } = machine([], null);
    assert.equal(result, null);
    assert.match(logged.at(-1)!, /^browser tests will be skipped: apt-get installed chromium, but/);
  });

  test('runs nothing and says nothing when chromium is present', () => {
    const logged: string[] = [];
    const result = ensureBrowser({
      facts: { ...NONE, chromium: '/opt/chromium' },
      run: () => assert.fail('ran a command'),
      log: (line) => logged.push(line),
    });
    assert.equal(result, '/opt/chromium');
    assert.deepEqual(logged, []);
  });
});

describe('findChromium', () => {
  const folder = mkdtempSync(join(tmpdir(), 'tcld-find-chromium-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const bin = (name: string, mode: number) => {
    const dir = mkdtempSync(join(folder, 'bin-'));
    writeFileSync(join(dir, name), '#!/bin/sh\n');
    chmodSync(join(dir, name), mode);
    return dir;
  };

  test('takes the first executable chromium on PATH, passing over one that cannot be run', () => {
    const notExecutable = bin('chromium', 0o644);
    const executable = bin('chromium', 0o755);
    const later = bin('chromium', 0o755);
    assert.equal(findChromium([notExecutable, executable, later].join(delimiter), []), join(executable, 'chromium'));
  });

  test('falls back to the fixed paths given, and finds nothing when there is none', () => {
    const fallback = join(bin('chromium-elsewhere', 0o755), 'chromium-elsewhere');
    assert.equal(findChromium(bin('other', 0o755), [join(folder, 'missing'), fallback]), fallback);
    assert.equal(findChromium('', [join(folder, 'missing')]), null);
  });
});

test('node scripts/ensure-browser.mjs told not to install exits 0, silent when chromium is present, else with one skip line', () => {
  const run = spawnSync(process.execPath, ['scripts/ensure-browser.mjs'], {
    env: { ...process.env, TCLD_SKIP_BROWSER_INSTALL: '1' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0);
  assert.equal(run.stdout, '');
  if (findChromium()) assert.equal(run.stderr, '');
  else assert.match(run.stderr, /^browser tests will be skipped: .*TCLD_SKIP_BROWSER_INSTALL=1.*\n$/);
});
