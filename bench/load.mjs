// The load generator, run in its own process by bench/run.mjs: an undici Pool
// with a fixed number of connections, latencies timed with performance.now()
// (autocannon's histogram has 1 ms resolution, too coarse for a 0.3 ms target).
//   node bench/load.mjs '<json options>'   → one JSON line on stdout
// Options: url, path, method, bodyFile|body, connections, durationMs, warmupMs,
//   close (a new TCP connection per call, `connection: close` as Rasa does),
//   rate (total req/s, open loop; omitted = closed loop, as fast as answered),
//   turnPlaceholder (a string in the body replaced by a new number per call:
//   a new user turn each time, so dedupe: claims and stores on every call);
//   or a number of calls instead of a time (closed loop): warmupCalls, calls.
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { printLoadSummary } from './load-summary.mjs';
import { drive } from './loops.mjs';

const o = JSON.parse(process.argv[2]);
const body = o.bodyFile ? readFileSync(o.bodyFile) : o.body === undefined ? undefined : Buffer.from(o.body);
const method = o.method ?? (body ? 'POST' : 'GET');
const headers = body ? { 'content-type': 'application/json' } : {};
const pool = new Pool(o.url, { connections: o.connections, pipelining: 1, keepAliveTimeout: 60_000 });

const template = o.turnPlaceholder && body ? body.toString('utf8') : null;
let turns = 0;
let recording = false;
let completed = 0; // every answer, warm-up included (for server CPU per request)
const latencies = [];
let errors = 0;
let non2xx = 0;
let firstError = null;

async function once() {
  const t0 = performance.now();
  try {
    const payload = template === null ? body : template.replace(o.turnPlaceholder, `turn-${process.pid}-${++turns}`);
    const res = await pool.request({ path: o.path, method, headers, body: payload, reset: Boolean(o.close) });
    await res.body.arrayBuffer();
    completed++;
    if (!recording) return;
    if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
    latencies.push(performance.now() - t0);
  } catch (err) {
    if (!recording) return;
    errors++;
    firstError ??= String(err?.code ?? err?.message ?? err);
  }
}

await drive(once, o, o.warmupMs ?? 1000, o.warmupCalls);
recording = true;
const started = performance.now();
await drive(once, o, o.durationMs, o.calls);
const elapsed = (performance.now() - started) / 1000;
recording = false;
await pool.close();

printLoadSummary({ latencies, elapsedSeconds: elapsed, completed, errors, non2xx, firstError });
