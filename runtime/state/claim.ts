/**
 * Work done once by whoever claims it first, among every caller sharing a
 * store: with Redis, among every replica. De-duplicated runs (one run per
 * user turn) and OAuth2 tokens (one fetch per connection and expiry) both
 * need it. The rules (docs/deploy.md#claims):
 *
 * - The first caller claims the key with `add` (SET NX). Its claim names its
 *   owner (a random id) and its deadline: the time by which the claimer's
 *   work is over, whatever happens. The record lives that long plus
 *   CLAIM_TTL_MARGIN_MS, so a claim nobody looks at again goes by itself.
 * - The others poll until the result is there, each no later than its own
 *   deadline, whether it waits on the claim or on a stalled store: then it
 *   answers `{ busy: true }` and its caller decides.
 * - A claim whose deadline has passed (plus CLAIM_GRACE_MS, for the result
 *   to land) cannot have a live run behind it: its owner died, or its claim
 *   reached a stalled store after the owner had given up on it. It holds no
 *   one: a waiter takes it over with a compare-and-set on the owner, so of
 *   several waiters exactly one does.
 * - The claimer stores its result without waiting for the store to confirm:
 *   the result is made, and a stalled store that applies it late still
 *   applies it before anything asked after the stall. Releasing a claim
 *   (the work failed, or kept nothing) removes it only while it is still
 *   this claimer's.
 */
import { randomBytes } from 'node:crypto';
import type { StateStore } from './types.js';

/**
 * Time a claim's owner is given past its deadline to store its result
 * before a waiter takes the claim over: the write's trip to the store, and
 * clocks of replicas that differ by a little.
 */
export const CLAIM_GRACE_MS: number = 1000; // 1 s
/** How long a claim's record outlives its deadline in the store (more than the grace, so it can be taken over). */
export const CLAIM_TTL_MARGIN_MS: number = 2 * 1000; // 2 s

/** What a claimed key holds: work in progress (whose, and until when), or its result. */
export type ClaimRecord<T> =
  | {
      readonly state: 'running';
      /** A random id, one per claimOnce call: who holds the claim. */
      readonly owner: string;
      /** Epoch ms by which the owner's work is over. */
      readonly deadline: number;
    }
  | { readonly state: 'done'; readonly value: T };

/** Bounds of {@link claimOnce}. */
export interface ClaimOptions {
  /**
   * Epoch ms by which this caller is done: the work, when it claims (written
   * in its claim), and the wait, when another caller holds the key.
   */
  readonly deadline: number;
  /** How often a waiter looks for the result, in ms. Default: 20 */
  readonly pollMs?: number;
  /**
   * Told when the claimer's result could not be stored (or its claim not
   * released): the result is still returned, and the claim holds no one once
   * its deadline has passed. Default: nobody
   */
  readonly onUnsaved?: (error: unknown) => void;
}

/** What the claimer did: its own result, and what to store for the others (null: nothing, so the next caller tries again). */
export interface Produced<T, R> {
  readonly result: R;
  readonly keep: { readonly value: T; readonly ttlMs: number } | null;
}

/** What {@link claimOnce} answers: this caller's result, the claimer's, or that the claim still held at this caller's deadline. */
export type Claimed<T, R> = { readonly produced: R } | { readonly found: T } | { readonly busy: true };

/**
 * The result of `produce` when this caller claimed `key` (or took over a
 * claim past its deadline), else what the claimer stored, else `busy` at
 * `deadline`. A `produce` that throws releases the claim.
 * Store errors (StateStoreUnavailable) reach the caller, who decides.
 */
export async function claimOnce<T, R>(
  store: StateStore,
  key: string,
  options: ClaimOptions,
  produce: () => Promise<Produced<T, R>>,
): Promise<Claimed<T, R>> {
  const mine: ClaimRecord<T> = {
    state: 'running',
    owner: randomBytes(12).toString('base64url'),
    deadline: options.deadline,
  };
  const ttlMs = (): number => options.deadline - Date.now() + CLAIM_TTL_MARGIN_MS;
  const inTime = <V>(op: Promise<V>): Promise<V | typeof LATE> => beforeDeadline(op, options.deadline);
  const busy = { busy: true } as const;
  for (;;) {
    if (Date.now() >= options.deadline) return busy;
    const won = await inTime(store.add(key, mine, ttlMs()));
    if (won === LATE) return busy;
    if (won) return { produced: await settle(store, key, mine, options, produce) };
    const record = await inTime(store.get(key) as Promise<ClaimRecord<T> | undefined>);
    if (record === LATE) return busy;
    if (record?.state === 'done') return { found: record.value };
    if (record === undefined) continue; // released or expired between add and get: claim it
    if (Date.now() > record.deadline + CLAIM_GRACE_MS) {
      const taken = await inTime(takeOver(store, key, record.owner, mine, ttlMs()));
      if (taken === LATE) return busy;
      if (taken) return { produced: await settle(store, key, mine, options, produce) };
    }
    const left = options.deadline - Date.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(options.pollMs ?? 20, left))));
  }
}

/** What {@link beforeDeadline} answers when the deadline came first. */
const LATE: unique symbol = Symbol('late');

/**
 * `op`'s answer, or LATE once `deadline` has passed: a store that stalls
 * while a caller waits must not hold it past its deadline (a network store
 * gives up only after its own timeout). A claim `op` that lands after all
 * holds no one once its deadline has passed.
 */
async function beforeDeadline<V>(op: Promise<V>, deadline: number): Promise<V | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), LATE);
  });
  try {
    return await Promise.race([op, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Replaces `owner`'s claim with `mine`, atomically: false when it changed in between (another waiter took it, or its result came). */
function takeOver<T>(
  store: StateStore,
  key: string,
  owner: string,
  mine: ClaimRecord<T>,
  ttlMs: number,
): Promise<boolean> {
  return store.update(key, (current) =>
    isClaimOf(current, owner) ? { value: mine, ttlMs, result: true } : { unchanged: true, result: false },
  );
}

/** Does the claimed work, then stores its result for the others or releases the claim. */
async function settle<T, R>(
  store: StateStore,
  key: string,
  mine: ClaimRecord<T> & { readonly state: 'running' },
  options: ClaimOptions,
  produce: () => Promise<Produced<T, R>>,
): Promise<R> {
  const unsaved = (err: unknown): void => options.onUnsaved?.(err);
  // Only this claimer's own claim: one taken over in the meantime belongs to a live run.
  const release = (): Promise<void> =>
    store
      .update(key, (current) =>
        isClaimOf(current, mine.owner)
          ? { value: undefined, ttlMs: 0, result: undefined }
          : { unchanged: true, result: undefined },
      )
      .catch(unsaved);
  let produced: Produced<T, R>;
  try {
    produced = await produce();
  } catch (err) {
    await release();
    throw err;
  }
  const { keep } = produced;
  if (keep === null) await release();
  // Not awaited: the work is done and its caller must not wait on a stalled store for it. A
  // stalled Redis still applies the write when it resumes (state/redis.ts sends it regardless).
  else void store.set(key, { state: 'done', value: keep.value } satisfies ClaimRecord<T>, keep.ttlMs).catch(unsaved);
  return produced.result;
}

function isClaimOf(record: unknown, owner: string): boolean {
  const claim = record as ClaimRecord<unknown> | undefined;
  return claim?.state === 'running' && claim.owner === owner;
}
