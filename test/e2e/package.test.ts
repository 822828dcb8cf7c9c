/**
 * tcld as a user installs it: the tarball of `npm pack`, installed with `npm i -g` (into a temporary
 * prefix) and run with npx. npm takes the dependencies from its cache, which `npm ci` filled, and asks
 * the registry only for what is not there (--prefer-offline).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, dirname, join, normalize, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MINUTE, assertExit, assertOneLineError, freshFolder, removeFolders, startTcld, tcld, type RunningTcld } from './helpers.js';
import { PACKAGE, npm, pack, type Packed } from './npm.js';

const skip = existsSync(resolve('dist/cli/main.cjs')) ? false : 'needs the built package: npm run build';
const API_KEY = 'package-test-key';
const NS = 'pkg.acct';

/** The package name a bare specifier loads (`@grpc/grpc-js/x` → `@grpc/grpc-js`), or undefined for a relative one. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Whether a bare specifier is a Node built-in or a dependency in package.json; every other package is missing after an install. */
function isInstalled(name: string): boolean {
  return name.startsWith('node:') || builtinModules.includes(name) || name in PACKAGE.dependencies;
}

describe('the npm package', { skip }, () => {
  let packed: Packed;

  before(async () => {
    packed = await pack(freshFolder());
  });
  after(removeFolders);

  it('ships the CLI, the library and its declarations, and no sources, tests, bench or demo', () => {
    const shipped = new Set(packed.files);
    for (const path of packed.files) {
      assert.match(path, /^(package\.json|README\.md|bin\/tcld|dist\/(cli|lib)\/.+\.(c|m)?js(\.cache)?|dist\/types\/.+\.d\.ts)$/, path);
      assert.doesNotMatch(path, /\.test\.|\btest-|fixture|demo/, path);
    }
    const cli = readdirSync('dist/cli', { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    for (const entry of cli) assert.ok(shipped.has(join(entry.parentPath, entry.name)), `${entry.name} is not in the tarball`);
    assert.ok(packed.files.some((path) => path.endsWith('.cjs.cache')), 'no code cache in the tarball');
    const entryPoints = [PACKAGE.main, PACKAGE.types, ...Object.values(PACKAGE.bin), ...Object.values(PACKAGE.exports['.']!)];
    for (const path of entryPoints) assert.ok(shipped.has(normalize(path)), `${path} (package.json) is not in the tarball`);
  });

  it('requires at run time Node built-ins and its dependencies, each of them, and nothing else', () => {
    const required = new Set<string>();
    for (const path of packed.files.filter((file) => /\.(c|m)?js$/.test(file) || file === 'bin/tcld')) {
      const code = readFileSync(path, 'utf8');
      // require("x") and esbuild's __require("x"), import("x"), and in ES modules from "x" (minified: from"x").
      const pattern = path.endsWith('.mjs') ? /(?:require\(|\bimport\(|\bfrom ?)(["'])([^"']+)\1/g : /(?:require\(|\bimport\()(["'])([^"']+)\1/g;
      for (const [, , specifier] of code.matchAll(pattern)) {
        const name = packageOf(specifier!);
        if (name !== undefined && !name.startsWith('node:') && !builtinModules.includes(name)) required.add(name);
      }
    }
    assert.ok(required.has('better-sqlite3'), 'the scan found no require of better-sqlite3');
    assert.deepEqual([...required].sort(), Object.keys(PACKAGE.dependencies).sort());
  });

  it('ships every module its declarations import, or depends on it', () => {
    const shipped = new Set(packed.files);
    for (const path of packed.files.filter((file) => file.endsWith('.d.ts'))) {
      for (const [, specifier] of readFileSync(path, 'utf8').matchAll(/(?:from |import\()'([^']+)'/g)) {
        const name = packageOf(specifier!);
        if (name !== undefined) {
          assert.ok(isInstalled(name), `${path} imports ${specifier}, which is not a dependency`);
        } else {
          const target = join(dirname(path), specifier!.replace(/\.js$/, '.d.ts'));
          assert.ok(shipped.has(target), `${path} imports ${specifier}, and ${target} is not in the tarball`);
        }
      }
    }
  });

  describe('installed with npm i -g', () => {
    let prefix: string;
    let executable: string;
    let folder: string;
    let env: Record<string, string>;
    const run = (...args: string[]) => tcld(args, { cwd: folder, executable, env: { ...env, AUTO_CONFIRM: 'true' } });

    before(async () => {
      prefix = freshFolder();
      folder = freshFolder();
      // The dev server CA of --db :memory: goes to the config folder.
      env = { XDG_CONFIG_HOME: join(folder, 'config') };
      // better-sqlite3's install script builds it here (its prebuilt download is out of reach): about a
      // minute, most of this file's time; JOBS=max lets node-gyp compile its two sources side by side.
      const installed = await npm(['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', packed.tarball], {
        cwd: folder,
        timeoutMs: 15 * MINUTE,
        env: { JOBS: 'max' },
      });
      assertExit(installed, 0);
      executable = join(prefix, 'bin', 'tcld');
    });

    it('prints its version', async () => {
      const result = await run('--version');
      assertExit(result, 0);
      assert.equal(result.stdout, `tcld version ${PACKAGE.version}\n`);
    });

    it('gen ca writes a CA certificate that node:crypto reads', async () => {
      assertExit(await run('gen', 'ca', '--org', 'pkgtest', '-d', '1y', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key'), 0);
      const ca = new X509Certificate(readFileSync(join(folder, 'ca.pem')));
      assert.equal(ca.ca, true);
      assert.match(ca.subject, /^O=pkgtest$/m);
      assert.ok(ca.checkPrivateKey(createPrivateKey(readFileSync(join(folder, 'ca.key')))));
    });

    describe('with its dev-server', () => {
      let server: RunningTcld;
      let address: string;
      const cloud = (...args: string[]) => run(...args, '--server', address, '--insecure', '--api-key', API_KEY);

      before(async () => {
        const args = ['dev-server', '--db', ':memory:', '--port', '0', '--gateway-port', '0', '--auth-port', '0', '--api-key', API_KEY, '--namespace', NS, '--async-delay', '0s'];
        server = startTcld(args, { cwd: folder, executable, env, timeoutMs: 10 * MINUTE });
        server.child.stdin.end();
        address = /Cloud Ops API on (\S+) /.exec(await server.waitForStdout(/Cloud Ops API on \S+ /))![1]!;
      });
      after(() => {
        if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      });

      it('answers n l, n ca add and n ca list from the installed tcld', async () => {
        const listed = await cloud('n', 'l');
        assertExit(listed, 0);
        assert.deepEqual(JSON.parse(listed.stdout), { namespaces: [NS], nextPageToken: '' });
        assertExit(await run('gen', 'ca', '--org', 'pkgtest', '-d', '1y', '--ca-cert', 'upload.pem', '--ca-key', 'upload.key'), 0);
        assertExit(await cloud('n', 'ca', 'a', '-n', NS, '--ca-certificate-file', 'upload.pem'), 0);
        const cas = await cloud('n', 'ca', 'l', '-n', NS);
        assertExit(cas, 0);
        const upload = new X509Certificate(readFileSync(join(folder, 'upload.pem')));
        assert.deepEqual(
          (JSON.parse(cas.stdout) as { fingerprint: string }[]).map((ca) => ca.fingerprint),
          [upload.fingerprint.replaceAll(':', '').toLowerCase()],
        );
      });

      it('answers the installed library, by import and by require', async () => {
        // Beside the prefix's node_modules, so that 'tcld' resolves as it does in a project that depends on it.
        const script = join(prefix, 'lib', 'list-namespaces.mjs');
        writeFileSync(
          script,
          `import { createRequire } from 'node:module';
const [server, apiKey] = process.argv.slice(2);
const libraries = { import: await import('tcld'), require: createRequire(import.meta.url)('tcld') };
for (const [how, lib] of Object.entries(libraries)) {
  const client = await lib.connectCloud({ server, apiKey, insecure: true });
  try {
    console.log(how, (await client.getNamespaces()).map((namespace) => namespace.namespace).join(' '));
  } finally {
    client.close();
  }
}
`,
        );
        const result = spawnSync(process.execPath, [script, address, API_KEY], { cwd: folder, encoding: 'utf8', timeout: MINUTE });
        assert.equal(result.status, 0, result.stderr);
        assert.equal(result.stdout, `import ${NS}\nrequire ${NS}\n`);
      });

      it('stops on SIGTERM with exit code 0', async () => {
        server.child.kill('SIGTERM');
        const stopped = await server.done;
        assertExit(stopped, 0);
        assert.match(stopped.stdout, /tcld dev-server: stopped\n$/);
      });
    });
  });

  // With --ignore-scripts: building better-sqlite3 a second time would double this file's time, and
  // the global install above checks that build. Without it the dev-server must say what to do.
  describe('run with npx --package <tarball>', () => {
    let folder: string;
    const npx = (...args: string[]) =>
      npm(['exec', '--yes', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--package', packed.tarball, '--', 'tcld', ...args], {
        cwd: folder,
        timeoutMs: 10 * MINUTE,
        env: { XDG_CONFIG_HOME: join(folder, 'config'), AUTO_CONFIRM: 'true' },
      });

    before(() => {
      folder = freshFolder();
    });
    after(async () => {
      // npx installs into <npm cache>/_npx/<hash>/: remove the one that names this run's tarball.
      const cache = (await npm(['config', 'get', 'cache'], { cwd: folder, timeoutMs: MINUTE })).stdout.trim();
      const installs = join(cache, '_npx');
      for (const hash of existsSync(installs) ? readdirSync(installs) : []) {
        const manifest = join(installs, hash, 'package.json');
        if (existsSync(manifest) && readFileSync(manifest, 'utf8').includes(basename(dirname(packed.tarball)))) {
          rmSync(join(installs, hash), { recursive: true, force: true });
        }
      }
    });

    it('prints its version', async () => {
      const result = await npx('--version');
      assertExit(result, 0);
      assert.equal(result.stdout, `tcld version ${PACKAGE.version}\n`);
    });

    it('gen leaf issues a certificate from a CA made by gen ca', async () => {
      assertExit(await npx('gen', 'ca', '--org', 'pkgtest', '-d', '1y', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key'), 0);
      const files = ['--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--cert', 'leaf.pem', '--key', 'leaf.key'];
      assertExit(await npx('gen', 'leaf', '--org', 'pkgtest', ...files), 0);
      const ca = new X509Certificate(readFileSync(join(folder, 'ca.pem')));
      const leaf = new X509Certificate(readFileSync(join(folder, 'leaf.pem')));
      assert.equal(leaf.ca, false);
      assert.ok(leaf.verify(ca.publicKey));
    });

    it('dev-server without the better-sqlite3 build says, in one line, to rebuild it', async () => {
      const result = await npx('dev-server', '--db', ':memory:', '--port', '0', '--gateway-port', '0', '--auth-port', '0');
      assertOneLineError(result, /better-sqlite3 .*not built.*`npm rebuild better-sqlite3` in \/.*_npx\//);
    });
  });
});
