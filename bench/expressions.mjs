// Micro-benchmark: µs per evaluation of a few mappings, JSONata's evaluate()
// (with the production guardrails) against the fast path (runtime/compile/
// fast-path.ts), same input. Needs `npm run build`. Not part of `npm run bench`.
//   node bench/expressions.mjs [evaluations]
import jsonata from 'jsonata';
import { expressionLimits } from '../dist/compile/expression.js';
import { compileFast } from '../dist/compile/fast-path.js';
import { upstreamDocument } from './upstream.mjs';

const runs = Number(process.argv[2] ?? 50_000);
const scope = {
  slots: { city: 'Berlin', count: 3 },
  steps: { tickets: { status: 200, body: upstreamDocument() } },
  response: { status: 200, body: { available: true, times: ['10:00', '10:30', '11:00'] } },
  error: { kind: 'http', reason: 'timeout' },
};
const expressions = [
  "$count(steps.tickets.body.items[status = 'open'])",
  'response.body.available = true',
  '$count(response.body.times) > 0',
  'error.reason ? error.reason : error.kind',
  '$sum(steps.tickets.body.items.price)',
  'steps.tickets.body.items[price > 10].name',
  "$uppercase(slots.city) & ', ' & $string(slots.count * 1.19)",
];

async function timeAsync(fn) {
  for (let i = 0; i < runs / 10; i++) await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / runs;
}

function timeSync(fn) {
  for (let i = 0; i < runs / 10; i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / runs;
}

console.log(`${runs} evaluations each; µs per evaluation (noisy shared machine: read as ratios)\n`);
console.log('jsonata µs  fast µs  speed-up  expression');
for (const src of expressions) {
  const expr = jsonata(src, expressionLimits);
  const fast = compileFast(expr.ast(), expressionLimits.sequence);
  if (!fast) throw new Error(`not in the fast-path subset: ${src}`);
  if (JSON.stringify(fast(scope)) !== JSON.stringify(await expr.evaluate(scope)))
    throw new Error(`results differ: ${src}`);
  const slow = await timeAsync(() => expr.evaluate(scope));
  const quick = timeSync(() => fast(scope));
  console.log(
    `${slow.toFixed(2).padStart(10)}  ${quick.toFixed(3).padStart(7)}  ${(slow / quick).toFixed(0).padStart(7)}x  ${src}`,
  );
}
