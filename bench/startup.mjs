// Start-up cost: read + parse + validate + compile of generated actions files
// with 10, 100 and 1 000 actions (scenario 4 of bench/run.mjs). Runs the compiled code
// in dist/ (`npm run build` first), the way users run slotwire.
//   node bench/startup.mjs [sizes…]
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlan } from '../dist/compile/index.js';
import { file } from './generate-actions.mjs';

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
