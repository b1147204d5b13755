// Engines sharing one real Redis, as replicas do: what is shared
// (tokens, dedupe records, cache: { shared: true }), what stays per process
// (breakers, other caches), and what each use does while Redis is down
// (docs/deploy.md): tokens and caches fall back to memory, dedupe follows
// the action's if_store_down. And what a stalled Redis (frozen with
// SIGSTOP: connections open, nothing answered) does to de-duplication:
// claims carry their owner and deadline (docs/deploy.md#claims).
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { connectRedisState, createEngine } from '../../runtime/index.js';
import type { Engine, EngineObserver, RedisState, StoreUse } from '../../runtime/index.js';
import { dedupeKey } from '../../runtime/engine/dedupe.js';
import { userTurnId } from '../../runtime/execute/index.js';
import { CLAIM_GRACE_MS, CLAIM_TTL_MARGIN_MS } from '../../runtime/state/claim.js';
import type { ClaimRecord } from '../../runtime/state/claim.js';
import { trackerFromDict } from '../../runtime/rasa/index.js';
import { json, startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';
import { writeActionsFile } from '../support/actions-file.js';
import { startRedis } from '../support/redis.js';
import type { RedisServer } from '../support/redis.js';
import { needs } from '../support/services.js';
import { waitFor } from '../support/wait-for.js';

const ACTIONS = `version: 1
connections:
  api:
    base_url: \${API}
    auth:
      type: oauth2_client_credentials
      token_url: \${API}/token
      client_id: slotwire
      client_secret: \${SECRET}
  plain:
    base_url: \${API}
  flaky:
    base_url: \${API}
    retry: { attempts: 1 }
    circuit_breaker: { failures: 2, cooldown: 1m }
actions:
  lookup:
    request: { connection: api, path: /lookup }
    slots: { who: "{{ response.body.who }}" }
  book_strict:
    dedupe: 1m
    request: { connection: api, method: POST, path: /book }
    slots: { booking: "{{ response.body.id }}" }
    on_error:
      slots: { booking_error: "{{ error.code }}" }
  book_lenient:
    dedupe: { window: 1m, if_store_down: run }
    request: { connection: api, method: POST, path: /book }
    slots: { booking: "{{ response.body.id }}" }
  weather_shared:
    request: { connection: api, path: /weather, cache: { ttl: 1m, shared: true } }
    slots: { weather: "{{ response.body.n }}" }
  weather_local:
    request: { connection: api, path: /weather, cache: { ttl: 1m } }
    slots: { weather: "{{ response.body.n }}" }
  book_quick:
    deadline: 3s
    dedupe: 1m
    request: { connection: plain, method: POST, path: /book }
    slots: { booking: "{{ response.body.id }}" }
    on_error:
      slots: { booking_error: "{{ error.code }}" }
  book_quick_lenient:
    deadline: 3s
    dedupe: { window: 1m, if_store_down: run }
    request: { connection: plain, method: POST, path: /book }
    slots: { booking: "{{ response.body.id }}" }
  book_held:
    deadline: 3s
    dedupe: 1m
    request: { connection: plain, method: POST, path: /held }
    slots: { booking: "{{ response.body.id }}" }
    on_error:
      slots: { booking_error: "{{ error.code }}" }
  broken:
    request: { connection: flaky, path: /broken }
    on_error:
      slots: { broken_error: "{{ error.kind }}" }
`;

let redis: RedisServer;
let api: TestServer;
let file: string;
const hits = new Map<string, number>();
const count = (path: string) => hits.get(path) ?? 0;
let stores: RedisState[] = [];
let engines: Engine[] = [];
let unavailable: StoreUse[] = [];
/** Tokens numbered below this are refused with 401 (the provider rotated its keys). */
let oldestValidToken = 1;
/** Answers of /held, sent when the test lets them go. */
const held: Array<() => void> = [];
/** The action's deadline in ACTIONS, for the book_* actions. */
const DEADLINE_MS = 3000;

const observer: EngineObserver = {
  run: () => ({ trace: undefined, end() {} }),
  storeUnavailable: (use) => unavailable.push(use),
};

/** An engine as one replica: its own Redis connection, the shared prefix of this test. */
async function replica(prefix: string): Promise<Engine> {
  const state = await connectRedisState({ url: redis.url, prefix, timeoutMs: 300 });
  stores.push(state);
  const engine = await createEngine({
    actionsFile: file,
    env: { API: api.origin, SECRET: 'client-secret' },
    state,
    observer,
  });
  engines.push(engine);
  return engine;
}

const turn = (messageId: string) => ({
  tracker: trackerFromDict({ sender_id: 'u1', latest_message: { text: 'hi', message_id: messageId }, events: [] }),
});
const slotsOf = (result: { events: readonly { event: string; name?: string | null; value?: unknown }[] }) =>
  Object.fromEntries(result.events.filter((e) => e.event === 'slot').map((e) => [e.name, e.value]));

let prefixes = 0;
const nextPrefix = () => `shared-${process.pid}-${++prefixes}:`;

beforeAll(async () => {
  redis = await startRedis();
  api = await startServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    hits.set(path, count(path) + 1);
    if (path === '/token') return json(res, 200, { access_token: `tok-${count(path)}`, expires_in: 3600 });
    if (path === '/lookup') {
      const token = Number((req.headers.authorization ?? '').replace('Bearer tok-', ''));
      return token >= oldestValidToken ? json(res, 200, { who: 'alice' }) : json(res, 401, { error: 'expired' });
    }
    if (path === '/book') return json(res, 201, { id: `B-${count(path)}` });
    if (path === '/weather') return json(res, 200, { n: count(path) });
    if (path === '/held') {
      const id = `H-${count(path)}`;
      held.push(() => json(res, 201, { id }));
      return;
    }
    return json(res, 503, {});
  });
  file = writeActionsFile(ACTIONS);
});

beforeEach(() => {
  hits.clear();
  unavailable = [];
});

afterEach(async () => {
  for (const answer of held.splice(0)) answer();
  await Promise.all(engines.splice(0).map((e) => e.close()));
  await Promise.all(stores.splice(0).map((s) => s.close()));
  if (!(await isUp())) await redis.start();
});

afterAll(async () => {
  await api.close();
  await redis.stop();
});

async function isUp(): Promise<boolean> {
  return redis.cli('ping') === 'PONG';
}

needs('redis-server').describe('engines sharing Redis', () => {
  it('share one OAuth2 token and dedupe records, and a shared cache, but not an unshared cache', async () => {
    const prefix = nextPrefix();
    const [a, b] = await Promise.all([replica(prefix), replica(prefix)]);
    await Promise.all([a.run('lookup', turn('t1')), b.run('lookup', turn('t2'))]);
    expect(count('/token')).toBe(1);

    const first = await a.run('book_strict', turn('t3'));
    const rerun = await b.run('book_strict', turn('t3'));
    expect(rerun.replayed).toBe(true);
    expect(slotsOf(rerun)).toEqual(slotsOf(first));
    expect(count('/book')).toBe(1);

    await a.run('weather_shared', turn('t4'));
    expect(slotsOf(await b.run('weather_shared', turn('t5')))).toEqual({ weather: 1 });
    expect(count('/weather')).toBe(1);
    await a.run('weather_local', turn('t6'));
    await b.run('weather_local', turn('t7'));
    expect(count('/weather')).toBe(3);
  });

  it('after a 401, one replica fetches a new token and the other picks it up from Redis', async () => {
    const prefix = nextPrefix();
    const [a, b] = await Promise.all([replica(prefix), replica(prefix)]);
    await a.run('lookup', turn('r1'));
    await b.run('lookup', turn('r2'));
    expect(count('/token')).toBe(1);
    oldestValidToken = 2;
    try {
      expect(slotsOf(await a.run('lookup', turn('r3')))).toEqual({ who: 'alice' });
      expect(count('/token')).toBe(2);
      // b still holds tok-1: its 401 makes it read tok-2 from Redis, not fetch a third.
      expect(slotsOf(await b.run('lookup', turn('r4')))).toEqual({ who: 'alice' });
      expect(count('/token')).toBe(2);
    } finally {
      oldestValidToken = 1;
    }
  });

  it('keep a circuit breaker per process', async () => {
    const prefix = nextPrefix();
    const [a, b] = await Promise.all([replica(prefix), replica(prefix)]);
    for (const t of ['b1', 'b2', 'b3']) await a.run('broken', turn(t));
    // a's breaker opened after two failures: its third run called nothing.
    expect(count('/broken')).toBe(2);
    expect(slotsOf(await a.run('broken', turn('b4')))).toEqual({ broken_error: 'circuit_open' });
    // b has seen no failure of its own, so it still calls.
    await b.run('broken', turn('b5'));
    expect(count('/broken')).toBe(3);
  });

  it('while Redis is down: tokens fall back to memory, dedupe fails closed by default or runs locally when declared', async () => {
    const prefix = nextPrefix();
    const a = await replica(prefix);
    await redis.stop();

    expect(slotsOf(await a.run('lookup', turn('d1')))).toEqual({ who: 'alice' });
    expect(count('/token')).toBe(1);
    expect(unavailable).toContain('token');

    const strict = await a.run('book_strict', turn('d2'));
    expect(strict.outcome).toMatchObject({ status: 'error', error: { kind: 'network', code: 'SW_DEDUPE_STORE_DOWN' } });
    expect(slotsOf(strict)).toEqual({ booking_error: 'SW_DEDUPE_STORE_DOWN' });
    expect(count('/book')).toBe(0);
    expect(unavailable).toContain('dedupe');

    const lenient = await a.run('book_lenient', turn('d3'));
    const again = await a.run('book_lenient', turn('d3'));
    expect(count('/book')).toBe(1);
    expect(again.replayed).toBe(true);
    expect(slotsOf(again)).toEqual(slotsOf(lenient));

    await redis.start();
    const state = stores[0];
    await waitFor(() => state.connected(), { timeoutMs: 8000, what: 'the store reconnects' });
    expect(a.status().state).toEqual({ store: 'redis', connected: true });
    const back = await a.run('book_strict', turn('d4'));
    expect(slotsOf(back)).toEqual({ booking: 'B-2' });
  });
});

/** Every replica's store sees Redis answer again (its next PING after a thaw). */
const allAnswer = () =>
  waitFor(() => stores.every((s) => s.connected()), { timeoutMs: 2000, what: 'every replica sees Redis answer' });

/** Writes, through the first replica's store, the claim another replica would hold for `action` in turn `messageId`. */
async function plantClaim(action: string, messageId: string, claim: ClaimRecord<unknown>) {
  const key = dedupeKey(action, 'u1', userTurnId(turn(messageId).tracker));
  expect(await stores[0].add(key, claim, 60_000)).toBe(true);
}

needs('redis-server').describe('engines sharing a Redis that stalls', () => {
  it('a claim Redis applied after its caller gave up holds nothing: the re-run on the other replica books once, in time', async () => {
    const prefix = nextPrefix();
    const [a, b] = await Promise.all([replica(prefix), replica(prefix)]);
    redis.freeze();
    let refused;
    try {
      const started = Date.now();
      refused = await a.run('book_quick', turn('s1'));
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      redis.thaw();
    }
    expect(slotsOf(refused)).toEqual({ booking_error: 'SW_DEDUPE_STORE_DOWN' });
    await allAnswer();
    const started = Date.now();
    const rerun = await b.run('book_quick', turn('s1'));
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + 100);
    expect(slotsOf(rerun)).toEqual({ booking: 'B-1' });
    expect(count('/book')).toBe(1);
  });

  it('takes over a claim once its deadline has passed (its owner is gone), and books within its own deadline', async () => {
    const prefix = nextPrefix();
    const b = await replica(prefix);
    await plantClaim('book_quick', 'g1', {
      state: 'running',
      owner: 'a-replica-that-died',
      deadline: Date.now() + 200,
    });
    const started = Date.now();
    const run = await b.run('book_quick', turn('g1'));
    const ms = Date.now() - started;
    expect(slotsOf(run)).toEqual({ booking: 'B-1' });
    expect(ms).toBeGreaterThanOrEqual(200 + CLAIM_GRACE_MS - 50);
    expect(ms).toBeLessThan(DEADLINE_MS + 100);
    expect(count('/book')).toBe(1);
  });

  it('answers SW_DEDUPE_IN_PROGRESS at its own deadline while a live claim holds the turn, calling nothing', async () => {
    const prefix = nextPrefix();
    const b = await replica(prefix);
    const live: ClaimRecord<unknown> = { state: 'running', owner: 'a-slow-replica', deadline: Date.now() + 60_000 };
    await plantClaim('book_quick', 'p1', live);
    const started = Date.now();
    const run = await b.run('book_quick', turn('p1'));
    const ms = Date.now() - started;
    expect(run.outcome).toMatchObject({ status: 'error', error: { kind: 'network', code: 'SW_DEDUPE_IN_PROGRESS' } });
    expect(slotsOf(run)).toEqual({ booking_error: 'SW_DEDUPE_IN_PROGRESS' });
    expect(ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(ms).toBeLessThan(DEADLINE_MS + 100);
    expect(count('/book')).toBe(0);
  });

  it('answers at its own deadline when Redis stalls in the last moments of its wait', async () => {
    const prefix = nextPrefix();
    const b = await replica(prefix);
    const live: ClaimRecord<unknown> = { state: 'running', owner: 'a-slow-replica', deadline: Date.now() + 60_000 };
    await plantClaim('book_quick', 'w1', live);
    const started = Date.now();
    // The fault under test: Redis stalls 150 ms before the run's deadline, for longer than the store's timeout (300 ms).
    const stall = setTimeout(() => redis.freeze(), DEADLINE_MS - 150);
    let run;
    try {
      run = await b.run('book_quick', turn('w1'));
    } finally {
      clearTimeout(stall);
      redis.thaw();
    }
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + 100);
    expect(run.outcome).toMatchObject({ status: 'error', error: { kind: 'network', code: 'SW_DEDUPE_IN_PROGRESS' } });
    expect(count('/book')).toBe(0);
  });

  it('with if_store_down: fail, a turn whose result is stored during a stall reaches the upstream once', async () => {
    const prefix = nextPrefix();
    const [a, b] = await Promise.all([replica(prefix), replica(prefix)]);
    const first = a.run('book_held', turn('h1'));
    await waitFor(() => held.length === 1, { timeoutMs: 2000, what: 'the first run reaches the upstream' });
    // Its claim lives about the action's deadline plus a margin, not the dedupe window (1m).
    const ttl = Number(redis.cli('pttl', `${prefix}${dedupeKey('book_held', 'u1', userTurnId(turn('h1').tracker))}`));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(DEADLINE_MS + CLAIM_TTL_MARGIN_MS);
    redis.freeze();
    try {
      // Another turn meanwhile finds Redis not answering: the replica now counts it as down.
      expect(slotsOf(await a.run('book_held', turn('h2')))).toEqual({ booking_error: 'SW_DEDUPE_STORE_DOWN' });
      held.shift()?.();
      expect(slotsOf(await first)).toEqual({ booking: 'H-1' });
    } finally {
      redis.thaw();
    }
    await allAnswer();
    const started = Date.now();
    const rerun = await b.run('book_held', turn('h1'));
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + 100);
    expect(rerun.replayed).toBe(true);
    expect(slotsOf(rerun)).toEqual({ booking: 'H-1' });
    expect(count('/held')).toBe(1);
  });

  it('with if_store_down: run, a turn run during a stall is replayed on the other replica after it, not run again', async () => {
    const prefix = nextPrefix();
    const [a, b] = await Promise.all([replica(prefix), replica(prefix)]);
    redis.freeze();
    let first;
    try {
      first = await a.run('book_quick_lenient', turn('l1'));
    } finally {
      redis.thaw();
    }
    expect(slotsOf(first)).toEqual({ booking: 'B-1' });
    await allAnswer();
    const started = Date.now();
    const again = await b.run('book_quick_lenient', turn('l1'));
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + 100);
    expect(again.replayed).toBe(true);
    expect(slotsOf(again)).toEqual({ booking: 'B-1' });
    expect(count('/book')).toBe(1);
  });
});
