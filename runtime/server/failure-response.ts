/**
 * The one function that maps a failed call to its HTTP status and JSON
 * body, as rasa-sdk's `endpoint.py` does in one place. Handlers build a
 * `WebhookFailure` (call-rules/failure.ts) and never choose a status themselves.
 */
import { actionNotFoundMessage, fallbackFailedMessage, MISSING_DOMAIN_MESSAGE } from '../call-rules/index.js';
import type { WebhookFailure } from '../call-rules/index.js';
import { describeProblem } from '../rasa/index.js';

/** A status and a JSON body. */
export interface FailureResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** extra response headers */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * For an answer sent before the request was read whole: the rest of it is
 * still on the connection, so the connection cannot carry another request.
 * Saying so lets the client open a new one instead of writing into a socket
 * that is about to close; node closes it once the answer is sent.
 */
export const CLOSE: Readonly<Record<string, string>> = Object.freeze({ connection: 'close' });

/**
 * Status and body for a failure. Rasa reads `action_name` from a 400 and
 * turns it into `action_execution_rejected`; without it the rejection is a
 * generic failure (docs/protocol.md#errors), so every 400 that is a rejection
 * has it.
 */
export function failureResponse(failure: WebhookFailure): FailureResponse {
  switch (failure.kind) {
    case 'invalid_body':
      return { status: 400, body: { error: 'Invalid body request' } };
    case 'malformed_json':
      return { status: 400, body: { error: 'Request body is not valid JSON.' } };
    case 'invalid_call':
      // No `action_name`: Rasa would take a 400 with it for a rejection and
      // predict another action (docs/protocol.md#errors); a malformed call is not one.
      return {
        status: 400,
        body: { error: `Invalid request: ${describeProblem(failure.problem)}`, field: failure.problem.field },
      };
    case 'incomplete_body':
      return { status: 400, body: { error: 'Request body ended before it was complete.' }, headers: CLOSE };
    case 'headers_too_large':
      return { status: 431, body: { error: 'Request headers too large.' }, headers: CLOSE };
    case 'request_timeout':
      return { status: 408, body: { error: 'Request not received in time.' }, headers: CLOSE };
    case 'bad_request':
      return { status: 400, body: { error: 'Bad request.' } };
    case 'internal_error':
      return { status: 500, body: { error: 'Internal server error' } };
    case 'unsupported_encoding':
      return { status: 415, body: { error: `Unsupported Content-Encoding '${failure.encoding}'.` } };
    case 'too_large':
      return { status: 413, body: { error: `Request body larger than ${failure.limit} bytes.` }, headers: CLOSE };
    case 'too_many_values':
      return { status: 413, body: { error: `Request body has more than ${failure.limit} objects and arrays.` } };
    case 'unauthorized':
      return {
        status: 401,
        body: { error: 'Unauthorized' },
        ...(failure.basic ? { headers: { 'www-authenticate': 'Basic realm="slotwire"' } } : {}),
      };
    case 'action_not_found':
      return {
        status: 404,
        body: { error: actionNotFoundMessage(failure.actionName), action_name: failure.actionName },
      };
    case 'missing_domain':
      return { status: 449, body: { error: MISSING_DOMAIN_MESSAGE, action_name: failure.actionName } };
    case 'rejected':
      return { status: 400, body: { error: failure.message, action_name: failure.actionName } };
    // Not 400 (a rejection) nor 449: Rasa takes any other status for a failed action (docs/protocol.md#errors).
    case 'fallback_timeout':
      return {
        status: 504,
        body: { error: fallbackFailedMessage(failure.actionName, failure.reason), action_name: failure.actionName },
      };
    case 'fallback_unavailable':
      return {
        status: 502,
        body: { error: fallbackFailedMessage(failure.actionName, failure.reason), action_name: failure.actionName },
      };
    case 'crashed':
      return { status: 500, body: { error: failure.message, request_body: failure.requestBody } };
  }
}
