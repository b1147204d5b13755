// Start-up cost: read + parse + validate + compile of generated actions files
// with 10, 100 and 1 000 actions (scenario 4 of bench/run.mjs). Runs the compiled code
// in dist/ (`npm run build` first), the way users run slotwire.
//   node bench/startup.mjs [sizes…]
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlan } from '../dist/compile/index.js';

/** One realistic action: a GET with path and query templates, 3 slots, a response, on_error. */
function action(i) {
  return `  action_lookup_${i}:
    description: Look up thing ${i}
    request:
      connection: api${i % 10}
      path: /things/{{ slots.thing_id }}/details/${i}
      query:
        lang: "{{ slots.language }}"
        limit: 5
    slots:
      thing_name: "{{ response.body.name }}"
      thing_price: "{{ $round(response.body.price * 1.19, 2) }}"
      thing_tags: "{{ response.body.tags[active = true].label }}"
    responses:
      - text: "{{ response.body.name }} costs {{ response.body.price }} EUR."
    on_error:
      slots:
        lookup_status: "{{ error.reason ? error.reason : error.kind }}"
`;
}

function file(n) {
  const connections = Array.from(
    { length: 10 },
    (_, i) => `  api${i}:\n    base_url: \${API_URL:-http://127.0.0.1:9}\n    timeout: 2s\n`,
  ).join('');
  return `version: 1\nconnections:\n${connections}actions:\n${Array.from({ length: n }, (_, i) => action(i)).join('')}`;
}

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const dir = await mkdtemp(join(tmpdir(), 'slotwire-bench-'));
// The first load also compiles the ajv validator once per process; report it apart.
const warm = join(dir, 'warm.yml');
await writeFile(warm, file(1));
let t = performance.now();
await loadPlan(warm);
console.log(`first load in a process (includes ajv schema compile): ${(performance.now() - t).toFixed(1)} ms`);

console.log('actions | file KB | load+validate+compile ms (median of 5) | per action µs');
for (const n of sizes.length ? sizes : [10, 100, 1000]) {
  const path = join(dir, `actions-${n}.yml`);
  const text = file(n);
  await writeFile(path, text);
  const times = [];
  for (let run = 0; run < 5; run++) {
    t = performance.now();
    const { plan, diagnostics } = await loadPlan(path);
    times.push(performance.now() - t);
    if (!plan) throw new Error(`bench file invalid: ${JSON.stringify(diagnostics.slice(0, 3))}`);
  }
  times.sort((a, b) => a - b);
  const median = times[2];
  console.log(`${n} | ${(text.length / 1024).toFixed(0)} | ${median.toFixed(1)} | ${((median * 1000) / n).toFixed(0)}`);
}
