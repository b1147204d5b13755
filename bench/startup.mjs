// Start-up cost of generated actions files with 10, 100 and 1 000 actions
// (scenario 4 of bench/run.mjs), two ways, on the compiled code in dist/
// (`npm run build` first), the way users run slotwire:
// - load + validate + compile in this process (`loadPlan`, median of 5);
// - served within: a fresh `slotwire serve` process at the default log
//   level, from spawn to its "serving" line and to the first answer of
//   POST /webhook (median of 5); what a restart or a new replica waits for.
//   node bench/startup.mjs [sizes…]
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlan } from '../dist/compile/index.js';
import { file } from './generate-actions.mjs';
import { cpuMs, freePort } from './processes.mjs';
import { webhookBody } from './webhook-body.mjs';

const bin = process.env.BENCH_SLOTWIRE_BIN ?? join(dirname(fileURLToPath(import.meta.url)), '../dist/cli/bin.js');

/**
 * Spawns `serve` on `path`; resolves with ms from spawn to its "serving"
 * line and to the answer of one call of its last action (the upstream,
 * port 9, refuses: the answer is the action's on_error outcome, a 200),
 * with the CPU ms the process had used by each (steadier than wall time on
 * a shared machine).
 */
async function served(path, n) {
  const port = await freePort();
  const body = webhookBody(`action_lookup_${n - 1}`, 10);
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--actions', path, '--port', String(port), '--host', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const serving = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (/serving/.test(out)) resolve({ ms: performance.now() - t0, cpu: cpuMs(child.pid) });
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code} before serving:\n${out}`)));
    });
    const res = await fetch(`http://127.0.0.1:${port}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`first call answered ${res.status}`);
    return {
      serving: serving.ms,
      servingCpu: serving.cpu,
      answered: performance.now() - t0,
      answeredCpu: cpuMs(child.pid),
    };
  } finally {
    child.kill('SIGKILL');
  }
}

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const dir = await mkdtemp(join(tmpdir(), 'slotwire-bench-'));
// The first load also compiles the ajv validator once per process; report it apart.
const warm = join(dir, 'warm.yml');
await writeFile(warm, file(1));
let t = performance.now();
await loadPlan(warm);
console.log(`first load in a process (includes ajv schema compile): ${(performance.now() - t).toFixed(1)} ms`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  'actions | file KB | load+validate+compile ms (median of 5) | per action µs | spawn → serving ms | spawn → first answer ms | CPU ms to serving | CPU ms to first answer (medians of 5) | spawn → first answer ms, each start',
);
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
  const starts = [];
  for (let run = 0; run < 5; run++) starts.push(await served(path, n));
  const load = median(times);
  console.log(
    `${n} | ${(text.length / 1024).toFixed(0)} | ${load.toFixed(1)} | ${((load * 1000) / n).toFixed(0)} | ${median(starts.map((s) => s.serving)).toFixed(0)} | ${median(starts.map((s) => s.answered)).toFixed(0)} | ${median(starts.map((s) => s.servingCpu)).toFixed(0)} | ${median(starts.map((s) => s.answeredCpu)).toFixed(0)} | ${starts.map((s) => s.answered.toFixed(0)).join(' ')}`,
  );
}
