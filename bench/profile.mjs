// Profile the slotwire server (or, with PROFILE_TARGET=baseline, the
// hand-written baseline) under load: `node --cpu-prof` on the server
// process while bench/load.mjs drives it, then the self time by function and
// by package. Not part of `npm run bench`.
//   node bench/profile.mjs [simple|steps|close|rasa|grpc|tracker-N] [seconds]
// (rasa: a new connection per call with aiohttp's headers, bench/rasa-load.mjs;
// grpc: `serve --grpc --metrics off` under bench/grpc-load.mjs, as scenario 9)
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baselineArgs, freePort, runProcess, serveArgs, startProcess } from './processes.mjs';
import { webhookBody } from './webhook-body.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const [kind = 'simple', seconds = '8'] = process.argv.slice(2);
const dir = await mkdtemp(join(tmpdir(), 'slotwire-prof-'));
const events = kind.startsWith('tracker-') ? Number(kind.slice(8)) : 10;
const bodyFile = join(dir, 'body.json');
await writeFile(bodyFile, webhookBody(kind === 'steps' ? 'action_customer_overview' : 'action_order_status', events));

const upPort = await freePort();
const upstream = await startProcess('upstream', process.execPath, [join(here, 'upstream.mjs'), String(upPort)], {
  ready: /listening/,
});
const port = await freePort();
const grpc = kind === 'grpc';
const target =
  process.env.PROFILE_TARGET === 'baseline'
    ? baselineArgs(port, `http://127.0.0.1:${upPort}`)
    : [...serveArgs(port), ...(grpc ? ['--metrics', 'off', '--grpc'] : [])];
const server = await startProcess('server', process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, ...target], {
  env: { BENCH_UPSTREAM_URL: `http://127.0.0.1:${upPort}` },
  ready: /serving|listening/,
});
const out = await runProcess(process.execPath, [
  join(here, grpc ? 'grpc-load.mjs' : kind === 'rasa' ? 'rasa-load.mjs' : 'load.mjs'),
  JSON.stringify({
    url: `http://127.0.0.1:${port}`,
    address: `127.0.0.1:${port}`,
    path: '/webhook',
    bodyFile,
    connections: kind.startsWith('tracker-') ? 1 : 32,
    durationMs: Number(seconds) * 1000,
    warmupMs: 1000,
    close: kind === 'close',
  }),
]);
console.log(`load: ${out.trim()}`);
await server.stop();
await upstream.stop();

const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
const profile = JSON.parse(await readFile(join(dir, file), 'utf8'));
const self = new Map();
const dt = profile.timeDeltas;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const ticks = new Map();
for (let i = 0; i < profile.samples.length; i++)
  ticks.set(profile.samples[i], (ticks.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...ticks.values()].reduce((s, v) => s + v, 0);
// The executable is a bundle (scripts/build-bundle.mjs): its source maps say
// which package or module of runtime/ each bundled function came from.
const maps = new Map();
const original = ({ url, lineNumber, columnNumber }) => {
  if (!url.startsWith('file://') || !url.includes('/dist/')) return { url, lineNumber };
  if (!maps.has(url)) {
    let map = null;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')));
    } catch {
      // no map beside this file: tsc's output is attributed by its own path
    }
    maps.set(url, map);
  }
  const entry = maps.get(url)?.findEntry(lineNumber, columnNumber);
  if (!entry?.originalSource) return { url, lineNumber };
  const source = entry.originalSource.replace(/^(\.\.\/)+/, '');
  return { url: source, lineNumber: entry.originalLine };
};
const pkgOf = (url) => {
  if (!url) return '(native/gc/idle)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const d = /(?:\/dist|^runtime)\/([^/]+)\//.exec(url);
  if (d) return `slotwire ${d[1]}/`;
  if (url.startsWith('node:')) return 'node core';
  return url;
};
const byPkg = new Map();
for (const [id, t] of ticks) {
  const n = byId.get(id);
  const { functionName } = n.callFrame;
  const { url, lineNumber } = original(n.callFrame);
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^(file:\/\/.*)?\/dist\//, 'dist/')}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + t);
  const pkg = pkgOf(url) === '(native/gc/idle)' ? `(${functionName})` : pkgOf(url);
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + t);
}
const pct = (t) => `${((100 * t) / total).toFixed(1).padStart(5)} %`;
console.log(`\nprofile: ${join(dir, file)} (${(total / 1e6).toFixed(1)} s sampled)\n\nself time by package:`);
for (const [k, t] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(t)}  ${k}`);
console.log('\nself time by function (top 30):');
for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${pct(t)}  ${k}`);
