/**
 * A shared store that falls back to this process's memory, for records that
 * are only worth sharing: an OAuth2 token a replica cannot read from Redis
 * it fetches itself, a response it cannot cache there it caches locally.
 * Serving on without them is always right; waiting for Redis never is.
 */
import type { StateStore } from './types.js';
import { StateStoreUnavailable } from './types.js';

/** The operations of a store that read or write records. */
export type StoreOperation = Exclude<keyof StateStore, 'close' | 'health'>;

/**
 * `shared`, and `local` for each operation `shared` cannot answer.
 * @param onFallback - told of each operation that fell back (logs, metrics)
 */
export function fallbackState(
  shared: StateStore,
  local: StateStore,
  onFallback: (error: StateStoreUnavailable, operation: StoreOperation) => void,
): StateStore {
  const either = async <T>(operation: StoreOperation, op: (store: StateStore) => Promise<T>): Promise<T> => {
    try {
      return await op(shared);
    } catch (err) {
      if (!(err instanceof StateStoreUnavailable)) throw err;
      onFallback(err, operation);
      return op(local);
    }
  };
  return {
    get: (key) => either('get', (s) => s.get(key)),
    set: (key, value, ttlMs) => either('set', (s) => s.set(key, value, ttlMs)),
    add: (key, value, ttlMs) => either('add', (s) => s.add(key, value, ttlMs)),
    update: (key, change) => either('update', (s) => s.update(key, change)),
    delete: (key) => either('delete', (s) => s.delete(key)),
    getCached: (scope, key) => either('getCached', (s) => s.getCached(scope, key)),
    putCached: (scope, key, value, ttlMs, maxEntries) =>
      either('putCached', (s) => s.putCached(scope, key, value, ttlMs, maxEntries)),
    // The engine owns both stores and closes them itself.
    close: () => Promise.resolve(),
  };
}
