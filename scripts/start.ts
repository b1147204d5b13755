/**
 * `npm start`: the bundled demo API (examples/demo-api) on 127.0.0.1:5056
 * and `slotwire serve` for ./actions.yml on :5055, so a fresh clone answers
 * a webhook call with real slots and no network. Prints both URLs and a
 * ready curl. Ctrl-C or SIGTERM stops both.
 *
 * The demo API runs in this process; slotwire runs as its own process,
 * exactly as `slotwire serve` (dist/cli/bin.js after `npm ci`, else the
 * TypeScript source through tsx), so what you see is what you deploy.
 *
 * Environment: PORT (5055), DEMO_API_PORT (5056), HOST (127.0.0.1; set
 * 0.0.0.0 when Rasa runs in a container), RESTAURANT_API_URL (the demo API).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDemoApi } from '../examples/demo-api/app.js';
import { listen } from '../runtime/index.js';
import type { ServerHandle } from '../runtime/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env['PORT'] ?? 5055);
const demoPort = Number(process.env['DEMO_API_PORT'] ?? 5056);
const host = process.env['HOST'] ?? '127.0.0.1';
/** How long slotwire may take to answer /health after it was started. */
const READY_TIMEOUT_MS = 30_000;
/** How long slotwire may take to finish in-flight calls when asked to stop. */
const STOP_TIMEOUT_MS = 12_000;

/** A webhook call as Rasa sends it (docs/protocol.md#the-request), trimmed to what the action reads. */
const sampleCall = {
  next_action: 'check_restaurant_availability',
  sender_id: 'demo-user',
  tracker: {
    sender_id: 'demo-user',
    slots: { restaurant_id: 'trattoria-roma', party_size: 4, booking_time: '19:00' },
    latest_message: { text: 'a table for 4 at 7pm at Trattoria Roma', intent: {}, entities: [] },
    events: [],
  },
};

let demo: ServerHandle | null = null;
let slotwire: ChildProcess | null = null;
let stopping = false;

async function start(): Promise<void> {
  try {
    demo = await listen(createDemoApi(), { port: demoPort, hostname: '127.0.0.1', gracePeriodMs: 2000 });
  } catch (err) {
    const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
    fail(
      inUse
        ? `port ${demoPort} is in use; stop what runs there or set DEMO_API_PORT.`
        : `the demo API did not start: ${(err as Error).message}`,
    );
    return;
  }

  const bin = `${root}dist/cli/bin.js`;
  const fromDist = existsSync(bin);
  const args = [
    ...(fromDist ? [bin] : ['--import', 'tsx', `${root}runtime/cli/bin.ts`]),
    'serve',
    '--actions',
    `${root}actions.yml`,
    '--port',
    String(port),
    '--host',
    host,
  ];
  // The root actions.yml defaults RESTAURANT_API_URL to :5056; follow DEMO_API_PORT when it moved.
  const env = { ...process.env, RESTAURANT_API_URL: process.env['RESTAURANT_API_URL'] ?? demo.url };
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
  slotwire = child;
  child.once('exit', (code, signal) => {
    slotwire = null;
    if (stopping) return;
    fail(
      `slotwire serve stopped (${signal ?? `exit code ${code}`})${code === 70 || code === 1 ? `; is port ${port} in use? Set PORT to move it.` : ''}`,
    );
  });

  const base = `http://127.0.0.1:${port}`;
  if (!(await ready(`${base}/health`, child))) {
    if (!stopping) fail(`slotwire did not answer ${base}/health within ${READY_TIMEOUT_MS / 1000} s.`);
    return;
  }
  const curl = `curl -s ${base}/webhook -H 'Content-Type: application/json' -d '${JSON.stringify(sampleCall)}'`;
  const check = await tryCall(`${base}/webhook`);
  process.stdout.write(
    [
      '',
      'slotwire demo is running',
      `  demo API        ${demo.url}   (restaurants, weather, CRM; GET / lists the endpoints)`,
      `  action server   ${base}/webhook   (${fromDist ? 'dist/cli/bin.js' : 'runtime/ via tsx'} serve --actions actions.yml)`,
      '',
      'Ask it what Rasa would ask:',
      '',
      `  ${curl}`,
      '',
      `  (just tried it: ${check})`,
      '',
      'Point Rasa at it in endpoints.yml:  action_endpoint: { url: "' + `${base}/webhook" }`,
      'The other examples (examples/*/) use the same demo API. Ctrl-C stops both servers.',
      '',
    ].join('\n'),
  );
}

/** Polls /health until it answers 200, slotwire exits, or the time is up. */
async function ready(url: string, child: ChildProcess): Promise<boolean> {
  const until = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < until && child.exitCode === null && !stopping) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Runs the sample call once, so the banner says whether it works. */
async function tryCall(url: string): Promise<string> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sampleCall),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as { events?: { event: string; name?: string; value?: unknown }[] };
    const slot = body.events?.find((e) => e.event === 'slot' && e.name === 'has_availability');
    return `${res.status}, has_availability = ${JSON.stringify(slot?.value ?? null)}`;
  } catch (err) {
    return `failed: ${(err as Error).message}`;
  }
}

/** Stops slotwire (SIGTERM, then SIGKILL after the grace time) and the demo API. */
async function stop(code: number): Promise<never> {
  stopping = true;
  const child = slotwire;
  const exited = child
    ? new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, STOP_TIMEOUT_MS).unref();
      })
    : Promise.resolve();
  await Promise.all([exited, demo?.close()]);
  process.exit(code);
}

function fail(message: string): void {
  process.stderr.write(`npm start: ${message}\n`);
  if (!stopping) void stop(1);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!stopping) void stop(0);
  });
}

// `npm start` runs this under `sh -c`. A SIGTERM sent to npm alone reaches
// that shell, which dies without passing it on; this process is then
// re-parented. Noticing that stops both servers instead of leaving them
// running with nobody to stop them.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent && !stopping) void stop(0);
}, 500).unref();

await start();
