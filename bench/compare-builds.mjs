// Two builds of slotwire side by side in one session (the machine is shared
// and noisy, so only pairs run back to back compare): each serves
// bench/actions.yml in its own process at the default log level (or
// BENCH_LOG_LEVEL), load.mjs
// drives it for 5 s after 1 s warm-up, and the server's CPU per request is
// read from /proc. Rounds alternate A B A B.
//   node bench/compare-builds.mjs OTHER_BIN [action] [rounds]
//   e.g. git worktree add /tmp/old <rev> && (cd /tmp/old && npm ci)
//        node bench/compare-builds.mjs /tmp/old/dist/cli/bin.js action_order_status 4
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMs, freePort, runProcess, serveArgs, startProcess } from './processes.mjs';
import { webhookBody } from './webhook-body.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const [other, action = 'action_order_status', rounds = '4'] = process.argv.slice(2);
if (!other) {
  console.error('usage: node bench/compare-builds.mjs OTHER_BIN [action] [rounds]');
  process.exit(2);
}
const bins = { other, this: join(here, '../dist/cli/bin.js') };
const bodyFile = join(tmpdir(), `slotwire-compare-${process.pid}.json`);
await writeFile(bodyFile, webhookBody(action, 10));
const upPort = await freePort();
const upstream = await startProcess('upstream', process.execPath, [join(here, 'upstream.mjs'), String(upPort)], {
  ready: /listening/,
});

const results = { other: [], this: [] };
for (let round = 0; round < Number(rounds); round++) {
  for (const name of ['other', 'this']) {
    const port = await freePort();
    const server = await startProcess(name, process.execPath, serveArgs(port, bins[name]), {
      env: { BENCH_UPSTREAM_URL: `http://127.0.0.1:${upPort}` },
      ready: /serving/,
    });
    const before = cpuMs(server.child.pid);
    const load = {
      url: `http://127.0.0.1:${port}`,
      path: '/webhook',
      bodyFile,
      connections: 32,
      durationMs: 5000,
      warmupMs: 1000,
    };
    const r = JSON.parse(
      (await runProcess(process.execPath, [join(here, 'load.mjs'), JSON.stringify(load)])).trim().split('\n').pop(),
    );
    results[name].push({ rps: r.rps, cpuUs: ((cpuMs(server.child.pid) - before) * 1000) / r.completed });
    await server.stop();
  }
}
await upstream.stop();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratios = results.this.map((t, i) => t.cpuUs / results.other[i].cpuUs);
console.log(`${action}, ${rounds} rounds A B`);
for (const name of ['other', 'this'])
  console.log(
    `  ${name.padEnd(5)} CPU µs/request ${results[name].map((r) => r.cpuUs.toFixed(0)).join(', ')}; req/s ${results[name].map((r) => Math.round(r.rps)).join(', ')}`,
  );
console.log(
  `  this ÷ other CPU per request, pair by pair: ${ratios.map((x) => x.toFixed(2)).join(', ')} (median ${median(ratios).toFixed(2)})`,
);
