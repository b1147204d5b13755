// Reload under load: the longest webhook answer while a
// 5 000-action file (~0.8 MB) is reloaded, against the same load without a
// reload. slotwire runs in its own process (dist/, `serve --auto-reload`, at
// the default log level) next to the loopback upstream; this process drives
// a closed loop of webhook calls and rewrites the file.
//   node bench/reload.mjs            (prints a table; the last line is JSON for run.mjs)
// Knobs: RELOAD_ACTIONS (5000), RELOAD_CONCURRENCY (8), RELOAD_SECONDS (5), RELOADS (3).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { freePort, startProcess } from './processes.mjs';
import { markdownTable } from './table.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const N = Number(process.env.RELOAD_ACTIONS ?? 5000);
const CONCURRENCY = Number(process.env.RELOAD_CONCURRENCY ?? 8);
const MS = Number(process.env.RELOAD_SECONDS ?? 5) * 1000;
const RELOADS = Number(process.env.RELOADS ?? 3);

/** The file: N small GET actions with a path template, a JSONata mapping and an error outcome. */
function actionsFile(variant) {
  const lines = ['version: 1', 'connections:', '  api:', '    base_url: ${UPSTREAM_URL}', 'actions:'];
  for (let i = 0; i < N; i++) {
    lines.push(
      `  a_${i}:`,
      `    request: { connection: api, path: "/orders/{{ slots.id }}" }`,
      `    slots: { total: "{{ $round(response.body.total * 1.19, 2) }}", v: ${i === N - 1 ? variant : i} }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const dir = await mkdtemp(join(tmpdir(), 'slotwire-reload-bench-'));
const file = join(dir, 'actions.yml');
await writeFile(file, actionsFile(0));
const sizeKb = Math.round(Buffer.byteLength(actionsFile(0)) / 1024);

const upstreamPort = await freePort();
const upstream = await startProcess('upstream', process.execPath, [join(here, 'upstream.mjs'), String(upstreamPort)], {
  ready: /listening/,
});
const port = await freePort();
const server = await startProcess(
  'slotwire',
  process.execPath,
  [
    join(here, '..', 'dist/cli/bin.js'),
    'serve',
    '--actions',
    file,
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--auto-reload',
    ...(process.env.BENCH_LOG_LEVEL ? ['--log-level', process.env.BENCH_LOG_LEVEL] : []),
  ],
  {
    env: { UPSTREAM_URL: `http://127.0.0.1:${upstreamPort}` },
    ready: /serving/,
    timeoutMs: 60_000,
  },
);
const pool = new Pool(`http://127.0.0.1:${port}`, { connections: CONCURRENCY + 2 });
const body = JSON.stringify({
  next_action: 'a_1',
  sender_id: 's',
  tracker: { sender_id: 's', slots: { id: '42' }, events: [] },
});

/** Runs the closed loop until `until()` is true; returns [startedAt, ms] per answer. */
async function loop(until) {
  const samples = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (!until()) {
        const t = performance.now();
        const res = await pool.request({
          path: '/webhook',
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        });
        await res.body.text();
        if (res.statusCode !== 200) throw new Error(`webhook answered ${res.statusCode}`);
        samples.push([t, performance.now() - t]);
      }
    }),
  );
  return samples;
}

async function hash() {
  const res = await pool.request({ path: '/health', method: 'GET' });
  return (await res.body.json()).actions_hash;
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

// Warm up, then the same load without and with reloads.
let end = performance.now() + 1000;
await loop(() => performance.now() > end);
end = performance.now() + MS;
const quiet = (await loop(() => performance.now() > end)).map(([, ms]) => ms);

const during = [];
const reloadMs = [];
// Built before measuring: making 740 KB of text here would stall this load generator, not the server.
const versions = Array.from({ length: RELOADS }, (_, i) => actionsFile(i + 1));
for (let r = 1; r <= RELOADS; r++) {
  const before = await hash();
  let done = false;
  const load = loop(() => done);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const writeAt = performance.now();
  await writeFile(file, versions[r - 1]);
  while ((await hash()) === before) await new Promise((resolve) => setTimeout(resolve, 20));
  const servedAt = performance.now();
  reloadMs.push(servedAt - writeAt);
  await new Promise((resolve) => setTimeout(resolve, 200));
  done = true;
  // Answers that were in flight at any moment between the write and the new version being served.
  for (const [t, ms] of await load) if (t <= servedAt && t + ms >= writeAt) during.push(ms);
}

await pool.close();
await server.stop();
await upstream.stop();

const f2 = (x) => x.toFixed(2);
const quietMax = Math.max(...quiet);
const duringMax = Math.max(...during);
// The bound is on the delay a reload adds to an answer: the longest
// answer during reloads beyond the longest one of the same load without.
const added = duringMax - quietMax;
const rows = [
  [
    `reload of ${N.toLocaleString('en-US')} actions (${sizeKb} KB) under load, ${CONCURRENCY} connections`,
    'longest webhook answer ms',
    f2(quietMax),
    f2(duringMax),
    f2(duringMax / quietMax),
    '',
    '',
  ],
  ['', 'delay added to the longest answer ms', '', f2(added), '', '≤ 50 ms', added <= 50 ? 'yes' : '**no**'],
  ['', 'p99 webhook answer ms', f2(pct(quiet, 99)), f2(pct(during, 99)), f2(pct(during, 99) / pct(quiet, 99)), '', ''],
  [
    '',
    'p50 webhook answer ms; answers/s without reload',
    `${f2(pct(quiet, 50))}; ${Math.round(quiet.length / (MS / 1000)).toLocaleString('en-US')}`,
    f2(pct(during, 50)),
    '',
    '',
    '',
  ],
  ['', 'edit → new version served, ms (each reload)', '', reloadMs.map((x) => x.toFixed(0)).join(', '), '', '', ''],
];
console.log(markdownTable(['Scenario', 'Measure', 'No reload', 'During reload', 'Ratio', 'Target', 'Met'], rows));
console.log(JSON.stringify({ rows }));
