/**
 * HttpError constructors. An upstream failure is a value, never a throw
 * (STYLE.md, http/); `kind` and `reason` are the unions DESIGN.md names, and
 * `code` keeps the low-level cause for logs. Messages are written here from
 * codes and numbers only, so no URL, header or body text (and therefore no
 * secret) can leak into them.
 */
import type { ErrorReason, HttpError, HttpResponse } from './types.js';

/**
 * Maps a status to the reason a flow branches on (DESIGN.md, "Outcomes a
 * flow can branch on").
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

/** A response outside 2xx, with the parsed answer attached. */
export function statusError(response: HttpResponse, message?: string): HttpError {
  return {
    kind: 'status',
    reason: reasonForStatus(response.status),
    status: response.status,
    message: message ?? `upstream answered ${response.status}`,
    response,
  };
}

/**
 * The attempt or the whole action ran out of time.
 * @param code - `ATTEMPT_TIMEOUT`, `DEADLINE` or an undici timeout code
 */
export function timeoutError(code: string, ms: number | null): HttpError {
  const what = code === 'DEADLINE' ? 'action deadline reached' : 'upstream did not answer in time';
  return { kind: 'timeout', reason: null, status: null, message: ms == null ? what : `${what} (${ms} ms)`, response: null, code };
}

/** The connection failed: refused, reset, DNS, TLS, protocol. */
export function networkError(code: string): HttpError {
  return { kind: 'network', reason: null, status: null, message: `network error (${code})`, response: null, code };
}

/** A 2xx whose body is not what was expected; the raw text is attached as the body. */
export function parseError(response: HttpResponse, message: string): HttpError {
  return { kind: 'parse', reason: null, status: response.status, message, response, code: 'PARSE' };
}

/** The answer was longer than the connection allows; it was cut off, not buffered. */
export function tooLargeError(status: number, limit: number): HttpError {
  return {
    kind: 'too_large',
    reason: null,
    status,
    message: `response body exceeds ${limit} bytes`,
    response: null,
    code: 'TOO_LARGE',
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
    code: 'CIRCUIT_OPEN',
  };
}

/**
 * The stable code of a thrown network error (`ECONNREFUSED`,
 * `UND_ERR_SOCKET`, a TLS code…), or `UND_ERR` when it has none. Errors are
 * matched on codes, never on message text (STYLE.md).
 */
export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UND_ERR';
}
