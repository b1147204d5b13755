// The authoring page from a production install: `slotwire studio`
// prints its address, the token opens the page, the page's bundle (built
// at pack time into dist/studio/page/) is served, and SIGTERM stops it with
// exit code 0. Every wait is bounded; whatever happens, the process is killed.
//   node studio-smoke.mjs node_modules/.bin/slotwire
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

const dir = mkdtempSync(join(tmpdir(), 'slotwire-studio-smoke-'));
writeFileSync(
  join(dir, 'actions.yml'),
  'version: 1\nconnections:\n  api: { base_url: "http://127.0.0.1:9" }\nactions:\n  ping:\n    request: { connection: api, path: /ping }\n    slots: { pong: "{{ response.body.ok }}" }\n',
);
const studio = spawn(process.argv[2], ['studio', '--actions', join(dir, 'actions.yml'), '--port', '0'], {
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
studio.stdout.on('data', (chunk) => {
  output += chunk;
});
studio.stderr.on('data', (chunk) => {
  output += chunk;
});
const exited = new Promise((resolve) => studio.once('exit', (code, signal) => resolve({ code, signal })));

try {
  const started = Date.now();
  let address = null;
  while (address === null && Date.now() - started < START_TIMEOUT_MS) {
    address = /http:\/\/\S+\?token=\S+/.exec(output)?.[0] ?? null;
    if (address === null) await sleep(100);
  }
  assert.ok(address, `no address printed:\n${output}`);
  const base = new URL(address).origin;
  assert.equal((await fetch(`${base}/`)).status, 401, 'the page without the token');
  const trade = await fetch(address, { redirect: 'manual' });
  assert.equal(trade.status, 303);
  const cookie = (trade.headers.get('set-cookie') ?? '').split(';')[0];
  const page = await fetch(`${base}/`, { headers: { cookie } });
  assert.equal(page.status, 200);
  assert.match(await page.text(), /assets\/main\.js/);
  const bundle = await fetch(`${base}/assets/main.js`, { headers: { cookie } });
  assert.equal(bundle.status, 200, 'the bundle is in the package');
  const state = await (await fetch(`${base}/api/state`, { headers: { cookie } })).json();
  assert.deepEqual(
    state.actions.map((a) => a.name),
    ['ping'],
  );
  studio.kill('SIGTERM');
  const result = await Promise.race([exited, sleep(STOP_TIMEOUT_MS).then(() => null)]);
  assert.deepEqual(result, { code: 0, signal: null }, `studio did not stop on SIGTERM:\n${output}`);
  console.log('studio-smoke: ok');
} finally {
  studio.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
