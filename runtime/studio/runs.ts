/**
 * Running an action for the authoring page, as `slotwire run` and `test`
 * do: an engine of its own per run (the file as it is on disk now), every
 * upstream call watched, calls that change data held back unless the user
 * confirmed them. What the page gets is masked (secrets and `sensitive:`
 * slot values as `***`); what the studio keeps to map a field or save a
 * test case (the answers as they came) stays in this process.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Env, TestCase, TestFixture } from '../config/index.js';
import { loadConfigText, readText } from '../config/index.js';
import {
  compilePlan,
  createEngine,
  isCredentialHeader,
  MASK,
  maskText,
  maskValue,
  SAFE_METHODS,
  sentCalls,
  watchedRun,
} from '../engine/index.js';
import type {
  CallRecord,
  CompileResult,
  ConnectionPolicy,
  PreparedRequest,
  RunResult,
  SendRule,
  TrackerInput,
} from '../engine/index.js';
import type { DomainDict } from '../rasa/index.js';
import { CallShapeError } from '../rasa/index.js';
import {
  collectWarnings,
  encodedBody,
  fixtureOf,
  inputOf,
  sentHeaders,
  serveFixtures,
  testEnv,
} from '../testing/index.js';
import { runtimeErrors } from '../errors/index.js';
import type { StudioExchange, StudioRunMode, StudioRunResult } from './api.js';
import { StudioRequestError } from './errors.js';

/** What a run needs from the studio. */
export interface RunContext {
  readonly actionsFile: string;
  /** The real environment: live runs use its URLs and secrets. */
  readonly env: Env;
  /** The domain of the Rasa project, for actions that read it; null without one. */
  readonly domain: DomainDict | null;
  /** The file compiled for runs, kept while it does not change. */
  readonly plans: RunPlans;
}

/** The actions file compiled for runs: by its text, the environment and the action. */
export interface RunPlans {
  /**
   * The plan to run `action` with `env` on the file as it is on disk now.
   * @param envKey - names `env`: the same key, the same variables
   */
  get(env: Env, envKey: string, action: string): Promise<CompileResult>;
}

/** Plans kept for this many (text, environment, action) at most: the last few are what a person runs again. */
const KEPT_PLANS = 16;

/**
 * Run plans for `actionsFile`. A run again on an unchanged file compiles
 * nothing; a change is compiled once for each environment it is run with
 * (a fixture's case env, or the real one: their `${VAR}`s differ).
 */
export function runPlans(actionsFile: string): RunPlans {
  const kept = new Map<string, CompileResult>();
  return {
    async get(env, envKey, action) {
      const read = await readText(actionsFile);
      if ('error' in read) return { plan: null, diagnostics: [read.error], slotReads: [] };
      const key = `${createHash('sha256').update(read.text).digest('hex')}\0${envKey}\0${action}`;
      const known = kept.get(key);
      if (known !== undefined) return known;
      // Only the connections this action calls need their variables set, as for `slotwire run`.
      const compiled = compilePlan(loadConfigText(actionsFile, read.text, { env, forAction: action }));
      if (kept.size >= KEPT_PLANS) kept.delete(kept.keys().next().value as string);
      kept.set(key, compiled);
      return compiled;
    },
  };
}

/** What one run is asked to do, after the page's request was checked. */
export interface RunSpec {
  readonly action: string;
  readonly slots: Readonly<Record<string, unknown>>;
  readonly mode: StudioRunMode;
  /** For `fixture`: the test case whose `http:` answers (and whose message, tracker, domain and env the run takes). */
  readonly testCase: TestCase | null;
  /** For `live`: calls that change data are sent. */
  readonly confirmed: boolean;
}

/** A finished run as the studio keeps it: the answers as they came, for a replay or a test case. */
export interface StoredRun {
  readonly spec: RunSpec;
  readonly calls: readonly CallRecord[];
  readonly result: RunResult;
  /** Secret and sensitive values of this run, shown as `***`. */
  readonly hidden: ReadonlySet<string>;
  readonly sensitive: readonly string[];
  /** The action's mappings read `response` (one `request:`), not `steps.<name>`. */
  readonly single: boolean;
  readonly view: StudioRunResult;
}

/**
 * Runs `spec`. `replay`, when given, answers every call from those
 * recorded calls instead (a mapping just written, shown on the same answers).
 */
export async function runForStudio(spec: RunSpec, cx: RunContext, replay: StoredRun | null = null): Promise<StoredRun> {
  const c = spec.testCase;
  // A fixture run is a test case: its env, placeholders for the rest (as `slotwire test`); a replay keeps its run's.
  const env = spec.mode === 'fixture' ? testEnv(c?.env) : cx.env;
  const envKey = spec.mode === 'fixture' ? `case ${JSON.stringify(c?.env ?? {})}` : 'the real environment';
  const { plan, diagnostics } = await cx.plans.get(env, envKey, spec.action);
  if (!plan) {
    const first = diagnostics.find((d) => d.severity === 'error');
    throw new StudioRequestError(
      'SW_STUDIO_FILE_BROKEN',
      `the actions file has errors (${first ? `${first.line}:${first.col} ${first.message}` : 'see the diagnostics'}); fix it first`,
    );
  }
  const actionPlan = plan.actions.get(spec.action);
  if (!actionPlan)
    throw new StudioRequestError(
      'SW_STUDIO_UNKNOWN_ACTION',
      `there is no action "${spec.action}" in the file`,
      'action',
    );
  const fixtures = replay !== null ? replayFixtures(replay.calls) : spec.mode === 'fixture' ? (c?.http ?? []) : null;
  const server = fixtures === null ? null : serveFixtures(fixtures, plan.connections);
  const warnings: string[] = [];
  const engine = await createEngine({
    compiled: { plan, diagnostics },
    env,
    forAction: spec.action,
    logger: collectWarnings(warnings),
    ...(server ? { http: { dispatcherFactory: server.dispatcherFactory } } : {}),
  });
  try {
    const input = inputFor(spec, cx, replay);
    const { calls, result, hidden, sensitive } = await watchedRun(engine, spec.action, input, {
      send: replay !== null ? 'all' : sendRule(spec),
      heldBecause:
        spec.mode === 'dry-run'
          ? () => 'dry run: nothing was sent'
          : (request) => `${request.method} changes data: not sent until you confirm`,
    });
    const stored = { spec, calls, result, hidden, sensitive, single: actionPlan.single };
    return { ...stored, view: viewOf(stored, engine.connections(), warnings) };
  } finally {
    // Closing the engine closes its pools, and with them the fixtures' MockAgent.
    await engine.close();
  }
}

/** The call the run makes: the case's tracker (fixture runs), the form's slots, a turn of its own when live. */
function inputFor(spec: RunSpec, cx: RunContext, replay: StoredRun | null): TrackerInput {
  const c = spec.testCase;
  const asCase: TestCase = { name: 'studio', action: spec.action, ...c, slots: { ...spec.slots } };
  try {
    const input = inputOf(asCase, spec.mode === 'fixture' || replay !== null ? undefined : randomUUID());
    return input.domain === null && cx.domain !== null ? { ...input, domain: cx.domain } : input;
  } catch (err) {
    // The runtime catalogue's code for a tracker of the wrong shape, as engine.run throws it (docs/errors.md).
    if (err instanceof CallShapeError)
      throw new StudioRequestError(
        { code: err.code, hint: runtimeErrors[err.code].hint, status: 400 },
        `the test case's tracker is not what Rasa sends: ${err.message}`,
        'fixture',
      );
    throw err;
  }
}

/** Dry runs send nothing; live runs send calls that change data only once confirmed; fixtures answer everything. */
function sendRule(spec: RunSpec): SendRule {
  if (spec.mode === 'dry-run') return 'none';
  return spec.mode === 'live' && !spec.confirmed ? 'reads' : 'all';
}

/**
 * The calls of a run as fixtures that answer them again, once each and in
 * order, with every response header (nothing leaves the process).
 */
function replayFixtures(calls: readonly CallRecord[]): TestFixture[] {
  return sentCalls(calls).map((call) => {
    const response = call.outcome.ok ? call.outcome.response : call.outcome.error.response;
    return { ...(fixtureOf(call, new Set(Object.keys(response?.headers ?? {}))) as unknown as TestFixture), times: 1 };
  });
}

/** The run as the page shows it, every secret and sensitive value as `***`. */
function viewOf(
  run: Omit<StoredRun, 'view'>,
  connections: readonly ConnectionPolicy[],
  warnings: readonly string[],
): StudioRunResult {
  const { spec, result, hidden } = run;
  const sensitive = new Set(run.sensitive);
  const mask = (value: unknown): unknown => maskValue(value, hidden);
  const exchanges = run.calls.map((call) => exchangeOf(call, connections, run.single, hidden));
  const { outcome } = result;
  return {
    runId: randomUUID(),
    action: spec.action,
    mode: spec.mode,
    exchanges,
    outcome: {
      status: outcome.status,
      message: outcome.status === 'rejected' || outcome.status === 'held' ? maskText(outcome.message, hidden) : null,
      error:
        outcome.status === 'error'
          ? {
              kind: outcome.error.kind,
              reason: outcome.error.reason,
              status: outcome.error.status,
              code: outcome.error.code,
              message: maskText(outcome.error.message, hidden),
            }
          : null,
    },
    slots: result.events.flatMap((e) =>
      e.event === 'slot'
        ? [
            {
              name: String(e['name']),
              value: sensitive.has(String(e['name'])) ? MASK : mask(e['value']),
              sensitive: sensitive.has(String(e['name'])),
            },
          ]
        : [],
    ),
    messages: result.responses.map((m) => mask(m) as Record<string, unknown>),
    events: result.events.filter((e) => e.event !== 'slot').map((e) => mask(e) as Record<string, unknown>),
    // A held run ran no outcome: the engine's "failed, running on_error" is not news.
    warnings: outcome.status === 'held' ? [] : warnings.map((w) => maskText(w, hidden)),
    needsConfirmation:
      spec.mode === 'live' &&
      !spec.confirmed &&
      exchanges.some((x) => x.held && !SAFE_METHODS.has(x.request.method as PreparedRequest['method'])),
  };
}

function exchangeOf(
  call: CallRecord,
  connections: readonly ConnectionPolicy[],
  single: boolean,
  hidden: ReadonlySet<string>,
): StudioExchange {
  const { request, outcome } = call;
  const { exchange } = outcome;
  const step = call.step ?? 'response';
  const response = outcome.ok ? outcome.response : outcome.error.response;
  // The origin is the connection's, never a slot's: shown as is, so a short hidden value cannot eat the host or port.
  const { origin } = new URL(exchange.url);
  const headers = sentHeaders(
    request,
    connections.find((c) => c.name === request.connection),
  );
  return {
    step,
    bodyPath: single ? 'response.body' : `steps.${step}.body`,
    request: {
      method: request.method,
      url: origin + maskText(exchange.url.slice(origin.length), hidden),
      headers: maskValue(headers, hidden) as Record<string, string>,
      body: request.body ? maskText(encodedBody(request.body), hidden) : null,
    },
    response:
      response === null
        ? null
        : {
            status: response.status,
            headers: Object.fromEntries(
              Object.entries(response.headers).map(([name, value]) => [
                name,
                isCredentialHeader(name) ? MASK : maskText(value, hidden),
              ]),
            ),
            body: maskValue(response.body, hidden),
          },
    timeMs: Math.round(exchange.timeMs),
    attempts: exchange.attempts,
    fromCache: exchange.fromCache,
    error: outcome.ok
      ? null
      : { kind: outcome.error.kind, code: outcome.error.code, message: maskText(outcome.error.message, hidden) },
    held: !outcome.ok && outcome.error.code === 'SW_ACTION_NOT_SENT',
  };
}
