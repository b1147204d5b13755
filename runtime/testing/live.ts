/**
 * `slotwire test --live` (issue 18): does the live API still answer in the
 * shape the recorded fixtures show? Each case runs against the live API
 * once (as `--record` sends it, nothing written); the actions' response
 * paths are then checked against the answers that came back, and every path
 * the recorded fixtures (or `response_schema:`) allow but a live answer no
 * longer has is reported: that mapping would now give null.
 */
import { dirname, resolve } from 'node:path';
import type { Diagnostic, Env } from '../config/index.js';
import { loadTestFile } from '../config/index.js';
import { loadPlan } from '../compile/index.js';
import { runLive, sentCalls } from './live-run.js';

/** Options of {@link checkLive}. */
export interface LiveOptions {
  /** The real environment (URLs and secrets of the live API). */
  readonly env: Env;
  /** Default: the test file's `actions:`, else actions.yml beside it. */
  readonly actionsFile?: string;
  /** Send calls that change data (POST, PUT, PATCH, DELETE). Default: false, they are not sent. */
  readonly allowUnsafe?: boolean;
}

/** What the live run found. */
export interface LiveReport {
  readonly actionsFile: string;
  /** Per case: the calls that reached the API, or why none did. */
  readonly cases: readonly { readonly name: string; readonly calls: number; readonly skipped: string | null }[];
  /** Response paths that live answers no longer have (SW_WARN_RESPONSE_FIELD, in the actions file). */
  readonly drift: readonly Diagnostic[];
}

/** What the messages call the answers. */
export const LIVE_SOURCE = 'the live answers';

/** Runs every case of `file` live and compares the answers' shape with the recorded one. */
export async function checkLive(file: string, options: LiveOptions): Promise<LiveReport> {
  const loaded = await loadTestFile(file);
  if (!loaded.tests) throw new Error(`${file} has errors: ${loaded.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('; ')}`);
  const actionsFile = options.actionsFile ?? resolve(dirname(file), loaded.tests.actions ?? 'actions.yml');
  const recorded = await loadPlan(actionsFile, { env: options.env });
  if (!recorded.plan) throw new Error(`${actionsFile} has errors: ${recorded.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('; ')}`);
  const bodies = new Map<string, unknown[]>();
  const cases: { name: string; calls: number; skipped: string | null }[] = [];
  for (const c of loaded.tests.tests) {
    if (!recorded.plan.actions.has(c.action)) {
      cases.push({ name: c.name, calls: 0, skipped: `no action named ${c.action}` });
      continue;
    }
    const run = await runLive(c, actionsFile, options.env, options.allowUnsafe === true);
    const sent = sentCalls(run);
    for (const call of sent) {
      // The success answers only, as the recorded shape is made of (response-shape.ts).
      if (call.outcome.ok && call.outcome.response.body !== null && typeof call.outcome.response.body === 'object') {
        bodies.set(c.action, [...(bodies.get(c.action) ?? []), call.outcome.response.body]);
      }
    }
    cases.push({ name: c.name, calls: sent.length, skipped: sent.length < run.calls.length ? 'calls that change data were not sent (use --yes)' : null });
  }
  const live = await loadPlan(actionsFile, { env: options.env, answers: { bodies, source: LIVE_SOURCE } });
  // What the recorded shape already flagged is the author's to fix, not drift.
  const before = new Set(recorded.diagnostics.filter((d) => d.code === 'SW_WARN_RESPONSE_FIELD').map((d) => `${d.line}:${d.col}`));
  const drift = live.diagnostics.filter((d) => d.code === 'SW_WARN_RESPONSE_FIELD' && d.message.endsWith(LIVE_SOURCE) && !before.has(`${d.line}:${d.col}`));
  return { actionsFile, cases, drift };
}
