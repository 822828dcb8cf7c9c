// Compiles the package with esbuild: the CLI as CommonJS (Node 20 loads it faster than ESM) whose
// commands are separate bundles required only when they run, the library for import and require,
// and the demo. Type declarations come from tsc (see "build" in package.json).
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
/** Loaded from node_modules at run time: a native addon, and the large protobuf and gRPC packages. */
const external = ['better-sqlite3', '@temporalio/proto', '@temporalio/client', '@grpc/grpc-js', 'protobufjs', 'long', 'prom-client'];
const common = {
  absWorkingDir: root,
  external,
  bundle: true,
  platform: 'node',
  target: 'node20',
  define: { __TCLD_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
  legalComments: 'none',
};

/** `import('../commands/gen/ca.js')` in the CLI becomes `require('./commands/gen-ca.cjs')`, built on its own. */
function lazyCommands(found) {
  return {
    name: 'lazy-commands',
    setup(b) {
      b.onResolve({ filter: /\/commands\// }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const source = resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts');
        const name = relative(resolve(root, 'src/commands'), source).replace(/\.ts$/, '').replaceAll('/', '-');
        found.set(name, source);
        return { path: `./commands/${name}.cjs`, external: true };
      });
    },
  };
}

rmSync(resolve(root, 'dist/cli'), { recursive: true, force: true });
const commands = new Map();
await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/main.cjs',
  format: 'cjs',
  minify: true,
  // Turn the table's import() into require(): Node's ESM loader would pre-parse each CommonJS command.
  supported: { 'dynamic-import': false },
  plugins: [lazyCommands(commands)],
});
await Promise.all([
  build({
    ...common,
    entryPoints: Object.fromEntries(commands),
    outdir: 'dist/cli/commands',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    minify: true,
  }),
  build({
    ...common,
    entryPoints: ['src/index.ts'],
    outfile: 'dist/lib/index.mjs',
    format: 'esm',
    packages: 'external',
    // The lazy require()s of gRPC and protobuf (src/cloud) need a require in an ES module too.
    banner: { js: "import { createRequire as __tcldCreateRequire } from 'node:module';\nconst require = __tcldCreateRequire(import.meta.url);" },
  }),
  build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/lib/index.cjs', format: 'cjs', packages: 'external' }),
  build({ ...common, entryPoints: ['src/demo/main.ts'], outfile: 'dist/demo/main.cjs', format: 'cjs' }),
  build({ ...common, entryPoints: ['src/cli/boot.ts'], outfile: 'dist/cli/boot.cjs', format: 'cjs' }),
]);
