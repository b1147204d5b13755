/**
 * The default state store: one process's memory. Records expire lazily (a
 * read of an expired record finds nothing) and are swept in bulk whenever
 * the map has doubled since the last sweep, so de-duplication records of
 * past turns cannot pile up, at O(1) amortised cost per write. Cached
 * responses live in one bounded LRU per scope.
 */
import type { StateChange, StateStore } from './types.js';

interface Entry {
  readonly value: unknown;
  readonly expiresAt: number;
}

/** Options of {@link createMemoryState}. */
export interface MemoryStateOptions {
  /** The clock, epoch ms. Default: Date.now */
  readonly now?: () => number;
}

/** Fewest records before the first sweep. */
const MIN_SWEEP_SIZE = 1024;

/**
 * A state store in this process's memory: the default of `createEngine`.
 * @example
 * const engine = await createEngine({ actionsFile: 'actions.yml', state: createMemoryState() });
 */
export function createMemoryState(options: MemoryStateOptions = {}): StateStore {
  const now = options.now ?? Date.now;
  const records = new Map<string, Entry>();
  const caches = new Map<string, LruCache>();
  let sweepAt = MIN_SWEEP_SIZE;

  const live = (key: string): Entry | undefined => {
    const entry = records.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now()) return entry;
    records.delete(key);
    return undefined;
  };
  const write = (key: string, value: unknown, ttlMs: number): void => {
    if (ttlMs <= 0) {
      records.delete(key);
      return;
    }
    records.set(key, { value, expiresAt: now() + ttlMs });
    if (records.size >= sweepAt) {
      const t = now();
      for (const [k, e] of records) if (e.expiresAt <= t) records.delete(k);
      sweepAt = Math.max(MIN_SWEEP_SIZE, records.size * 2);
    }
  };

  return {
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, ttlMs) {
      write(key, value, ttlMs);
    },
    async add(key, value, ttlMs) {
      // A claim that would expire at once stores nothing, so it is no claim (as in Redis).
      if (ttlMs <= 0 || live(key) !== undefined) return false;
      write(key, value, ttlMs);
      return true;
    },
    // One process, one thread: nothing can interleave between the read and the write.
    async update<T>(key: string, change: (current: unknown) => StateChange<T>): Promise<T> {
      const next = change(live(key)?.value);
      if ('unchanged' in next) return next.result;
      if (next.value === undefined) records.delete(key);
      else write(key, next.value, next.ttlMs);
      return next.result;
    },
    async delete(key) {
      records.delete(key);
    },
    async getCached(scope, key) {
      return caches.get(scope)?.get(key, now());
    },
    async putCached(scope, key, value, ttlMs, maxEntries) {
      let cache = caches.get(scope);
      if (cache === undefined) {
        cache = new LruCache();
        caches.set(scope, cache);
      }
      cache.set(key, value, now() + ttlMs, maxEntries);
    },
    async close() {
      records.clear();
      caches.clear();
    },
  };
}

/** Bounded LRU with per-entry expiry. A Map keeps insertion order, so re-inserting marks an entry as recent. */
class LruCache {
  readonly #entries = new Map<string, Entry>();

  get(key: string, now: number): unknown {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: unknown, expiresAt: number, maxEntries: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt });
    const bound = Math.max(1, maxEntries);
    while (this.#entries.size > bound) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }
}
