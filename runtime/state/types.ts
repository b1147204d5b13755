/**
 * The state seam (docs/engine.md#state): everything that outlives
 * one call — OAuth2 tokens, circuit-breaker records, cached responses,
 * de-duplication records — goes through this one async interface, so a
 * network store (Redis, for several replicas) can stand in for the memory
 * one without the engine noticing. Nothing else in the engine keeps
 * cross-call state.
 *
 * Values are plain JSON data (objects, arrays, strings, numbers, booleans,
 * null): a network store serialises them. Treat what `get` returns as
 * read-only; the memory store hands out the stored object itself.
 *
 * A network store answers within a bound or rejects with
 * {@link StateStoreUnavailable}; what to do then depends on what the record
 * is for, so callers decide (engine/stores.ts): it never hangs a call.
 */

/** Thrown by a store that cannot answer now (unreachable, too slow); the memory store never throws it. */
export class StateStoreUnavailable extends Error {
  override readonly name = 'StateStoreUnavailable';
}

/** What an `update` does to one record, and what it answers the caller. */
export type StateChange<T> =
  | {
      /** The new record; undefined deletes it. */
      readonly value: unknown;
      /** Lifetime of the new record, in ms (ignored when deleting). */
      readonly ttlMs: number;
      /** Handed back to the caller of `update`. */
      readonly result: T;
    }
  /** Leaves the record as it is, lifetime included. */
  | { readonly unchanged: true; readonly result: T };

/** Where a store keeps what connections and actions remember between calls. */
export interface StateStore {
  /** The record at `key`, or undefined when there is none or it expired. */
  get(key: string): Promise<unknown>;
  /**
   * Stores a record for `ttlMs`. A network store sends it even while its
   * server does not answer, and a stalled server applies it when it
   * resumes: a rejection means "not confirmed", not "not stored".
   */
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /**
   * Stores a record only when none is there; true when it was stored (a
   * claim). When it rejects, it leaves no claim behind: a network store
   * withdraws one its server applies after the answer timed out.
   */
  add(key: string, value: unknown, ttlMs: number): Promise<boolean>;
  /**
   * Reads, changes and writes one record atomically: no other change to the
   * same key can slip in between. `change` sees undefined when there is no
   * record, and may be called more than once by a store that retries on
   * contention, so it must be pure.
   */
  update<T>(key: string, change: (current: unknown) => StateChange<T>): Promise<T>;
  /** Removes a record (no error when there is none). */
  delete(key: string): Promise<void>;
  /** A cached response of `scope`, or undefined (see `putCached`). */
  getCached(scope: string, key: string): Promise<unknown>;
  /**
   * Caches a response for `ttlMs` in `scope`, which keeps at most
   * `maxEntries` (an old one goes first: the memory store's least recently
   * used, Redis's soonest to expire). Scopes do not evict each other's entries.
   */
  putCached(scope: string, key: string, value: unknown, ttlMs: number, maxEntries: number): Promise<void>;
  /** Releases what the store holds open (connections, timers). */
  close(): Promise<void>;
  /** What it is and whether it can answer now, for /ready and metrics. Default: a store that always can */
  health?(): StoreHealth;
}

/** A store as /ready shows it: never its address or credentials. */
export interface StoreHealth {
  /** 'memory', 'redis', or an embedder's own. */
  readonly store: string;
  readonly connected: boolean;
}
