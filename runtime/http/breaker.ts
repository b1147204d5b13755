/**
 * A circuit breaker per connection. It counts consecutive failed attempts
 * (network errors, timeouts, 5xx: signs the upstream is down, not that a
 * request was wrong). After `failures` of them it opens: calls fail at once
 * with `circuit_open` instead of each waiting for its own timeout, which is
 * what keeps the bot answering while an API is down. After `cooldownMs` one
 * call is let through as a probe (half-open); its success closes the circuit,
 * its failure opens it for another cooldown.
 *
 * The breaker's record lives in the state store (runtime/state), so it
 * survives a reload that leaves the connection unchanged and, with a shared
 * store, is shared by replicas. The policy is pure functions over that
 * record; the store applies them atomically.
 */
import type { StateStore } from '../state/index.js';
import type { BreakerState, HttpError } from './types.js';

export type { BreakerState };

/** What one attempt tells the breaker. 'neutral': the caller gave up, the upstream said nothing. */
export type AttemptVerdict = 'success' | 'failure' | 'neutral';

/** Permission for one attempt. `probe` attempts must be reported back. */
export type BreakerTicket = { allowed: true; probe: boolean } | { allowed: false; retryInMs: number };

/** A breaker's policy: `failures` in a row open it; `cooldownMs` later one probe goes through. */
export interface BreakerPolicy {
  readonly failures: number;
  readonly cooldownMs: number;
}

/** The stored record. Absent means closed with no failures. */
export interface BreakerRecord {
  readonly open: boolean;
  /** Consecutive failures so far. */
  readonly failures: number;
  /** When it last opened, epoch ms. */
  readonly openedAt: number;
  /** When the running probe started, epoch ms; null when none runs. */
  readonly probeSince: number | null;
}

/**
 * How long a record is kept after its last change: past the cooldown, and a
 * minute more so that failures spread over a minute still count as "in a row".
 */
const RECORD_SLACK_MS = 60 * 1000; // 60 s

/**
 * Classifies an attempt's result for the breaker. Any answer below 500 proves
 * the upstream alive, even a 404 or an unparsable body.
 * @param error - null for a success
 */
export function verdictOf(error: HttpError | null): AttemptVerdict {
  if (error == null) return 'success';
  if (error.code === 'SW_UPSTREAM_DEADLINE') return 'neutral';
  if (error.kind === 'network' || error.kind === 'timeout') return 'failure';
  if (error.kind === 'status' && error.status != null && error.status >= 500) return 'failure';
  return 'success';
}

/**
 * The state a record reads as at `now`: an open circuit whose cooldown is
 * over reads as half_open.
 */
function breakerState(record: BreakerRecord | undefined, policy: BreakerPolicy, now: number): BreakerState {
  if (record === undefined || !record.open) return 'closed';
  return now - record.openedAt >= policy.cooldownMs ? 'half_open' : 'open';
}

/**
 * Asks for one attempt: the ticket, and the record to store. A probe whose
 * process never reported back (it crashed, or a replica went away) is given
 * up after one cooldown, so the circuit cannot stay stuck half-open.
 */
function acquire(
  record: BreakerRecord | undefined,
  policy: BreakerPolicy,
  now: number,
): { ticket: BreakerTicket; next: BreakerRecord | undefined } {
  const state = breakerState(record, policy, now);
  if (state === 'closed') return { ticket: { allowed: true, probe: false }, next: record };
  const probeRunning = record?.probeSince != null && now - record.probeSince < policy.cooldownMs;
  if (state === 'half_open' && !probeRunning) {
    const base = record ?? { open: true, failures: 0, openedAt: now, probeSince: null };
    return { ticket: { allowed: true, probe: true }, next: { ...base, probeSince: now } };
  }
  // Open, or a probe already in flight: others wait for its verdict.
  const openedAt = record?.openedAt ?? now;
  return { ticket: { allowed: false, retryInMs: Math.max(0, openedAt + policy.cooldownMs - now) }, next: record };
}

/** The record after an attempt's verdict; undefined when the circuit is closed and clean. */
function recordVerdict(
  record: BreakerRecord | undefined,
  policy: BreakerPolicy,
  verdict: AttemptVerdict,
  probe: boolean,
  now: number,
): BreakerRecord | undefined {
  const current = record && probe ? { ...record, probeSince: null } : record;
  if (verdict === 'neutral') return current; // a half-open state stays half-open for the next caller
  if (verdict === 'success') return undefined;
  const failures = (current?.failures ?? 0) + 1;
  const halfOpen = current !== undefined && breakerState(current, policy, now) === 'half_open';
  if (probe || halfOpen || failures >= Math.max(1, policy.failures))
    return { open: true, failures, openedAt: now, probeSince: null };
  return { open: false, failures, openedAt: current?.openedAt ?? 0, probeSince: null };
}

/** One connection's breaker, applied through the state store. */
export interface Breaker {
  acquire(): Promise<BreakerTicket>;
  /** Reports an attempt's verdict; resolves with where the breaker stands after it. */
  record(verdict: AttemptVerdict, probe: boolean): Promise<BreakerState>;
  /** Where it stands now (for tests and status). */
  state(): Promise<BreakerState>;
}

/**
 * The breaker of one connection, its record at `key` in `state`.
 * @param now - the clock, ms
 */
export function storedBreaker(state: StateStore, key: string, policy: BreakerPolicy, now: () => number): Breaker {
  const ttlMs = policy.cooldownMs + RECORD_SLACK_MS;
  const asRecord = (v: unknown): BreakerRecord | undefined => v as BreakerRecord | undefined;
  return {
    acquire: () =>
      state.update(key, (current) => {
        const { ticket, next } = acquire(asRecord(current), policy, now());
        return { value: next, ttlMs, result: ticket };
      }),
    record: (verdict, probe) =>
      state.update(key, (current) => {
        const at = now();
        const next = recordVerdict(asRecord(current), policy, verdict, probe, at);
        return { value: next, ttlMs, result: breakerState(next, policy, at) };
      }),
    state: async () => breakerState(asRecord(await state.get(key)), policy, now()),
  };
}
