/**
 * Every way a request can fail, and the one function that maps a failure to
 * its HTTP status and JSON body, as rasa-sdk's `endpoint.py` does in one
 * place (PROTOCOL §2.1). Handlers build a `WebhookFailure` and never choose
 * a status themselves.
 */
import type { RuntimeErrorCode } from '../errors/index.js';
import { describeProblem } from '../rasa/index.js';
import type { CallProblem } from '../rasa/index.js';

/** A failed request; `kind` names it, the rest is what its body needs. */
export type WebhookFailure =
  /** body empty, JSON `null` or not an object (PROTOCOL §2.1, checklist 18) */
  | { readonly kind: 'invalid_body' }
  /** body is not JSON (checklist 18) */
  | { readonly kind: 'malformed_json' }
  /** a field of the call has the wrong JSON type, or a required one is missing (issue 12) */
  | { readonly kind: 'invalid_call'; readonly problem: CallProblem }
  /** the client hung up, or was cut off, before the body was complete */
  | { readonly kind: 'incomplete_body' }
  /** node's HTTP parser: the request headers are over node's limit (16 KiB) */
  | { readonly kind: 'headers_too_large' }
  /** node's HTTP parser: the headers or the whole request took longer than allowed (listen.ts) */
  | { readonly kind: 'request_timeout' }
  /** node's HTTP parser or the node adapter: not a valid HTTP request (bad framing, no Host, …) */
  | { readonly kind: 'bad_request' }
  /** the node adapter failed before the app ran; the app's own errors are `crashed` */
  | { readonly kind: 'internal_error' }
  /** `Content-Encoding` we cannot decode (LIBRARIES §5) */
  | { readonly kind: 'unsupported_encoding'; readonly encoding: string }
  /** body, or its inflated form, above the limit */
  | { readonly kind: 'too_large'; readonly limit: number }
  /** body opens more objects and arrays than the limit (body-values.ts) */
  | { readonly kind: 'too_many_values'; readonly limit: number }
  /** the configured token / basic auth / header secret did not match */
  | { readonly kind: 'unauthorized'; readonly basic: boolean }
  /** `next_action` is not served (checklist 15) */
  | { readonly kind: 'action_not_found'; readonly actionName: string }
  /** the action needs the domain and none is cached for the digest (checklist 20, 23) */
  | { readonly kind: 'missing_domain'; readonly actionName: string }
  /** the action threw `ActionRejection` (checklist 16) */
  | { readonly kind: 'rejected'; readonly actionName: string; readonly message: string }
  /** anything else: an action crashed or returned what Rasa would refuse (checklist 17) */
  | { readonly kind: 'crashed'; readonly message: string; readonly requestBody: unknown };

/** The code of each failure in docs/errors.md, for log lines (the wire keeps rasa-sdk's bodies). */
export const failureCodes: Readonly<Record<WebhookFailure['kind'], RuntimeErrorCode>> = {
  invalid_body: 'SW_WEBHOOK_INVALID_BODY',
  malformed_json: 'SW_WEBHOOK_MALFORMED_JSON',
  invalid_call: 'SW_WEBHOOK_INVALID_CALL',
  incomplete_body: 'SW_WEBHOOK_INCOMPLETE_BODY',
  headers_too_large: 'SW_WEBHOOK_HEADERS_TOO_LARGE',
  request_timeout: 'SW_WEBHOOK_REQUEST_TIMEOUT',
  bad_request: 'SW_WEBHOOK_BAD_REQUEST',
  internal_error: 'SW_WEBHOOK_INTERNAL_ERROR',
  unsupported_encoding: 'SW_WEBHOOK_UNSUPPORTED_ENCODING',
  too_large: 'SW_WEBHOOK_TOO_LARGE',
  too_many_values: 'SW_WEBHOOK_TOO_MANY_VALUES',
  unauthorized: 'SW_WEBHOOK_UNAUTHORIZED',
  action_not_found: 'SW_WEBHOOK_ACTION_NOT_FOUND',
  missing_domain: 'SW_WEBHOOK_MISSING_DOMAIN',
  rejected: 'SW_ACTION_REJECTED',
  crashed: 'SW_WEBHOOK_CRASHED',
};

/** A status and a JSON body. */
export interface FailureResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** extra response headers */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * rasa-sdk's ACTION_MISSING_DOMAIN_DEFAULT_MESSAGE. Rasa ignores the body of
 * a 449, but its streaming gRPC client recognises a missing domain by this
 * message's start ("Missing domain context").
 */
export const MISSING_DOMAIN_MESSAGE: string =
  'Missing domain context, assistant will retry the request and include the domain in the request payload. ' +
  'For more information please see https://rasa.com/docs/action-server/';

/** rasa-sdk's ActionNotFoundException message, on both transports. */
export function actionNotFoundMessage(actionName: string): string {
  return `No registered action found for name '${actionName}'.`;
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
 * generic failure (PROTOCOL §2.2), so every 400 that is a rejection has it.
 */
export function failureResponse(failure: WebhookFailure): FailureResponse {
  switch (failure.kind) {
    case 'invalid_body':
      return { status: 400, body: { error: 'Invalid body request' } };
    case 'malformed_json':
      return { status: 400, body: { error: 'Request body is not valid JSON.' } };
    case 'invalid_call':
      // No `action_name`: Rasa would take a 400 with it for a rejection and
      // predict another action (PROTOCOL §2.2); a malformed call is not one.
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
    case 'crashed':
      return { status: 500, body: { error: failure.message, request_body: failure.requestBody } };
  }
}
