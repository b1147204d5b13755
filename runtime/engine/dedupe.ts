/**
 * De-duplication of re-runs (`dedupe: <window>`, issue 12). Rasa
 * re-predicts, and channels retry a message whose answer was slow, so one
 * user turn can run an action twice; for a call that books or pays, the
 * second run must not reach the API again. The first run of a turn claims
 * a record in the state store; its result is stored there for the window;
 * a later run of the same turn answers with it, and a run that overlaps the
 * first waits for it. Records live in the state store, so with a shared
 * store this holds across replicas.
 */
import { createHash } from 'node:crypto';
import type { StateStore } from '../state/index.js';
import type { RunResult } from './types.js';

/** What the store holds for a turn. */
type DedupeRecord = { readonly state: 'running' } | { readonly state: 'done'; readonly result: RunResult };

/** How often a waiting run looks for the first run's result. */
const POLL_MS = 20; // 20 ms

/** Time given to a first run past its deadline before a waiting run stops waiting for it. */
const CLAIM_SLACK_MS = 2 * 1000; // 2 s

/** What de-duplicating one run needs. */
export interface DedupeTarget {
  readonly state: StateStore;
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
 */
export async function dedupedRun(target: DedupeTarget, run: () => Promise<RunResult>): Promise<RunResult> {
  const { state, windowMs, deadlineMs } = target;
  const key = `dedupe:${createHash('sha256').update(`${target.action}\0${target.senderId}\0${target.turnId}`).digest('base64url')}`;
  const claimMs = Math.max(windowMs, deadlineMs + CLAIM_SLACK_MS);
  const waitUntil = Date.now() + deadlineMs + CLAIM_SLACK_MS;
  for (;;) {
    if (await state.add(key, { state: 'running' } satisfies DedupeRecord, claimMs)) {
      let result: RunResult;
      try {
        result = await run();
      } catch (err) {
        await state.delete(key);
        throw err;
      }
      await state.set(key, { state: 'done', result } satisfies DedupeRecord, windowMs);
      return result;
    }
    const record = (await state.get(key)) as DedupeRecord | undefined;
    if (record?.state === 'done') return { ...record.result, replayed: true };
    if (record !== undefined && Date.now() >= waitUntil) {
      // The first run outlived its deadline without an answer: its process is gone.
      await state.delete(key);
      continue;
    }
    if (record !== undefined) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
