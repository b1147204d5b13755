/**
 * `slotwire test --record`: runs each case against the live API once and
 * writes what came back as the case's `http:` fixtures (docs/testing.md).
 * Secrets never reach the file: of the request only method, path and query
 * are kept (no headers); of the reply its status, content and the headers
 * slotwire or the mappings read (content-type decides `parse` errors,
 * retry-after the retries: without them an HTML login page would replay as
 * success). Every connection secret and `sensitive:` slot value is `***`.
 *
 * Recording never destroys what it cannot replace: a case keeps its
 * fixtures when a call was not sent (it changes data, and --yes was not
 * given), when the live API gave no answer, and when its fixtures simulate
 * a failure (a live 200 would turn a failure case into a success case)
 * unless the author asks for that. The file is written once, in one step,
 * with only the recorded cases' `http:` changed, and each recorded case is
 * then replayed to say whether its `expect:` still holds.
 */
import { readFile } from 'node:fs/promises';
import { replaceFile, setYamlIn } from '../config/index.js';
import type { TestCase, TestFixture } from '../config/index.js';
import type { CallRecord } from '../engine/index.js';
import { maskValue } from '../engine/index.js';
import { loadLiveTarget, runCaseLive } from './live-run.js';
import type { LiveOptions, LiveRun, LiveTarget } from './live-run.js';
import { runTestFile } from './run-tests.js';

/** Options of {@link recordFixtures}. */
export interface RecordOptions extends LiveOptions {
  /** Replace the fixtures of cases that simulate a failure (a non-2xx status, `reply.error`). Default: false, they are kept. */
  readonly overwriteFailures?: boolean;
}

/**
 * What recording did with a case: `recorded` (its fixtures are the live
 * answers now), or kept as it was because a call was `not-sent` (it changes
 * data), the live API gave `no-answer`, its fixtures `simulate-failure`,
 * or its action is `unknown`.
 */
export type RecordOutcome = 'recorded' | 'not-sent' | 'no-answer' | 'simulates-failure' | 'unknown-action';

/** One case of a recording. */
export interface RecordedCase {
  readonly name: string;
  readonly outcome: RecordOutcome;
  /** The calls recorded (0 for a kept case). */
  readonly calls: number;
  /** What the outcome is about: the methods not sent, the failure simulated, the error live; null when recorded. */
  readonly detail: string | null;
  /**
   * A recorded case replayed on its new fixtures: whether its `expect:`
   * holds, and the differences when not; null for a kept case.
   */
  readonly expect: { readonly holds: boolean; readonly failures: readonly string[] } | null;
}

/** What a recording did: per case, and whether the file was written (not when nothing was recorded). */
export interface RecordReport {
  readonly file: string;
  readonly written: boolean;
  readonly cases: readonly RecordedCase[];
}

/** Records fixtures for the cases of a test file and writes the file, every other line as it was. */
export async function recordFixtures(file: string, options: RecordOptions): Promise<RecordReport> {
  const target = await loadLiveTarget(file, options);
  const readHeaders = headersRead(await readFile(target.actionsFile, 'utf8'));
  let text = await readFile(file, 'utf8');
  const cases: RecordedCase[] = [];
  for (const [i, c] of target.tests.entries()) {
    const kept = keptBeforeRunning(c, target, options);
    if (kept !== null) {
      cases.push(kept);
      continue;
    }
    const run = await runCaseLive(c, target, options);
    const unsent = notRecorded(c, run);
    if (unsent !== null) {
      cases.push(unsent);
      continue;
    }
    text = setYamlIn(text, ['tests', i, 'http'], fixturesOf(run, readHeaders)).text;
    cases.push({ name: c.name, outcome: 'recorded', calls: run.sent.length, detail: null, expect: null });
  }
  if (!cases.some((c) => c.outcome === 'recorded')) return { file, written: false, cases };
  await replaceFile(file, text);
  return { file, written: true, cases: await withExpectations(file, options, cases) };
}

/** Why a case is kept without calling the live API: its action is unknown, or its fixtures simulate a failure. */
function keptBeforeRunning(c: TestCase, target: LiveTarget, options: RecordOptions): RecordedCase | null {
  if (!target.plan.actions.has(c.action)) return kept(c, 'unknown-action', c.action);
  const failure = simulatedFailure(c.http ?? []);
  return failure !== null && options.overwriteFailures !== true ? kept(c, 'simulates-failure', failure) : null;
}

/** Why a live run cannot be recorded: a call was held back, or one got no answer at all. */
function notRecorded(c: TestCase, run: LiveRun): RecordedCase | null {
  const held = run.calls.filter((call) => !run.sent.includes(call));
  if (held.length > 0) return kept(c, 'not-sent', [...new Set(held.map((call) => call.request.method))].join(', '));
  // A network error or a timeout says the API is not there, not how it answers: recording it would turn every case into an outage.
  const silent = run.sent.find((call) => !call.outcome.ok && call.outcome.error.response === null);
  if (silent && !silent.outcome.ok) return kept(c, 'no-answer', silent.outcome.error.kind);
  return null;
}

function kept(c: TestCase, outcome: RecordOutcome, detail: string): RecordedCase {
  return { name: c.name, outcome, calls: 0, detail, expect: null };
}

/**
 * The failure a case's fixtures simulate, as `status 503` or `timeout`;
 * null when every reply is a 2xx answer.
 */
export function simulatedFailure(fixtures: readonly TestFixture[]): string | null {
  for (const { reply } of fixtures) {
    if (reply.error !== undefined) return reply.error;
    const status = reply.status ?? 200;
    if (status < 200 || status > 299) return `status ${status}`;
  }
  return null;
}

/** The calls sent, as fixtures, with every secret and sensitive value as `***`. */
function fixturesOf(run: LiveRun, readHeaders: ReadonlySet<string>): Record<string, unknown>[] {
  return run.sent.map((call) => maskValue(fixtureOf(call, readHeaders), run.hidden) as Record<string, unknown>);
}

/** The recorded cases replayed from the file as written, as `slotwire test` will run them. */
async function withExpectations(
  file: string,
  options: RecordOptions,
  cases: readonly RecordedCase[],
): Promise<RecordedCase[]> {
  const replay = await runTestFile(file, options.actionsFile ? { actionsFile: options.actionsFile } : {});
  return cases.map((c, i) => {
    const ran = replay.cases[i];
    if (c.outcome !== 'recorded' || ran === undefined) return c;
    return { ...c, expect: { holds: ran.passed, failures: ran.failures } };
  });
}

/** Response headers always kept: the HTTP layer reads them (decoding, `parse` errors, Retry-After). */
const KEPT_HEADERS: readonly string[] = ['content-type', 'retry-after'];

/**
 * Header names the actions file reads (`response.headers.etag`,
 * `headers["x-total"]`, ``headers.`x-rate-limit` ``), lower-case: recorded
 * so a mapping that reads one replays as it ran. Read from the text, so a
 * name in a comment is kept too, which costs a line in the fixture only.
 */
export function headersRead(actionsText: string): Set<string> {
  const out = new Set(KEPT_HEADERS);
  for (const m of actionsText.matchAll(
    /headers\s*(?:\.\s*(?:`([^`]+)`|([A-Za-z_][\w-]*))|\[\s*["']([^"']+)["']\s*\])/g,
  )) {
    out.add((m[1] ?? m[2] ?? m[3] ?? '').toLowerCase());
  }
  return out;
}

/** One call as a fixture: what to match of the request, and the reply (headers only those in `readHeaders`). */
export function fixtureOf(call: CallRecord, readHeaders: ReadonlySet<string>): Record<string, unknown> {
  const { request, outcome } = call;
  const fixture: Record<string, unknown> = {
    connection: request.connection,
    method: request.method,
    path: request.path,
  };
  if (request.query.length > 0) fixture['query'] = Object.fromEntries(request.query);
  if (!outcome.ok && !outcome.error.response) {
    fixture['reply'] = { error: outcome.error.kind === 'timeout' ? 'timeout' : 'network' };
    return fixture;
  }
  const response = outcome.ok ? outcome.response : outcome.error.response!;
  const reply: Record<string, unknown> = { status: response.status };
  const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => readHeaders.has(name)));
  if (Object.keys(headers).length > 0) reply['headers'] = headers;
  if (typeof response.body === 'string') reply['text'] = response.body;
  else if (response.body !== null) reply['json'] = response.body;
  fixture['reply'] = reply;
  return fixture;
}
