/**
 * The one place a failed call becomes a gRPC status, as failure.ts is for
 * HTTP, with rasa-sdk's statuses and `details` (grpc_server.py,
 * grpc_errors.py; docs/server.md#status-codes-of-webhook). Rasa Pro parses
 * the details of a NOT_FOUND as JSON and retries once with the domain when
 * its `resource_type` is DOMAIN (the 449 of HTTP); every other status is a
 * failed action, the rejection's INTERNAL included (over gRPC a rejection is
 * not `action_execution_rejected`).
 */
import { status } from '@grpc/grpc-js';
import { describeProblem } from '../rasa/index.js';
import { actionNotFoundMessage, fallbackFailedMessage, MISSING_DOMAIN_MESSAGE } from '../call-rules/index.js';
import type { WebhookFailure } from '../call-rules/index.js';

/** A status to end a call with. */
export interface GrpcStatus {
  readonly code: status;
  /** rasa-sdk's `details`: JSON for the failures Rasa reads, the message otherwise */
  readonly details: string;
  /** the `StreamError.message` of WebhookStream: rasa-sdk's `str(exception)` */
  readonly message: string;
}

/**
 * The status of a failure. `rpc` matters for a crash only: rasa-sdk leaves
 * an action's exception in the unary Webhook to grpcio (UNKNOWN) and sets
 * INTERNAL in WebhookStream.
 */
export function grpcStatus(failure: WebhookFailure, rpc: 'Webhook' | 'WebhookStream'): GrpcStatus {
  switch (failure.kind) {
    case 'action_not_found': {
      const message = actionNotFoundMessage(failure.actionName);
      return {
        code: status.NOT_FOUND,
        details: JSON.stringify({ action_name: failure.actionName, message, resource_type: 'ACTION' }),
        message,
      };
    }
    case 'missing_domain':
      return {
        code: status.NOT_FOUND,
        details: JSON.stringify({
          action_name: failure.actionName,
          message: MISSING_DOMAIN_MESSAGE,
          resource_type: 'DOMAIN',
        }),
        message: MISSING_DOMAIN_MESSAGE,
      };
    case 'rejected':
      return {
        code: status.INTERNAL,
        details: JSON.stringify({ action_name: failure.actionName, message: failure.message }),
        message: failure.message,
      };
    case 'crashed':
      return {
        code: rpc === 'Webhook' ? status.UNKNOWN : status.INTERNAL,
        details: failure.message,
        message: failure.message,
      };
    case 'fallback_timeout':
    case 'fallback_unavailable': {
      const message = fallbackFailedMessage(failure.actionName, failure.reason);
      return {
        code: failure.kind === 'fallback_timeout' ? status.DEADLINE_EXCEEDED : status.UNAVAILABLE,
        details: JSON.stringify({ action_name: failure.actionName, message }),
        message,
      };
    }
    // rasa-sdk crashes on a malformed request (UNKNOWN); the caller's
    // mistake is named instead, as the webhook's 400 does.
    case 'invalid_call': {
      const message = `Invalid request: ${describeProblem(failure.problem)}`;
      return {
        code: status.INVALID_ARGUMENT,
        details: JSON.stringify({ message, field: failure.problem.field }),
        message,
      };
    }
    // Failures of HTTP bodies and connections: a gRPC call never has them.
    case 'invalid_body':
    case 'malformed_json':
    case 'incomplete_body':
    case 'headers_too_large':
    case 'request_timeout':
    case 'bad_request':
    case 'internal_error':
    case 'unsupported_encoding':
    case 'too_large':
    case 'too_many_values':
    case 'unauthorized':
      return { code: status.INTERNAL, details: 'Internal server error', message: 'Internal server error' };
  }
}

/**
 * The HTTP status gRPC's own mapping gives a status (the one grpc-gateway
 * uses), for what the request metrics and the server span record; on the
 * wire a gRPC answer is always HTTP 200, its status in the trailers.
 */
export function httpStatusOf(code: status | 'CANCELLED'): number {
  switch (code) {
    case status.OK:
      return 200;
    case 'CANCELLED':
    case status.CANCELLED:
      return 499;
    case status.INVALID_ARGUMENT:
      return 400;
    case status.NOT_FOUND:
      return 404;
    default:
      return 500;
  }
}

/** An Error carrying a status, as grpc-js takes it in a callback or a stream's 'error'. */
export function statusError(s: Pick<GrpcStatus, 'code' | 'details'>): Error & { code: status; details: string } {
  return Object.assign(new Error(s.details), { code: s.code, details: s.details });
}
