// Instructions per call, counted by valgrind's callgrind: a count that does
// not move with the machine's load, where CPU time per request on the shared
// 2 cores swings by half between runs of the same build. Each server runs
// under callgrind with counting off while it warms up (its JIT tiers up on
// call counts, not time), then counts exactly `calls` calls made the way Rasa
// makes them (a new connection each, aiohttp's headers: rasa-load.mjs), or
// over keep-alive (BENCH_HTTP=keep-alive: load.mjs), or over one gRPC
// channel when the target's flags include --grpc (grpc-load.mjs). The
// count is the whole process's, every thread (V8's GC helpers too), and
// includes the kernel's side of nothing: syscalls are one instruction each.
// Not part of `npm run bench` (about a minute per server); needs valgrind.
//   node bench/instructions.mjs [target…]
//   target: slotwire (this build), baseline (bench/baseline.ts), a path to
//   another build's dist/cli/bin.js, or any of these followed by :flag,flag…
//   (serve flags), e.g. slotwire:--metrics,off or slotwire:--metrics,off,--grpc;
//   a slotwire target ending in +otlp traces, exporting its spans over
//   OTLP/HTTP protobuf to bench/otlp-sink.mjs (scenario 7's tracing), e.g.
//   slotwire+otlp
//   BENCH_CALLS (2000), BENCH_WARMUP_CALLS (6000), BENCH_CONNECTIONS (1),
//   BENCH_HTTP (new: a connection per call; keep-alive),
//   BENCH_NODE_FLAGS (--single-threaded),
//   BENCH_EVENTS (10: tracker events per call), BENCH_SIM (below)
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baselineArgs, freePort, runProcess, serveArgs, startProcess } from './processes.mjs';
import { webhookBody } from './webhook-body.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const calls = Number(process.env.BENCH_CALLS ?? 2000);
const warmupCalls = Number(process.env.BENCH_WARMUP_CALLS ?? 6000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 1);
const httpMode = process.env.BENCH_HTTP ?? 'new';
if (httpMode !== 'new' && httpMode !== 'keep-alive') {
  console.error('BENCH_HTTP is new or keep-alive');
  process.exit(2);
}
// BENCH_SIM=cache and/or branch: callgrind's cache and branch-prediction simulations (slower).
const sims = (process.env.BENCH_SIM ?? '').split(',').filter(Boolean);
// Counts repeat when runs cannot differ in timing: one call at a time (with
// several in flight, how many share an event-loop turn changes from run to
// run, and the count by up to a tenth) and V8 without helper threads
// (--single-threaded: no background compiling or collecting). Two runs of
// one build within one invocation then agreed within 0.5 %; between
// invocations counts still move by up to a tenth (V8 sizes its heap by
// time), so compare targets within one invocation.
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '--single-threaded').split(' ').filter(Boolean);
const targets = process.argv.length > 2 ? process.argv.slice(2) : ['baseline', 'slotwire'];
try {
  execFileSync('valgrind', ['--version']);
} catch {
  console.error('bench/instructions.mjs needs valgrind (apt-get install -y valgrind)');
  process.exit(2);
}

const dir = await mkdtemp(join(tmpdir(), 'slotwire-instructions-'));
const bodyFile = join(dir, 'body.json');
await writeFile(bodyFile, webhookBody('action_order_status', Number(process.env.BENCH_EVENTS ?? 10)));
const upPort = await freePort();
const upstreamUrl = `http://127.0.0.1:${upPort}`;
const upstream = await startProcess('upstream', process.execPath, [join(here, 'upstream.mjs'), String(upPort)], {
  ready: /listening/,
});

/** Drives `n` calls (after `warmup` uncounted ones) and resolves when they are answered. */
async function drive(port, grpc, warmup, n) {
  const calls = { bodyFile, connections, warmupCalls: warmup, calls: n };
  const [loader, options] = grpc
    ? ['grpc-load.mjs', { address: `127.0.0.1:${port}`, ...calls }]
    : [
        httpMode === 'new' ? 'rasa-load.mjs' : 'load.mjs',
        { url: `http://127.0.0.1:${port}`, path: '/webhook', ...calls },
      ];
  const out = await runProcess(process.execPath, [join(here, loader), JSON.stringify(options)]);
  const result = JSON.parse(out.trim().split('\n').pop());
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`calls failed: ${out}`);
}

/** The loopback OTLP sink of the +otlp targets, started for the first of them. */
let sink = null;
async function otlpSink() {
  if (sink === null) {
    const port = await freePort();
    const running = await startProcess('otlp sink', process.execPath, [join(here, 'otlp-sink.mjs'), String(port)], {
      ready: /listening/,
    });
    sink = { url: `http://127.0.0.1:${port}`, stop: running.stop };
  }
  return sink.url;
}

async function count(target) {
  const traced = target.endsWith('+otlp');
  const [what, flags = ''] = (traced ? target.slice(0, -'+otlp'.length) : target).split(/:(?=-)/);
  // Whatever this shell has set must not turn tracing on or off behind the comparison's back.
  const tracing = {
    OTEL_SDK_DISABLED: undefined,
    OTEL_TRACES_EXPORTER: undefined,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: undefined,
    OTEL_EXPORTER_OTLP_ENDPOINT: traced ? await otlpSink() : undefined,
    OTEL_EXPORTER_OTLP_PROTOCOL: traced ? 'http/protobuf' : undefined,
  };
  const port = await freePort();
  const args =
    what === 'baseline'
      ? baselineArgs(port, upstreamUrl)
      : [...serveArgs(port, what === 'slotwire' ? undefined : what), ...flags.split(',').filter(Boolean)];
  const out = join(dir, `callgrind.${targets.indexOf(target)}.%p`);
  const server = await startProcess(
    target,
    'valgrind',
    // V8 writes and rewrites machine code on the heap: valgrind must watch for it.
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      '--smc-check=all-non-file',
      ...sims.map((sim) => `--${sim}-sim=yes`),
      `--callgrind-out-file=${out}`,
      process.execPath,
      ...nodeFlags,
      ...args,
    ],
    { env: { BENCH_UPSTREAM_URL: upstreamUrl, ...tracing }, ready: /serving|listening/, timeoutMs: 180_000 },
  );
  const grpc = flags.split(',').includes('--grpc');
  const pid = String(server.child.pid);
  await drive(port, grpc, warmupCalls, 1);
  execFileSync('callgrind_control', ['--instr=on', pid], { stdio: 'ignore' });
  await drive(port, grpc, 0, calls);
  // The dump (file ….1) holds the counted calls; the file written at exit, only what ran after.
  execFileSync('callgrind_control', ['--dump', pid], { stdio: 'ignore' });
  await server.stop();
  const text = await readFile(join(dir, `callgrind.${targets.indexOf(target)}.${pid}.1`), 'utf8');
  const events = /^events: (.+)$/m.exec(text)?.[1].split(' ') ?? [];
  const totals = /^(?:summary|totals): (.+)$/m.exec(text)?.[1].split(' ').map(Number) ?? [];
  if (!(totals[0] > 0)) throw new Error(`no count in callgrind's dump for ${target}`);
  return Object.fromEntries(events.map((e, i) => [e, totals[i] / calls]));
}

// Ir: instructions; with the cache simulation also I1mr/D1mr/D1mw (first-level misses) and ILmr/DLmr/DLmw (last-level).
const results = [];
for (const target of targets) {
  const perCall = await count(target);
  results.push({ target, perCall });
  const shown = Object.entries(perCall).map(
    ([e, v]) => `${e} ${e === 'Ir' ? `${(v / 1000).toFixed(0)} k` : v.toFixed(0)}`,
  );
  console.log(`${target.padEnd(32)} per call: ${shown.join(', ')}`);
}
const [first] = results;
for (const { target, perCall } of results.slice(1))
  console.log(
    `${target} ÷ ${first.target}: ${Object.entries(perCall)
      .map(([e, v]) => `${e} ${(v / first.perCall[e]).toFixed(3)}`)
      .join(', ')}`,
  );
await upstream.stop();
await sink?.stop();
