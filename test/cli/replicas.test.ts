// Two `slotwire serve --redis` processes, as two replicas behind a
// load balancer, sharing one real redis-server on loopback. They fetch one
// OAuth2 token between them, a re-run of a dedupe: action sent to the other
// process reaches the upstream once, a frozen Redis (SIGSTOP) shows as down
// and a booking made around it happens once, and with Redis stopped
// mid-load no call hangs past its deadline and both recover when Redis is
// back. Runs the built CLI (dist/), the way users run it.
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';
import { writeActionsFile } from '../support/actions-file.js';
import { builtCli } from '../support/built-cli.js';
import { startRedis } from '../support/redis.js';
import type { RedisServer } from '../support/redis.js';
import { needs } from '../support/services.js';
import { waitFor } from '../support/wait-for.js';

/** dist/cli/bin.js (builtCli in beforeAll). */
let bin = '';

const ACTIONS = `version: 1
connections:
  api:
    base_url: \${API_URL}
    auth:
      type: oauth2_client_credentials
      token_url: \${API_URL}/token
      client_id: slotwire
      client_secret: \${API_SECRET}
actions:
  action_lookup:
    deadline: 3s
    request:
      connection: api
      path: /lookup
    slots:
      who: "{{ response.body.who }}"
    on_error:
      slots:
        lookup_error: "{{ error.code }}"
  action_book:
    deadline: 3s
    dedupe: 10m
    request:
      connection: api
      method: POST
      path: /book
      body:
        table: 4
    slots:
      booking_id: "{{ response.body.id }}"
    on_error:
      slots:
        booking_error: "{{ error.code }}"
`;

const DEADLINE_MS = 3000;

type Slots = Record<string, unknown>;

interface Replica {
  readonly proc: ChildProcessByStdio<null, Readable, Readable>;
  readonly port: number;
  output(): string;
}

/** A webhook call of `action` for one user turn (its message id), answered with the slots it set. */
async function call(
  replica: Replica,
  action: string,
  turn: string,
  newConnection = false,
): Promise<{ status: number; slots: Slots; ms: number }> {
  const started = Date.now();
  const payload = JSON.stringify({
    next_action: action,
    sender_id: 'alice',
    tracker: { sender_id: 'alice', slots: {}, events: [], latest_message: { text: 'book it', message_id: turn } },
  });
  // A new TCP connection per call when asked (fetch would reuse its pool's).
  const res = await fetch(`http://127.0.0.1:${replica.port}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: payload,
    ...(newConnection ? { dispatcher: new Agent({ pipelining: 0 }) } : {}),
  } as RequestInit);
  const body = (await res.json()) as { events?: Array<{ event: string; name?: string; value?: unknown }> };
  const slots: Slots = {};
  for (const e of body.events ?? []) if (e.event === 'slot' && e.name !== undefined) slots[e.name] = e.value;
  return { status: res.status, slots, ms: Date.now() - started };
}

async function readiness(replica: Replica): Promise<{ store: string; connected: boolean }> {
  const res = await fetch(`http://127.0.0.1:${replica.port}/ready`);
  return ((await res.json()) as { state: { store: string; connected: boolean } }).state;
}

/** The replica's `slotwire_state_store_up`, as /metrics says it. */
async function storeUp(replica: Replica): Promise<string | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${replica.port}/metrics`)).text();
  return /^slotwire_state_store_up (\d+)$/m.exec(text)?.[1];
}

/** Both replicas say, on /ready and in their metric, that the store is `up` (or not). */
async function bothSay(replicas: readonly Replica[], up: boolean): Promise<boolean> {
  const seen = await Promise.all(replicas.map(async (r) => [(await readiness(r)).connected, await storeUp(r)]));
  return seen.every(([connected, metric]) => connected === up && metric === (up ? '1' : '0'));
}

function startReplica(
  actionsFile: string,
  env: NodeJS.ProcessEnv,
  extraArgs: readonly string[] = [],
): Promise<Replica> {
  const proc = spawn(
    process.execPath,
    [bin, 'serve', '--port', '0', '--host', '127.0.0.1', '--actions', actionsFile, ...extraArgs],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  // With --workers, every worker prints its own lines: wait for all of them.
  const workers = Number(extraArgs[extraArgs.indexOf('--workers') + 1] ?? 1) || 1;
  return new Promise((resolve, reject) => {
    const onData = () => {
      const port = /serving \d+ actions? from .* on http:\/\/127\.0\.0\.1:(\d+)\/webhook/.exec(out)?.[1];
      const withRedis = Boolean(env['SLOTWIRE_REDIS_URL']);
      if (port === undefined || (out.match(/slotwire: (worker \d+: )?serving /g) ?? []).length < workers) return;
      if (withRedis && (out.match(/slotwire: (worker \d+: )?state in /g) ?? []).length < workers) return;
      proc.stdout.off('data', onData);
      resolve({ proc, port: Number(port), output: () => out });
    };
    proc.stdout.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`serve exited ${code}:\n${out}`)));
  });
}

needs('redis-server').describe('two replicas sharing Redis', () => {
  let redis: RedisServer;
  let upstream: TestServer;
  let a: Replica;
  let b: Replica;
  let file = '';
  let env: NodeJS.ProcessEnv = {};
  let tokenFetches = 0;
  let bookings = 0;
  const seenTokens = new Set<string>();

  beforeAll(async () => {
    bin = builtCli();
    redis = await startRedis();
    upstream = await startServer((req, res) => {
      // An upstream that takes `delayMs` to answer: how slow it is belongs to each scenario.
      const reply = (status: number, body: unknown, delayMs = 0) =>
        setTimeout(() => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        }, delayMs);
      if (req.url === '/token') {
        tokenFetches++;
        // Slow enough that every first call of both replicas misses the token together.
        return reply(200, { access_token: `tok-${tokenFetches}`, token_type: 'Bearer', expires_in: 3600 }, 300);
      }
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Bearer tok-')) return reply(401, { error: 'no token' });
      seenTokens.add(auth);
      if (req.url === '/lookup') return reply(200, { who: 'alice' }, 5);
      if (req.url === '/book') {
        bookings++;
        // Slow enough that two overlapping runs of one turn really overlap.
        return reply(200, { id: `B${bookings}` }, 150);
      }
      return reply(404, {});
    });
    file = writeActionsFile(ACTIONS);
    env = {
      API_URL: upstream.origin,
      API_SECRET: 'sw-client-secret',
      SLOTWIRE_REDIS_URL: redis.url,
      SLOTWIRE_REDIS_PREFIX: `replicas-${process.pid}:`,
    };
    [a, b] = await Promise.all([startReplica(file, env), startReplica(file, env)]);
  });

  afterAll(async () => {
    for (const r of [a, b]) r?.proc.kill('SIGKILL');
    await upstream?.close();
    await redis?.stop();
  });

  it('fetch one OAuth2 token between them', async () => {
    const calls = Array.from({ length: 20 }, (_, i) => call(i % 2 === 0 ? a : b, 'action_lookup', `lookup-${i}`));
    const answers = await Promise.all(calls);
    expect(answers.map((x) => x.slots['who'])).toEqual(Array(20).fill('alice'));
    expect(tokenFetches).toBe(1);
    expect(seenTokens).toEqual(new Set(['Bearer tok-1']));
    // The token is in Redis under the prefix, and the client secret is nowhere in it.
    const keys = redis.cli('keys', '*');
    expect(keys).toMatch(new RegExp(`^replicas-${process.pid}:token:api@`, 'm'));
    expect(
      redis.cli(
        '--no-raw',
        'eval',
        "local out = {} for _, k in ipairs(redis.call('keys', '*')) do if redis.call('type', k)['ok'] == 'string' then table.insert(out, redis.call('get', k)) end end return out",
        '0',
      ),
    ).not.toContain('sw-client-secret');
  });

  it.each([
    ['with --redis, one token for both workers', true, 1],
    ['without it, one per worker (the control: both workers served)', false, 2],
  ])('--workers 2 %s', async (_label, shared, fetches) => {
    const workersEnv = shared
      ? { ...env, SLOTWIRE_REDIS_PREFIX: `workers-${process.pid}:` }
      : { ...env, SLOTWIRE_REDIS_URL: '' };
    const pool = await startReplica(file, workersEnv, ['--workers', '2']);
    try {
      const before = tokenFetches;
      // A connection per call, as Rasa calls: the primary deals connections to the workers in turn.
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await call(pool, 'action_lookup', `w-${i}`, true));
      expect(answers.map((x) => x.slots['who'])).toEqual(Array(6).fill('alice'));
      expect(tokenFetches - before).toBe(fetches);
    } finally {
      pool.proc.kill('SIGTERM');
      await new Promise((resolve) => pool.proc.once('exit', resolve));
    }
  });

  it('answer a re-run of a dedupe: action on the other replica from the first run', async () => {
    const before = bookings;
    const first = await call(a, 'action_book', 'turn-1');
    const rerun = await call(b, 'action_book', 'turn-1');
    expect(first.slots['booking_id']).toMatch(/^B\d+$/);
    expect(rerun.slots['booking_id']).toBe(first.slots['booking_id']);
    // Two overlapping runs of a new turn, one on each replica: one booking.
    const [x, y] = await Promise.all([call(a, 'action_book', 'turn-2'), call(b, 'action_book', 'turn-2')]);
    expect(x.slots['booking_id']).toBe(y.slots['booking_id']);
    expect(bookings - before).toBe(2);
  });

  it('say a frozen Redis is down on /ready and in slotwire_state_store_up within 2 s, and up within 2 s of its thaw', async () => {
    expect(await bothSay([a, b], true)).toBe(true);
    redis.freeze();
    try {
      await waitFor(() => bothSay([a, b], false), {
        timeoutMs: 2000,
        what: 'both replicas report the frozen Redis down',
      });
    } finally {
      redis.thaw();
    }
    await waitFor(() => bothSay([a, b], true), { timeoutMs: 2000, what: 'both replicas report the thawed Redis up' });
  });

  it('refuse a booking at once while Redis is frozen, and its re-run on the other replica after the thaw books once, in time', async () => {
    const before = bookings;
    let refused;
    redis.freeze();
    try {
      refused = await call(a, 'action_book', 'stall-1');
    } finally {
      redis.thaw();
    }
    expect(refused.slots).toEqual({ booking_error: 'SW_DEDUPE_STORE_DOWN' });
    expect(refused.ms).toBeLessThan(1000);
    await waitFor(() => bothSay([a, b], true), { timeoutMs: 2000, what: 'both replicas report the thawed Redis up' });
    const rerun = await call(b, 'action_book', 'stall-1');
    expect(rerun.ms).toBeLessThan(DEADLINE_MS + 100);
    expect(rerun.slots['booking_id']).toMatch(/^B\d+$/);
    expect(bookings - before).toBe(1);
  });

  it('never hang past the deadline while Redis is down, and recover when it is back', async () => {
    const results: Array<{ status: number; slots: Slots; ms: number }> = [];
    let stop = false;
    let n = 0;
    const worker = async (replica: Replica) => {
      while (!stop) {
        n++;
        results.push(await call(replica, n % 2 === 0 ? 'action_lookup' : 'action_book', `load-${n}`));
      }
    };
    const load = Promise.all([worker(a), worker(b), worker(a), worker(b)]);
    await waitFor(() => results.length >= 8, { timeoutMs: 10_000, what: 'calls answered before the outage' });
    const beforeOutage = results.length;
    await redis.stop();
    // The outage lasts until both replicas have noticed it and served through it: lookups
    // answered, and bookings refused for the store being down.
    await waitFor(
      () => {
        const during = results.slice(beforeOutage);
        return (
          [a, b].every((r) => r.output().includes('state store: redis unreachable')) &&
          during.some((r) => r.slots['who'] === 'alice') &&
          during.some((r) => r.slots['booking_error'] === 'SW_DEDUPE_STORE_DOWN')
        );
      },
      { timeoutMs: 10_000, what: 'both replicas serve through the outage' },
    );
    const duringOutage = results.length;
    await redis.start();
    await waitFor(async () => (await readiness(a)).connected && (await readiness(b)).connected, {
      timeoutMs: 10_000,
      what: 'both replicas reconnect',
    });
    stop = true;
    await load;

    expect(results.length).toBeGreaterThan(20);
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.ms).toBeLessThan(DEADLINE_MS);
    }
    // While down: lookups kept working (the token fell back to each process's memory),
    // and bookings refused to call (if_store_down: fail is the default) instead of risking a double booking.
    expect(results.slice(0, duringOutage).some((r) => r.slots['booking_error'] === 'SW_DEDUPE_STORE_DOWN')).toBe(true);
    expect(
      results.every(
        (r) =>
          r.slots['who'] === 'alice' ||
          r.slots['booking_id'] !== undefined ||
          r.slots['booking_error'] === 'SW_DEDUPE_STORE_DOWN',
      ),
    ).toBe(true);
    expect(a.output() + b.output()).toContain('state store: redis unreachable');
    expect(a.output() + b.output()).not.toContain('sw-client-secret');

    // Back: a re-run on the other replica is answered from Redis again.
    const before = bookings;
    const first = await call(b, 'action_book', 'after-outage');
    const rerun = await call(a, 'action_book', 'after-outage');
    expect(rerun.slots['booking_id']).toBe(first.slots['booking_id']);
    expect(bookings - before).toBe(1);
    const metrics = await (await fetch(`http://127.0.0.1:${a.port}/metrics`)).text();
    expect(metrics).toMatch(/^slotwire_state_store_up 1$/m);
    expect(metrics).toMatch(/^slotwire_state_store_unavailable_total\{use="dedupe"\} [1-9]/m);
  });
});

describe('serve --redis on the command line', () => {
  it.each([[['--redis', 'http://user:s3cret@cache.internal:6379']], [['--redis', 'cache.internal:6379']]])(
    'refuses %j with one line and exit 2, without echoing the URL',
    async (args) => {
      const r = await runCli(['serve', ...args]);
      expect(r.code).toBe(2);
      expect(r.err.split('\n')[0]).toBe(
        'slotwire serve: --redis (or SLOTWIRE_REDIS_URL) must be a redis:// or rediss:// URL (see: slotwire serve --help)',
      );
      expect(r.err).not.toContain('s3cret');
      expect(r.err).not.toContain('cache.internal');
    },
  );

  it('reads SLOTWIRE_REDIS_URL the same way', async () => {
    const r = await runCli(['serve'], { SLOTWIRE_REDIS_URL: 'mysql://root:pw@db' });
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      'slotwire serve: --redis (or SLOTWIRE_REDIS_URL) must be a redis:// or rediss:// URL (see: slotwire serve --help)',
    );
  });
});
