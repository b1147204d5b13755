// `npm run bench`: slotwire against a hand-written Hono + undici
// action server, each in its own process, driven by a load generator in a
// third process against a loopback upstream in a fourth. Prints one markdown
// table and writes it to bench/results.md. Not part of `npm test`.
//
// Environment knobs: BENCH_CONNECTIONS (32), BENCH_PAIRS (3), BENCH_SECONDS (5),
// BENCH_SLOTWIRE_BIN (another build's dist/cli/bin.js, to try a change; scenario 10 too),
// BENCH_LOG_LEVEL (unset: no --log-level flag, so slotwire logs at its
// default, info, as users run it), BENCH_ONLY (scenarios to run, by number
// or name, e.g. `1,7` or `grpc,startup`: see SCENARIO_NAMES; results.md is
// written only for a full run), BENCH_OTLP_PROTOCOL (http/protobuf, the
// default; http/json: scenario 7's trace export).
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baselineArgs, cpuMs, freePort, rssMb, runProcess, serveArgs, startProcess } from './processes.mjs';
import { markdownTable } from './table.mjs';
import { webhookBody } from './webhook-body.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
/** Names BENCH_ONLY takes besides the scenario numbers. */
const SCENARIO_NAMES = {
  http: '1',
  steps: '2',
  tracker: '3',
  startup: '4',
  workers: '5',
  reload: '6',
  observability: '7',
  tracing: '7',
  metrics: '7',
  state: '8',
  redis: '8',
  grpc: '9',
  lsp: '10',
  editor: '10',
};
const ONLY = process.env.BENCH_ONLY
  ? new Set(
      process.env.BENCH_ONLY.split(',').map((n) => {
        const key = n.trim().toLowerCase();
        const scenario = SCENARIO_NAMES[key] ?? key;
        if (!/^([1-9]|10)$/.test(scenario))
          throw new Error(`BENCH_ONLY: unknown scenario ${n}; use 1-10 or ${Object.keys(SCENARIO_NAMES).join(', ')}`);
        return scenario;
      }),
    )
  : null;
const runs = (scenario) => ONLY === null || ONLY.has(String(scenario));
const tmp = await mkdtemp(join(tmpdir(), 'slotwire-bench-'));
const begun = performance.now();
const log = (line) =>
  process.stderr.write(`[bench ${((performance.now() - begun) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);

// ---- processes -------------------------------------------------------------

const upstreamPort = await freePort();
const upstream = await startProcess('upstream', process.execPath, [join(here, 'upstream.mjs'), String(upstreamPort)], {
  ready: /listening/,
});
const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;

async function startBaseline() {
  const port = await freePort();
  const p = await startProcess('baseline', process.execPath, baselineArgs(port, upstreamUrl), { ready: /listening/ });
  return { ...p, url: `http://127.0.0.1:${port}` };
}

/**
 * `extraArgs` go to node (before the bin); `serve.args` after `serve`'s own,
 * `serve.env` into its environment (a key set to undefined is left out).
 */
async function startSlotwire(workers = 1, extraArgs = [], serve = {}) {
  const port = await freePort();
  const args = [...extraArgs, ...serveArgs(port), '--workers', String(workers), ...(serve.args ?? [])];
  const ready = workers === 1 ? /serving/ : /\d+ workers serving/;
  const p = await startProcess(
    `slotwire x${workers}${serve.args?.length ? ` ${serve.args.join(' ')}` : ''}`,
    process.execPath,
    args,
    { env: { BENCH_UPSTREAM_URL: upstreamUrl, ...serve.env }, ready },
  );
  return { ...p, url: `http://127.0.0.1:${port}` };
}

/**
 * One load run in its own process (`options.loader`: bench/load.mjs, or
 * bench/grpc-load.mjs for gRPC); with `pid`, also the server's CPU µs per answered request.
 */
async function load(options, pid = null) {
  const cpuBefore = pid === null ? null : cpuMs(pid);
  const out = await runProcess(process.execPath, [
    join(here, options.loader ?? 'load.mjs'),
    JSON.stringify({ connections: CONNECTIONS, durationMs: MS, warmupMs: 1000, ...options }),
  ]);
  const r = JSON.parse(out.trim().split('\n').pop());
  const cpuAfter = pid === null ? null : cpuMs(pid);
  r.cpuUs = cpuBefore === null || cpuAfter === null ? null : ((cpuAfter - cpuBefore) * 1000) / r.completed;
  if (r.errors > 0 || r.non2xx > 0)
    log(
      `  ! ${r.errors} errors (${r.firstError}), ${r.non2xx} non-2xx on ${options.url ?? options.address}${options.path ?? ''}`,
    );
  return r;
}

// ---- helpers ---------------------------------------------------------------

const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f0 = (x) => Math.round(x).toLocaleString('en-US');
const f2 = (x) => x.toFixed(2);
const ms = (r) => `${f2(r.p50)} / ${f2(r.p99)}`;
const verdict = (ok) => (ok ? 'yes' : '**no**');

/** A B A B … pairs of load runs; returns both sides and the slotwire ÷ baseline ratio of each pair. */
async function alternate(label, a, b, pairs = PAIRS) {
  const runs = { a: [], b: [], ratios: [], cpuRatios: [] };
  for (let i = 0; i < pairs; i++) {
    const ra = await load(a, a.pid ?? null);
    const rb = await load(b, b.pid ?? null);
    runs.a.push(ra);
    runs.b.push(rb);
    runs.ratios.push(rb.rps / ra.rps);
    if (ra.cpuUs !== null && rb.cpuUs !== null) runs.cpuRatios.push(rb.cpuUs / ra.cpuUs);
    log(
      `${label} pair ${i + 1}: ${f0(ra.rps)} vs ${f0(rb.rps)} req/s (×${f2(rb.rps / ra.rps)}); p50 ${f2(ra.p50)} vs ${f2(rb.p50)} ms`,
    );
  }
  return runs;
}

/**
 * `alternate` for more than two servers: rounds of A B C …, `pairs` of them;
 * returns one comparison per neighbouring two (A→B, B→C, …) in `alternate`'s
 * shape, each ratio taken within a round (runs back to back).
 */
async function rotate(label, sides, pairs = PAIRS) {
  const runs = sides.map(() => []);
  for (let i = 0; i < pairs; i++) {
    const round = [];
    for (const side of sides) round.push(await load(side, side.pid ?? null));
    round.forEach((r, j) => runs[j].push(r));
    log(
      `${label} round ${i + 1}: ${round.map((r) => f0(r.rps)).join(' vs ')} req/s; CPU ${round.map((r) => (r.cpuUs === null ? '?' : f0(r.cpuUs))).join(' vs ')} µs per request`,
    );
  }
  return runs.slice(1).map((b, j) => {
    const a = runs[j];
    const cpuRatios = a.every((r, k) => r.cpuUs !== null && b[k].cpuUs !== null)
      ? a.map((r, k) => b[k].cpuUs / r.cpuUs)
      : [];
    return { a, b, ratios: a.map((r, k) => b[k].rps / r.rps), cpuRatios };
  });
}

const agg = (rs) => ({
  rps: mean(rs.map((r) => r.rps)),
  p50: median(rs.map((r) => r.p50)),
  p99: median(rs.map((r) => r.p99)),
  cpuUs: rs[0].cpuUs === null ? null : median(rs.map((r) => r.cpuUs)),
});
/**
 * The "server CPU µs per request" row, where /proc can tell: medians of each
 * side, and the ratio pair by pair (a pair runs back to back, so it shares
 * the machine's load of the moment); `limit` is the target for the median ratio.
 */
function cpuRow(scenario, runs, target = '', limit = null, measure = 'server CPU µs per request') {
  const [a, b] = [agg(runs.a), agg(runs.b)];
  if (a.cpuUs === null || b.cpuUs === null || runs.cpuRatios.length === 0) return;
  const ratio = median(runs.cpuRatios);
  row(
    scenario,
    measure,
    f0(a.cpuUs),
    f0(b.cpuUs),
    ratioText(runs.cpuRatios),
    target,
    limit === null ? '' : verdict(ratio <= limit),
  );
}
const ratioText = (ratios) => `${ratios.map(f2).join(', ')} (median ${f2(median(ratios))})`;

async function writeBody(name, text) {
  const file = join(tmp, `${name}.json`);
  await writeFile(file, text);
  return file;
}

/** Stands for a new user turn in scenario 8's body (load.mjs turnPlaceholder). */
const TURN = '__BENCH_TURN__';

/** `body` with its latest message's id set to {@link TURN}. */
function withTurn(body) {
  const call = JSON.parse(body);
  call.tracker.latest_message = { ...call.tracker.latest_message, message_id: TURN };
  return JSON.stringify(call);
}

/** Both servers must give Rasa the same answer, or the comparison means nothing. */
async function sameAnswer(baseUrl, swUrl, body) {
  const post = async (url) => {
    const res = await fetch(`${url}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return JSON.stringify(await res.json());
  };
  const [a, b] = [await post(baseUrl), await post(swUrl)];
  if (a !== b) throw new Error(`baseline and slotwire answer differently:\n  baseline: ${a}\n  slotwire: ${b}`);
  return b;
}

// ---- scenarios ---------------------------------------------------------------

const rows = [];
const row = (scenario, measure, baseline, slotwire, ratio, target, met) =>
  rows.push({ scenario, measure, baseline, slotwire, ratio, target, met });

/**
 * The performance targets, one per row of the summary at the top of the
 * results: what is measured, its target and the test of a median against
 * it. Each is filled by the scenario that measures it ({@link measured}).
 */
const TARGETS = {
  closeCpu: [
    'simple action, new connection per call: CPU per request, slotwire ÷ hand-written',
    '≤ 1.15',
    (m) => m <= 1.15,
  ],
  closeRps: ['same: throughput, slotwire ÷ hand-written', '≥ 0.95', (m) => m >= 0.95],
  keepAliveCpu: ['simple action, keep-alive: CPU per request, slotwire ÷ hand-written', '≤ 1.15', (m) => m <= 1.15],
  trackerRps: ['1 000-event tracker, new connection: throughput, slotwire ÷ hand-written', '≥ 1.5', (m) => m >= 1.5],
  grpcCpu: ['gRPC Webhook ÷ HTTP webhook, same action: CPU per request', '≤ 1.0', (m) => m <= 1.0],
  tracingCpu: ['tracing on ÷ off: CPU per request', '≤ 1.25', (m) => m <= 1.25],
  metricsCpu: ['metrics on ÷ off: CPU per request', '≤ 1.05', (m) => m <= 1.05],
  startup: ['start-up, 1 000 actions: spawn → first webhook answer, ms', '≤ 500', (m) => m <= 500],
};
const summary = new Map();
/** A target's measure: every pair's value (median taken), and what stands beside it (the two sides' CPU per request, …). */
const measured = (key, values, beside) => summary.set(key, { values, beside });
/** Both sides' CPU µs per request and req/s, for the summary's "beside" column. */
const sides = (runs, [left, right] = ['hand-written', 'slotwire']) => {
  const [a, b] = [agg(runs.a), agg(runs.b)];
  const cpu = a.cpuUs === null || b.cpuUs === null ? '' : `; CPU µs per request ${f0(a.cpuUs)} | ${f0(b.cpuUs)}`;
  return `${left} | ${right}: req/s ${f0(a.rps)} | ${f0(b.rps)}${cpu}`;
};

const baseline = await startBaseline();
const slotwire = await startSlotwire(1);
const simpleBody = await writeBody('simple-10', webhookBody('action_order_status', 10));
const stepsBody = await writeBody('steps-10', webhookBody('action_customer_overview', 10));
log(`same answer, simple: ${await sameAnswer(baseline.url, slotwire.url, await readFile(simpleBody, 'utf8'))}`);
log(`same answer, steps:  ${await sameAnswer(baseline.url, slotwire.url, await readFile(stepsBody, 'utf8'))}`);

const simple = (server, extra = {}) => ({
  url: server.url,
  pid: server.child.pid,
  path: '/webhook',
  bodyFile: simpleBody,
  ...extra,
});

if (runs(1)) {
  // 1a. keep-alive
  log('scenario 1: simple action, keep-alive');
  const ka = await alternate('1 keep-alive', simple(baseline), simple(slotwire));
  {
    const [a, b] = [agg(ka.a), agg(ka.b)];
    row(
      '1 simple, keep-alive',
      'req/s',
      f0(a.rps),
      f0(b.rps),
      ratioText(ka.ratios),
      '≥ 0.95',
      verdict(median(ka.ratios) >= 0.95),
    );
    row('1 simple, keep-alive', 'latency p50 / p99 ms', ms(a), ms(b), '', '', '');
    cpuRow('1 simple, keep-alive', ka, '≤ 1.15', 1.15);
    measured('keepAliveCpu', ka.cpuRatios, sides(ka));
  }

  // 1b. a new connection per call
  log('scenario 1: simple action, connection: close');
  const cl = await alternate('1 close', simple(baseline, { close: true }), simple(slotwire, { close: true }));
  {
    const [a, b] = [agg(cl.a), agg(cl.b)];
    row(
      '1 simple, new connection per call',
      'req/s',
      f0(a.rps),
      f0(b.rps),
      ratioText(cl.ratios),
      '≥ 0.95',
      verdict(median(cl.ratios) >= 0.95),
    );
    row('1 simple, new connection per call', 'latency p50 / p99 ms', ms(a), ms(b), '', '', '');
    cpuRow('1 simple, new connection per call', cl, '≤ 1.15', 1.15);
    measured('closeCpu', cl.cpuRatios, sides(cl));
    measured('closeRps', cl.ratios, sides(cl));
  }

  // 1c. added latency over calling the upstream directly, at half of slotwire's max (keep-alive) load
  {
    const rate = Math.round(agg(ka.b).rps / 2);
    log(`scenario 1: added latency at ${rate} req/s`);
    const direct = [];
    const base = [];
    const sw = [];
    for (let i = 0; i < PAIRS; i++) {
      direct.push(await load({ url: upstreamUrl, path: '/orders/10042?lang=de', rate }));
      base.push(await load(simple(baseline, { rate }), baseline.child.pid));
      sw.push(await load(simple(slotwire, { rate }), slotwire.child.pid));
      log(
        `  round ${i + 1}: p50 direct ${f2(direct[i].p50)}, baseline ${f2(base[i].p50)}, slotwire ${f2(sw[i].p50)} ms`,
      );
    }
    const [d, a, b] = [agg(direct), agg(base), agg(sw)];
    row(`1 added latency at ${f0(rate)} req/s (½ max)`, 'direct upstream call p50 / p99 ms', ms(d), ms(d), '', '', '');
    const addedA = { p50: a.p50 - d.p50, p99: a.p99 - d.p99 };
    const addedB = { p50: b.p50 - d.p50, p99: b.p99 - d.p99 };
    row(
      `1 added latency at ${f0(rate)} req/s (½ max)`,
      'added over direct p50 / p99 ms',
      ms(addedA),
      ms(addedB),
      '',
      '≤ 0.3 / ≤ 2',
      verdict(addedB.p50 <= 0.3 && addedB.p99 <= 2),
    );
    // The same rate for both: CPU per request without the feedback of a saturated server (fewer calls per event-loop turn, less batching).
    cpuRow(`1 added latency at ${f0(rate)} req/s (½ max)`, {
      a: base,
      b: sw,
      cpuRatios: base.map((r, i) => sw[i].cpuUs / r.cpuUs),
    });
  }

  // 1d. a long conversation (1 000 events, 289 KB) with a new connection per
  // call: the hand-written server parses every event; slotwire need not.
  log('scenario 1: 1 000-event tracker, connection: close');
  const bigBody = await writeBody('simple-1000', webhookBody('action_order_status', 1000));
  await sameAnswer(baseline.url, slotwire.url, await readFile(bigBody, 'utf8'));
  const big = await alternate(
    '1 tracker 1 000',
    simple(baseline, { close: true, bodyFile: bigBody }),
    simple(slotwire, { close: true, bodyFile: bigBody }),
  );
  const [a, b] = [agg(big.a), agg(big.b)];
  const label = '1 tracker 1,000 events (289 KB), new connection per call';
  row(label, 'req/s', f0(a.rps), f0(b.rps), ratioText(big.ratios), '≥ 1.5', verdict(median(big.ratios) >= 1.5));
  row(label, 'latency p50 / p99 ms', ms(a), ms(b), '', '', '');
  cpuRow(label, big, '≤ 0.8', 0.8);
  measured('trackerRps', big.ratios, sides(big));
}

// 2. three steps, two of them in parallel
if (runs(2)) {
  log('scenario 2: three-step action with a parallel group');
  const st = await alternate(
    '2 steps',
    { ...simple(baseline), bodyFile: stepsBody },
    { ...simple(slotwire), bodyFile: stepsBody },
  );
  const [a, b] = [agg(st.a), agg(st.b)];
  row('2 three steps (1 + 2 parallel), keep-alive', 'req/s', f0(a.rps), f0(b.rps), ratioText(st.ratios), '', '');
  row('2 three steps (1 + 2 parallel), keep-alive', 'latency p50 / p99 ms', ms(a), ms(b), '', '', '');
  cpuRow('2 three steps (1 + 2 parallel), keep-alive', st, '≤ 1.3', 1.3);
}

// 3. tracker size: one connection, sequential calls; the cost of a tracker is
// p50(N events) − p50(10 events), compared with JSON.parse of the same body.
if (runs(3)) {
  log('scenario 3: tracker size');
  const sizes = [10, 100, 1000, 3400, 5000];
  const results = [];
  for (const n of sizes) {
    const text = webhookBody('action_order_status', n);
    const file = await writeBody(`simple-${n}`, text);
    const parse = parseCost(text);
    const opts = (server) => ({
      url: server.url,
      path: '/webhook',
      bodyFile: file,
      connections: 1,
      durationMs: Math.min(MS, 3000),
      warmupMs: 500,
    });
    const a = await load(opts(baseline));
    const b = await load(opts(slotwire));
    results.push({ n, bytes: Buffer.byteLength(text), parse, a, b });
    log(
      `  ${n} events (${(Buffer.byteLength(text) / 1024).toFixed(0)} KB): JSON.parse ${parse.toFixed(3)} ms; p50 baseline ${f2(a.p50)}, slotwire ${f2(b.p50)} ms`,
    );
  }
  const [small] = results;
  for (const r of results) {
    const costA = r.a.p50 - small.a.p50;
    const costB = r.b.p50 - small.b.p50;
    const ratio = r.n === small.n ? '' : `${f2(costB / r.parse)} (baseline ${f2(costA / r.parse)})`;
    const mb = r.bytes / 1024 / 1024;
    const target = r.n === small.n ? '' : '≤ 1.5';
    row(
      `3 tracker ${r.n.toLocaleString('en-US')} events, ${mb >= 0.95 ? `${mb.toFixed(2)} MB` : `${(r.bytes / 1024).toFixed(0)} KB`}`,
      `p50 ms; ratio = (p50 − p50 at 10) ÷ JSON.parse ${r.parse.toFixed(2)} ms`,
      f2(r.a.p50),
      f2(r.b.p50),
      ratio,
      target,
      r.n === small.n ? '' : verdict(costB / r.parse <= 1.5),
    );
  }
  const perK = results.slice(1).map((r) => (r.b.p50 - small.b.p50) / (r.n / 1000));
  // Linear or better: a bigger tracker may cost less per event (its events are skipped, not parsed), never more.
  row(
    '3 linearity',
    'slotwire ms per 1 000 events at 100 / 1 000 / 3 400 / 5 000',
    '',
    perK.map(f2).join(' / '),
    '',
    'linear or better',
    verdict(perK.slice(2).every((k) => k <= 1.5 * (perK[1] ?? k))),
  );
}

// 4. start-up, in its own process: load + compile in one process, and a
// fresh `serve` from spawn to its first answer (bench/startup.mjs).
if (runs(4)) {
  log('scenario 4: start-up');
  const out = await runProcess(process.execPath, [join(here, 'startup.mjs'), '10', '100', '1000']);
  for (const line of out.split('\n')) {
    const m = /^(\d+) \| (\d+) \| ([\d.]+) \| \d+ \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| ([\d ]+)$/.exec(line.trim());
    if (!m) continue;
    const [, n, kb, loadMs, servingMs, answerMs, servingCpu, answerCpu, each] = m;
    const label = `4 start-up, ${Number(n).toLocaleString('en-US')} actions (${kb} KB)`;
    row(label, 'load + validate + compile ms in one process (median of 5)', '', loadMs, '', '', '');
    row(label, 'fresh serve: spawn → "serving" line ms; its CPU ms', '', `${servingMs}; ${servingCpu}`, '', '', '');
    const big = n === '1000';
    row(
      label,
      'fresh serve: spawn → first webhook answer ms (median of 5); its CPU ms',
      '',
      `${answerMs}; ${answerCpu}`,
      '',
      big ? '≤ 500' : '',
      big ? verdict(Number(answerMs) <= 500) : '',
    );
    if (big) measured('startup', each.trim().split(' ').map(Number), `CPU ms to the first answer ${answerCpu}`);
  }
}

// 10. the editor's wait: `slotwire lsp` on a 1 000-action file, in its own process (bench/lsp.mjs).
if (runs(10)) {
  log('scenario 10: language server');
  const out = await runProcess(process.execPath, [join(here, 'lsp.mjs')]);
  const r = JSON.parse(out.trim().split('\n').pop());
  const label = `10 slotwire lsp, ${r.actions.toLocaleString('en-US')} actions (${r.kb} KB), ${r.sync} sync`;
  row(label, 'didOpen → first diagnostics ms', '', f0(r.openMs), '', '', '');
  row(
    label,
    `didChange → its diagnostics ms, median / p95 of ${r.edits} edits`,
    '',
    `${f0(r.median)} / ${f0(r.p95)}`,
    '',
    'p95 ≤ 300',
    verdict(r.p95 <= 300),
  );
  const mb = (m) => (m === null ? '?' : `${f0(m.now)} / ${f0(m.peak)}`);
  row(
    label,
    `server RSS MB now / peak: after open | after ${r.session} edits`,
    mb(r.rss.open),
    mb(r.rss.session),
    '',
    '',
    '',
  );
}

// 5. cluster: --workers 2 against one process
// Memory under the load so far, before the baseline stops.
if (runs(1) || runs(2) || runs(3)) {
  const [a, b] = [rssMb(baseline.child.pid), rssMb(slotwire.child.pid)];
  if (a !== null && b !== null)
    row(
      'memory after scenarios 1–3',
      'server RSS MB: now / peak',
      `${f0(a.now)} / ${f0(a.peak)}`,
      `${f0(b.now)} / ${f0(b.peak)}`,
      f2(b.peak / a.peak),
      '',
      '',
    );
}

if (runs(5)) {
  log('scenario 5: --workers 2 vs 1');
  await baseline.stop();
  const two = await startSlotwire(2);
  const w = await alternate('5 workers', simple(slotwire), simple(two));
  const [a, b] = [agg(w.a), agg(w.b)];
  row(
    '5 --workers 2 vs 1 (load generator on the same 2 cores)',
    'req/s: 1 worker | 2 workers',
    f0(a.rps),
    f0(b.rps),
    ratioText(w.ratios),
    '≥ 1.6',
    verdict(median(w.ratios) >= 1.6),
  );
  await two.stop();
}
await baseline.stop();

await slotwire.stop();

// 7. observability cost: scenario 1's keep-alive load on three fresh servers,
// --metrics off (no telemetry at all), the default (Prometheus metrics on,
// /metrics not scraped) and the default with OpenTelemetry tracing on, its
// spans (webhook, action, one per upstream attempt) exported by the batch
// processor over OTLP/HTTP to a loopback sink (bench/otlp-sink.mjs).
if (runs(7)) {
  log('scenario 7: observability cost');
  const sinkPort = await freePort();
  const sink = await startProcess('otlp sink', process.execPath, [join(here, 'otlp-sink.mjs'), String(sinkPort)], {
    ready: /listening/,
  });
  const sinkUrl = `http://127.0.0.1:${sinkPort}`;
  const protocol = process.env.BENCH_OTLP_PROTOCOL ?? 'http/protobuf';
  // Whatever this shell has set must not turn tracing or metrics on or off behind the comparison's back.
  const unset = Object.fromEntries(
    [
      'OTEL_SDK_DISABLED',
      'OTEL_TRACES_EXPORTER',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
      'OTEL_EXPORTER_OTLP_PROTOCOL',
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
      'SLOTWIRE_METRICS',
      'SLOTWIRE_METRICS_PORT',
    ].map((k) => [k, undefined]),
  );
  const off = await startSlotwire(1, [], { args: ['--metrics', 'off'], env: unset });
  const on = await startSlotwire(1, [], { env: unset });
  const traced = await startSlotwire(1, [], {
    env: { ...unset, OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, OTEL_EXPORTER_OTLP_PROTOCOL: protocol },
  });
  const sinkCpuBefore = cpuMs(sink.child.pid);
  const body = await readFile(simpleBody, 'utf8');
  await sameAnswer(off.url, on.url, body);
  await sameAnswer(on.url, traced.url, body);
  const [metricsCost, tracingCost] = await rotate('7 metrics off | on | tracing on', [
    simple(off),
    simple(on),
    simple(traced),
  ]);
  const rss = [off, on, traced].map((s) => rssMb(s.child.pid));
  // Stopping it exports the spans still in the batch processor's queue.
  await traced.stop();
  const stats = await (await fetch(`${sinkUrl}/stats`)).json();
  const sinkCpuAfter = cpuMs(sink.child.pid);
  const sinkCpu = sinkCpuBefore === null || sinkCpuAfter === null ? null : sinkCpuAfter - sinkCpuBefore;
  await Promise.all([off.stop(), on.stop(), sink.stop()]);
  const compare = (label, cmp, [left, right], [ra, rb]) => {
    const [a, b] = [agg(cmp.a), agg(cmp.b)];
    row(label, `req/s: ${left} | ${right}`, f0(a.rps), f0(b.rps), ratioText(cmp.ratios), '', '');
    row(label, `latency p50 / p99 ms: ${left} | ${right}`, ms(a), ms(b), '', '', '');
    cpuRow(label, cmp, '', null, `server CPU µs per request: ${left} | ${right}`);
    if (ra !== null && rb !== null)
      row(
        label,
        `server RSS MB now / peak: ${left} | ${right}`,
        `${f0(ra.now)} / ${f0(ra.peak)}`,
        `${f0(rb.now)} / ${f0(rb.peak)}`,
        f2(rb.peak / ra.peak),
        '',
        '',
      );
  };
  compare('7 metrics: --metrics off vs on (the default)', metricsCost, ['off', 'on'], [rss[0], rss[1]]);
  measured('metricsCpu', metricsCost.cpuRatios, sides(metricsCost, ['off', 'on']));
  measured('tracingCpu', tracingCost.cpuRatios, sides(tracingCost, ['off', 'on']));
  const tracingLabel = `7 tracing: off vs on (OTLP ${protocol}, batch processor), metrics on both`;
  compare(tracingLabel, tracingCost, ['off', 'on'], [rss[1], rss[2]]);
  // Every call to the traced server (the load's, warm-up included, and the answer check) makes 3 spans.
  const calls = 1 + tracingCost.b.reduce((s, r) => s + r.completed, 0);
  row(
    tracingLabel,
    'sink received: export batches; spans (÷ calls); MB',
    '',
    `${f0(stats.batches)}; ${f0(stats.spans)} (${f2(stats.spans / calls)}); ${f2(stats.bytes / 1024 / 1024)}`,
    '',
    '3 spans per call',
    verdict(stats.spans === 3 * calls && stats.failed === 0),
  );
  if (sinkCpu !== null)
    row(
      tracingLabel,
      'sink CPU µs per traced call (on the same 2 cores)',
      '',
      f0((sinkCpu * 1000) / calls),
      '',
      '',
      '',
    );
}

// 8. the shared state store's cost: one server with the default
// memory store, one with --redis on a loopback redis-server (started here,
// no persistence), alternated A B under the same keep-alive load. Each call
// is a new user turn of action_order_once: a dedupe claim (SET NX) and its
// stored result, two Redis round trips per call; its OAuth2 token is read
// from Redis once per process and kept until it expires (http/auth.ts).
if (runs(8)) {
  if (!existsSync('/usr/bin/redis-server'))
    log('scenario 8: skipped, /usr/bin/redis-server is missing (apt-get install redis-server)');
  else {
    log('scenario 8: state store in memory vs Redis');
    const redisPort = await freePort();
    const redis = await startProcess(
      'redis',
      '/usr/bin/redis-server',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { ready: /Ready to accept connections/ },
    );
    const memory = await startSlotwire(1, [], { env: { SLOTWIRE_REDIS_URL: undefined } });
    const shared = await startSlotwire(1, [], {
      env: { SLOTWIRE_REDIS_URL: `redis://127.0.0.1:${redisPort}`, SLOTWIRE_REDIS_PREFIX: 'bench:' },
    });
    const onceBody = await writeBody('once-10', withTurn(webhookBody('action_order_once', 10)));
    const once = (server) => ({
      url: server.url,
      pid: server.child.pid,
      path: '/webhook',
      bodyFile: onceBody,
      turnPlaceholder: TURN,
    });
    await sameAnswer(memory.url, shared.url, (await readFile(onceBody, 'utf8')).replace(TURN, 'check'));
    const redisCpuBefore = cpuMs(redis.child.pid);
    const [cost] = await rotate('8 state in memory | redis', [once(memory), once(shared)]);
    const redisCpuAfter = cpuMs(redis.child.pid);
    const calls = cost.b.reduce((s, r) => s + r.completed, 0);
    const [a, b] = [agg(cost.a), agg(cost.b)];
    const label = '8 state store: memory vs --redis (OAuth2 + dedupe claim and result per call)';
    row(label, 'req/s: memory | redis', f0(a.rps), f0(b.rps), ratioText(cost.ratios), '', '');
    row(label, 'latency p50 / p99 ms: memory | redis', ms(a), ms(b), '', '', '');
    cpuRow(label, cost, '', null, 'server CPU µs per request: memory | redis');
    if (redisCpuBefore !== null && redisCpuAfter !== null)
      row(
        label,
        'redis-server CPU µs per call (on the same 2 cores)',
        '',
        f0(((redisCpuAfter - redisCpuBefore) * 1000) / calls),
        '',
        '',
        '',
      );
    await Promise.all([memory.stop(), shared.stop(), redis.stop()]);
  }
}

// 9. gRPC vs the HTTP webhook: the same action and body as
// scenario 1 (action_order_status, 10 events), two fresh servers, `serve`
// and `serve --grpc`, both with --metrics off (the gRPC server has no
// /metrics route, so it would keep none) and the default log line per call;
// alternated A B. HTTP: 32 keep-alive connections (load.mjs); gRPC: 32 calls
// in flight on one HTTP/2 channel (grpc-load.mjs), the request encoded once
// as Rasa Pro encodes it. Both answers are checked to be the same first.
if (runs(9)) {
  log('scenario 9: HTTP webhook vs gRPC');
  const http = await startSlotwire(1, [], { args: ['--metrics', 'off'] });
  const grpc = await startSlotwire(1, [], { args: ['--metrics', 'off', '--grpc'] });
  const address = grpc.url.replace('http://', '');
  const body = await readFile(simpleBody, 'utf8');
  const viaHttp = await (
    await fetch(`${http.url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  ).json();
  const viaGrpc = JSON.parse(
    (
      await runProcess(process.execPath, [
        join(here, 'grpc-load.mjs'),
        JSON.stringify({ address, bodyFile: simpleBody, answer: true }),
      ])
    ).trim(),
  );
  if (JSON.stringify(viaHttp) !== JSON.stringify(viaGrpc))
    throw new Error(
      `HTTP and gRPC answer differently:\n  HTTP: ${JSON.stringify(viaHttp)}\n  gRPC: ${JSON.stringify(viaGrpc)}`,
    );
  log(`same answer over HTTP and gRPC: ${JSON.stringify(viaGrpc)}`);
  const cmp = await alternate('9 http | grpc', simple(http), {
    loader: 'grpc-load.mjs',
    address,
    pid: grpc.child.pid,
    bodyFile: simpleBody,
  });
  const [a, b] = [agg(cmp.a), agg(cmp.b)];
  const label = '9 HTTP webhook vs gRPC Webhook, simple action, keep-alive (--metrics off)';
  row(label, 'req/s: HTTP | gRPC', f0(a.rps), f0(b.rps), ratioText(cmp.ratios), '', '');
  row(label, 'latency p50 / p99 ms: HTTP | gRPC', ms(a), ms(b), '', '', '');
  cpuRow(label, cmp, '≤ 1.0', 1.0, 'server CPU µs per request: HTTP | gRPC');
  measured('grpcCpu', cmp.cpuRatios, sides(cmp, ['HTTP', 'gRPC']));
  // The same rate for both, half of what gRPC's load generator reached: at
  // full load grpc-js's client drives the server at about half HTTP's rate on
  // these shared cores, and a server with fewer calls per event-loop turn
  // batches fewer writes and pays more per call; at one rate that is gone.
  {
    const rate = Math.round(agg(cmp.b).rps / 2);
    log(`scenario 9: HTTP and gRPC at ${rate} req/s each`);
    const atRate = { a: [], b: [], cpuRatios: [] };
    for (let i = 0; i < PAIRS; i++) {
      const ra = await load(simple(http, { rate }), http.child.pid);
      const rb = await load({ loader: 'grpc-load.mjs', address, bodyFile: simpleBody, rate }, grpc.child.pid);
      atRate.a.push(ra);
      atRate.b.push(rb);
      atRate.cpuRatios.push(rb.cpuUs / ra.cpuUs);
      log(`  round ${i + 1}: CPU ${f0(ra.cpuUs)} vs ${f0(rb.cpuUs)} µs per request`);
    }
    cpuRow(
      `9 HTTP vs gRPC at ${f0(rate)} req/s each (½ gRPC's max)`,
      atRate,
      '',
      null,
      'server CPU µs per request: HTTP | gRPC',
    );
  }
  const [ra, rb] = [rssMb(http.child.pid), rssMb(grpc.child.pid)];
  if (ra !== null && rb !== null)
    row(
      label,
      'server RSS MB now / peak: HTTP | gRPC',
      `${f0(ra.now)} / ${f0(ra.peak)}`,
      `${f0(rb.now)} / ${f0(rb.peak)}`,
      f2(rb.peak / ra.peak),
      '',
      '',
    );
  await Promise.all([http.stop(), grpc.stop()]);
}

await upstream.stop();

// 6. a reload of a 5 000-action file under load: its own processes and table.
const reloadTable = runs(6)
  ? (log('scenario 6: reload under load'),
    (await runProcess(process.execPath, [join(here, 'reload.mjs')])).trim().split('\n').slice(0, -1).join('\n'))
  : '';

/** Median JSON.parse time of `text`, in ms. */
function parseCost(text) {
  const runs = Math.max(10, Math.min(2000, Math.round(2e7 / text.length)));
  for (let i = 0; i < Math.min(runs, 20); i++) JSON.parse(text);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    JSON.parse(text);
    times.push(performance.now() - t);
  }
  return median(times);
}

const cpu = cpus();
const header = [
  `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. ` +
    `Shared and noisy: the load generator, the server and the upstream all run on these ${cpu.length} cores, so read ratios, not absolutes.`,
  `Load: ${CONNECTIONS} connections (scenario 3: 1), ${MS / 1000} s per run after 1 s warm-up, ${PAIRS} baseline/slotwire pairs run A B A B (scenario 7: three servers, rounds of A B C); latency p50/p99 of each run, medians over runs. ` +
    `"Baseline" is bench/baseline.ts (Hono + undici Pool by hand); ratio = slotwire ÷ baseline per pair.`,
  `Total time: ${((performance.now() - begun) / 1000).toFixed(0)} s.`,
].join('\n');
const table = markdownTable(
  ['Scenario', 'Measure', 'Baseline', 'slotwire', 'Ratio', 'Target', 'Met'],
  rows.map((r) => [r.scenario, r.measure, r.baseline, r.slotwire, r.ratio, r.target, r.met]),
);
const summaryTable = markdownTable(
  ['Target', 'Median', 'Each pair (or run)', 'Beside it', 'Target', 'Met'],
  Object.entries(TARGETS).map(([key, [what, target, meets]]) => {
    const m = summary.get(key);
    if (m === undefined || m.values.length === 0) return [what, 'not run', '', '', target, ''];
    const mid = median(m.values);
    const big = mid >= 10;
    return [
      what,
      big ? f0(mid) : f2(mid),
      m.values.map(big ? f0 : f2).join(', '),
      m.beside,
      target,
      verdict(meets(mid)),
    ];
  }),
);
const reloadText = runs(6)
  ? `\n\n## 6. Reload under load\n\n\`node bench/reload.mjs\`: the server runs \`serve --auto-reload\` at the default log level; this process keeps 8 connections busy and rewrites the file 3 times. "During reload" counts every answer in flight between a write and the new version being served.\n\n${reloadTable}`
  : '';
const text = `${header}\n\n## Summary: the performance targets\n\n${summaryTable}\n\n## Every scenario\n\n${table}${reloadText}\n`;
if (ONLY === null)
  await writeFile(join(here, 'results.md'), `# Benchmark results\n\nCommand: \`npm run bench\`\n\n${text}`);
console.log(`\n${text}`);
