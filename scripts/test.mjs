// Runs every *.test.ts under src/ and test/ with Node's test runner, TypeScript through tsx, after making
// sure the browser tests have a Chromium (ensure-browser.mjs: installs Debian's, or says why they skip).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBrowser } from './ensure-browser.mjs';

const files = ['src', 'test']
  .flatMap((dir) => readdirSync(dir, { recursive: true }).map((f) => join(dir, String(f))))
  .filter((f) => f.endsWith('.test.ts'))
  .sort();
const extra = process.argv.slice(2);
ensureBrowser();
const { status } = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...extra, ...files], { stdio: 'inherit' });
process.exit(status ?? 1);
