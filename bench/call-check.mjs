// Cost of the webhook body's shape check next to the JSON.parse
// it follows: `checkCall` runs on every call, and `trackerFromDict` checks
// the tracker again. Bodies from webhook-body.mjs; best of 5 rounds.
//
//   npm run build && node bench/call-check.mjs
import { checkCall, trackerFromDict } from '../dist/rasa/index.js';
import { webhookBody } from './webhook-body.mjs';

function microseconds(fn, rounds) {
  for (let i = 0; i < rounds; i += 1) fn();
  let best = Infinity;
  for (let r = 0; r < 5; r += 1) {
    const started = performance.now();
    for (let i = 0; i < rounds; i += 1) fn();
    best = Math.min(best, (performance.now() - started) / rounds);
  }
  return best * 1000;
}

console.log(`call-check: node ${process.version}`);
for (const events of [10, 100, 1000, 3876]) {
  const text = webhookBody('action_x', events);
  const call = JSON.parse(text);
  if (checkCall(call) !== null) throw new Error(`the bench body fails the check: ${JSON.stringify(checkCall(call))}`);
  const rounds = Math.max(20, Math.round(2e7 / text.length));
  const parse = microseconds(() => JSON.parse(text), rounds);
  const check = microseconds(() => checkCall(call), rounds);
  const tracker = microseconds(() => trackerFromDict(call.tracker), rounds);
  const pct = (us) => `${((100 * us) / parse).toFixed(1)} %`;
  console.log(
    `${String(events).padStart(5)} events, ${String(Math.round(text.length / 1024)).padStart(5)} KB: JSON.parse ${parse.toFixed(1)} µs; checkCall ${check.toFixed(2)} µs (${pct(check)}); trackerFromDict ${tracker.toFixed(2)} µs (${pct(tracker)})`,
  );
}
