// Compiles the package with esbuild: the CLI, the library for import and require, and the demo. Type
// declarations come from tsc (see "build" in package.json).
//
// The CLI is CommonJS (Node 20 loads it faster than ESM, and src/cli/boot.ts gives it V8 code caches)
// laid out as esbuild's code splitting lays out ES modules: main.cjs, one file per command and per lazy
// import, and shared chunks, so that each module, and each class, exists once at run time and a
// command loads only what it uses. esbuild splits only ES modules, so the split output is converted
// file by file to CommonJS, its import()s to require()s.
//
// The Cloud Ops API client runs static code for the types of the methods it calls, generated here
// (src/cloud/generate-cloud-code.ts) from a compact descriptor derived from the installed
// @temporalio/proto (src/cloud/derive-cloud-api.ts): neither the whole package nor protobufjs's
// reflection is loaded at run time;
// the CLI bundles grpc-js and protobufjs so that their code is cached with ours.
import { build, transform } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
/** Resolves packages as the project does. */
const require = createRequire(resolve(root, 'package.json'));
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
/** Loaded from node_modules at run time: a native addon, the packages only the emulator and `ct test` use, and, for the library, gRPC. */
const external = ['better-sqlite3', '@temporalio/proto', '@temporalio/client', 'prom-client'];
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  define: { __TCLD_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
  legalComments: 'none',
};

const descriptor = await deriveCloudApi();

/** src/cloud/cloud-api-source.ts as built: the static code made above, and where protobufjs comes from. */
function cloudApiAtBuildTime({ bundleProtobuf }) {
  const protobufRequire = bundleProtobuf
    ? (path) => `require(${JSON.stringify(createRequire(require.resolve('@temporalio/proto')).resolve(path))})`
    : (path) => `createRequire(require.resolve('@temporalio/proto'))(${JSON.stringify(path)})`;
  const contents = `
    import { createRequire } from 'node:module';
    let code;
    export function cloudApiCode(service, methods) {
      if (service !== ${JSON.stringify(descriptor.service)} || methods.join() !== ${JSON.stringify(descriptor.methods.join())}) {
        throw new Error('the Cloud Ops API code was built for other methods: rebuild');
      }
      return (code ??= ${descriptor.code});
    }
    export function protobufRuntime() {
      return { ...${protobufRequire('protobufjs/minimal')}, Message: ${protobufRequire('protobufjs/src/message')}, wrappers: ${protobufRequire('protobufjs/src/wrappers')} };
    }`;
  return {
    name: 'cloud-api-at-build-time',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]cloud[\\/]cloud-api-source\.ts$/ }, () => ({ contents, loader: 'js', resolveDir: resolve(root, 'src/cloud') }));
      // grpc-js loads @grpc/proto-loader only to serve channelz or ORCA, which tcld never does.
      b.onResolve({ filter: /^@grpc\/proto-loader$/ }, () => ({ path: 'proto-loader', namespace: 'unused' }));
      b.onLoad({ filter: /.*/, namespace: 'unused' }, () => ({
        contents: "module.exports = { loadSync() { throw new Error('@grpc/proto-loader is not part of tcld'); } };",
        loader: 'js',
      }));
      // grpc-js asks net.isIPv6 of every address it connects to; node answers with a regular expression
      // that V8 compiles on first use, 3-4 ms of a Cloud command. A string without a colon is no IPv6
      // address, so grpc-js's net answers that without it; everything else is node's net.
      b.onResolve({ filter: /^(node:)?net$/ }, (args) => (/[\\/]@grpc[\\/]grpc-js[\\/]/.test(args.importer) ? { path: 'net', namespace: 'grpc-net' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'grpc-net' }, () => ({
        contents: `const net = require('node:net');
          const isIPv6 = (input) => String(input).includes(':') && net.isIPv6(input);
          module.exports = Object.create(net, {
            isIPv6: { value: isIPv6, enumerable: true },
            isIP: { value: (input) => (net.isIPv4(input) ? 4 : isIPv6(input) ? 6 : 0), enumerable: true },
          });`,
        loader: 'js',
      }));
      // Node modules grpc-js loads up front but uses only now and then, loaded on first use instead: zlib
      // for compressed messages (tcld neither sends nor is sent any), dns for a server given by name (not
      // the dev-server's 127.0.0.1:port), os for the names of socket errors and a service config's host
      // names. About 1.3 ms of a Cloud command against the dev-server (os 0.85, dns 0.45).
      b.onResolve({ filter: /^(node:)?(zlib|dns|os)$/ }, (args) =>
        /[\\/]@grpc[\\/]grpc-js[\\/]/.test(args.importer) ? { path: args.path.replace(/^node:/, ''), namespace: 'grpc-lazy' } : undefined,
      );
      b.onLoad({ filter: /^(zlib|dns|os)$/, namespace: 'grpc-lazy' }, (args) => ({
        contents: `let loaded; module.exports = new Proxy({}, { get: (_, key) => (loaded ??= require('node:${args.path}'))[key] });`,
        loader: 'js',
      }));
      // long.js (protobufjs's 64-bit integers) compiles a WebAssembly module when loaded, 2 ms, to
      // multiply and divide faster; without it long.js takes its JavaScript path, which gives the same results.
      b.onLoad({ filter: /[\\/]node_modules[\\/]long[\\/]umd[\\/]index\.js$/ }, async (args) => {
        const source = readFileSync(args.path, 'utf8');
        const wasm = 'wasm = new WebAssembly.Instance(';
        if (source.split(wasm).length !== 2) throw new Error("long.js's WebAssembly set-up changed shape: update scripts/build.mjs");
        return { contents: source.replace(wasm, 'if (false) new WebAssembly.Instance('), loader: 'js' };
      });
    },
  };
}

/**
 * @peculiar's ASN.1 packages define one class a module, each registering the schema of its own class
 * only. Bundled from their ES builds and marked free of side effects, esbuild leaves out the modules
 * no import reaches (CRLs, certificate policies, information access...), which every certificate
 * command would otherwise load, run and keep in its code cache.
 */
const peculiarModules = {
  name: 'peculiar-modules',
  setup(b) {
    const packageName = /^@peculiar\/asn1-[a-z0-9-]+$/;
    const esBuild = /[\\/]node_modules[\\/]@peculiar[\\/]asn1-[^\\/]+[\\/]build[\\/]es2015[\\/]/;
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'peculiar-modules') return undefined;
      const bare = packageName.test(args.path);
      if (!bare && !(args.path.startsWith('.') && esBuild.test(args.importer))) return undefined;
      const path = bare ? `${args.path}/${JSON.parse(readFileSync(require.resolve(`${args.path}/package.json`), 'utf8')).module}` : args.path;
      const found = await b.resolve(path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'peculiar-modules' });
      if (found.errors.length > 0) return { errors: found.errors };
      return { path: found.path, sideEffects: false };
    });
  },
};
/** Derives the descriptor and generates its code by running the source (cloud-api-source.ts as the tests run it). */
async function deriveCloudApi() {
  const { outputFiles } = await build({
    ...common,
    stdin: {
      contents: `
        import { cloudApiDescriptor, protobufLight } from './src/cloud/cloud-api-source.ts';
        import { CLOUD_METHODS } from './src/cloud/cloud-api.ts';
        import { generateCloudCode } from './src/cloud/generate-cloud-code.ts';
        import { CLOUD_SERVICE } from './src/cloud/proto.ts';
        const protobuf = protobufLight();
        const code = generateCloudCode(protobuf.Root.fromJSON(cloudApiDescriptor(CLOUD_SERVICE, CLOUD_METHODS)).resolveAll(), protobuf, CLOUD_SERVICE);
        export const descriptor = { service: CLOUD_SERVICE, methods: CLOUD_METHODS, code };`,
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'derive.ts',
    },
    format: 'cjs',
    packages: 'external',
    write: false,
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', outputFiles[0].text)(module, module.exports, require);
  return module.exports.descriptor;
}

/** The command table's `import('../../commands/gen/ca.js')`s, as entry points named like `commands/gen-ca`. */
async function commandEntryPoints() {
  const found = {};
  await build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    write: false,
    plugins: [
      {
        name: 'find-commands',
        setup(b) {
          b.onResolve({ filter: /./ }, (args) => {
            if (args.kind === 'entry-point') return undefined;
            const source = resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts');
            if (args.kind === 'dynamic-import' && source.startsWith(resolve(root, 'src/commands'))) {
              found[`commands/${relative(resolve(root, 'src/commands'), source).replace(/\.ts$/, '').replaceAll('/', '-')}`] = source;
              return { path: args.path, external: true };
            }
            return args.path.startsWith('.') ? undefined : { path: args.path, external: true };
          });
        },
      },
    ],
  });
  return found;
}

/**
 * esbuild's __toESM, which makes an ES module's view of a CommonJS package, copies every export of
 * the package into a new object for each of our modules that imports it: ten copies of
 * @peculiar/asn1-x509's hundreds of exports in a certificate command, enough that V8 optimizes the
 * copy loop (8 ms of compiling on a second core, 2 MB of memory). This makes one view per package and
 * mode: the views only read the package's exports, through getters, so sharing one changes nothing.
 */
function memoizeToEsm(text) {
  const helper = 'var __toESM=(mod,isNodeMode,target)=>';
  const count = text.split(helper).length - 1;
  if (count === 0 && !/\b__toESM=/.test(text)) return text; // the helper lives in one shared chunk
  if (count !== 1) throw new Error("esbuild's __toESM helper changed shape: update memoizeToEsm in scripts/build.mjs");
  const memo =
    'var __toESMViews=new WeakMap;function __toESMOnce(mod,isNodeMode){if(mod==null||typeof mod!="object"&&typeof mod!="function")return __toESMCopy(mod,isNodeMode);' +
    'let views=__toESMViews.get(mod);views||__toESMViews.set(mod,views=[]);return views[isNodeMode?1:0]??=__toESMCopy(mod,isNodeMode)}';
  return memo + text.replace(helper, 'var __toESM=(mod,isNodeMode)=>__toESMOnce(mod,isNodeMode),__toESMCopy=(mod,isNodeMode,target)=>');
}

/**
 * In an ES module esbuild calls the CLI's external packages through its __require shim, which only
 * forwards to `require`; once the file is CommonJS, plain `require("x")` does the same and says
 * which package it loads.
 */
function plainRequire(text) {
  return text.replace(/\b__require\(/g, 'require(');
}

/** The CLI: split as ES modules, then each file converted to CommonJS. */
async function buildCli() {
  const outdir = resolve(root, 'dist/cli');
  const { outputFiles } = await build({
    ...common,
    external,
    entryPoints: { main: 'src/cli/main.ts', ...(await commandEntryPoints()) },
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.cjs' },
    format: 'esm',
    splitting: true,
    // Identifiers stay for memoizeToEsm to find the helper; the CommonJS pass minifies them within each file.
    minifyWhitespace: true,
    minifySyntax: true,
    write: false,
    plugins: [cloudApiAtBuildTime({ bundleProtobuf: true }), peculiarModules],
  });
  await Promise.all(
    outputFiles.map(async ({ path, text }) => {
      // import() becomes require(): Node's ESM loader would pre-parse each CommonJS file.
      const { code } = await transform(plainRequire(memoizeToEsm(text)), { format: 'cjs', loader: 'js', platform: 'node', target: 'node20', minify: true, supported: { 'dynamic-import': false } });
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, code);
    }),
  );
}

rmSync(resolve(root, 'dist/cli'), { recursive: true, force: true });
await Promise.all([
  buildCli(),
  build({
    ...common,
    entryPoints: ['src/index.ts'],
    outfile: 'dist/lib/index.mjs',
    format: 'esm',
    packages: 'external',
    // The lazy require()s of gRPC and protobuf (src/cloud) need a require in an ES module too.
    banner: { js: "import { createRequire as __tcldCreateRequire } from 'node:module';\nconst require = __tcldCreateRequire(import.meta.url);" },
    plugins: [cloudApiAtBuildTime({ bundleProtobuf: false })],
  }),
  build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/lib/index.cjs', format: 'cjs', packages: 'external', plugins: [cloudApiAtBuildTime({ bundleProtobuf: false })] }),
  build({ ...common, external, entryPoints: ['src/demo/main.ts'], outfile: 'dist/demo/main.cjs', format: 'cjs', plugins: [cloudApiAtBuildTime({ bundleProtobuf: true })] }),
  build({ ...common, entryPoints: ['src/cli/boot.ts'], outfile: 'dist/cli/boot.cjs', format: 'cjs' }),
]);
