/**
 * A state store in Redis, for several replicas (docs/deploy.md): what one
 * replica stores, every other one reads. ioredis: its
 * per-command timeout, its switch to refuse commands while disconnected
 * instead of queueing them, its key prefix and its reconnection with
 * backoff are exactly the behaviour a store on the request path needs, with
 * nothing of ours to maintain.
 *
 * Every operation answers within `timeoutMs` or rejects with
 * StateStoreUnavailable. Whether Redis answers is known from a timed check,
 * not from the connection alone: a stalled server (paused, swapping, stuck
 * on a slow command) keeps its TCP connection open while answering nothing.
 * A PING every second, bounded by `timeoutMs`, and every command's own
 * outcome say whether it answers: a timeout marks the store down at once, a
 * reply marks it up again (docs/deploy.md#how-health-is-known). While it is
 * down, or disconnected, reads, claims and updates fail at once instead of
 * each waiting the full bound. Plain writes (`set`, `delete`) are sent even
 * then: a stalled server applies what was sent, in order, when it resumes,
 * so a result stored during a stall is there before anything asked after
 * it. The client reconnects on its own.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { reasonOf, watchHealth } from './redis-health.js';
import { RedisTimeout, within } from './redis-timeout.js';
import type { StateChange, StateStore } from './types.js';
import { StateStoreUnavailable } from './types.js';

/** Options of {@link connectRedisState}. */
export interface RedisStateOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://` for TLS. A secret: it may carry a password. */
  readonly url: string;
  /** Put before every key, so several deployments can share one Redis. Default: 'slotwire:' */
  readonly prefix?: string;
  /** Longest wait for one operation, in ms. Default: 500 */
  readonly timeoutMs?: number;
  /** How long to wait for the first connection before serving without it, in ms. Default: 2000 */
  readonly connectMs?: number;
  /**
   * Told when Redis stops answering (its connection went down, or a PING or
   * command timed out) or answers again (`up`), with a reason that never holds the URL.
   */
  readonly onConnection?: (up: boolean, reason: string) => void;
  /** The clock, epoch ms: when a cached answer expires, in its scope's index. Default: Date.now */
  readonly now?: () => number;
}

/** A Redis-backed store and where it points. */
export interface RedisState extends StateStore {
  /** `host:port/db`, without credentials: safe to print. */
  readonly where: string;
  /** Whether Redis answers now: connected, and its last PING or command was answered in time. */
  connected(): boolean;
}

/** Retries of `update` when another writer changed the record in between. */
const UPDATE_ATTEMPTS = 8;

/** `SET` the new value (or `DEL`) only if the record still holds what was read: an atomic compare-and-set. */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '0' then
  if current then return 0 end
elseif current ~= ARGV[2] then
  return 0
end
if ARGV[3] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4]) end
return 1`;

/**
 * Stores a cached response and bounds its scope: an index (a sorted set by
 * expiry) lists the scope's entries; expired ones leave it, and past
 * `maxEntries` the soonest to expire go first. Scores are expiry ms × 1000
 * plus a per-scope sequence, so entries stored in the same millisecond
 * leave in the order they came (integers below 2^53: exact in a double).
 */
const PUT_CACHED = `
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
local seq = redis.call('INCR', KEYS[1] .. ':seq') % 1000
redis.call('PEXPIRE', KEYS[1] .. ':seq', ARGV[2])
redis.call('ZADD', KEYS[1], (tonumber(ARGV[3]) + tonumber(ARGV[2])) * 1000 + seq, ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[3]) * 1000)
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[5])
if over > 0 then
  for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, over - 1)) do
    redis.call('DEL', ARGV[6] .. member)
  end
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, over - 1)
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])`;

type Scripted = Redis & {
  compareAndSet(key: string, expectAbsent: '0' | '1', expected: string, next: string, ttlMs: string): Promise<number>;
  putCached(
    index: string,
    entry: string,
    value: string,
    ttlMs: string,
    now: string,
    member: string,
    maxEntries: string,
    entryPrefix: string,
  ): Promise<unknown>;
};

/**
 * Connects to Redis and answers as a StateStore. Resolves once connected, or
 * after `connectMs` without a connection: the store then answers
 * StateStoreUnavailable (callers fall back, engine/stores.ts) until Redis answers.
 * @example
 * const state = await connectRedisState({ url: process.env.SLOTWIRE_REDIS_URL!, prefix: 'bookings:' });
 * const engine = await createEngine({ actionsFile: 'actions.yml', state });
 */
export async function connectRedisState(options: RedisStateOptions): Promise<RedisState> {
  const prefix = options.prefix ?? 'slotwire:';
  const timeoutMs = options.timeoutMs ?? 500;
  const now = options.now ?? Date.now;
  const where = describe(options.url);
  // Loaded here, not with the module: a server without --redis does not pay ioredis's start-up (about 0.1 s of CPU).
  const { Redis: RedisClient } = await import('ioredis');
  const client = new RedisClient(options.url, {
    keyPrefix: prefix,
    // Only a backstop, for what ioredis sends itself as it connects (SELECT, AUTH, CLIENT SETINFO, INFO):
    // the store bounds its own commands with `within`, which says a timeout by its type.
    commandTimeout: 2 * timeoutMs,
    connectTimeout: Math.max(timeoutMs, 1000),
    // Never queue a command while disconnected, nor resend one after: a request must not wait for Redis to return.
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 3000),
    lazyConnect: true,
  }) as Scripted;
  client.defineCommand('compareAndSet', { numberOfKeys: 1, lua: COMPARE_AND_SET });
  client.defineCommand('putCached', { numberOfKeys: 2, lua: PUT_CACHED });

  const health = watchHealth(client, timeoutMs, (up, reason) => options.onConnection?.(up, reason));
  /** The last queued update per key (see update). */
  const updating = new Map<string, Promise<unknown>>();

  /**
   * Runs one command within the bound; any failure becomes
   * StateStoreUnavailable. While Redis does not answer, a command is refused
   * at once, unless `always`: a write that must land even late (see the top
   * of this file). `unanswered` is told when a command was sent and got no
   * reply: the server may still apply it.
   */
  const call = async <T>(
    command: () => Promise<T>,
    how: { readonly always?: boolean; readonly unanswered?: () => void } = {},
  ): Promise<T> => {
    if (client.status !== 'ready')
      throw new StateStoreUnavailable(`redis at ${where} is not connected (${client.status})`);
    if (how.always !== true && !health.up()) throw new StateStoreUnavailable(`redis at ${where} is not answering`);
    try {
      const value = await within(command(), timeoutMs);
      health.answered();
      return value;
    } catch (err) {
      const reason = reasonOf(err as Error);
      if (err instanceof RedisTimeout) {
        health.timedOut(`not answering within ${timeoutMs} ms`);
        how.unanswered?.();
      }
      throw new StateStoreUnavailable(`redis at ${where}: ${reason}`);
    }
  };

  await new Promise<void>((settle) => {
    const timer = setTimeout(settle, options.connectMs ?? 2000);
    client.once('ready', () => {
      clearTimeout(timer);
      settle();
    });
    // A failed first attempt is not fatal: the retry strategy keeps trying in the background.
    client.connect().catch(() => undefined);
  });

  const read = (raw: string | null): unknown => (raw === null ? undefined : JSON.parse(raw));
  const cacheIndex = (scope: string): string => `cache:${digest(scope)}`;
  const cacheEntry = (scope: string, key: string): string => `${cacheIndex(scope)}:${digest(key)}`;

  return {
    where,
    connected: () => health.up(),
    health: () => ({ store: 'redis', connected: health.up() }),
    get: (key) => call(() => client.get(key)).then(read),
    async set(key, value, ttlMs) {
      if (ttlMs <= 0) await call(() => client.del(key), { always: true });
      else await call(() => client.set(key, JSON.stringify(value), 'PX', Math.ceil(ttlMs)), { always: true });
    },
    async add(key, value, ttlMs) {
      if (ttlMs <= 0) return false;
      const text = JSON.stringify(value);
      // A claim whose answer never came may still be applied when a stalled server resumes, and
      // would then hold a key for nobody: withdraw it (a compare-and-delete of exactly this value),
      // sent right behind it on the same connection, so Redis applies the two in that order.
      const withdraw = (): void => void client.compareAndSet(key, '1', text, '', '1').catch(() => undefined);
      const answer = await call(() => client.set(key, text, 'PX', Math.ceil(ttlMs), 'NX'), { unanswered: withdraw });
      return answer === 'OK';
    },
    // Optimistic: read, compute, write only if nothing changed in between (a Lua compare-and-set),
    // else again. Updates of one key from this process go one at a time, so only other
    // processes can make an attempt fail.
    update<T>(key: string, change: (current: unknown) => StateChange<T>): Promise<T> {
      const run = async (): Promise<T> => {
        for (let attempt = 1; ; attempt++) {
          const raw = await call(() => client.get(key));
          const next = change(read(raw));
          if ('unchanged' in next) return next.result;
          const text = next.value === undefined || next.ttlMs <= 0 ? '' : JSON.stringify(next.value);
          const ttl = String(Math.max(1, Math.ceil(next.ttlMs)));
          const done = await call(() => client.compareAndSet(key, raw === null ? '0' : '1', raw ?? '', text, ttl));
          if (done === 1) return next.result;
          if (attempt === UPDATE_ATTEMPTS)
            throw new StateStoreUnavailable(`redis at ${where}: record ${key} kept changing`);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
        }
      };
      const queued = (updating.get(key) ?? Promise.resolve()).then(run, run);
      const tail = queued.catch(() => undefined);
      updating.set(key, tail);
      void tail.then(() => {
        if (updating.get(key) === tail) updating.delete(key);
      });
      return queued;
    },
    async delete(key) {
      await call(() => client.del(key), { always: true });
    },
    getCached: (scope, key) => call(() => client.get(cacheEntry(scope, key))).then(read),
    async putCached(scope, key, value, ttlMs, maxEntries) {
      if (ttlMs <= 0) return;
      const index = cacheIndex(scope);
      const member = digest(key);
      await call(() =>
        client.putCached(
          index,
          `${index}:${member}`,
          JSON.stringify(value),
          String(Math.ceil(ttlMs)),
          String(now()),
          member,
          String(Math.max(1, maxEntries)),
          // Lua builds the victims' keys itself, so it needs the prefix ioredis adds to KEYS.
          `${prefix}${index}:`,
        ),
      );
    },
    async close() {
      health.stop();
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/**
 * Cached requests carry slot values in their URLs and bodies: Redis sees a
 * digest of them, never the values, and keys stay short.
 */
function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 32);
}

/** `host:port/db` of a Redis URL, never its credentials. */
export function describe(url: string): string {
  try {
    const u = new URL(url);
    const db = u.pathname.length > 1 ? u.pathname : '/0';
    return `${u.protocol}//${u.hostname}:${u.port || '6379'}${db}`;
  } catch {
    return 'redis (unparsable URL)';
  }
}
