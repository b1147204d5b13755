/**
 * De-duplication of re-runs (`dedupe:`, docs/actions-yml.md#actions-and-requests).
 * Rasa re-predicts, and channels retry a message whose answer was slow, so one user turn can run
 * an action twice; for a call that books or pays, the second run must not
 * reach the API again. The first run of a turn claims a record in the state
 * store (state/claim.ts) and stores its result there for the window; a later
 * run of the same turn answers with it, and a run that overlaps the first
 * waits for it. With a shared store (Redis) this holds across replicas.
 *
 * Claims carry their owner and deadline (state/claim.ts): a run waits for
 * another run of its turn at most until its own deadline, then answers
 * SW_DEDUPE_IN_PROGRESS; a claim past its deadline has no live run behind
 * it and is taken over. A run that claims (or takes over) gets what is left
 * of its deadline, so the whole call, Redis included, ends within it.
 *
 * When the shared store cannot answer, the action's `if_store_down` says
 * what happens (docs/actions-yml.md, docs/deploy.md#during-a-stall): `fail`
 * (the default) calls nothing and runs on_error, since a guarantee that
 * silently weakens is worse than a visible error for a call that books or
 * pays; `run` de-duplicates within this process only and calls, then offers
 * its result to the shared store, so a re-run on another replica after the
 * outage replays it instead of calling again.
 */
import { createHash } from 'node:crypto';
import { claimOnce } from '../state/claim.js';
import type { Claimed, ClaimRecord } from '../state/claim.js';
import type { StateStore } from '../state/index.js';
import { StateStoreUnavailable } from '../state/index.js';
import type { RunResult } from './types.js';

/** Why a de-duplicated run called nothing. */
export type DedupeRefusal = 'store-down' | 'in-progress';

/** What de-duplicating one run needs. */
export interface DedupeTarget {
  /** Where records are shared (Redis with several replicas). */
  readonly state: StateStore;
  /** This process's memory: records of `if_store_down: run` while `state` is down. */
  readonly local: StateStore;
  /** What to do when `state` cannot answer. */
  readonly ifStoreDown: 'fail' | 'run';
  /** Told when `state` could not answer (logs, metrics). */
  readonly onStoreDown: (error: unknown) => void;
  readonly action: string;
  readonly senderId: string;
  /** Names the user turn (execute/scope.ts userTurnId). */
  readonly turnId: string;
  readonly windowMs: number;
  /** The action's deadline: how long this run, waiting included, may take. */
  readonly deadlineMs: number;
}

/**
 * Runs `run` once per turn within the window. A later or overlapping run
 * of the turn answers with the first one's result, marked `replayed`.
 * A first run that crashed (threw) leaves nothing behind, so the next run
 * of the turn runs again; one that vanished (its process died) holds the
 * turn until its deadline has passed, then the next run takes over.
 * @param run - the action, given the ms left of its deadline
 * @param refused - the run that calls nothing, and why
 */
export async function dedupedRun(
  target: DedupeTarget,
  run: (msLeft: number) => Promise<RunResult>,
  refused: (why: DedupeRefusal) => Promise<RunResult>,
): Promise<RunResult> {
  const key = dedupeKey(target.action, target.senderId, target.turnId);
  const deadline = Date.now() + target.deadlineMs;
  const claim = (store: StateStore): Promise<Claimed<RunResult, RunResult>> =>
    claimOnce<RunResult, RunResult>(store, key, { deadline, onUnsaved: target.onStoreDown }, async () => {
      const result = await run(Math.max(0, deadline - Date.now()));
      return { result, keep: { value: result, ttlMs: target.windowMs } };
    });
  const answer = (claimed: Claimed<RunResult, RunResult>): Promise<RunResult> | RunResult => {
    if ('produced' in claimed) return claimed.produced;
    if ('found' in claimed) return { ...claimed.found, replayed: true };
    return refused('in-progress');
  };
  let claimed: Claimed<RunResult, RunResult>;
  try {
    claimed = await claim(target.state);
  } catch (err) {
    if (!(err instanceof StateStoreUnavailable)) throw err;
    target.onStoreDown(err);
    if (target.ifStoreDown === 'fail') return refused('store-down');
    const local = await claim(target.local);
    if ('produced' in local) offer(target.state, key, local.produced, target.windowMs);
    return answer(local);
  }
  return answer(claimed);
}

/** The store key of one user turn of one action: a digest, so Redis never sees sender ids. */
export function dedupeKey(action: string, senderId: string, turnId: string): string {
  return `dedupe:${createHash('sha256').update(`${action}\0${senderId}\0${turnId}`).digest('base64url')}`;
}

/**
 * Stores a result made while the shared store could not answer, without
 * waiting: a stalled Redis applies it when it resumes, so a re-run of the
 * turn on another replica replays it. Best effort: when Redis is
 * unreachable it is lost, as the outage was already reported.
 */
function offer(state: StateStore, key: string, result: RunResult, windowMs: number): void {
  const record: ClaimRecord<RunResult> = { state: 'done', value: result };
  void state.set(key, record, windowMs).catch(() => undefined);
}
