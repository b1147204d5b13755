/**
 * The Redis state store against a real redis-server on loopback: the
 * StateStore contract (store-contract.ts), and what only a shared store
 * has: clients on other connections, key prefixes, what Redis sees of
 * cached requests, and what it does while Redis is stopped, frozen or back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { connectRedisState, StateStoreUnavailable } from '../../runtime/index.js';
import type { RedisState } from '../../runtime/index.js';
import { startRedis } from '../support/redis.js';
import type { RedisServer } from '../support/redis.js';
import { needs } from '../support/services.js';
import { waitFor } from '../support/wait-for.js';
import { claimRace, storeContract } from './store-contract.js';

let redis: RedisServer;
const open: RedisState[] = [];

async function store(
  options: { prefix?: string; timeoutMs?: number; onConnection?: (up: boolean, reason: string) => void } = {},
): Promise<RedisState> {
  const s = await connectRedisState({
    url: redis.url,
    prefix: options.prefix ?? 'test:',
    timeoutMs: options.timeoutMs ?? 300,
    ...(options.onConnection ? { onConnection: options.onConnection } : {}),
  });
  open.push(s);
  return s;
}

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  redis.cli('flushall');
});
afterAll(async () => {
  await redis.stop();
});

const withRedis = needs('redis-server');

withRedis.describe('Redis state store: the contract', () => {
  let stores = 0;
  storeContract({
    open: () => store({ prefix: `contract-${++stores}:` }),
    // Redis expires keys on its own clock: the wait is the lifetime under
    // test. It expires a key once its clock is past the expiry (not at it),
    // and a timer may fire a millisecond early: hence the margin.
    elapse: (ms) => sleep(ms + 5),
    ttlMs: 300,
  });
});

withRedis.describe('Redis state store', () => {
  it('lets exactly one of several clients claim a key with add', async () => {
    const clients = await Promise.all([store(), store(), store()]);
    const wins = await Promise.all(
      clients.flatMap((c) => [c.add('claim', { by: 1 }, 5000), c.add('claim', { by: 2 }, 5000)]),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('applies concurrent updates from two clients atomically', async () => {
    const [a, b] = await Promise.all([store(), store()]);
    const bump = (s: RedisState) =>
      s.update('count', (current) => ({
        value: ((current as number | undefined) ?? 0) + 1,
        ttlMs: 10_000,
        result: undefined,
      }));
    await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 === 0 ? a : b)));
    expect(await a.get('count')).toBe(40);
    // An update to undefined deletes.
    await a.update('count', () => ({ value: undefined, ttlMs: 0, result: null }));
    expect(await b.get('count')).toBeUndefined();
  });

  it('runs a claimed piece of work once among clients on different connections', async () => {
    const clients = await Promise.all([store(), store(), store()]);
    const { produced, answers } = await claimRace(clients, 'token:x');
    expect(produced).toBe(1);
    expect(answers.filter((a) => 'produced' in a)).toHaveLength(1);
    expect(answers.filter((a) => 'found' in a && a.found === 'fresh')).toHaveLength(2);
  });

  it('keeps each deployment under its own prefix', async () => {
    const blue = await store({ prefix: 'blue:' });
    const green = await store({ prefix: 'green:' });
    await blue.set('token:api', 'b', 10_000);
    expect(await green.get('token:api')).toBeUndefined();
    expect(redis.cli('keys', '*').split('\n')).toEqual(['blue:token:api']);
  });

  it('bounds a cache scope and never writes the request into a key', async () => {
    const s = await store();
    for (let i = 1; i <= 5; i++)
      await s.putCached('api@1:weather', `GET /weather?city=Secretville-${i}`, { status: 200, body: i }, 10_000, 3);
    expect(await s.getCached('api@1:weather', 'GET /weather?city=Secretville-1')).toBeUndefined();
    expect(await s.getCached('api@1:weather', 'GET /weather?city=Secretville-2')).toBeUndefined();
    expect(await s.getCached('api@1:weather', 'GET /weather?city=Secretville-5')).toEqual({ status: 200, body: 5 });
    // Another scope is not evicted by this one.
    await s.putCached('api@1:other', 'k', 'v', 10_000, 1);
    expect(await s.getCached('api@1:weather', 'GET /weather?city=Secretville-4')).toEqual({ status: 200, body: 4 });
    const keys = redis.cli('keys', '*');
    expect(keys).not.toContain('Secretville');
    expect(keys).not.toContain('weather');
    // 3 entries, index and sequence for one scope; 1 entry, index and sequence for the other.
    expect(keys.split('\n')).toHaveLength(8);
  });

  it("reads time from the clock it was given: a cached answer's expiry in its scope's index", async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const s = await connectRedisState({ url: redis.url, prefix: 'clock:', timeoutMs: 300, now: () => now });
    open.push(s);
    await s.putCached('scope', 'a', 1, 60_000, 10);
    const index = redis
      .cli('keys', 'clock:cache:*')
      .split('\n')
      .find((key) => redis.cli('type', key) === 'zset');
    expect(index).toBeDefined();
    const score = (): string[] => redis.cli('zrange', index ?? '', '0', '-1', 'withscores').split('\n');
    // Expiry ms × 1000 plus the scope's sequence number (1 for the first entry).
    expect(score()[1]).toBe(String((now + 60_000) * 1000 + 1));
    // Past that expiry on the store's clock, the next entry drops it from the index, though Redis, on its own clock, still holds it.
    now += 60_001;
    await s.putCached('scope', 'b', 2, 60_000, 10);
    expect(score()).toEqual([expect.any(String), String((now + 60_000) * 1000 + 2)]);
    expect(await s.getCached('scope', 'a')).toBe(1);
  });

  it('answers StateStoreUnavailable at once while Redis is stopped, and works again when it is back', async () => {
    const events: string[] = [];
    const s = await store({ onConnection: (up, reason) => events.push(`${up ? 'up' : 'down'}: ${reason}`) });
    await s.set('k', 1, 60_000);
    await redis.stop();
    try {
      await waitFor(() => !s.connected(), { timeoutMs: 2000, what: 'the store sees Redis gone' });
      const started = Date.now();
      await expect(s.get('k')).rejects.toBeInstanceOf(StateStoreUnavailable);
      await expect(s.add('k2', 1, 1000)).rejects.toBeInstanceOf(StateStoreUnavailable);
      expect(Date.now() - started).toBeLessThan(100);
      expect(s.health?.()).toEqual({ store: 'redis', connected: false });
    } finally {
      await redis.start();
    }
    await waitFor(() => s.connected(), { timeoutMs: 8000, what: 'the store reconnects' });
    await s.set('k', 2, 60_000);
    expect(await s.get('k')).toBe(2);
    expect(events[0]).toBe('up: connected');
    expect(events[1]).toMatch(/^down: /);
    expect(events.at(-1)).toBe('up: connected');
  });

  it('gives up on a frozen Redis within its timeout, and fails fast until it answers again', async () => {
    const s = await store({ timeoutMs: 200 });
    await s.set('k', 1, 60_000);
    redis.freeze();
    try {
      let started = Date.now();
      await expect(s.get('k')).rejects.toThrow(/timed out/i);
      expect(Date.now() - started).toBeLessThan(600);
      started = Date.now();
      await expect(s.get('k')).rejects.toBeInstanceOf(StateStoreUnavailable);
      expect(Date.now() - started).toBeLessThan(50);
    } finally {
      redis.thaw();
    }
    await waitFor(async () => (await s.get('k').catch(() => null)) === 1, {
      timeoutMs: 5000,
      what: 'the thawed Redis answers',
    });
  });

  it('says a frozen Redis is down within 2 s, and up within 2 s of its thaw, from its PINGs alone', async () => {
    const events: string[] = [];
    const s = await store({ onConnection: (up, reason) => events.push(`${up ? 'up' : 'down'}: ${reason}`) });
    expect(s.health?.()).toEqual({ store: 'redis', connected: true });
    redis.freeze();
    try {
      await waitFor(() => !s.connected(), { timeoutMs: 2000, what: 'the store says the frozen Redis is down' });
      expect(s.health?.()).toEqual({ store: 'redis', connected: false });
    } finally {
      redis.thaw();
    }
    await waitFor(() => s.connected(), { timeoutMs: 2000, what: 'the store says the thawed Redis is up' });
    expect(events).toEqual(['up: connected', 'down: PING command timed out', 'up: answering again']);
  });

  it('withdraws a claim a frozen Redis never answered, so it holds nothing once Redis resumes', async () => {
    const [s, other] = await Promise.all([store(), store()]);
    redis.freeze();
    try {
      await expect(s.add('claim', { owner: 'gave-up' }, 60_000)).rejects.toThrow(/timed out/i);
    } finally {
      redis.thaw();
    }
    await waitFor(() => other.connected() && s.connected(), { timeoutMs: 2000, what: 'both stores see Redis again' });
    expect(await other.get('claim')).toBeUndefined();
    expect(await other.add('claim', { owner: 'next' }, 60_000)).toBe(true);
  });

  it('sends a write while Redis is frozen, so Redis applies it when it resumes', async () => {
    const [s, other] = await Promise.all([store(), store()]);
    redis.freeze();
    try {
      await waitFor(() => !s.connected(), { timeoutMs: 2000, what: 'the store says the frozen Redis is down' });
      // Reads fail at once while it is down; the write is sent all the same.
      await expect(s.get('result')).rejects.toThrow(/not answering/);
      await expect(s.set('result', 'made during the stall', 60_000)).rejects.toThrow(/timed out/i);
    } finally {
      redis.thaw();
    }
    await waitFor(() => other.connected(), { timeoutMs: 2000, what: 'the other store sees Redis again' });
    expect(await other.get('result')).toBe('made during the stall');
  });

  it('starts without Redis and connects when it comes up', async () => {
    await redis.stop();
    let s: RedisState;
    try {
      const started = Date.now();
      s = await connectRedisState({ url: redis.url, prefix: 'late:', connectMs: 300 });
      open.push(s);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(s.connected()).toBe(false);
      await expect(s.get('x')).rejects.toBeInstanceOf(StateStoreUnavailable);
    } finally {
      await redis.start();
    }
    await waitFor(() => s.connected(), { timeoutMs: 8000, what: 'the store connects to the late Redis' });
    await s.set('x', 'y', 1000);
    expect(await s.get('x')).toBe('y');
  });

  it('names where it points without the password, in errors and reasons too', async () => {
    const reasons: string[] = [];
    redis.cli('config', 'set', 'requirepass', 'the-right-one');
    try {
      const s = await connectRedisState({
        url: `redis://:s3cret-pw@127.0.0.1:${redis.port}/2`,
        connectMs: 500,
        onConnection: (_up, reason) => reasons.push(reason),
      });
      open.push(s);
      expect(s.where).toBe(`redis://127.0.0.1:${redis.port}/2`);
      const error = await s.get('x').then(
        () => null,
        (err: Error) => err,
      );
      expect(error).toBeInstanceOf(StateStoreUnavailable);
      expect(`${String(error?.message)} ${reasons.join(' ')}`).not.toContain('s3cret-pw');
    } finally {
      redis.cli('-a', 'the-right-one', '--no-auth-warning', 'config', 'set', 'requirepass', '');
    }
  });
});
