/**
 * HttpError constructors. An upstream failure is a value, never a throw,
 * so a flow can branch on it; `kind` and `reason` are the unions of
 * docs/http.md#errors, `code` is the stable code of docs/errors.md and
 * `cause` keeps the low-level cause for logs. Messages are written here from
 * codes and numbers only, so no URL, header or body text (and therefore no
 * secret) can leak into them.
 */
import type { RuntimeErrorCode } from '../errors/index.js';
import type { ErrorReason, HttpError, HttpResponse } from './types.js';

/**
 * Maps a status to the reason a flow branches on (docs/http.md#errors).
 * @param status - an HTTP status code
 */
export function reasonForStatus(status: number): ErrorReason {
  if (status === 400 || status === 422) return 'bad_request';
  if (status === 401 || status === 403) return 'rejected';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500 && status <= 599) return 'unavailable';
  return 'other';
}

/** A response outside 2xx (or refused otherwise), with the parsed answer attached. */
export function statusError(
  response: HttpResponse,
  message?: string,
  code: RuntimeErrorCode = 'SW_UPSTREAM_STATUS',
): HttpError {
  return {
    kind: 'status',
    reason: reasonForStatus(response.status),
    status: response.status,
    message: message ?? `upstream answered ${response.status}`,
    response,
    code,
  };
}

/**
 * The attempt or the whole action ran out of time.
 * @param code - which bound ended it
 * @param cause - undici's timeout code when its backstop timer fired
 */
export function timeoutError(
  code: 'SW_UPSTREAM_ATTEMPT_TIMEOUT' | 'SW_UPSTREAM_DEADLINE' | 'SW_TOKEN_TIMEOUT',
  ms: number | null,
  cause?: string,
): HttpError {
  const what = code === 'SW_UPSTREAM_DEADLINE' ? 'action deadline reached' : 'upstream did not answer in time';
  return {
    kind: 'timeout',
    reason: null,
    status: null,
    message: ms == null ? what : `${what} (${ms} ms)`,
    response: null,
    code,
    ...(cause ? { cause } : {}),
  };
}

/**
 * The connection failed: refused, reset, DNS, TLS, protocol.
 * @param cause - the system or undici code, from errorCode()
 */
export function networkError(cause: string): HttpError {
  return {
    kind: 'network',
    reason: null,
    status: null,
    message: `network error (${cause})`,
    response: null,
    code: 'SW_UPSTREAM_NETWORK',
    cause,
  };
}

/** A 2xx whose body is not what was expected; the raw text is attached as the body. */
export function parseError(response: HttpResponse, message: string): HttpError {
  return { kind: 'parse', reason: null, status: response.status, message, response, code: 'SW_UPSTREAM_PARSE' };
}

/** The answer was longer than the connection allows; it was cut off, not buffered. */
export function tooLargeError(status: number, limit: number): HttpError {
  return {
    kind: 'too_large',
    reason: null,
    status,
    message: `response body exceeds ${limit} bytes`,
    response: null,
    code: 'SW_UPSTREAM_TOO_LARGE',
  };
}

/** The breaker refused the call without touching the network. */
export function circuitOpenError(connection: string, retryInMs: number): HttpError {
  return {
    kind: 'circuit_open',
    reason: null,
    status: null,
    message: `circuit for connection '${connection}' is open (next probe in ${Math.max(0, Math.ceil(retryInMs))} ms)`,
    response: null,
    code: 'SW_UPSTREAM_CIRCUIT_OPEN',
  };
}

/**
 * The stable code of a thrown network error (`ECONNREFUSED`,
 * `UND_ERR_SOCKET`, a TLS code…), or `UND_ERR` when it has none. Errors are
 * matched on codes, never on message text, which changes between versions.
 */
export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UND_ERR';
}
