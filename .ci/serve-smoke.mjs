// The action server from a production install: starts the command
// given as arguments, with {actions} and {port} replaced and PORT set in its
// environment, and checks that it serves an actions file the way Rasa and
// an orchestrator use it: /health and /ready answer 200, a webhook call
// answers 200 with the slot mapped from a loopback upstream's answer, and
// SIGTERM stops it with exit code 0. Every wait is bounded; whatever
// happens, the server's process group is killed and the upstream closed.
//   node serve-smoke.mjs node_modules/.bin/slotwire serve --actions {actions} --port {port}
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ORDERS_CONNECTION, startOrdersApi } from './orders-api.mjs';

const START_TIMEOUT_MS = 20_000; // slow shared CI machines
const STOP_TIMEOUT_MS = 10_000; // in-flight requests finish, then exit
const REQUEST_TIMEOUT_MS = 5_000;

const { server: upstream, origin } = await startOrdersApi();

const dir = mkdtempSync(join(tmpdir(), 'slotwire-serve-smoke-'));
const actions = join(dir, 'actions.yml');
writeFileSync(
  actions,
  `${ORDERS_CONNECTION}  check_order:
    request: { connection: orders, path: "/orders/{{ slots.order_id }}" }
    slots: { order_status: "{{ response.body.status }}" }
`,
);

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const [command, ...args] = process.argv
  .slice(2)
  .map((a) => a.replaceAll('{actions}', actions).replaceAll('{port}', String(port)));
assert.ok(command, 'usage: node serve-smoke.mjs <command> [args…]');
const server = spawn(command, args, {
  env: { ...process.env, PORT: String(port), ORDERS_URL: origin },
  stdio: ['ignore', 'pipe', 'pipe'],
  // A process group of its own, so the cleanup below also kills what it
  // left behind (a wrapper that forgot to exec leaves node running, holding
  // our pipes open). SIGTERM itself goes to the one process, as Docker and
  // Kubernetes send it to the container's PID 1.
  detached: true,
});
let output = '';
server.stdout.on('data', (chunk) => {
  output += chunk;
});
server.stderr.on('data', (chunk) => {
  output += chunk;
});
server.once('error', (err) => {
  output += `${err.message}\n`;
}); // e.g. no such command: exits below
const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })));

try {
  await waitForHealth();
  const ready = await fetch(`${base}/ready`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  assert.equal(ready.status, 200, '/ready');

  const call = {
    next_action: 'check_order',
    sender_id: 'smoke',
    tracker: { sender_id: 'smoke', slots: { order_id: '007' }, events: [] },
  };
  const res = await fetch(`${base}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(call),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await res.text();
  assert.equal(res.status, 200, `webhook answered ${res.status}: ${body}`);
  assert.deepEqual(JSON.parse(body).events, [
    { event: 'slot', timestamp: null, name: 'order_status', value: 'shipped' },
  ]);

  server.kill('SIGTERM');
  const stopped = await Promise.race([exited, sleep(STOP_TIMEOUT_MS, null, { ref: false })]);
  assert.ok(stopped, `still running ${STOP_TIMEOUT_MS / 1000} s after SIGTERM`);
  assert.deepEqual(stopped, { code: 0, signal: null }, 'exit after SIGTERM');
  console.log(`serve smoke: ok (${command} ${args.join(' ')})`);
} catch (err) {
  console.error(
    `serve smoke: FAIL: ${err instanceof Error ? err.message : String(err)}\n--- server output ---\n${output}`,
  );
  process.exitCode = 1;
} finally {
  try {
    if (server.pid !== undefined) process.kill(-server.pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is gone, as it should be
  }
  upstream.closeAllConnections();
  upstream.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Polls /health until it answers 200; fails if the server exits or the time is up. */
async function waitForHealth() {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null)
      throw new Error(`exited before serving (code ${server.exitCode}, signal ${server.signalCode})`);
    const status = await fetch(`${base}/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).then(
      (r) => r.status,
      () => null,
    );
    if (status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`/health not 200 within ${START_TIMEOUT_MS / 1000} s (last: ${status ?? 'no answer'})`);
    await sleep(200);
  }
}

/** A port free on loopback now (the kernel's pick for port 0). */
async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
