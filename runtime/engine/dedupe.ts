/**
 * De-duplication of re-runs (`dedupe:`, issue 12). Rasa re-predicts, and
 * channels retry a message whose answer was slow, so one user turn can run
 * an action twice; for a call that books or pays, the second run must not
 * reach the API again. The first run of a turn claims a record in the state
 * store (state/claim.ts) and stores its result there for the window; a later
 * run of the same turn answers with it, and a run that overlaps the first
 * waits for it. With a shared store (Redis) this holds across replicas.
 *
 * When the shared store cannot answer, the action's `if_store_down` says
 * what happens (docs/actions-yml.md): `fail` (the default) calls nothing and
 * runs on_error, since a guarantee that silently weakens is worse than a
 * visible error for a call that books or pays; `run` de-duplicates within
 * this process only and calls the API.
 */
import { createHash } from 'node:crypto';
import { claimOnce } from '../state/claim.js';
import type { StateStore } from '../state/index.js';
import { StateStoreUnavailable } from '../state/index.js';
import type { RunResult } from './types.js';

/** Time given to a first run past its deadline before a waiting run stops waiting for it. */
const CLAIM_SLACK_MS = 2 * 1000; // 2 s

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
  /** The action's deadline: how long a first run can take at most. */
  readonly deadlineMs: number;
}

/**
 * Runs `run` once per turn within the window. A later or overlapping run
 * of the turn answers with the first one's result, marked `replayed`.
 * A first run that crashed (threw) leaves nothing behind, so the next run
 * of the turn runs again; one that vanished (its process died) is waited
 * for until its deadline has passed, then run again.
 * @param refused - the run when the store is down and the action says `fail`
 */
export async function dedupedRun(
  target: DedupeTarget,
  run: () => Promise<RunResult>,
  refused: () => Promise<RunResult>,
): Promise<RunResult> {
  const key = `dedupe:${createHash('sha256').update(`${target.action}\0${target.senderId}\0${target.turnId}`).digest('base64url')}`;
  const options = {
    claimMs: Math.max(target.windowMs, target.deadlineMs + CLAIM_SLACK_MS),
    waitUntil: Date.now() + target.deadlineMs + CLAIM_SLACK_MS,
    onUnsaved: target.onStoreDown,
  };
  const once = async (store: StateStore): Promise<RunResult> => {
    const answer = await claimOnce<RunResult, RunResult>(store, key, options, async () => {
      const result = await run();
      return { result, keep: { value: result, ttlMs: target.windowMs } };
    });
    return 'produced' in answer ? answer.produced : { ...answer.found, replayed: true };
  };
  try {
    return await once(target.state);
  } catch (err) {
    if (!(err instanceof StateStoreUnavailable)) throw err;
    target.onStoreDown(err);
    return target.ifStoreDown === 'run' ? once(target.local) : refused();
  }
}
