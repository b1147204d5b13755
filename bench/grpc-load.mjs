// The gRPC load generator, bench/load.mjs's twin for scenario 9 (run in its
// own process by bench/run.mjs): Webhook calls over one grpc-js channel
// (HTTP/2, `connections` calls in flight on it), the request encoded once
// from a webhook body as Rasa Pro encodes it (ParseDict into the proto of
// proto/action_webhook.proto) and sent as bytes, as load.mjs sends a Buffer.
//   node bench/grpc-load.mjs '<json options>'   → one JSON line on stdout
// Options: address (host:port), bodyFile, connections, durationMs, warmupMs,
//   rate (total calls/s, open loop; omitted = closed loop, as fast as answered);
//   or a number of calls instead of a time (closed loop): warmupCalls, calls;
//   answer: true → make one call and print its events and responses as JSON.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, credentials } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { printLoadSummary } from './load-summary.mjs';
import { drive } from './loops.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { jsonToStruct, LOADER_OPTIONS, PROTO_DIR, structToJson } = await import(join(root, 'dist/grpc/index.js'));

const o = JSON.parse(process.argv[2]);
const definition = loadSync('action_webhook.proto', { ...LOADER_OPTIONS, includeDirs: [PROTO_DIR] });
const method = definition['action_server_webhook.ActionService'].Webhook;
const call = JSON.parse(readFileSync(o.bodyFile, 'utf8'));
const { tracker } = call;
const request = method.requestSerialize({
  next_action: call.next_action,
  sender_id: call.sender_id,
  version: call.version ?? '',
  tracker: {
    sender_id: tracker.sender_id,
    slots: jsonToStruct(tracker.slots ?? {}),
    latest_message: jsonToStruct(tracker.latest_message ?? {}),
    events: (tracker.events ?? []).map((e) => jsonToStruct(e)),
    paused: tracker.paused ?? false,
    ...(tracker.followup_action ? { followup_action: tracker.followup_action } : {}),
    ...(tracker.latest_action_name ? { latest_action_name: tracker.latest_action_name } : {}),
    stack: (tracker.stack ?? []).map((f) => jsonToStruct(f)),
  },
  ...(call.domain_digest ? { domain_digest: call.domain_digest } : {}),
});
const client = new Client(o.address, credentials.createInsecure());
const path = '/action_server_webhook.ActionService/Webhook';
const identity = (b) => b;
const send = () =>
  new Promise((resolve, reject) =>
    client.makeUnaryRequest(path, identity, identity, request, (err, bytes) => (err ? reject(err) : resolve(bytes))),
  );

if (o.answer) {
  const response = method.responseDeserialize(await send());
  console.log(
    JSON.stringify({
      events: (response.events ?? []).map(structToJson),
      responses: (response.responses ?? []).map(structToJson),
    }),
  );
  client.close();
  process.exit(0);
}

let recording = false;
let completed = 0; // every answer, warm-up included (for server CPU per request)
const latencies = [];
let errors = 0;
let firstError = null;

async function once() {
  const t0 = performance.now();
  try {
    await send();
    completed++;
    if (recording) latencies.push(performance.now() - t0);
  } catch (err) {
    if (!recording) return;
    errors++;
    firstError ??= String(err?.details ?? err?.message ?? err);
  }
}

await drive(once, o, o.warmupMs ?? 1000, o.warmupCalls);
recording = true;
const started = performance.now();
await drive(once, o, o.durationMs, o.calls);
const elapsed = (performance.now() - started) / 1000;
recording = false;
client.close();

printLoadSummary({ latencies, elapsedSeconds: elapsed, completed, errors, non2xx: 0, firstError });
