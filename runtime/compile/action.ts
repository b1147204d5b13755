/**
 * One action from its validated YAML shape to an ActionPlan: every value
 * compiled, every name and reference checked, defaults resolved.
 */
import { basename } from 'node:path';
import type {
  Action,
  Outcome,
  Request,
  ResponseMessage,
  Event,
  SlotCheck,
  Step,
  ParallelGroup,
} from '../config/index.js';
import { closest, credentialHeaders, humanPath, renameFix } from '../config/index.js';
import type { NodePath } from '../config/index.js';
import { compileCondition, compileValue, keyPositionOf, positionOf, report } from './context.js';
import type { CompileContext } from './context.js';
import { DEFAULT_DEADLINE_MS } from './connection.js';
import type { CompiledConnection } from './connection.js';
import type { ReadText } from './read-file.js';
import { connectionDefaults, SAFE_METHODS } from '../http/index.js';
import { durationMs, formatMs } from './duration.js';
import type { NameContext, ResponseShapes } from './names.js';
import { loadShape, shapeFromExamples } from './response-shape.js';
import { fixtureBodies } from './test-cases.js';
import type { Shape } from './response-shape.js';
import type {
  ActionFootprint,
  ActionPlan,
  DedupePolicy,
  EventPlan,
  MessagePlan,
  ProgressPlan,
  ToolPlan,
  OutcomePlan,
  RequestPlan,
  SlotCheckPlan,
  StepPlan,
  ValidatePlan,
} from './plan.js';
import { footprintOf } from './footprint.js';
import { buttonProblem, describeValue, isActionName, isIsoDateTime } from './rasa-values.js';
import type { CompiledValue } from './template.js';

/** What an action compile needs to know about the rest of the file. */
export interface ActionEnvironment {
  readonly connections: ReadonlyMap<string, CompiledConnection>;
  /**
   * Every connection name the file declares, those with errors included: a
   * reference to one of them is not unknown, and a misspelt reference is
   * told the name it was meant to be whatever else is wrong with that
   * connection. Default: the names of `connections`
   */
  readonly declaredConnections?: readonly string[];
  /** The file's `mcp: { tools }`, and whether it has an `mcp:` section at all. Default: all, none */
  readonly mcp?: { readonly tools: 'all' | 'marked'; readonly declared: boolean };
  /** Reads files relative to the actions file, for `response_schema:`. Default: none (no shape checks) */
  readonly readText?: ReadText;
  /** The domain's slot types (`bool`, `float`, …), to check mapped paths against. Default: none */
  readonly slotTypes?: ReadonlyMap<string, string>;
  /** Answers seen (`test --live`): the response shape, instead of `response_schema:` or fixtures. Default: none */
  readonly answers?: { readonly bodies: readonly unknown[]; readonly source: string };
}

/** Name of the single step of an action declared with `request:`. */
export const SINGLE_STEP = 'response';

/** Message keys of rasa-sdk's utter_message besides `response` and `variables`. */
const messageFields = ['text', 'response', 'buttons', 'image', 'attachment', 'custom', 'elements'] as const;

/** Compiles one action; problems are reported on `cx`. */
export function compileAction(cx: CompileContext, name: string, a: Action, env: ActionEnvironment): ActionPlan {
  const base: NodePath = ['actions', name];
  const declared = declaredGroups(a);
  const allSteps = new Set(declared.flat().map((s) => s.name));
  const single = a.request !== undefined;
  const shapes = shapesOf(cx, base, declared, single, env);
  const ctx = (place: string, extra: Partial<NameContext> = {}): NameContext => ({
    place,
    response: false,
    error: false,
    value: false,
    stepsBefore: single || declared.length === 0 ? null : new Set(allSteps),
    allSteps,
    hasSteps: !single && declared.length > 0,
    ...(shapes ? { shapes } : {}),
    ...extra,
  });
  const afterCalls = (place: string, extra: Partial<NameContext> = {}) => ctx(place, { response: single, ...extra });

  const groups = compileGroups(cx, base, declared, allSteps, single, env, shapes);
  const plan: Omit<ActionPlan, 'footprint' | 'readsDomain'> = {
    name,
    description: a.description ?? null,
    deadlineMs: deadlineOf(a, groups, env),
    dedupe: dedupeOf(a.dedupe),
    progress: progressOf(cx, base, a.progress ?? []),
    reject: a.reject
      ? {
          when: compileCondition(
            cx,
            a.reject.when,
            [...base, 'reject', 'when'],
            ctx('reject.when', { stepsBefore: null }),
          ),
          message:
            a.reject.message === undefined
              ? null
              : compileValue(
                  cx,
                  a.reject.message,
                  [...base, 'reject', 'message'],
                  ctx('reject.message', { stepsBefore: null }),
                ),
        }
      : null,
    groups,
    single,
    success: compileOutcome(cx, base, a, afterCalls("the action's mappings"), env.slotTypes),
    onError: a.on_error
      ? compileOutcome(cx, [...base, 'on_error'], a.on_error, afterCalls('on_error', { error: true, response: true }))
      : null,
    validate: a.validate ? compileValidate(cx, name, base, a.validate, afterCalls('validate', { value: true })) : null,
    sensitive: new Set(a.sensitive ?? []),
    tool: toolOf(name, a, env.mcp?.tools ?? 'all'),
  };
  warnDeadline(cx, base, plan, env);
  const changing = groups.flat().find((s) => !SAFE_METHODS.has(s.request.method));
  if (changing !== undefined && a.dedupe === undefined)
    report(cx, 'SW_WARN_NO_DEDUPE', keyPositionOf(cx, base), [name, changing.request.method]);
  if (groups.length > 0 && !a.validate && !hasEffect(plan.success))
    report(cx, 'SW_WARN_NO_OUTCOME', keyPositionOf(cx, base), [name]);
  const footprint = footprintOf(plan);
  if (plan.tool !== null) warnTool(cx, base, a, plan.tool, footprint, env.mcp?.declared === true);
  return { ...plan, readsDomain: footprint.readsDomain, footprint };
}

/** Shortest `every:`: a progress message more often than this is noise, not reassurance. */
const MIN_PROGRESS_EVERY_MS = 1000;

/**
 * `progress:` → when each message is said and what. An item needs `after:`
 * or `every:`, and `text:` or a domain `response:`; its text is said as
 * written, so a `{{ }}` in it (which would be spoken as braces) is refused
 * rather than silently not evaluated.
 */
function progressOf(
  cx: CompileContext,
  base: NodePath,
  items: readonly NonNullable<Action['progress']>[number][],
): ProgressPlan[] {
  return items.map((item, i) => {
    const path: NodePath = [...base, 'progress', i];
    if (item.after === undefined && item.every === undefined)
      report(cx, 'SW_SCHEMA_MISSING_KEY', keyPositionOf(cx, path), [humanPath(path), 'after" or "every']);
    const everyMs = item.every === undefined ? null : durationMs(item.every);
    if (everyMs !== null && everyMs < MIN_PROGRESS_EVERY_MS)
      report(cx, 'SW_SCHEMA_VALUE', positionOf(cx, [...path, 'every']), [
        humanPath([...path, 'every']),
        `must be at least ${formatMs(MIN_PROGRESS_EVERY_MS)}, not ${item.every}`,
      ]);
    if (item.text === undefined && item.response === undefined)
      report(cx, 'SW_SCHEMA_MISSING_KEY', keyPositionOf(cx, path), [humanPath(path), 'text" or "response']);
    if (item.text?.includes('{{'))
      report(cx, 'SW_SCHEMA_VALUE', positionOf(cx, [...path, 'text']), [
        humanPath([...path, 'text']),
        'is said as written: {{ }} is not evaluated in progress messages',
      ]);
    return {
      afterMs: item.after === undefined ? (everyMs ?? 0) : durationMs(item.after),
      everyMs,
      text: item.text ?? null,
      response: item.response ?? null,
    };
  });
}

/** `tool:` and `mcp: { tools }` → how the action is a tool, if it is one. */
function toolOf(name: string, a: Action, mode: 'all' | 'marked'): ToolPlan | null {
  const { tool } = a;
  if (tool === false) return null;
  // Validation actions answer Rasa's collect steps; they make no sense called alone.
  if (tool === undefined) return mode === 'all' && a.validate === undefined ? { name, optional: [] } : null;
  if (tool === true) return { name, optional: [] };
  return { name: tool.name ?? name, optional: tool.optional ?? [] };
}

/**
 * A tool's description is what an agent chooses it by. Files that never
 * mention MCP are not nagged about it: the warning needs an `mcp:` section
 * or a `tool:` key.
 */
function warnTool(
  cx: CompileContext,
  base: NodePath,
  a: Action,
  tool: ToolPlan,
  footprint: ActionFootprint,
  declared: boolean,
): void {
  const name = String(base[1]);
  if ((declared || a.tool !== undefined) && (a.description ?? '').trim() === '')
    report(cx, 'SW_WARN_TOOL_NO_DESCRIPTION', keyPositionOf(cx, base), [name]);
  tool.optional.forEach((slot, i) => {
    if (!footprint.slotsRead.includes(slot))
      report(
        cx,
        'SW_WARN_TOOL_OPTIONAL',
        positionOf(cx, [...base, 'tool', 'optional', i]),
        [slot, name],
        [footprint.slotsRead.join(', ') || 'none'],
      );
  });
}

type DeclaredStep = Step & { readonly path: NodePath };

/** The action's calls as groups of declared steps, with their YAML paths. */
function declaredGroups(a: Action): DeclaredStep[][] {
  if (a.request) return [[{ name: SINGLE_STEP, request: a.request, path: ['request'] }]];
  return (a.steps ?? []).map((item: Step | ParallelGroup, i: number) =>
    'parallel' in item
      ? item.parallel.map((s, j) => ({ ...s, path: ['steps', i, 'parallel', j] }))
      : [{ ...item, path: ['steps', i] }],
  );
}

/**
 * The answers' shapes the action names with `response_schema:`,
 * to check its response paths against; one that cannot be read is a warning
 * at it. Undefined when there is none or no way to read files.
 */
function shapesOf(
  cx: CompileContext,
  base: NodePath,
  declared: DeclaredStep[][],
  single: boolean,
  env: ActionEnvironment,
): ResponseShapes | undefined {
  const { readText } = env;
  // Live answers (one request: they do not name steps) say what the API answers now, whatever was described.
  if (env.answers && single)
    return { response: shapeFromExamples(env.answers.bodies, env.answers.source), steps: new Map() };
  if (readText === undefined) return undefined;
  let response: Shape | null = null;
  const steps = new Map<string, Shape>();
  for (const step of declared.flat()) {
    const ref = step.request.response_schema;
    if (ref === undefined) {
      // Without a schema, the answers the test file's fixtures record are the shape (one request only: fixtures do not name steps).
      const bodies = single ? fixtureBodies(readText, String(base[1])) : [];
      if (bodies.length > 0) response = shapeFromExamples(bodies, 'the fixtures of actions.test.yml');
      continue;
    }
    const at: NodePath = [...base, ...(single ? step.path : [...step.path, 'request']), 'response_schema'];
    // ReadText is relative to the actions file's folder: an inline schema's `#/…` refs read the file by its name.
    const inline = { file: basename(cx.source?.file ?? ''), name: humanPath(at) };
    try {
      const shape = loadShape(ref, readText, inline);
      if (single) response = shape;
      else steps.set(step.name, shape);
    } catch (err) {
      report(cx, 'SW_WARN_RESPONSE_SCHEMA', positionOf(cx, at), [
        typeof ref === 'string' ? ref : inline.name,
        (err as Error).message,
      ]);
    }
  }
  return response === null && steps.size === 0 ? undefined : { response, steps };
}

function compileGroups(
  cx: CompileContext,
  base: NodePath,
  declared: DeclaredStep[][],
  allSteps: ReadonlySet<string>,
  single: boolean,
  env: ActionEnvironment,
  shapes: ResponseShapes | undefined,
): StepPlan[][] {
  const seen = new Set<string>();
  const before = new Set<string>();
  return declared.map((group) => {
    const plans = group.map((step) => {
      const stepPath = [...base, ...step.path];
      if (!single) {
        if (seen.has(step.name))
          report(cx, 'SW_REF_DUPLICATE_STEP', positionOf(cx, [...stepPath, 'name']), [step.name]);
        seen.add(step.name);
      }
      const names = (place: string, response = false): NameContext => ({
        place,
        response,
        error: false,
        value: false,
        stepsBefore: single ? null : new Set(before),
        allSteps,
        hasSteps: !single,
        ...(shapes ? { shapes } : {}),
      });
      const requestPath = single ? stepPath : [...stepPath, 'request'];
      const plan: StepPlan = {
        name: step.name,
        when:
          step.when === undefined
            ? null
            : compileCondition(cx, step.when, [...stepPath, 'when'], names(`step ${step.name}: when`)),
        request: compileRequest(cx, requestPath, step.request, names, env),
      };
      return plan;
    });
    for (const step of group) before.add(step.name);
    return plans;
  });
}

function compileRequest(
  cx: CompileContext,
  path: NodePath,
  r: Request,
  names: (place: string, response?: boolean) => NameContext,
  env: ActionEnvironment,
): RequestPlan {
  const known = env.declaredConnections ?? [...env.connections.keys()];
  if (!known.includes(r.connection)) {
    const suggestion = closest(r.connection, known);
    report(
      cx,
      'SW_REF_UNKNOWN_CONNECTION',
      positionOf(cx, [...path, 'connection']),
      [r.connection],
      [suggestion ? `Did you mean "${suggestion}"? ` : '', known.join(', ') || 'none'],
      renameFix(r.connection, suggestion),
    );
  }
  for (const header of Object.keys(r.headers ?? {})) {
    if (credentialHeaders.has(header.toLowerCase()))
      report(cx, 'SW_SEC_AUTH_HEADER', keyPositionOf(cx, [...path, 'headers', header]), [header]);
  }
  const building = names('the request');
  const entries = (map: Record<string, unknown> | undefined, key: string) =>
    Object.entries(map ?? {}).map(([k, v]) => [k, compileValue(cx, v, [...path, key, k], building)] as const);
  const method = r.method ?? 'GET';
  return {
    connection: r.connection,
    method,
    path: compileValue(cx, r.path, [...path, 'path'], building),
    query: entries(r.query, 'query'),
    headers: entries(r.headers, 'headers'),
    body: bodyOf(cx, path, r, building),
    expect: r.expect ?? 'auto',
    successWhen:
      r.success_when === undefined
        ? null
        : compileCondition(cx, r.success_when, [...path, 'success_when'], names('success_when', true)),
    allowUnsafeRetry: r.retry?.unsafe ?? false,
    retry:
      r.retry?.attempts === undefined && r.retry?.backoff === undefined && r.retry?.max_backoff === undefined
        ? null
        : retryOverride(r.retry, env, r.connection),
    idempotencyKey: r.idempotency_key ?? false,
    cache: r.cache
      ? { ttlMs: durationMs(r.cache.ttl), maxEntries: r.cache.max_entries ?? 1000, shared: r.cache.shared ?? false }
      : null,
  };
}

function retryOverride(retry: Request['retry'], env: ActionEnvironment, connection: string): RequestPlan['retry'] {
  const inherited = env.connections.get(connection)?.policy.retry ?? connectionDefaults.retry;
  return {
    attempts: retry?.attempts ?? inherited.attempts,
    backoffMs: retry?.backoff ? durationMs(retry.backoff) : inherited.backoffMs,
    maxBackoffMs: retry?.max_backoff ? durationMs(retry.max_backoff) : inherited.maxBackoffMs,
  };
}

function bodyOf(cx: CompileContext, path: NodePath, r: Request, names: NameContext): RequestPlan['body'] {
  if (r.body !== undefined) return { kind: 'json', value: compileValue(cx, r.body, [...path, 'body'], names) };
  if (r.form !== undefined) return { kind: 'form', value: compileValue(cx, r.form, [...path, 'form'], names) };
  if (r.text !== undefined) return { kind: 'text', value: compileValue(cx, r.text, [...path, 'text'], names) };
  return null;
}

/** @param slotTypes - the domain's slot types, to check what the success mappings put in them (validate --project) */
function compileOutcome(
  cx: CompileContext,
  path: NodePath,
  o: Outcome,
  names: NameContext,
  slotTypes?: ReadonlyMap<string, string>,
): OutcomePlan {
  const into = (slot: string): NameContext => {
    const type = slotTypes?.get(slot);
    return type === undefined ? names : { ...names, target: { slot, type } };
  };
  return {
    slots: Object.entries(o.slots ?? {}).map(
      ([slot, v]) => [slot, compileValue(cx, v, [...path, 'slots', slot], into(slot))] as const,
    ),
    responses: (o.responses ?? []).map((m, i) => compileMessage(cx, [...path, 'responses', i], m, names)),
    events: (o.events ?? []).map((e, i) => compileEvent(cx, [...path, 'events', i], e, names)),
  };
}

function compileMessage(cx: CompileContext, path: NodePath, m: ResponseMessage, names: NameContext): MessagePlan {
  if (m.buttons !== undefined) checkButtons(cx, [...path, 'buttons'], m.buttons);
  const fields: (readonly [string, CompiledValue])[] = [];
  for (const key of messageFields) {
    if (m[key] !== undefined) fields.push([key, compileValue(cx, m[key], [...path, key], names)]);
  }
  return {
    when: m.when === undefined ? null : compileCondition(cx, m.when, [...path, 'when'], names),
    fields,
    variables: Object.entries(m.variables ?? {}).map(
      ([k, v]) => [k, compileValue(cx, v, [...path, 'variables', k], names)] as const,
    ),
  };
}

function compileEvent(cx: CompileContext, path: NodePath, e: Event, names: NameContext): EventPlan {
  const { event, when, ...rest } = e;
  const fields = rest as Record<string, unknown>;
  if (event === 'followup' && isFixed(fields['name']) && !isActionName(fields['name'])) {
    report(cx, 'SW_EVENT_FOLLOWUP_NAME', positionOf(cx, [...path, 'name']), [describeValue(fields['name'])]);
  }
  if (event === 'reminder' && isFixed(fields['date_time']) && !isIsoDateTime(fields['date_time'])) {
    report(cx, 'SW_EVENT_DATE_TIME', positionOf(cx, [...path, 'date_time']), [describeValue(fields['date_time'])]);
  }
  return {
    when: when === undefined ? null : compileCondition(cx, when, [...path, 'when'], names),
    event,
    fields: Object.entries(rest).map(([k, v]) => [k, compileValue(cx, v, [...path, k], names)] as const),
  };
}

/**
 * Buttons written in the file must each be a mapping with title and
 * payload, which a channel needs to show it
 * (docs/diagnostics.md#events-and-messages-rasa-would-refuse); a button
 * built by an expression is checked when the action runs (execute/outcome.ts).
 */
function checkButtons(cx: CompileContext, path: NodePath, buttons: unknown): void {
  const list = Array.isArray(buttons) ? buttons : [buttons];
  list.forEach((button: unknown, i) => {
    const problem = isFixed(button) ? buttonProblem(button) : null;
    if (problem !== null)
      report(cx, 'SW_MESSAGE_BUTTON', positionOf(cx, Array.isArray(buttons) ? [...path, i] : path), [
        String(i + 1),
        problem,
      ]);
  });
}

/** True when a value as written holds no {{ }}, so what Rasa gets is known at load. */
function isFixed(value: unknown): boolean {
  return !(typeof value === 'string' && value.includes('{{'));
}

function compileValidate(
  cx: CompileContext,
  action: string,
  base: NodePath,
  v: NonNullable<Action['validate']>,
  names: NameContext,
): ValidatePlan {
  const path = [...base, 'validate'];
  if (!action.startsWith('validate_'))
    report(cx, 'SW_VALIDATE_NAME', keyPositionOf(cx, base), [action], [v.form ?? v.slot ?? action]);
  if (v.form !== undefined) {
    const checks = new Map<string, SlotCheckPlan>();
    for (const [slot, check] of Object.entries(v.slots ?? {}))
      checks.set(slot, compileCheck(cx, [...path, 'slots', slot], check, names));
    return { kind: 'form', form: v.form, checks };
  }
  return { kind: 'slot', slot: v.slot ?? action.replace(/^validate_/, ''), check: compileCheck(cx, path, v, names) };
}

function compileCheck(cx: CompileContext, path: NodePath, c: SlotCheck, names: NameContext): SlotCheckPlan {
  return {
    acceptWhen:
      c.accept_when === undefined ? null : compileCondition(cx, c.accept_when, [...path, 'accept_when'], names),
    normalize: c.normalize === undefined ? null : compileValue(cx, c.normalize, [...path, 'normalize'], names),
    onReject: {
      slots: Object.entries(c.on_reject?.slots ?? {}).map(
        ([k, v]) => [k, compileValue(cx, v, [...path, 'on_reject', 'slots', k], names)] as const,
      ),
      responses: (c.on_reject?.responses ?? []).map((m, i) =>
        compileMessage(cx, [...path, 'on_reject', 'responses', i], m, names),
      ),
    },
  };
}

/** The action's own deadline, else its first call's connection's, else 10 s (docs/actions-yml.md#connections). */
function deadlineOf(a: Action, groups: readonly (readonly StepPlan[])[], env: ActionEnvironment): number {
  if (a.deadline) return durationMs(a.deadline);
  const first = groups[0]?.[0]?.request.connection;
  return (first === undefined ? undefined : env.connections.get(first)?.deadlineMs) ?? DEFAULT_DEADLINE_MS;
}

/**
 * `validate` warns when timeout × attempts + backoff cannot fit in the
 * deadline: the last attempts could never run (docs/actions-yml.md#errors-on_error).
 */
function warnDeadline(
  cx: CompileContext,
  base: NodePath,
  plan: Omit<ActionPlan, 'footprint' | 'readsDomain'>,
  env: ActionEnvironment,
): void {
  for (const group of plan.groups) {
    for (const step of group) {
      const conn = env.connections.get(step.request.connection);
      if (!conn) continue;
      const retry = step.request.retry ?? conn.policy.retry;
      let backoff = 0;
      for (let i = 1; i < retry.attempts; i++) backoff += Math.min(retry.backoffMs * 2 ** (i - 1), retry.maxBackoffMs);
      const needed = conn.policy.timeoutMs * retry.attempts + backoff;
      if (needed > plan.deadlineMs) {
        report(cx, 'SW_WARN_DEADLINE', keyPositionOf(cx, plan.single ? [...base, 'request'] : base), [
          `action ${plan.name}${plan.single ? '' : `, step ${step.name}`}`,
          formatMs(conn.policy.timeoutMs),
          String(retry.attempts),
          formatMs(needed),
          formatMs(plan.deadlineMs),
        ]);
      }
    }
  }
}

function hasEffect(o: OutcomePlan): boolean {
  return o.slots.length > 0 || o.responses.length > 0 || o.events.length > 0;
}

/** `dedupe: 1m` or `dedupe: { window: 1m, if_store_down: run }`. */
function dedupeOf(dedupe: Action['dedupe']): DedupePolicy | null {
  if (dedupe === undefined) return null;
  if (typeof dedupe === 'string') return { windowMs: durationMs(dedupe), ifStoreDown: 'fail' };
  return { windowMs: durationMs(dedupe.window), ifStoreDown: dedupe.if_store_down ?? 'fail' };
}
