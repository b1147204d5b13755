/** Limits every front-end of Rasa's calls applies the same way. */

/** Default time a client has to send the whole request: 30 s, a 32 MiB body at about 1 MB/s. */
export const DEFAULT_REQUEST_TIMEOUT_MS: number = 30 * 1000;

/**
 * How often the requests still being received are checked against their
 * time limits: a quarter of the shortest limit, at most 1 s, so a request
 * is cut within that of its deadline. Node's own default, 30 s, let a slow
 * HTTP client hold a socket for up to 149 s. One check for all requests
 * costs less than a timer per request.
 * @param limitsMs - the time limits in force; 0 is no limit
 */
export function checkingIntervalMs(limitsMs: readonly number[]): number {
  const limits = limitsMs.filter((t) => t > 0);
  if (limits.length === 0) return 30_000; // node's default; nothing to check
  return Math.min(1_000, Math.max(10, Math.floor(Math.min(...limits) / 4)));
}
