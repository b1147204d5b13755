/**
 * Time bounds. The caller's signal is the action's deadline (DESIGN.md: one
 * deadline bounds every attempt, backoff and step). Each attempt gets its
 * own signal that fires at min(timeoutMs, time left), combined with the
 * caller's, so whichever ends first stops the socket.
 *
 * We enforce time with our own timers, not undici's headersTimeout /
 * bodyTimeout: those tick on ~1 s "fast timers" (LIBRARIES.md §4; a 200 ms
 * headersTimeout fired at 1,004 ms), so they stay only as a backstop.
 *
 * The two bounds are joined by hand rather than with AbortSignal.any: on
 * Node 20.20 a composite signal that still has a listener is retained by a
 * long-lived source signal (measured: 300k composites over one source kept
 * 358 MB alive). Here the listener on the caller's signal is removed when the
 * attempt ends, so nothing outlives it.
 */
import { timeoutError } from './errors.js';
import type { HttpError } from './types.js';

/** The signal one attempt runs under, and why it fired. */
export interface AttemptSignal {
  readonly signal: AbortSignal;
  /** The budget this attempt got, in ms. */
  readonly ms: number;
  /** Which bound ended the attempt, if any. */
  cause(): 'deadline' | 'attempt' | null;
  /** Clears the timer; call when the attempt is over. */
  dispose(): void;
}

/**
 * Starts the clock of one attempt.
 * @param caller - the action's deadline signal, or null when `msLeft` carries the deadline
 * @param timeoutMs - the connection's per-attempt timeout
 * @param msLeft - time left before the deadline, null when unknown
 */
export function attemptSignal(caller: AbortSignal | null, timeoutMs: number, msLeft: number | null): AttemptSignal {
  const ms = Math.max(0, msLeft == null ? timeoutMs : Math.min(timeoutMs, msLeft));
  // The deadline comes first: the caller's signal already bounds this
  // attempt, so no controller, timer or listener is needed (the common case,
  // and the hot path: bench/profile.mjs).
  if (caller !== null && msLeft != null && msLeft <= timeoutMs) {
    return { signal: caller, ms, cause: () => (caller.aborted ? 'deadline' : null), dispose() {} };
  }
  const controller = new AbortController();
  let timedOut = false;
  const onCaller = (): void => controller.abort(caller?.reason);
  // Same 1 ms precision as AbortSignal.timeout(), but cleared when the attempt ends.
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('attempt timed out', 'TimeoutError'));
  }, ms);
  if (caller?.aborted) onCaller();
  else caller?.addEventListener('abort', onCaller, { once: true });
  return {
    signal: controller.signal,
    ms,
    cause() {
      if (caller?.aborted) return 'deadline';
      // An attempt cut short by the time left is really the deadline.
      if (timedOut) return msLeft != null && msLeft <= timeoutMs ? 'deadline' : 'attempt';
      return null;
    },
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCaller);
    },
  };
}

/**
 * The error for an attempt that its signal ended: `timeout` either way; the
 * `code` tells a retryable attempt timeout from the final deadline.
 */
export function abortedError(attempt: AttemptSignal): HttpError {
  return attempt.cause() === 'attempt' ? timeoutError('SW_UPSTREAM_ATTEMPT_TIMEOUT', attempt.ms) : timeoutError('SW_UPSTREAM_DEADLINE', null);
}

/**
 * Waits `ms`, waking early when `signal` aborts. Never rejects.
 * @param ms - how long
 * @param signal - the action's deadline, or null (then only `ms`)
 */
export function sleep(ms: number, signal: AbortSignal | null): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
