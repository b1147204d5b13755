/**
 * Over gRPC, the fallback action server (docs/migrating.md) is the same
 * HTTP server the webhook forwards to: a call for an undeclared action is
 * sent to it as a webhook body, and its answer read back into the call's
 * outcome (fallback/outcome.ts), which gRPC then answers as its own. A
 * shadowed action's call is answered by the fallback, and slotwire's own
 * run starts only once that answer is in, to be compared with it.
 */
import type { Metadata } from '@grpc/grpc-js';
import type { RequestWatch, WebhookOutcome } from '../call-rules/index.js';
import type { ActionInfo } from '../engine/index.js';
import { outcomeOfForwarded } from '../fallback/index.js';
import type { Fallback, Forwarded, ForwardRequest } from '../fallback/index.js';
import type { StartedCall } from './run-call.js';

/** What a forwarded gRPC call carries on: its metadata (trace context) and its watch (slotwire's span). */
export interface GrpcCallContext {
  readonly metadata: Metadata;
  readonly watch: RequestWatch | undefined;
}

/** A started call, with the fallback answering when slotwire has no such action. */
export function forwardWhenUnknown(
  started: StartedCall,
  call: Record<string, unknown>,
  fallback: Fallback,
  context: GrpcCallContext,
): StartedCall {
  const name = started.actionName;
  if (name === null) return started;
  const outcome = started.outcome.then((o): WebhookOutcome | Promise<WebhookOutcome> =>
    o.ok || o.failure.kind !== 'action_not_found'
      ? o
      : fallback.forward(name, requestOf(call, context)).then((answer) => outcomeOfForwarded(name, answer)),
  );
  return { ...started, outcome };
}

/**
 * A shadowed action's call, its shape already checked: the fallback
 * answers; `start` runs slotwire's version after, for the comparison, or to
 * answer when the fallback does not serve the action (404).
 */
export function shadowCall(
  action: ActionInfo,
  call: Record<string, unknown>,
  fallback: Fallback,
  context: GrpcCallContext,
  start: () => StartedCall,
): StartedCall {
  const { name } = action;
  const outcome = fallback.forward(name, requestOf(call, context)).then((answer: Forwarded) => {
    if (answer.ok && answer.status === 404) return start().outcome;
    const slots = (call.tracker as { slots?: Record<string, unknown> } | undefined)?.slots ?? {};
    fallback.compare(action, slots, answer, () => start().outcome);
    return outcomeOfForwarded(name, answer);
  });
  // The fallback answers: slotwire's progress messages are not said for it.
  return { actionName: name, progress: [], outcome };
}

/** The call as a webhook body, with the trace context it came with (or slotwire's span's). */
function requestOf(call: Record<string, unknown>, { metadata, watch }: GrpcCallContext): ForwardRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const name of ['traceparent', 'tracestate']) {
    const value = metadata.get(name)[0];
    if (typeof value === 'string') headers[name] = value;
  }
  return { body: Buffer.from(JSON.stringify(call)), search: '', headers, trace: watch?.forwarded() ?? {} };
}
