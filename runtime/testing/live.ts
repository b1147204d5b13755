/**
 * `slotwire test --live` (docs/testing.md#has-the-live-api-changed---live):
 * does the live API still answer in the shape the recorded fixtures show?
 * Each case runs against the live API
 * once (as `--record` sends it, nothing written); the actions' response
 * paths are then checked against the answers that came back, and every path
 * the recorded fixtures (or `response_schema:`) allow but a live answer no
 * longer has is reported: that mapping would now give null.
 */
import type { Diagnostic } from '../config/index.js';
import { loadPlan } from '../engine/index.js';
import { loadLiveTarget, runCasesLive } from './live-run.js';
import type { LiveCase, LiveOptions } from './live-run.js';

export type { LiveOptions } from './live-run.js';

/** What the live run found. */
export interface LiveReport {
  readonly actionsFile: string;
  /** Per case: the calls that reached the API, or why none did. */
  readonly cases: readonly LiveCase[];
  /** Response paths that live answers no longer have (SW_WARN_RESPONSE_FIELD, in the actions file). */
  readonly drift: readonly Diagnostic[];
}

/** What the messages call the answers. */
export const LIVE_SOURCE = 'the live answers';

/** Runs every case of `file` live and compares the answers' shape with the recorded one. */
export async function checkLive(file: string, options: LiveOptions): Promise<LiveReport> {
  const target = await loadLiveTarget(file, options);
  const { actionsFile } = target;
  const bodies = new Map<string, unknown[]>();
  const cases = await runCasesLive(target, options, (c, _i, run) => {
    const seen = bodies.get(c.action) ?? [];
    for (const call of run.sent) {
      // The success answers only, as the recorded shape is made of (response-shape.ts).
      if (call.outcome.ok && call.outcome.response.body !== null && typeof call.outcome.response.body === 'object')
        seen.push(call.outcome.response.body);
    }
    bodies.set(c.action, seen);
  });
  const live = await loadPlan(actionsFile, { env: options.env, answers: { bodies, source: LIVE_SOURCE } });
  // What the recorded shape already flagged is the author's to fix, not drift.
  const before = new Set(
    target.diagnostics.filter((d) => d.code === 'SW_WARN_RESPONSE_FIELD').map((d) => `${d.line}:${d.col}`),
  );
  const drift = live.diagnostics.filter(
    (d) => d.code === 'SW_WARN_RESPONSE_FIELD' && d.message.endsWith(LIVE_SOURCE) && !before.has(`${d.line}:${d.col}`),
  );
  return { actionsFile, cases, drift };
}
