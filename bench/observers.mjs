// What a webhook call's telemetry and log line cost on their own, in one
// process (no sockets, no upstream): CPU µs per call from process.cpuUsage,
// the median of ROUNDS rounds of 10 000 calls. Each call does what the
// server's observers do for one webhook call with one upstream attempt:
//   metrics  the three histogram samples (request, action, attempt)
//   log      the line per call on the fixed-field logger (to /dev/null)
//   tracing  metrics + three spans (webhook, action, attempt) through the
//            batch processor, serialised to OTLP protobuf as the exporter
//            does (the HTTP send is left out)
// After `npm run build`:  node bench/observers.mjs      (ROUNDS=7 by default)
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.BENCH_DIST ?? join(here, '../dist');
const require = createRequire(join(here, '../package.json'));
const { pino } = require('pino');
const { ProtobufTraceSerializer } = require('@opentelemetry/otlp-transformer');
const { createMetrics } = await import(join(dist, 'telemetry/metrics.js'));
const { serverObserver, engineObserver, httpObserver } = await import(join(dist, 'telemetry/observers.js'));
const { createTracing } = await import(join(dist, 'telemetry/tracing.js'));
const { fixedFieldLogger } = await import(join(dist, 'call-rules/call-log.js'));

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const info = { name: 'action_order_status', kind: 'yaml' };
const input = { tracker: { latest_message: { message_id: 'm1' } }, senderId: 'user-1' };
const call = {
  next_action: 'action_order_status',
  version: '3.10.0',
  tracker: { sender_id: 'user-1', latest_message: { message_id: 'm1' } },
};
const result = {
  outcome: { status: 'ok' },
  events: ['order_status', 'order_carrier', 'order_total'].map((name) => ({ event: 'slot', name, value: 1 })),
  responses: [{ text: 'Your order is shipped.', response: null }],
};
const noHeader = () => undefined;

/** One webhook call as the server's observers see it. */
function observed({ server, engine, http }) {
  const watch = server.request('POST', '/webhook', noHeader, true);
  watch.call(call);
  const run = engine.run(info, input, watch.trace);
  const attempt = http.attempt('api', 'GET', 'http://127.0.0.1:5056', 1, run.trace);
  attempt.end(200, null);
  run.end(result);
  watch.end(200);
}

/** Median CPU µs per call; a macrotask turn every 100 calls lets the batch processor export, as a server's would. */
async function measure(label, once) {
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 2_000; i++) {
    once();
    if (i % 100 === 99) await turn();
  }
  const perCall = [];
  for (let r = 0; r < ROUNDS; r++) {
    const before = process.cpuUsage();
    for (let i = 0; i < 10_000; i++) {
      once();
      if (i % 100 === 99) await turn();
    }
    const used = process.cpuUsage(before);
    perCall.push((used.user + used.system) / 10_000);
  }
  perCall.sort((a, b) => a - b);
  const median = perCall[Math.floor(perCall.length / 2)];
  console.log(
    `${label.padEnd(44)} ${median.toFixed(2).padStart(7)} µs per call (${ROUNDS} rounds, min ${perCall[0].toFixed(2)})`,
  );
}

const metrics = createMetrics();
const plain = {
  server: serverObserver(metrics, null),
  engine: engineObserver(metrics, null),
  http: httpObserver(metrics, null),
};
await measure('metrics: 3 histogram samples', () => observed(plain));

const logger = pino(
  { level: 'info', base: undefined },
  pino.destination({ dest: '/dev/null', sync: false, minLength: 4096 }),
);
const callLog = fixedFieldLogger(logger);
await measure('log: the line per call', () =>
  callLog.info({ action: 'action_order_status', status: 200, durationMs: 12.34 }, 'webhook'),
);

let spans = 0;
const exporter = {
  export(batch, done) {
    ProtobufTraceSerializer.serializeRequest(batch);
    spans += batch.length;
    done({ code: 0 });
  },
  shutdown: async () => {},
  forceFlush: async () => {},
};
const tracing = createTracing({ exporters: [exporter] });
const traced = {
  server: serverObserver(metrics, tracing),
  engine: engineObserver(metrics, tracing),
  http: httpObserver(metrics, tracing),
};
await measure('tracing: metrics + 3 spans, batched, protobuf', () => observed(traced));
console.log(`(spans serialised: ${spans})`);
await tracing.shutdown();
