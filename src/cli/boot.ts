/**
 * Loads the CLI's CommonJS bundles with V8 code caches made at build time (scripts/code-cache.mjs),
 * so that a command skips most parsing and compiling: the same idea as Node 22's compile cache,
 * which Node 20 lacks. A cache that V8 rejects (another Node version) is ignored; the code still runs.
 */
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

export interface Loaded {
  file: string;
  script: Script;
}

/** Every bundle loaded so far, for the build step that writes their caches. */
export const loaded: Loaded[] = [];

const exportsByFile = new Map<string, unknown>();

export function loadBundle(file: string, useCache = true): unknown {
  if (exportsByFile.has(file)) return exportsByFile.get(file);
  const source = readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  if (useCache) {
    try {
      cachedData = readFileSync(`${file}.cache`);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  loaded.push({ file, script });
  // Node's require for this file, made on first use: most chunks require only other chunks.
  let realRequire: NodeJS.Require | undefined;
  const nodeRequire = () => (realRequire ??= createRequire(file));
  // The other files of the CLI (commands, chunks: ./x.cjs, ../chunks/y.cjs) come through here too; everything else is Node's.
  const bundleRequire = Object.assign(
    (id: string) => (id.startsWith('.') && id.endsWith('.cjs') ? loadBundle(join(dirname(file), id), useCache) : nodeRequire()(id)),
    { resolve: (id: string, options?: { paths?: string[] }) => nodeRequire().resolve(id, options) },
  );
  const module = { exports: {} as unknown, filename: file, id: file };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  exportsByFile.set(file, module.exports);
  wrapper.call(module.exports, module.exports, bundleRequire, module, file, dirname(file));
  exportsByFile.set(file, module.exports);
  return module.exports;
}
