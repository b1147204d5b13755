/**
 * Running one test file (docs/testing.md): each case calls its action like
 * Rasa would, through the real executor and HTTP client, with the socket
 * replaced by the case's fixtures, and is checked against `expect:`. How a
 * case reaches the engine is a {@link CaseRunner}: Rasa's call by default,
 * or a front-end's (`--mcp`, via-mcp.ts); the loop, the fixtures and the
 * checks are the same for every runner.
 */
import { dirname, resolve } from 'node:path';
import { closest, loadTestFile, locate, positionOfNode } from '../config/index.js';
import type { Diagnostic, TestCase } from '../config/index.js';
import { createEngine, loadPlan, watchedRun } from '../engine/index.js';
import type { CompileResult } from '../engine/index.js';
import type { Engine, TrackerInput } from '../engine/index.js';
import { CallShapeError, trackerFromDict } from '../rasa/index.js';
import { compare } from './expectations.js';
import type { Observed } from './expectations.js';
import { serveFixtures } from './fixtures.js';
import type { FixtureServer } from './fixtures.js';
import { testEnv } from './test-env.js';

/** How one case went. */
export interface CaseReport {
  readonly name: string;
  readonly line: number;
  /** False for a failed case, and for a skipped one. */
  readonly passed: boolean;
  readonly failures: readonly string[];
  /** Why the case was not run (the runner cannot express it); null when it ran. */
  readonly skipped: string | null;
  readonly ms: number;
}

/** What a runner made of a case: what the action did, why it failed before that, or why it was not run. */
export type CaseRun =
  { readonly observed: Observed } | { readonly failures: readonly string[] } | { readonly skipped: string };

/**
 * Runs a case's action on `engine`, which serves the case's fixtures and
 * knows the action; the caller checks `expect:`.
 */
export type CaseRunner = (c: TestCase, engine: Engine) => Promise<CaseRun>;

/** How one file went: problems that stopped it, and its cases. */
export interface FileReport {
  readonly file: string;
  readonly actionsFile: string | null;
  /** Problems in the test file or the actions file; the cases did not run. */
  readonly diagnostics: readonly Diagnostic[];
  readonly cases: readonly CaseReport[];
}

/** Options of {@link runTestFile}. */
export interface RunTestsOptions {
  /** The actions file. Default: the test file's `actions:`, else actions.yml beside it. */
  readonly actionsFile?: string;
  /** How each case reaches the engine. Default: {@link runAsRasa} */
  readonly runner?: CaseRunner;
}

/** Runs every case of a test file. */
export async function runTestFile(file: string, options: RunTestsOptions = {}): Promise<FileReport> {
  const loaded = await loadTestFile(file);
  if (!loaded.tests || !loaded.source) return { file, actionsFile: null, diagnostics: loaded.diagnostics, cases: [] };
  const actionsFile = options.actionsFile ?? resolve(dirname(file), loaded.tests.actions ?? 'actions.yml');
  // Compiled once per environment, for its diagnostics and connections (the fixtures' origins).
  const plans = new Map<string, Promise<CompileResult>>();
  const cases: CaseReport[] = [];
  for (const [i, c] of loaded.tests.tests.entries()) {
    const env = testEnv(c.env);
    const key = JSON.stringify(c.env ?? {});
    if (!plans.has(key)) plans.set(key, loadPlan(actionsFile, { env }));
    const { plan, diagnostics } = await (plans.get(key) as Promise<CompileResult>);
    if (!plan) return { file, actionsFile, diagnostics, cases: [] };
    // An engine per case: its own fixtures, and no cache, breaker or token left over from another case.
    const fixtures = serveFixtures(c.http ?? [], plan.connections);
    const engine = await createEngine({
      compiled: { plan, diagnostics },
      env,
      http: { dispatcherFactory: fixtures.dispatcherFactory },
    });
    const line = positionOfNode(loaded.source, locate(loaded.source, ['tests', i]).node).line;
    const started = performance.now();
    try {
      const run = await runCase(c, engine, fixtures, options.runner ?? runAsRasa);
      const ms = Math.round(performance.now() - started);
      if ('skipped' in run) cases.push({ name: c.name, line, passed: false, failures: [], skipped: run.skipped, ms });
      else
        cases.push({
          name: c.name,
          line,
          passed: run.failures.length === 0,
          failures: run.failures,
          skipped: null,
          ms,
        });
    } finally {
      // Closing the engine closes its pools, and with them the fixtures' MockAgent.
      await engine.close();
    }
  }
  return { file, actionsFile, diagnostics: [], cases };
}

async function runCase(
  c: TestCase,
  engine: Engine,
  fixtures: FixtureServer,
  runner: CaseRunner,
): Promise<{ failures: string[] } | { skipped: string }> {
  if (!engine.action(c.action)) {
    const suggestion = closest(
      c.action,
      engine.actions().map((a) => a.name),
    );
    return { failures: [`no action named "${c.action}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`] };
  }
  const run = await runner(c, engine);
  if ('skipped' in run) return run;
  const failures = 'observed' in run ? compare(c.expect ?? {}, run.observed) : [...run.failures];
  for (const u of fixtures.unmatched)
    failures.push(`request ${u.method} ${u.url} matched no fixture (it was answered with status 599)`);
  return { failures };
}

/** The default runner: the case as the tracker Rasa sends (docs/protocol.md#the-request), straight to `engine.run`. */
export const runAsRasa: CaseRunner = async (c, engine) => {
  let input: TrackerInput;
  try {
    input = inputOf(c);
  } catch (err) {
    // A case's own `tracker:` with a wrong-typed field fails that case, naming the field.
    if (err instanceof CallShapeError)
      return { failures: [`the case's tracker is not what Rasa sends: ${err.message}`] };
    throw err;
  }
  const { result, calls } = await watchedRun(engine, c.action, input);
  return { observed: { result, calls } };
};

/**
 * The call a case describes, shaped as Rasa sends it (docs/protocol.md#the-request).
 * @param turnId - the message id when the case names none: `--record` gives
 *   each recording a turn of its own; replays keep the tracker's digest, so
 *   a fixture may match the Idempotency-Key. Default: none
 */
export function inputOf(c: TestCase, turnId?: string): TrackerInput {
  const message = { ...(turnId === undefined ? {} : { message_id: turnId }), ...c.message };
  const intent = typeof message.intent === 'string' ? { name: message.intent, confidence: 1 } : (message.intent ?? {});
  const tracker = trackerFromDict({
    sender_id: 'slotwire-test',
    slots: c.slots ?? {},
    latest_message: {
      text: message.text ?? null,
      intent,
      entities: message.entities ?? [],
      metadata: message.metadata ?? {},
      ...(message.message_id ? { message_id: message.message_id } : {}),
    },
    events: [],
    ...c.tracker,
  });
  return { tracker, domain: c.domain ?? null };
}
