// Bundles the `slotwire` executable (runtime/cli/bin.ts) into dist/cli/bin.js
// and its lazily loaded parts (one per command, the MCP and gRPC fronts,
// tracing's set-up) into chunks in dist/chunks/. Runs after
// tsc, whose dist/ stays the library (dist/index.js) and the worker that
// checks a reloaded file (dist/engine/check-worker.js).
//
// Why: a start read, resolved and linked about 440 files, one module at a
// time, and that was most of a small `serve`'s start-up
// (bench/PERFORMANCE.md, "4, start-up"). A chunk sits at the same depth as
// the modules it holds (dist/<folder>/), so their paths relative to
// import.meta.url (../../proto/, ../config/…) lead to the same files.
//
// The dependencies a plain `serve` loads before its first answer are bundled
// with it, and so is the OpenTelemetry SDK, into the chunks a server that
// traces loads (its ~250 files read from node_modules made such a start
// about 0.1 s longer). The rest stay in node_modules, loaded where first
// used: those read files of their own at run time (pino's transport worker,
// thread-stream, and pino-pretty; grpc-js and its protobufjs; ajv) or are
// large and rarely used
// (ioredis, the MCP SDK and zod, the OpenAPI parser, the language server).
// undici is bundled whole: the server imports its Pool and Agent by file
// (runtime/http/undici.ts), `slotwire test` its index, and one copy of its
// files must serve both.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Packages bundled into the executable, besides OpenTelemetry's (`bundled`); every other import stays a package import. */
const BUNDLED = new Set([
  '@hono/node-server',
  '@pinojs/redact',
  'bintrees',
  'content-type',
  'fastest-levenshtein',
  'hono',
  'jsonata',
  'on-exit-leak-free',
  'pino',
  'pino-std-serializers',
  'prom-client',
  'quick-format-unescaped',
  'safe-stable-stringify',
  'sonic-boom',
  'tdigest',
  'undici',
  'yaml',
]);

/** Whether an import of `specifier` is bundled: a listed package, or any of the OpenTelemetry SDK's (one copy of each for the SDK and both exporters). */
function bundled(specifier) {
  const name = packageOf(specifier);
  return BUNDLED.has(name) || name.startsWith('@opentelemetry/');
}

/** `@scope/name/sub/path` → `@scope/name`, `name/sub` → `name`. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

// Chunks of an earlier build would otherwise pile up beside the new ones.
await rm(new URL('../dist/chunks/', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { bin: fileURLToPath(new URL('../runtime/cli/bin.ts', import.meta.url)) },
  outdir: fileURLToPath(new URL('../dist/cli/', import.meta.url)),
  chunkNames: '../chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // A package's ES module build where it has one (package.json `module`):
  // a CommonJS entry bundled as a chunk of its own exports only `default`,
  // so `await import()` of an OpenTelemetry exporter would find no named
  // export in the bundle, where node and tsx find them. Packages with an
  // `exports` map are unaffected; of the other bundled ones only
  // fastest-levenshtein has a `module` build (jsonata's is its `main`).
  mainFields: ['module', 'main'],
  target: 'node20',
  tsconfig: fileURLToPath(new URL('../tsconfig.build.json', import.meta.url)),
  sourcemap: true,
  // Less text for every start to read, decode and pre-parse (1.86 → 1.25 MB
  // for `serve`; a 10-action start about 3 % less CPU). Names are kept, so
  // stack traces and profiles still read as the source does.
  minifyWhitespace: true,
  minifySyntax: true,
  // Bundled CommonJS packages call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'bundled-packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          bundled(args.path) ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
  logLevel: 'warning',
});
