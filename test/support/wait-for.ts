/**
 * Waiting for something to happen instead of sleeping and hoping it did: a
 * fixed sleep is either too short on a loaded machine (a flaky test) or too
 * long everywhere else (a slow one). Built on vitest's `vi.waitFor`, which
 * polls with the real timers even under `vi.useFakeTimers()`.
 */
import { vi } from 'vitest';

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Longest wait, in ms: past it the wait fails. */
  readonly timeoutMs: number;
  /** What is awaited, for the error when it does not happen ("both replicas reconnect"). */
  readonly what: string;
  /** How often `condition` is asked again, in ms. Default: 20 */
  readonly intervalMs?: number;
}

/**
 * Resolves with the first truthy value of `condition`, asked again every
 * `intervalMs` until `timeoutMs`; a condition that throws or rejects (a
 * server not up yet) is asked again too. Past the deadline it rejects with
 * "<what>: not within <timeoutMs> ms", the condition's last error as cause.
 * @example
 * await waitFor(() => child.output().includes('state store: redis connected'), { timeoutMs: 5000, what: 'the replica reconnects' });
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitForOptions,
): Promise<Exclude<T, false | 0 | '' | null | undefined>> {
  const { timeoutMs, what, intervalMs = 20 } = options;
  try {
    return await vi.waitFor(
      async () => {
        const value = await condition();
        if (!value) throw new Error(`${what}: not yet`);
        return value as Exclude<T, false | 0 | '' | null | undefined>;
      },
      { timeout: timeoutMs, interval: intervalMs },
    );
  } catch (cause) {
    throw new Error(`${what}: not within ${timeoutMs} ms`, { cause });
  }
}
