// slotwire against the hand-written baseline (bench/baseline.ts) on scenario
// 1's simple action, called the way Rasa calls it: a new connection per call
// with aiohttp's headers (bench/rasa-load.mjs), or over keep-alive
// (bench/load.mjs). Two fresh servers, runs alternating A B A B; the
// servers' CPU per request from /proc beside req/s, the ratio pair by pair.
//   node bench/rasa-pair.mjs [new|keep-alive] [rounds] [seconds]
//   BENCH_SLOTWIRE_BIN=/other/dist/cli/bin.js puts another build in slotwire's place.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baselineArgs, cpuMs, freePort, runProcess, serveArgs, startProcess } from './processes.mjs';
import { webhookBody } from './webhook-body.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const [mode = 'new', rounds = '4', seconds = '5'] = process.argv.slice(2);
if (mode !== 'new' && mode !== 'keep-alive') {
  console.error('usage: node bench/rasa-pair.mjs [new|keep-alive] [rounds] [seconds]');
  process.exit(2);
}
const bodyFile = join(tmpdir(), `slotwire-rasa-pair-${process.pid}.json`);
await writeFile(bodyFile, webhookBody('action_order_status', 10));
const upPort = await freePort();
const upstream = await startProcess('upstream', process.execPath, [join(here, 'upstream.mjs'), String(upPort)], {
  ready: /listening/,
});
const upstreamUrl = `http://127.0.0.1:${upPort}`;

async function start(name) {
  const port = await freePort();
  const args = name === 'baseline' ? baselineArgs(port, upstreamUrl) : serveArgs(port);
  const p = await startProcess(name, process.execPath, args, {
    env: { BENCH_UPSTREAM_URL: upstreamUrl },
    ready: /serving|listening/,
  });
  return { name, p, url: `http://127.0.0.1:${port}`, runs: [] };
}

const sides = [await start('baseline'), await start('slotwire')];
for (let round = 0; round < Number(rounds); round++)
  for (const side of sides) {
    const before = cpuMs(side.p.child.pid);
    const options = {
      url: side.url,
      path: '/webhook',
      bodyFile,
      connections: 32,
      durationMs: Number(seconds) * 1000,
      warmupMs: 1000,
    };
    const loader = mode === 'new' ? 'rasa-load.mjs' : 'load.mjs';
    const out = await runProcess(process.execPath, [join(here, loader), JSON.stringify(options)]);
    const r = JSON.parse(out.trim().split('\n').pop());
    if (r.errors > 0 || r.non2xx > 0)
      console.error(`${side.name}: ${r.errors} errors (${r.firstError}), ${r.non2xx} non-2xx`);
    side.runs.push({ rps: r.rps, cpuUs: ((cpuMs(side.p.child.pid) - before) * 1000) / r.completed });
  }
for (const side of sides) await side.p.stop();
await upstream.stop();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const [a, b] = sides;
const cpu = a.runs.map((r, i) => b.runs[i].cpuUs / r.cpuUs);
const rps = a.runs.map((r, i) => b.runs[i].rps / r.rps);
console.log(`${mode === 'new' ? 'new connection per call, aiohttp headers' : 'keep-alive'}, ${rounds} rounds A B`);
for (const s of sides)
  console.log(
    `  ${s.name.padEnd(8)} CPU µs/request ${s.runs.map((r) => r.cpuUs.toFixed(0)).join(', ')}; req/s ${s.runs.map((r) => Math.round(r.rps)).join(', ')}`,
  );
console.log(
  `  slotwire ÷ baseline CPU per request: ${cpu.map((x) => x.toFixed(2)).join(', ')} (median ${median(cpu).toFixed(2)})`,
);
console.log(
  `  slotwire ÷ baseline req/s:           ${rps.map((x) => x.toFixed(2)).join(', ')} (median ${median(rps).toFixed(2)})`,
);
