/**
 * Every way a call can fail, on any transport, with its code in
 * docs/errors.md and the messages rasa-sdk answers them with. Each front-end
 * maps a failure to its own status in one function (server/failure-response.ts
 * for HTTP, grpc/status.ts for gRPC); handlers never choose a status themselves.
 */
import type { RuntimeErrorCode } from '../errors/index.js';
import type { CallProblem } from '../rasa/index.js';

/** A failed request; `kind` names it, the rest is what its body needs. */
export type WebhookFailure =
  /** body empty, JSON `null` or not an object: rasa-sdk's 400 `Invalid body request` */
  | { readonly kind: 'invalid_body' }
  /** body is not JSON */
  | { readonly kind: 'malformed_json' }
  /** a field of the call has the wrong JSON type, or a required one is missing (docs/server.md#request-shape) */
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
  /** `Content-Encoding` we cannot decode: not identity, deflate, gzip or x-gzip (docs/protocol.md#compression) */
  | { readonly kind: 'unsupported_encoding'; readonly encoding: string }
  /** body, or its inflated form, above the limit */
  | { readonly kind: 'too_large'; readonly limit: number }
  /** body opens more objects and arrays than the limit (body-values.ts) */
  | { readonly kind: 'too_many_values'; readonly limit: number }
  /** the configured token / basic auth / header secret did not match */
  | { readonly kind: 'unauthorized'; readonly basic: boolean }
  /** `next_action` is not served */
  | { readonly kind: 'action_not_found'; readonly actionName: string }
  /** the action needs the domain and none is cached for the digest (docs/protocol.md#the-domain-digest-and-449) */
  | { readonly kind: 'missing_domain'; readonly actionName: string }
  /** the action threw `ActionRejection` */
  | { readonly kind: 'rejected'; readonly actionName: string; readonly message: string }
  /** the fallback action server (docs/migrating.md) took longer than its timeout */
  | { readonly kind: 'fallback_timeout'; readonly actionName: string; readonly reason: string }
  /** the fallback action server could not be reached, or its answer was too large */
  | { readonly kind: 'fallback_unavailable'; readonly actionName: string; readonly reason: string }
  /** anything else: an action crashed or returned what Rasa would refuse */
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
  fallback_timeout: 'SW_FALLBACK_TIMEOUT',
  fallback_unavailable: 'SW_FALLBACK_UNAVAILABLE',
  crashed: 'SW_WEBHOOK_CRASHED',
};

/**
 * rasa-sdk's ACTION_MISSING_DOMAIN_DEFAULT_MESSAGE. Rasa ignores the body of
 * a 449, but its streaming gRPC client recognises a missing domain by this
 * message's start ("Missing domain context").
 */
export const MISSING_DOMAIN_MESSAGE: string =
  'Missing domain context, assistant will retry the request and include the domain in the request payload. ' +
  'For more information please see https://rasa.com/docs/action-server/';

/** The error of a call the fallback action server did not answer, on both transports. */
export function fallbackFailedMessage(actionName: string, reason: string): string {
  return `The fallback action server did not answer for action '${actionName}': ${reason}.`;
}

/** rasa-sdk's ActionNotFoundException message, on both transports. */
export function actionNotFoundMessage(actionName: string): string {
  return `No registered action found for name '${actionName}'.`;
}
