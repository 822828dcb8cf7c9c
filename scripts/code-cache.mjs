// Writes a V8 code cache beside each CLI bundle (see src/cli/boot.ts). It first runs the commands
// users start with (help, gen ca, gen leaf, cert verify/check-expiry/inspect) in a throwaway folder, so that the cache also holds the
// functions those commands compile lazily, then saves what V8 compiled. The certificate checks are
// trained too: `cert verify` is meant to start as fast as `gen ca`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';

const require = createRequire(import.meta.url);
const root = resolve(new URL('.', import.meta.url).pathname, '..');
const { loadBundle, loaded } = require(join(root, 'dist/cli/boot.cjs'));
const { main } = loadBundle(join(root, 'dist/cli/main.cjs'), false);

const dir = mkdtempSync(join(tmpdir(), 'tcld-code-cache-'));
const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
const io = () => ({ stdin: Readable.from([]), stdout: sink(), stderr: sink(), env: {} });
const file = (name) => join(dir, name);
const runs = [
  ['--help'],
  ['gen', 'ca', '--help'],
  ['gen', 'ca', '--org', 'cache', '-d', '90d', '--ca-cert', file('ca.pem'), '--ca-key', file('ca.key'), '--auto_confirm'],
  ['gen', 'leaf', '--org', 'cache', '--ca-cert', file('ca.pem'), '--ca-key', file('ca.key'), '--cert', file('l.pem'), '--key', file('l.key'), '--auto_confirm'],
  ['cert', 'verify', '--cert', file('l.pem'), '--ca-bundle', file('ca.pem')],
  ['cert', 'check-expiry', file('ca.pem'), file('l.pem')],
  ['cert', 'inspect', file('l.pem')],
];
try {
  for (const argv of runs) {
    const code = await main(argv, io());
    if (code !== 0) throw new Error(`code-cache training run failed: tcld ${argv.join(' ')} exited ${code}`);
  }
  for (const { file: bundle, script } of loaded) writeFileSync(`${bundle}.cache`, script.createCachedData());
} finally {
  rmSync(dir, { recursive: true, force: true });
}
