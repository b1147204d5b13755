/**
 * A circuit breaker per connection. It counts consecutive failed attempts
 * (network errors, timeouts, 5xx: signs the upstream is down, not that a
 * request was wrong). After `failures` of them it opens: calls fail at once
 * with `circuit_open` instead of each waiting for its own timeout, which is
 * what keeps the bot answering while an API is down. After `cooldownMs` one
 * call is let through as a probe (half-open); its success closes the circuit,
 * its failure opens it for another cooldown.
 */
import type { HttpError } from './types.js';

/** Where the breaker stands. */
export type BreakerState = 'closed' | 'open' | 'half_open';

/** What one attempt tells the breaker. 'neutral': the caller gave up, the upstream said nothing. */
export type AttemptVerdict = 'success' | 'failure' | 'neutral';

/** Permission for one attempt. `probe` attempts must be reported back. */
export type BreakerTicket = { allowed: true; probe: boolean } | { allowed: false; retryInMs: number };

/**
 * Classifies an attempt's result for the breaker. Any answer below 500 proves
 * the upstream alive, even a 404 or an unparsable body.
 * @param error - null for a success
 */
export function verdictOf(error: HttpError | null): AttemptVerdict {
  if (error == null) return 'success';
  if (error.code === 'DEADLINE') return 'neutral';
  if (error.kind === 'network' || error.kind === 'timeout') return 'failure';
  if (error.kind === 'status' && error.status != null && error.status >= 500) return 'failure';
  return 'success';
}

/** Consecutive-failure breaker with a single half-open probe. */
export class CircuitBreaker {
  readonly #failures: number;
  readonly #cooldownMs: number;
  readonly #now: () => number;
  #state: BreakerState = 'closed';
  #consecutive = 0;
  #openedAt = 0;
  #probing = false;

  /**
   * @param policy - `failures` in a row open it; `cooldownMs` later one probe goes through
   * @param now - the clock, ms
   */
  constructor(policy: { readonly failures: number; readonly cooldownMs: number }, now: () => number) {
    this.#failures = Math.max(1, policy.failures);
    this.#cooldownMs = policy.cooldownMs;
    this.#now = now;
  }

  /** The current state; an open circuit whose cooldown is over reads as half_open. */
  get state(): BreakerState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#cooldownMs) return 'half_open';
    return this.#state;
  }

  /** Asks to send one attempt. */
  acquire(): BreakerTicket {
    const state = this.state;
    if (state === 'closed') return { allowed: true, probe: false };
    if (state === 'half_open' && !this.#probing) {
      this.#state = 'half_open';
      this.#probing = true;
      return { allowed: true, probe: true };
    }
    // Open, or a probe already in flight: others wait for its verdict.
    return { allowed: false, retryInMs: Math.max(0, this.#openedAt + this.#cooldownMs - this.#now()) };
  }

  /**
   * Reports how an attempt went.
   * @param verdict - from verdictOf
   * @param probe - the ticket's `probe`
   */
  record(verdict: AttemptVerdict, probe: boolean): void {
    if (probe) this.#probing = false;
    if (verdict === 'neutral') return; // a half-open state stays half-open for the next caller
    if (verdict === 'success') {
      this.#state = 'closed';
      this.#consecutive = 0;
      return;
    }
    this.#consecutive += 1;
    if (probe || this.#state === 'half_open' || this.#consecutive >= this.#failures) {
      this.#state = 'open';
      this.#openedAt = this.#now();
    }
  }
}
