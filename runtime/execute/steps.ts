/**
 * Running an action's calls: groups in order, the steps of a group in
 * parallel, all under one deadline. The first failure stops the action;
 * an upstream failure is a value here, never a throw, so `on_error` can answer it.
 */
import type { ActionPlan, StepPlan } from '../compile/index.js';
import type { HttpClient, HttpError, HttpResponse, Exchange, SendOptions } from '../http/index.js';
import { ExpressionError, holds } from './evaluate.js';
import { isWaiting } from './pending.js';
import { InvalidRequestError, renderRequest } from './render-request.js';
import type { RenderContext } from './render-request.js';
import { withNames } from './scope.js';
import type { Scope } from './scope.js';

/** What a finished step exposes to later steps and mappings. */
export interface StepResult {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/**
 * Why the calls stopped. `expression` when rendering or success_when failed;
 * `invalid_request` when the rendered request could not be sent (nothing was).
 */
export interface StepFailure {
  readonly step: string;
  readonly error:
    | HttpError
    | { kind: 'expression'; reason: null; status: null; message: string; response: null; code: 'SW_ACTION_EXPRESSION' }
    | {
        kind: 'invalid_request';
        reason: null;
        status: null;
        message: string;
        response: null;
        code: 'SW_ACTION_INVALID_REQUEST';
      };
}

/** The results of every step (null when skipped), and the failure that stopped them, if any. */
export interface CallsOutcome {
  readonly steps: Record<string, StepResult | null>;
  readonly failure: StepFailure | null;
  readonly exchanges: Exchange[];
}

/**
 * Runs every group of the plan.
 * @param trace - the run's trace context, sent with each call
 */
export async function runCalls(
  plan: ActionPlan,
  scope: Scope,
  http: HttpClient,
  cx: RenderContext,
  deadline: Deadline,
  trace?: SendOptions['trace'],
): Promise<CallsOutcome> {
  const steps: Record<string, StepResult | null> = {};
  const exchanges: Exchange[] = [];
  for (const group of plan.groups) {
    const stepScope = plan.single ? scope : withNames(scope, { steps });
    const run = (step: StepPlan): ReturnType<typeof runStep> =>
      runStep(step, stepScope, http, cx, deadline, trace, exchanges);
    // Most groups are one step: awaited alone, without Promise.all's array and a promise per step.
    const results = group.length === 1 ? [await run(group[0])] : await Promise.all(group.map(run));
    for (let i = 0; i < group.length; i++) {
      const result = results[i];
      if (result !== null && 'error' in result) return { steps, failure: result, exchanges };
      steps[group[i].name] = result;
    }
  }
  return { steps, failure: null, exchanges };
}

/**
 * The action's deadline, as the time left. The HTTP layer bounds every
 * attempt and backoff by it, so no signal or timer is kept per action.
 */
export interface Deadline {
  readonly msLeft: () => number;
}

// Values that are ready are not awaited (pending.ts): each await is a microtask.
async function runStep(
  step: StepPlan,
  scope: Scope,
  http: HttpClient,
  cx: RenderContext,
  deadline: Deadline,
  trace: SendOptions['trace'],
  exchanges: Exchange[],
): Promise<StepResult | null | StepFailure> {
  try {
    const wanted = holds(step.when, scope);
    if (!(isWaiting(wanted) ? await wanted : wanted)) return null;
    const rendered = renderRequest(step, scope, cx);
    const request = isWaiting(rendered) ? await rendered : rendered;
    const outcome = await http.send(request, null, { deadlineMs: deadline.msLeft(), step: step.name, trace });
    exchanges.push(outcome.exchange);
    if (step.request.successWhen) {
      // success_when decides alone, on whatever answer arrived (a 404 may be fine).
      const response = outcome.ok ? outcome.response : outcome.error.response;
      if (response) {
        const accepted = holds(step.request.successWhen, withNames(scope, { response }));
        if (isWaiting(accepted) ? await accepted : accepted) return asResult(response);
      }
      if (outcome.ok)
        return {
          step: step.name,
          error: {
            kind: 'status',
            reason: 'other',
            status: response?.status ?? null,
            message: 'success_when was false',
            response,
            code: 'SW_UPSTREAM_SUCCESS_WHEN',
          },
        };
    }
    return outcome.ok ? asResult(outcome.response) : { step: step.name, error: outcome.error };
  } catch (err) {
    if (err instanceof InvalidRequestError)
      return {
        step: step.name,
        error: {
          kind: 'invalid_request',
          reason: null,
          status: null,
          message: err.message,
          response: null,
          code: 'SW_ACTION_INVALID_REQUEST',
        },
      };
    if (!(err instanceof ExpressionError)) throw err;
    return {
      step: step.name,
      error: {
        kind: 'expression',
        reason: null,
        status: null,
        message: err.message,
        response: null,
        code: 'SW_ACTION_EXPRESSION',
      },
    };
  }
}

function asResult(response: HttpResponse): StepResult {
  return { status: response.status, headers: response.headers, body: response.body };
}
