/**
 * Running a test file's cases against the live API, as `--record` and
 * `--live` both do: each case a new user turn unless it names one (a
 * constant turn would give every run the same Idempotency-Key, and an
 * upstream that de-duplicates would answer with its first reply), an engine
 * of its own, and calls that change data held back unless allowed. What
 * each command makes of a run is its own.
 */
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { Diagnostic, Env, TestCase } from '../config/index.js';
import { loadTestFile } from '../config/index.js';
import { createEngine, loadPlan, watchedRun } from '../engine/index.js';
import type { Plan, WatchedRun } from '../engine/index.js';
import { inputOf } from './run-tests.js';

/** Options of a live run (`recordFixtures`, `checkLive`). */
export interface LiveOptions {
  /** The real environment (URLs and secrets of the live API). */
  readonly env: Env;
  /** Default: the test file's `actions:`, else actions.yml beside it. */
  readonly actionsFile?: string;
  /** Send calls that change data (POST, PUT, PATCH, DELETE). Default: false, they are not sent. */
  readonly allowUnsafe?: boolean;
}

/** What a live run did: a watched run (engine/watched-run.ts). */
export type LiveRun = WatchedRun;

/** Per case: the calls that reached the API, or why none did. */
export interface LiveCase {
  readonly name: string;
  readonly calls: number;
  readonly skipped: string | null;
}

/** A test file and its actions file, loaded for a live run. */
export interface LiveTarget {
  readonly tests: readonly TestCase[];
  readonly actionsFile: string;
  readonly plan: Plan;
  /** What compiling the actions file said (its warnings). */
  readonly diagnostics: readonly Diagnostic[];
}

/** The test file or its actions file has errors: no case ran. */
export class BrokenFileError extends Error {
  override readonly name = 'BrokenFileError';
  /** The file with errors. */
  readonly file: string;
  readonly diagnostics: readonly Diagnostic[];
  constructor(file: string, diagnostics: readonly Diagnostic[]) {
    super(`${file} has errors: ${problems(diagnostics)}`);
    this.file = file;
    this.diagnostics = diagnostics;
  }
}

/** Loads `file` and its actions file; throws a {@link BrokenFileError} when either has errors. */
export async function loadLiveTarget(file: string, options: LiveOptions): Promise<LiveTarget> {
  const loaded = await loadTestFile(file);
  if (!loaded.tests) throw new BrokenFileError(file, loaded.diagnostics);
  const actionsFile = options.actionsFile ?? resolve(dirname(file), loaded.tests.actions ?? 'actions.yml');
  const { plan, diagnostics } = await loadPlan(actionsFile, { env: options.env });
  if (!plan) throw new BrokenFileError(actionsFile, diagnostics);
  return { tests: loaded.tests.tests, actionsFile, plan, diagnostics };
}

/** Runs every case of `target` live, handing each run to `each`; a case whose action is not served is skipped. */
export async function runCasesLive(
  target: LiveTarget,
  options: LiveOptions,
  each: (c: TestCase, index: number, run: LiveRun) => void,
): Promise<LiveCase[]> {
  const cases: LiveCase[] = [];
  for (const [i, c] of target.tests.entries()) {
    if (!target.plan.actions.has(c.action)) {
      cases.push({ name: c.name, calls: 0, skipped: `no action named ${c.action}` });
      continue;
    }
    const run = await runCaseLive(c, target, options);
    each(c, i, run);
    cases.push({
      name: c.name,
      calls: run.sent.length,
      skipped: run.sent.length < run.calls.length ? 'calls that change data were not sent (use --yes)' : null,
    });
  }
  return cases;
}

/** Runs one case against the live API, on an engine of its own, as a new user turn unless the case names one. */
export async function runCaseLive(c: TestCase, target: LiveTarget, options: LiveOptions): Promise<LiveRun> {
  // An engine per case, as `slotwire test` replays them: no cache or breaker state carried between cases;
  // the file compiled once, for every case.
  const engine = await createEngine({
    compiled: { plan: target.plan, diagnostics: target.diagnostics },
    env: options.env,
  });
  try {
    return await watchedRun(engine, c.action, inputOf(c, randomUUID()), {
      send: options.allowUnsafe === true ? 'all' : 'reads',
      heldBecause: (request) => `${request.method} not sent to the live API: add --yes`,
    });
  } finally {
    await engine.close();
  }
}

function problems(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('; ');
}
