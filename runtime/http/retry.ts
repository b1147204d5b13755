/**
 * Retry policy, as pure functions over data (the same split as undici's
 * retry-handler: this file decides, request.ts only loops).
 *
 * What is retried: network errors, per-attempt timeouts and the statuses in
 * RETRYABLE_STATUSES. For whom: GET and HEAD always; POST, PUT, PATCH and
 * DELETE only when the action opts in, so a booking is not doubled,
 * except failures that provably never sent the request (NOT_SENT_CODES).
 * When: after an exponential backoff with full jitter, or after the server's
 * Retry-After; never when the wait would pass the deadline, because then the
 * last real error is more useful to the flow than a timeout.
 */
import { MIN_ATTEMPT_MS, NOT_SENT_CODES, RETRYABLE_STATUSES, SAFE_METHODS } from './defaults.js';
import type { ConnectionPolicy, HttpError, HttpMethod } from './types.js';

/** The connection's retry settings. */
export type RetryPolicy = ConnectionPolicy['retry'];

/** Whether a failure is transient at all, whatever the method. */
export function isTransient(error: HttpError): boolean {
  if (error.kind === 'network') return true;
  // The deadline is final; only a single attempt running out is transient.
  if (error.kind === 'timeout') return error.code !== 'SW_UPSTREAM_DEADLINE';
  return error.kind === 'status' && error.status != null && RETRYABLE_STATUSES.has(error.status);
}

/**
 * Whether attempt number `attempt` (1-based, just failed) may be followed by another.
 * @param attempt - the attempt that failed
 * @param method - the request method
 * @param error - how it failed
 * @param options - `attempts` from the connection, `allowUnsafeRetry` from the action
 */
export function shouldRetry(
  attempt: number,
  method: HttpMethod,
  error: HttpError,
  options: { readonly attempts: number; readonly allowUnsafeRetry: boolean },
): boolean {
  if (attempt >= options.attempts || !isTransient(error)) return false;
  if (SAFE_METHODS.has(method) || options.allowUnsafeRetry) return true;
  return error.kind === 'network' && error.cause != null && NOT_SENT_CODES.has(error.cause);
}

/**
 * Reads Retry-After (RFC 9110 §10.2.3): either delay-seconds or an
 * HTTP-date. Returns the wait in ms, or null when absent or unreadable.
 * @param value - the header value
 * @param nowMs - the current time, epoch ms
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value == null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/**
 * Exponential backoff with full jitter: a uniform pick in
 * [0, min(maxBackoffMs, backoffMs × 2^(attempt-1))). Full jitter spreads the
 * retries of many replicas that failed together (AWS Architecture Blog,
 * "Exponential Backoff And Jitter").
 * @param attempt - the attempt that just failed, 1-based
 * @param random - uniform in [0, 1)
 */
export function backoffDelay(attempt: number, retry: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(retry.maxBackoffMs, retry.backoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * How long to wait before the next attempt, or null to stop now.
 * A Retry-After is obeyed as given, but a wait longer than `maxBackoffMs`
 * (the most the connection is willing to wait once) or one that leaves
 * less than MIN_ATTEMPT_MS before the deadline ends the retries.
 * @param attempt - the attempt that just failed, 1-based
 * @param error - how it failed; its response may carry Retry-After
 * @param msLeft - time left before the deadline, null when unknown
 */
export function retryDelay(
  attempt: number,
  error: HttpError,
  retry: RetryPolicy,
  msLeft: number | null,
  now: number,
  random: () => number,
): number | null {
  const after = parseRetryAfter(error.response?.headers['retry-after'], now);
  if (after != null && after > retry.maxBackoffMs) return null;
  const delay = after ?? backoffDelay(attempt, retry, random);
  if (msLeft != null && delay + MIN_ATTEMPT_MS > msLeft) return null;
  return delay;
}
