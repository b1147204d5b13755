/**
 * Running one action for one webhook call: reject check, calls, then the
 * success or the error outcome. An upstream failure or a failing mapping is
 * never thrown to the server, so the conversation goes on: it becomes the
 * action's `on_error` outcome, or an empty, well-formed answer and a log line.
 * Only a declared rejection throws (ActionRejection → HTTP 400).
 */
import type { ActionPlan } from '../compile/index.js';
import type { RuntimeErrorCode } from '../errors/index.js';
import type { Exchange } from '../http/index.js';
import { ActionRejection } from '../rasa/index.js';
import type { ActionInput, ActionOutput } from '../rasa/index.js';
import type { ExecuteDeps } from './deps.js';
import { evaluate, ExpressionError, holds, toText } from './evaluate.js';
import { applyOutcome } from './outcome.js';
import { isWaiting } from './pending.js';
import type { OutcomeContext } from './outcome.js';
import { baseScope, userTurnId, withNames } from './scope.js';
import type { Scope } from './scope.js';
import { runCalls } from './steps.js';
import type { CallsOutcome, StepFailure } from './steps.js';
import { candidates, rejectCandidates, validateCandidates } from './validate.js';
import type { Candidate } from './validate.js';

/** What `error` holds in on_error (docs/actions-yml.md#errors-on_error). */
export interface ActionError {
  readonly kind: string;
  readonly reason: string | null;
  readonly status: number | null;
  readonly message: string;
  readonly step: string | null;
  /** The stable code (docs/errors.md). */
  readonly code: RuntimeErrorCode;
}

/** The answer for Rasa, plus what happened on the way (for logs and `slotwire run`). */
export interface ActionRun extends ActionOutput {
  readonly exchanges: readonly Exchange[];
  /** The failure that selected the error outcome, or null on success. */
  readonly error: ActionError | null;
}

/** Runs an action. Throws only ActionRejection (declared `reject:`). */
export async function runAction(plan: ActionPlan, input: ActionInput, deps: ExecuteDeps): Promise<ActionRun> {
  const scope = baseScope(input);
  const cx: OutcomeContext = {
    action: plan.name,
    domain: input.domain,
    logger: deps.logger,
    sensitive: plan.sensitive,
  };
  const toValidate = plan.validate ? candidates(plan.validate, input.tracker) : null;
  try {
    if (plan.reject && (await holds(plan.reject.when, scope))) {
      const message = plan.reject.message ? toText(await evaluate(plan.reject.message, scope)) : undefined;
      throw new ActionRejection(message);
    }
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    return errorOutcome(
      plan,
      scope,
      {
        kind: 'expression',
        reason: null,
        status: null,
        message: err.message,
        step: null,
        code: 'SW_ACTION_EXPRESSION',
      },
      null,
      [],
      cx,
      toValidate,
    );
  }

  if (toValidate?.length === 0) return { events: [], responses: [], exchanges: [], error: null };

  const calls = plan.groups.length === 0 ? noCalls : await callUpstreams(plan, scope, input, deps);
  if (calls.failure)
    return errorOutcome(
      plan,
      scope,
      failureToError(calls.failure),
      calls.failure.error.response,
      calls.exchanges,
      cx,
      toValidate,
      calls.steps,
    );

  const mapped = withNames(scope, plan.single ? { response: calls.steps['response'] ?? null } : { steps: calls.steps });
  try {
    const checked = toValidate ? await validateCandidates(toValidate, mapped, cx) : { events: [], responses: [] };
    // The mapping is synchronous unless an expression needs JSONata (pending.ts): then only it is awaited.
    const mapping = applyOutcome(plan.success, mapped, cx);
    const success = isWaiting(mapping) ? await mapping : mapping;
    return {
      events: [...checked.events, ...success.events],
      responses: [...checked.responses, ...success.responses],
      exchanges: calls.exchanges,
      error: null,
    };
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    const error: ActionError = {
      kind: 'expression',
      reason: null,
      status: null,
      message: err.message,
      step: null,
      code: 'SW_ACTION_EXPRESSION',
    };
    return errorOutcome(
      plan,
      scope,
      error,
      plan.single ? (calls.steps['response'] ?? null) : null,
      calls.exchanges,
      cx,
      toValidate,
      calls.steps,
    );
  }
}

const noCalls: CallsOutcome = { steps: {}, failure: null, exchanges: [] };

/**
 * The action's calls under its deadline, given to the HTTP layer as time
 * left: each attempt's own timer stops at the deadline, and no backoff may
 * pass it. A signal and timer per action would cost an AbortController on
 * every call; an `AbortSignal.timeout` would also keep both alive for the
 * whole deadline after the action ended, which filled the old heap at load
 * (10–17 ms GC pauses, bench/profile.mjs). The user turn id is computed only
 * when an idempotency key needs it.
 */
function callUpstreams(plan: ActionPlan, scope: Scope, input: ActionInput, deps: ExecuteDeps): Promise<CallsOutcome> {
  const now = deps.now ?? Date.now;
  const endsAt = now() + plan.deadlineMs;
  let turnId: string | null = null;
  const cx = { action: plan.name, senderId: input.senderId, turnId: () => (turnId ??= userTurnId(input.tracker)) };
  return runCalls(plan, scope, deps.http, cx, { msLeft: () => Math.max(0, endsAt - now()) }, deps.trace);
}

function failureToError(f: StepFailure): ActionError {
  return {
    kind: f.error.kind,
    reason: f.error.reason,
    status: f.error.status,
    message: f.error.message,
    step: f.step,
    code: f.error.code,
  };
}

/**
 * The on_error outcome, or, when there is none (or it fails too), an empty
 * answer; a validator's answer is then the rejection of its candidates: it
 * never lets a value through because it failed (docs/actions-yml.md).
 */
async function errorOutcome(
  plan: ActionPlan,
  scope: Scope,
  error: ActionError,
  response: unknown,
  exchanges: readonly Exchange[],
  cx: OutcomeContext,
  toValidate: readonly Candidate[] | null,
  steps: Record<string, unknown> = {},
): Promise<ActionRun> {
  const fallback = toValidate?.length ? 'rejecting the value' : 'answering with no events';
  cx.logger.warn(
    { action: plan.name, error },
    `action ${plan.name} failed: ${error.kind}${error.reason ? ` (${error.reason})` : ''}${plan.onError ? ', running on_error' : `, no on_error: ${fallback}`}`,
  );
  const noOutcome = async (): Promise<ActionRun> => ({
    ...(toValidate ? await rejectCandidates(toValidate, scope, cx) : { events: [], responses: [] }),
    exchanges,
    error,
  });
  if (!plan.onError) return noOutcome();
  try {
    const out = await applyOutcome(plan.onError, withNames(scope, { error, response: response ?? null, steps }), cx);
    return { ...out, exchanges, error };
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    cx.logger.warn(
      { action: plan.name, message: err.message },
      `action ${plan.name}: on_error failed too, ${fallback}`,
    );
    return noOutcome();
  }
}
