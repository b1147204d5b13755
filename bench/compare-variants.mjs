// Several slotwire servers side by side, each a build and `serve` flags,
// run in rounds A B C … (the machine is shared and noisy: only runs back to
// back compare, and one process of a kind can be luckier than another, so
// list a variant more than once to see it). Each serves bench/actions.yml;
// load.mjs drives it with 32 connections (BENCH_CONNECTIONS) for 4 s after 1 s warm-up; the
// server's CPU per request is read from /proc. Prints each variant's CPU µs
// per request per round, and each one's ratio to the first, round by round.
//   node bench/compare-variants.mjs '<json variants>' [rounds]
//   e.g. node bench/compare-variants.mjs '[{"name":"off","args":["--metrics","off"]},{"name":"on"}]' 6
//   a variant: { name, bin?: another build's dist/cli/bin.js, args?: serve flags,
//                baseline?: true for the hand-written server (bench/baseline.ts) }
//   BENCH_LOAD=rasa: a new connection per call with aiohttp's headers (rasa-load.mjs)
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baselineArgs, cpuMs, freePort, runProcess, serveArgs, startProcess } from './processes.mjs';
import { webhookBody } from './webhook-body.mjs';
const here = dirname(fileURLToPath(import.meta.url));
const bodyFile = join(tmpdir(), `slotwire-variants-${process.pid}.json`);
await writeFile(bodyFile, webhookBody('action_order_status', 10));
const upPort = await freePort();
const up = await startProcess('up', process.execPath, [join(here, 'upstream.mjs'), String(upPort)], {
  ready: /listening/,
});
if (!process.argv[2]) {
  console.error(
    'usage: node bench/compare-variants.mjs \'[{"name":"off","args":["--metrics","off"]},{"name":"on"}]\' [rounds]',
  );
  process.exit(2);
}
const variants = JSON.parse(process.argv[2]);
const rounds = Number(process.argv[3] ?? 6);
const servers = [];
for (const v of variants) {
  const port = await freePort();
  const args = v.baseline
    ? baselineArgs(port, `http://127.0.0.1:${upPort}`)
    : [...serveArgs(port, v.bin), ...(v.args ?? [])];
  const p = await startProcess(v.name, process.execPath, args, {
    env: { BENCH_UPSTREAM_URL: `http://127.0.0.1:${upPort}` },
    ready: /serving|listening/,
  });
  servers.push({ ...v, p, url: `http://127.0.0.1:${port}`, cpu: [] });
}
for (let round = 0; round < rounds; round++)
  for (const s of servers) {
    const before = cpuMs(s.p.child.pid);
    const out = await runProcess(process.execPath, [
      join(here, process.env.BENCH_LOAD === 'rasa' ? 'rasa-load.mjs' : 'load.mjs'),
      JSON.stringify({
        connections: Number(process.env.BENCH_CONNECTIONS ?? 32),
        durationMs: 4000,
        warmupMs: 1000,
        url: s.url,
        path: '/webhook',
        bodyFile,
      }),
    ]);
    const r = JSON.parse(out.trim().split('\n').pop());
    s.cpu.push(((cpuMs(s.p.child.pid) - before) * 1000) / r.completed);
  }
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const s of servers)
  console.log(s.name.padEnd(12), s.cpu.map((c) => c.toFixed(0)).join(' '), ' median', med(s.cpu).toFixed(0));
for (let i = 1; i < servers.length; i++)
  console.log(
    `${servers[i].name} ÷ ${servers[0].name}:`,
    servers[i].cpu.map((c, k) => (c / servers[0].cpu[k]).toFixed(2)).join(' '),
    'median',
    med(servers[i].cpu.map((c, k) => c / servers[0].cpu[k])).toFixed(2),
  );
for (const s of servers) await s.p.stop();
await up.stop();
