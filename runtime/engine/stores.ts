/**
 * Which store each kind of record goes to, and what happens when a shared
 * store (Redis, for several replicas) cannot answer (docs/deploy.md):
 *
 * - OAuth2 tokens and `cache: { shared: true }` responses: the shared store,
 *   falling back to this process's memory per operation: a replica that
 *   cannot read the shared token fetches its own, and serving on is right;
 * - de-duplication records: the shared store as is; the action's
 *   `if_store_down` decides (engine/dedupe.ts);
 * - circuit breakers and unshared caches: always this process's memory
 *   (http/client.ts says why).
 *
 * Every fallback is counted (the observer's metric) and logged at most once
 * per use every LOG_EVERY_MS, so an outage is one line, not one per call.
 */
import { createMemoryState, fallbackState } from '../state/index.js';
import type { StateStore, StoreHealth } from '../state/index.js';
import type { EngineLogger, EngineObserver, StoreUse } from './types.js';

/** Quiet time between two log lines about the same use of an unavailable store. */
const LOG_EVERY_MS = 10 * 1000; // 10 s

/** The stores of one engine, by use. */
export interface EngineStores {
  /** Tokens and shared caches (the HTTP client's `state`). */
  readonly http: StateStore;
  /** De-duplication records. */
  readonly dedupe: StateStore;
  /** This process's memory. */
  readonly local: StateStore;
  /** Reports that the shared store could not answer for `use`. */
  unavailable(use: StoreUse, error: unknown): void;
  health(): StoreHealth;
  /** Closes what the engine made (the shared store is its owner's to close). */
  close(): Promise<void>;
}

/**
 * @param shared - the store given to createEngine; undefined: memory only
 * @param now - the clock of records kept in memory
 */
export function engineStores(
  shared: StateStore | undefined,
  now: (() => number) | undefined,
  logger: EngineLogger,
  observer: EngineObserver | undefined,
): EngineStores {
  const local = createMemoryState(now ? { now } : {});
  const loggedAt = new Map<StoreUse, number>();
  const unavailable = (use: StoreUse, error: unknown): void => {
    observer?.storeUnavailable?.(use);
    const last = loggedAt.get(use);
    if (last !== undefined && Date.now() - last < LOG_EVERY_MS) return;
    loggedAt.set(use, Date.now());
    const message = error instanceof Error ? error.message : String(error);
    logger.warn(
      { use, err: message },
      `state store unavailable for ${use}: ${use === 'dedupe' ? "each action's if_store_down applies" : "using this process's memory"}`,
    );
  };
  if (shared === undefined) {
    return {
      http: local,
      dedupe: local,
      local,
      unavailable,
      health: () => ({ store: 'memory', connected: true }),
      close: () => local.close(),
    };
  }
  // The HTTP client keeps tokens in keyed records and responses in caches.
  const http = fallbackState(shared, local, (error, operation) =>
    unavailable(operation.endsWith('Cached') ? 'cache' : 'token', error),
  );
  return {
    http,
    dedupe: shared,
    local,
    unavailable,
    health: () => shared.health?.() ?? { store: 'custom', connected: true },
    close: () => local.close(),
  };
}
