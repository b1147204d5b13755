/**
 * The fallback's answer in Rasa's terms, for a front-end that cannot pass
 * it on as bytes (gRPC): the status rasa-sdk chose becomes the failure
 * slotwire would have answered with (docs/protocol.md#errors), and a
 * missing answer the failure that names the action.
 */
import type { WebhookFailure, WebhookOutcome } from '../call-rules/index.js';
import type { Forwarded, ForwardFailure } from './forward.js';

/** A forward that got no answer, as a call failure. */
export function forwardFailure(actionName: string, failure: ForwardFailure): WebhookFailure {
  return failure.kind === 'timeout'
    ? { kind: 'fallback_timeout', actionName, reason: failure.reason }
    : { kind: 'fallback_unavailable', actionName, reason: failure.reason };
}

/** The fallback's answer as the outcome of the call. */
export function outcomeOfForwarded(actionName: string, answer: Forwarded): WebhookOutcome {
  if (!answer.ok) return { ok: false, actionName, failure: forwardFailure(actionName, answer.failure) };
  let body: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(answer.body.toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: a failed action below, whatever its status.
  }
  const error = typeof body?.error === 'string' ? body.error : `the fallback answered ${answer.status}`;
  switch (answer.status) {
    case 200:
      if (body === null) break;
      return {
        ok: true,
        actionName,
        body: {
          events: Array.isArray(body.events) ? body.events : [],
          responses: Array.isArray(body.responses) ? body.responses : [],
        },
        dropped: 0,
      };
    case 449:
      return { ok: false, actionName, failure: { kind: 'missing_domain', actionName } };
    case 404:
      return { ok: false, actionName, failure: { kind: 'action_not_found', actionName } };
    case 400:
      if (typeof body?.action_name === 'string')
        return { ok: false, actionName, failure: { kind: 'rejected', actionName, message: error } };
      break;
    default:
      break;
  }
  return { ok: false, actionName, failure: { kind: 'crashed', message: error, requestBody: null } };
}
