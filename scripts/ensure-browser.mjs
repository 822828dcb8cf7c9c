// Makes sure the browser tests have a Chromium: Debian's `chromium`, installed with apt-get when it is
// missing and this process may install packages (root, or passwordless sudo). Otherwise it says in one
// line why the browser tests will be skipped. scripts/test.mjs calls it before the tests, so `npm test`
// works on a fresh machine; `node scripts/ensure-browser.mjs` runs it alone. The browser tests find
// the browser with the same findChromium (test/browser.ts).
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Set to 1 to never install a browser (the browser tests then skip when none is found). */
export const SKIP_INSTALL_VARIABLE = 'TCLD_SKIP_BROWSER_INSTALL';

/** Where Debian's package puts its launcher, for a PATH that lacks /usr/bin. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** How many lines of apt-get's output to show when it fails: its error is at the end. */
const FAILURE_TAIL_LINES = 40;

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on PATH, or null; a look at the file system, no child process. */
export function which(name, pathVariable = process.env.PATH ?? '') {
  for (const dir of pathVariable.split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** The Chromium the browser tests launch: `chromium` on PATH, else Debian's /usr/bin/chromium, else null. */
export function findChromium(pathVariable = process.env.PATH ?? '', fallbacks = [DEBIAN_CHROMIUM]) {
  return which('chromium', pathVariable) ?? fallbacks.find(isExecutable) ?? null;
}

/**
 * What to do, from facts gathered beforehand. Pure, so every branch is tested without a machine
 * that lacks Chromium.
 * @param {import('./ensure-browser.mjs').BrowserFacts} facts
 * @returns {import('./ensure-browser.mjs').BrowserAction}
 */
export function decideBrowserAction(facts) {
  if (facts.chromium) return { kind: 'present', path: facts.chromium };
  const why = (code, reason) => ({ kind: 'skip', code, message: `browser tests will be skipped: no chromium found, and ${reason}` });
  if (facts.optedOut) return why('opted-out', `${SKIP_INSTALL_VARIABLE}=1 says not to install one`);
  if (!facts.aptGet) return why('no-apt-get', 'this is not Debian or Ubuntu (no apt-get) to install it; put chromium on PATH');
  if (facts.uid === 0) return { kind: 'install', sudo: false };
  if (facts.passwordlessSudo) return { kind: 'install', sudo: true };
  return why('not-root', 'installing it needs root or passwordless sudo: run `sudo apt-get install chromium`');
}

/** The commands that install Chromium, quietly and without questions. */
export function installCommands(sudo) {
  const apt = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
  const commands = [
    [...apt, 'update', '-qq'],
    [...apt, 'install', '-y', '-qq', '--no-install-recommends', 'chromium'],
  ];
  // sudo resets the environment, so DEBIAN_FRONTEND goes through env(1) run as root.
  return sudo ? commands.map((command) => ['sudo', '-n', ...command]) : commands;
}

/** The facts for decideBrowserAction; sudo is asked only when its answer matters. */
export function gatherFacts(env = process.env) {
  const chromium = findChromium(env.PATH ?? '');
  const optedOut = env[SKIP_INSTALL_VARIABLE] === '1';
  const aptGet = which('apt-get', env.PATH ?? '') !== null;
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  const asks = !chromium && !optedOut && aptGet && uid !== 0;
  const passwordlessSudo = asks && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  return { chromium, optedOut, aptGet, uid, passwordlessSudo };
}

function runQuietly([command, ...args]) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `${result.error.message}\n` : ''}`;
  return { status: result.status, output };
}

/**
 * Finds or installs Chromium. Returns its path, or null when the browser tests will be skipped (and
 * then has written one line saying why). Never throws for a failed install: the tests skip instead.
 */
export function ensureBrowser({ env = process.env, facts = gatherFacts(env), run = runQuietly, find = findChromium, log = console.error } = {}) {
  const action = decideBrowserAction(facts);
  if (action.kind === 'present') return action.path;
  if (action.kind === 'skip') {
    log(action.message);
    return null;
  }
  log(`Installing Debian's chromium for the browser tests (apt-get${action.sudo ? ' through sudo' : ''})...`);
  for (const command of installCommands(action.sudo)) {
    const { status, output } = run(command);
    if (status !== 0) {
      const tail = output.trimEnd().split('\n').slice(-FAILURE_TAIL_LINES).join('\n');
      if (tail) log(tail);
      log(`browser tests will be skipped: \`${command.join(' ')}\` failed${status === null ? '' : ` (exit ${status})`}`);
      return null;
    }
  }
  const installed = find(env.PATH ?? '');
  if (!installed) log('browser tests will be skipped: apt-get installed chromium, but no chromium is on PATH or at /usr/bin/chromium');
  return installed;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) ensureBrowser();
