/**
 * Work done once by whoever claims it first, among every caller sharing a
 * store: with Redis, among every replica. De-duplicated runs (one run per
 * user turn) and OAuth2 tokens (one fetch per connection and expiry) both
 * need it. The first caller claims the key with `add` (SET NX), does the
 * work and stores its result; the others poll until the result is there.
 * A claim whose owner vanished (its process died) expires with `claimMs`,
 * and a waiter gives up on it at `waitUntil` and claims the key itself.
 */
import type { StateStore } from './types.js';

/** What a claimed key holds: work in progress, or its result. */
export type ClaimRecord<T> = { readonly state: 'running' } | { readonly state: 'done'; readonly value: T };

/** Bounds of {@link claimOnce}. */
export interface ClaimOptions {
  /** Lifetime of a claim whose owner never finishes, in ms. */
  readonly claimMs: number;
  /** Epoch ms after which a waiter stops waiting for another's claim and takes the key over. */
  readonly waitUntil: number;
  /** How often a waiter looks for the result, in ms. Default: 20 */
  readonly pollMs?: number;
  /**
   * Told when the claimer's result could not be stored (or its claim not
   * released): the result is still returned, and the claim expires with
   * `claimMs`. Default: nobody
   */
  readonly onUnsaved?: (error: unknown) => void;
}

/** What the claimer did: its own result, and what to store for the others (null: nothing, so the next caller tries again). */
export interface Produced<T, R> {
  readonly result: R;
  readonly keep: { readonly value: T; readonly ttlMs: number } | null;
}

/**
 * The result of `produce` when this caller claimed `key`, else what the
 * claimer stored. A `produce` that throws releases the claim.
 * Store errors (StateStoreUnavailable) reach the caller, who decides.
 */
export async function claimOnce<T, R>(
  store: StateStore,
  key: string,
  options: ClaimOptions,
  produce: () => Promise<Produced<T, R>>,
): Promise<{ readonly produced: R } | { readonly found: T }> {
  const pollMs = options.pollMs ?? 20;
  const unsaved = (err: unknown): void => options.onUnsaved?.(err);
  for (;;) {
    if (await store.add(key, { state: 'running' } satisfies ClaimRecord<T>, options.claimMs)) {
      let produced: Produced<T, R>;
      try {
        produced = await produce();
      } catch (err) {
        await store.delete(key).catch(unsaved);
        throw err;
      }
      // The work is done: failing to store it must not make the caller do it again.
      const { keep } = produced;
      const saved =
        keep === null
          ? store.delete(key)
          : store.set(key, { state: 'done', value: keep.value } satisfies ClaimRecord<T>, keep.ttlMs);
      await saved.catch(unsaved);
      return { produced: produced.result };
    }
    const record = (await store.get(key)) as ClaimRecord<T> | undefined;
    if (record?.state === 'done') return { found: record.value };
    if (record === undefined) continue; // released or expired between add and get: claim it
    if (Date.now() >= options.waitUntil) {
      await store.delete(key);
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
