/**
 * One test case against the live API, as `--record` and `--live` send it:
 * a new user turn unless the case names one (a constant turn would give
 * every run the same Idempotency-Key, issue 13 item 9), an engine of its
 * own, and calls that change data held back unless allowed.
 */
import { randomUUID } from 'node:crypto';
import type { Env, TestCase } from '../config/index.js';
import { createEngine } from '../engine/index.js';
import type { CallRecord, RunResult } from '../engine/index.js';
import { SAFE_METHODS } from '../http/index.js';
import type { PreparedRequest } from '../http/index.js';
import { inputOf } from './run-tests.js';

/** What a live run did. */
export interface LiveRun {
  readonly calls: readonly CallRecord[];
  readonly result: RunResult;
  /** The action's `sensitive:` slots. */
  readonly sensitive: readonly string[];
}

/** Runs `c` live. */
export async function runLive(c: TestCase, actionsFile: string, env: Env, allowUnsafe: boolean): Promise<LiveRun> {
  const calls: CallRecord[] = [];
  // An engine per case, as `slotwire test` replays them: no cache or breaker state carried between cases.
  const engine = await createEngine({ actionsFile, env });
  try {
    const result = await engine.run(c.action, inputOf(c, randomUUID()), {
      onCall: (call) => calls.push(call),
      ...(allowUnsafe ? {} : { hold: (request: PreparedRequest) => (SAFE_METHODS.has(request.method) ? null : `${request.method} not sent to the live API: add --yes`) }),
    });
    return { calls, result, sensitive: engine.action(c.action)?.sensitiveSlots ?? [] };
  } finally {
    await engine.close();
  }
}

/** The calls that reached the API (or its cache): a held call made no attempt. */
export function sentCalls(run: LiveRun): readonly CallRecord[] {
  return run.calls.filter((call) => call.outcome.exchange.attempts > 0 || call.outcome.exchange.fromCache);
}
