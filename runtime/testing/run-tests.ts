/**
 * Running one test file (docs/testing.md): each case calls its action like
 * Rasa would, through the real executor and HTTP client, with the socket
 * replaced by the case's fixtures, and is checked against `expect:`.
 */
import { dirname, resolve } from 'node:path';
import { closest, loadTestFile, locate, positionOfNode } from '../config/index.js';
import type { Diagnostic, TestCase } from '../config/index.js';
import { loadPlan } from '../compile/index.js';
import type { CompileResult } from '../compile/index.js';
import { createEngine } from '../engine/index.js';
import type { CallRecord, Engine, TrackerInput } from '../engine/index.js';
import { CallShapeError, trackerFromDict } from '../rasa/index.js';
import type { DomainDict } from '../rasa/index.js';
import { compare } from './expectations.js';
import { serveFixtures } from './fixtures.js';
import type { FixtureServer } from './fixtures.js';
import { testEnv } from './test-env.js';

/** How one case went. */
export interface CaseReport {
  readonly name: string;
  readonly line: number;
  readonly passed: boolean;
  readonly failures: readonly string[];
  readonly ms: number;
}

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
    const engine = await createEngine({ actionsFile, env, http: { dispatcherFactory: fixtures.dispatcherFactory } });
    const line = positionOfNode(loaded.source, locate(loaded.source, ['tests', i]).node).line;
    const started = performance.now();
    try {
      const failures = await runCase(c, engine, fixtures);
      cases.push({ name: c.name, line, passed: failures.length === 0, failures, ms: Math.round(performance.now() - started) });
    } finally {
      // Closing the engine closes its pools, and with them the fixtures' MockAgent.
      await engine.close();
    }
  }
  return { file, actionsFile, diagnostics: [], cases };
}

async function runCase(c: TestCase, engine: Engine, fixtures: FixtureServer): Promise<string[]> {
  if (!engine.action(c.action)) {
    const suggestion = closest(c.action, engine.actions().map((a) => a.name));
    return [`no action named "${c.action}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`];
  }
  let input: TrackerInput;
  try {
    input = inputOf(c);
  } catch (err) {
    // A case's own `tracker:` with a wrong-typed field fails that case, naming the field.
    if (err instanceof CallShapeError) return [`the case's tracker is not what Rasa sends: ${err.message}`];
    throw err;
  }
  const calls: CallRecord[] = [];
  const result = await engine.run(c.action, input, { onCall: (call) => calls.push(call) });
  const failures = compare(c.expect ?? {}, { result, calls });
  for (const u of fixtures.unmatched) failures.push(`request ${u.method} ${u.url} matched no fixture (it was answered with status 599)`);
  return failures;
}

/**
 * The call a case describes, shaped as Rasa sends it (PROTOCOL.md §1.1).
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
    latest_message: { text: message.text ?? null, intent, entities: message.entities ?? [], metadata: message.metadata ?? {}, ...(message.message_id ? { message_id: message.message_id } : {}) },
    events: [],
    ...c.tracker,
  });
  return { tracker, domain: (c.domain ?? null) as DomainDict | null };
}
