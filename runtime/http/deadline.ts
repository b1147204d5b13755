/**
 * Time bounds. The caller's signal, when there is one, is the action's
 * deadline; usually the deadline arrives as time left (`msLeft`). Each
 * attempt gets a signal that fires at min(timeoutMs, time left), and with
 * the caller's, so whichever ends first stops the socket.
 *
 * We enforce time with our own clock, not undici's headersTimeout /
 * bodyTimeout: those tick on ~1 s "fast timers" (undici 7 on Node 20: a
 * 200 ms headersTimeout fired at 1,004 ms), so they stay only as a backstop.
 *
 * The clock is one timer for the whole process, armed for the earliest
 * attempt still running: an AbortController, a timer and listeners per
 * attempt were a fifth of the CPU of a simple call. An attempt's
 * signal is a small object with the part of AbortSignal that undici and
 * the token source read (`aborted`, `reason`, abort listeners), so nothing
 * is allocated per attempt beyond it. A caller's AbortSignal is joined by
 * a listener removed when the attempt ends: on Node 20.20, AbortSignal.any
 * composites stay retained by a long-lived source signal.
 */
import { timeoutError } from './errors.js';
import type { HttpError } from './types.js';

/** What undici and the token source read of a signal: an AbortSignal, or an attempt's own. */
export interface AbortLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** The signal one attempt runs under, and why it fired. */
export interface AttemptSignal {
  readonly signal: AbortLike;
  /** The budget this attempt got, in ms. */
  readonly ms: number;
  /** Which bound ended the attempt, if any. */
  cause(): 'deadline' | 'attempt' | null;
  /** Leaves the clock; call when the attempt is over. */
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
  // The deadline comes first and the caller's signal carries it: it already bounds this attempt.
  if (caller !== null && msLeft != null && msLeft <= timeoutMs) {
    return { signal: caller, ms, cause: () => (caller.aborted ? 'deadline' : null), dispose() {} };
  }
  return new Attempt(caller, ms, msLeft != null && msLeft <= timeoutMs);
}

/** One attempt on the clock: its own signal, timed by `clock`. */
class Attempt implements AttemptSignal, AbortLike {
  readonly ms: number;
  /** When it times out, on the clock's time line (performance.now()). */
  readonly at: number;
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] = [];
  private timedOut = false;
  private readonly caller: AbortSignal | null;
  /** True when the time left, not the attempt timeout, set `ms`: its end is the deadline's. */
  private readonly cutByDeadline: boolean;
  /** Aborts with the caller; made only when there is a caller (rare: the deadline usually comes as time). */
  private readonly onCaller: (() => void) | null;

  constructor(caller: AbortSignal | null, ms: number, cutByDeadline: boolean) {
    this.caller = caller;
    this.ms = ms;
    this.cutByDeadline = cutByDeadline;
    this.at = performance.now() + ms;
    this.onCaller = caller === null ? null : () => this.abort(caller.reason);
    if (caller?.aborted) {
      this.abort(caller.reason);
      return;
    }
    if (this.onCaller !== null) caller?.addEventListener('abort', this.onCaller, { once: true });
    clock.add(this);
  }

  get signal(): AbortLike {
    return this;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.listeners.indexOf(listener);
    if (i !== -1) this.listeners.splice(i, 1);
  }

  /** The clock's call when `at` has passed. */
  expire(): void {
    this.timedOut = true;
    this.abort(new DOMException('attempt timed out', 'TimeoutError'));
  }

  cause(): 'deadline' | 'attempt' | null {
    if (this.caller?.aborted) return 'deadline';
    if (this.timedOut) return this.cutByDeadline ? 'deadline' : 'attempt';
    return null;
  }

  dispose(): void {
    clock.delete(this);
    if (this.onCaller !== null) this.caller?.removeEventListener('abort', this.onCaller);
  }

  private abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    clock.delete(this);
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}

/**
 * The one timer of all attempts, armed for the earliest `at` it knows of.
 * Attempts usually end long before it fires; when it fires it expires what
 * is due and re-arms for the earliest left: a walk of the attempts in
 * flight, about once per attempt timeout.
 */
const clock = (() => {
  const running = new Set<Attempt>();
  let timer: NodeJS.Timeout | null = null;
  let armedAt = Infinity;
  const arm = (at: number): void => {
    if (timer !== null && at >= armedAt) return;
    if (timer !== null) clearTimeout(timer);
    armedAt = at;
    timer = setTimeout(tick, Math.max(0, Math.ceil(at - performance.now())));
    // A running attempt's socket keeps the process alive, not its clock.
    timer.unref();
  };
  const tick = (): void => {
    timer = null;
    armedAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const attempt of running) {
      if (attempt.at <= now) attempt.expire();
      else if (attempt.at < next) next = attempt.at;
    }
    if (next !== Infinity) arm(next);
  };
  return {
    add(attempt: Attempt): void {
      running.add(attempt);
      arm(attempt.at);
    },
    delete(attempt: Attempt): void {
      running.delete(attempt);
    },
  };
})();

/**
 * The error for an attempt that its signal ended: `timeout` either way; the
 * `code` tells a retryable attempt timeout from the final deadline.
 */
export function abortedError(attempt: AttemptSignal): HttpError {
  return attempt.cause() === 'attempt'
    ? timeoutError('SW_UPSTREAM_ATTEMPT_TIMEOUT', attempt.ms)
    : timeoutError('SW_UPSTREAM_DEADLINE', null);
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
