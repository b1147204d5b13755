// The full webhook fuzz: 100 000 fixed-seed mutations of a real
// Rasa body (test/support/fuzz-bodies.ts) through the built app — dist/,
// an actions.yml plus code actions, as `slotwire serve` builds it — via
// `app.request()`. Prints the status histogram, the fields the 400s named
// and the mutation kinds; exits 1 if any answer is not one of
// 200/400/404/415/449 with a JSON body. Not part of `npm test` (a slice of
// it is: test/server/fuzz.test.ts).
//
//   npm run build && node --import tsx bench/fuzz-webhook.mjs [count=100000] [seed=12]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as slotwire from '../dist/index.js';
import { FUZZ_ACTIONS_YML, FUZZ_STATUSES, fuzzCodeActions, fuzzRequests } from '../test/support/fuzz-bodies.ts';

const count = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? 12);

const dir = await mkdtemp(join(tmpdir(), 'slotwire-fuzz-'));
await writeFile(join(dir, 'actions.yml'), FUZZ_ACTIONS_YML);
const server = await slotwire.createActionServer({
  actionsFile: join(dir, 'actions.yml'),
  codeActions: fuzzCodeActions(slotwire),
  logger: slotwire.createLogger({ level: 'silent' }),
});

const statuses = new Map();
const fields = new Map();
const kinds = new Map();
const wrong = [];
const bump = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
const begun = performance.now();

for (const request of fuzzRequests(seed, count)) {
  const response = await server.app.request('/webhook', {
    method: 'POST',
    body: request.body,
    headers: request.headers,
  });
  const text = await response.text();
  bump(statuses, response.status);
  bump(kinds, `${request.mutation.split(' ')[0]} → ${response.status}`);
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const json = body !== undefined && (response.headers.get('content-type') ?? '').startsWith('application/json');
  if (!FUZZ_STATUSES.includes(response.status) || !json)
    wrong.push(`${request.mutation} → ${response.status}: ${text.slice(0, 160)}`);
  if (response.status === 400 && typeof body?.field === 'string') bump(fields, body.field.replace(/\[\d+\]/g, '[i]'));
}

const seconds = (performance.now() - begun) / 1000;
await server.close();
await rm(dir, { recursive: true, force: true });

const rows = (map, limit = Infinity) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([k, n]) => `  ${String(n).padStart(7)}  ${k}`)
    .join('\n');
console.log(
  `fuzz-webhook: ${count} bodies, seed ${seed}, ${seconds.toFixed(1)} s (${Math.round(count / seconds)} per s), node ${process.version}`,
);
console.log(`\nstatus\n${rows(new Map([...statuses].sort((a, b) => a[0] - b[0])))}`);
console.log(`\nmutation → status\n${rows(kinds)}`);
console.log(`\n400 by field (top 25 of ${fields.size})\n${rows(fields, 25)}`);
if (wrong.length > 0) {
  console.log(
    `\n${wrong.length} answers outside ${FUZZ_STATUSES.join('/')} or not JSON; the first 20:\n${wrong
      .slice(0, 20)
      .map((w) => `  ${w}`)
      .join('\n')}`,
  );
  process.exitCode = 1;
} else console.log(`\nevery answer: ${FUZZ_STATUSES.join('/')} with a JSON body`);
