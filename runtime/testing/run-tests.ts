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
import { runAction } from '../execute/index.js';
import type { ActionRun, ExecuteLogger } from '../execute/index.js';
import { createHttpClient } from '../http/index.js';
import { ActionRejection, defaultRejectionMessage, trackerFromDict } from '../rasa/index.js';
import type { ActionInput, DomainDict } from '../rasa/index.js';
import { captureCalls } from './capture.js';
import type { CapturedCall } from './capture.js';
import { compare } from './expectations.js';
import { serveFixtures } from './fixtures.js';
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

const quiet: ExecuteLogger = { warn() {}, info() {} };

/** Runs every case of a test file. */
export async function runTestFile(file: string, options: RunTestsOptions = {}): Promise<FileReport> {
  const loaded = await loadTestFile(file);
  if (!loaded.tests || !loaded.source) return { file, actionsFile: null, diagnostics: loaded.diagnostics, cases: [] };
  const actionsFile = options.actionsFile ?? resolve(dirname(file), loaded.tests.actions ?? 'actions.yml');
  const plans = new Map<string, Promise<CompileResult>>();
  const cases: CaseReport[] = [];
  for (const [i, c] of loaded.tests.tests.entries()) {
    const key = JSON.stringify(c.env ?? {});
    if (!plans.has(key)) plans.set(key, loadPlan(actionsFile, { env: testEnv(c.env) }));
    const compiled = await (plans.get(key) as Promise<CompileResult>);
    if (!compiled.plan) return { file, actionsFile, diagnostics: compiled.diagnostics, cases: [] };
    const line = positionOfNode(loaded.source, locate(loaded.source, ['tests', i]).node).line;
    const started = performance.now();
    const failures = await runCase(c, compiled);
    cases.push({ name: c.name, line, passed: failures.length === 0, failures, ms: Math.round(performance.now() - started) });
  }
  return { file, actionsFile, diagnostics: [], cases };
}

async function runCase(c: TestCase, compiled: CompileResult): Promise<string[]> {
  const plan = compiled.plan!;
  const action = plan.actions.get(c.action);
  if (!action) {
    const suggestion = closest(c.action, plan.actions.keys());
    return [`no action named "${c.action}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`];
  }
  const fixtures = serveFixtures(c.http ?? [], plan.connections);
  const { client, calls } = captureCalls(createHttpClient(plan.connections, { dispatcherFactory: fixtures.dispatcherFactory }));
  try {
    const observed = await observe(action.name, () => runAction(action, inputOf(c), { http: client, logger: quiet }), calls);
    const failures = compare(c.expect ?? {}, observed);
    for (const u of fixtures.unmatched) failures.push(`request ${u.method} ${u.url} matched no fixture (it was answered with status 599)`);
    return failures;
  } finally {
    await client.close();
  }
}

/** Runs the action, turning a rejection into data. */
async function observe(name: string, run: () => Promise<ActionRun>, calls: CapturedCall[]): Promise<{ run: ActionRun | null; rejected: string | null; calls: CapturedCall[] }> {
  try {
    return { run: await run(), rejected: null, calls };
  } catch (err) {
    if (!(err instanceof ActionRejection)) throw err;
    return { run: null, rejected: err.usesDefaultMessage ? defaultRejectionMessage(name) : err.message, calls };
  }
}

/** The webhook input a case describes, shaped as Rasa sends it (PROTOCOL.md §1.1). */
export function inputOf(c: TestCase): ActionInput {
  const message = c.message ?? {};
  const intent = typeof message.intent === 'string' ? { name: message.intent, confidence: 1 } : (message.intent ?? {});
  const tracker = trackerFromDict({
    sender_id: 'slotwire-test',
    slots: c.slots ?? {},
    latest_message: { text: message.text ?? null, intent, entities: message.entities ?? [], metadata: message.metadata ?? {}, ...(message.message_id ? { message_id: message.message_id } : {}) },
    events: [],
    ...c.tracker,
  });
  return { nextAction: c.action, senderId: tracker.sender_id, tracker, domain: (c.domain ?? null) as DomainDict | null, version: null };
}

