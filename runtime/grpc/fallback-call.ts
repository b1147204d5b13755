/**
 * Over gRPC, the fallback action server (docs/migrating.md) is the same
 * HTTP server the webhook forwards to: a call for an undeclared action is
 * sent to it as a webhook body, and its answer read back into the call's
 * outcome (fallback/outcome.ts), which gRPC then answers as its own. A
 * shadowed action's call is answered by the fallback while slotwire's run,
 * started by startCall, is compared with it.
 */
import type { Metadata } from '@grpc/grpc-js';
import type { RequestWatch, WebhookOutcome } from '../call-rules/index.js';
import type { ActionInfo } from '../engine/index.js';
import { outcomeOfForwarded } from '../fallback/index.js';
import type { Fallback, Forwarded } from '../fallback/index.js';
import type { StartedCall } from './run-call.js';

/** The call, as started here, with the fallback in its place where it serves it. */
export function withFallback(
  started: StartedCall,
  call: Record<string, unknown>,
  fallback: Fallback,
  shadowed: ActionInfo | undefined,
  context: { readonly metadata: Metadata; readonly watch: RequestWatch | undefined },
): StartedCall {
  const name = started.actionName;
  if (name === null) return started;
  const send = (): Promise<Forwarded> => fallback.forward(name, requestOf(call, context));
  if (shadowed !== undefined) {
    const outcome = send().then((answer) => {
      // Not served there: slotwire's own run answers.
      if (answer.ok && answer.status === 404) return started.outcome;
      const slots = (call.tracker as { slots?: Record<string, unknown> } | undefined)?.slots ?? {};
      fallback.compare(shadowed, slots, answer, () => started.outcome);
      return outcomeOfForwarded(name, answer);
    });
    // The fallback answers: slotwire's progress messages would be said for a run whose answer is not used.
    return { actionName: name, progress: [], outcome };
  }
  const outcome = started.outcome.then((o): WebhookOutcome | Promise<WebhookOutcome> =>
    o.ok || o.failure.kind !== 'action_not_found' ? o : send().then((answer) => outcomeOfForwarded(name, answer)),
  );
  return { ...started, outcome };
}

/** The call as a webhook body, with the trace context it came with (or slotwire's span's). */
function requestOf(
  call: Record<string, unknown>,
  { metadata, watch }: { readonly metadata: Metadata; readonly watch: RequestWatch | undefined },
): Parameters<Fallback['forward']>[1] {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const name of ['traceparent', 'tracestate']) {
    const value = metadata.get(name)[0];
    if (typeof value === 'string') headers[name] = value;
  }
  return { body: Buffer.from(JSON.stringify(call)), search: '', headers, trace: watch?.forwarded() ?? {} };
}
