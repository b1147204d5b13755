/**
 * One call of Webhook or WebhookStream from its request (decoded as a
 * webhook body, call.ts) to how it ends on the wire: checked and run by the
 * HTTP webhook's own runWebhook, its outcome as a WebhookResponse or a status.
 */
import type { Context } from '@opentelemetry/api';
import { checkCall } from '../rasa/index.js';
import { crashOutcome, knownDomain, runWebhook } from '../call-rules/index.js';
import type { WebhookDeps, WebhookOutcome } from '../call-rules/index.js';
import { progressMessages } from './progress.js';
import type { ProgressMessage } from './progress.js';
import { encodeWebhookResponse } from './response.js';
import { grpcStatus } from './status.js';
import type { GrpcStatus } from './status.js';
import { echoed } from '../errors/index.js';

/** A call on its way: the action's progress messages, and how it ends. */
export interface StartedCall {
  readonly actionName: string | null;
  readonly progress: readonly ProgressMessage[];
  readonly outcome: Promise<WebhookOutcome>;
}

/** How a call ended, as the wire has it. */
export type CallEnd =
  /** `response`: the WebhookResponse's bytes; null for a call without an action */
  | {
      readonly ok: true;
      readonly actionName: string | null;
      readonly response: Buffer | null;
      readonly outcome: WebhookOutcome;
    }
  | {
      readonly ok: false;
      readonly actionName: string | null;
      readonly status: GrpcStatus;
      readonly outcome: WebhookOutcome;
    };

/**
 * Starts a call: checked as HTTP checks a body, then run, continuing
 * `trace` (the call's server span). Never throws; the
 * progress comes from the same lookup runWebhook makes, in the same
 * synchronous stretch (same generation).
 */
export function startCall(call: Record<string, unknown>, deps: WebhookDeps, trace: Context | undefined): StartedCall {
  const name = typeof call.next_action === 'string' && call.next_action !== '' ? call.next_action : null;
  const problem = checkCall(call);
  if (problem !== null) {
    // Not looked up, so of any length: the log line repeats it cut (errors/echo.ts).
    const shown = name === null ? null : echoed(name);
    return {
      actionName: shown,
      progress: [],
      outcome: Promise.resolve({ ok: false, actionName: shown, failure: { kind: 'invalid_call', problem } }),
    };
  }
  const plans = name === null ? [] : (deps.engine.action(name)?.progress ?? []);
  // A gRPC failure carries no request body (rasa-sdk's details are the message alone).
  const outcome = runWebhook(call, deps, () => null, trace);
  // runWebhook chose the domain before returning (a sent one is cached): a `response:` reads the same.
  const progress = plans.length === 0 ? [] : progressMessages(plans, knownDomain(call, deps.domains), call.tracker);
  return { actionName: name, progress, outcome };
}

/** The outcome as the wire has it; what cannot be sent (a BigInt, a cycle) is a crash, as for HTTP. */
export function endOf(outcome: WebhookOutcome, rpc: 'Webhook' | 'WebhookStream'): CallEnd {
  if (outcome.ok) {
    try {
      return {
        ok: true,
        actionName: outcome.actionName,
        response: outcome.body === null ? null : encodeWebhookResponse(outcome.body),
        outcome,
      };
    } catch (err) {
      outcome = crashOutcome(outcome.actionName, err);
    }
  }
  return { ok: false, actionName: outcome.actionName, status: grpcStatus(outcome.failure, rpc), outcome };
}
