/**
 * Defaults of the HTTP layer, as data with units (undici's style). The
 * compiler fills a ConnectionPolicy from `connectionDefaults` where the YAML
 * is silent; the other constants are fixed behaviour documented in
 * docs/http.md.
 */
import type { ConnectionPolicy, HttpMethod } from './types.js';

/** Defaults for every field a connection may leave out. */
export const connectionDefaults: Omit<ConnectionPolicy, 'name' | 'baseUrl'> = {
  headers: {},
  auth: null,
  timeoutMs: 10 * 1000, // 10 s per attempt, the default action deadline (docs/actions-yml.md#connections)
  connectTimeoutMs: 5 * 1000, // 5 s; undici's own default is 10 s
  retry: {
    attempts: 1, // no retry unless asked
    backoffMs: 200, // 200 ms base of the exponential backoff
    maxBackoffMs: 5 * 1000, // 5 s cap on one backoff
  },
  maxResponseBytes: 10 * 1024 * 1024, // 10 MiB
  maxConnections: 64, // sockets per origin; undici's default is unlimited
  tls: null,
  redirects: 'same_origin',
  breaker: null, // off unless asked
};

/** Redirect hops followed per request at most (fetch allows 20; APIs need one or two). */
export const MAX_REDIRECTS = 5;

/** Methods retried without opt-in: calls that change data are not, so a booking is not doubled. */
export const SAFE_METHODS: ReadonlySet<HttpMethod> = new Set<HttpMethod>(['GET', 'HEAD']);

/** Statuses worth another try: timeout, rate limit, transient server faults (as undici's RetryHandler, plus 408). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Smallest time worth starting an attempt with. A retry whose backoff leaves
 * less than this before the deadline is skipped: it could only time out.
 */
export const MIN_ATTEMPT_MS = 50; // 50 ms

/** Idle keep-alive sockets are closed after this unless the server hints otherwise. */
export const KEEP_ALIVE_TIMEOUT_MS: number = 4 * 1000; // 4 s, undici's default

/**
 * undici's headers/body timers tick once a second (docs/http.md#timeouts-and-the-deadline), so they
 * are only a backstop behind our own AbortSignal: the attempt timeout plus this.
 */
export const BACKSTOP_SLACK_MS: number = 2 * 1000; // 2 s

/** An OAuth2 token is refreshed this long before `expires_in` ends (at most half its life). */
export const TOKEN_EXPIRY_SKEW_MS: number = 30 * 1000; // 30 s

/** Lifetime assumed for a token answered without `expires_in` (RFC 6749 §5.1 makes it optional). */
export const TOKEN_DEFAULT_LIFETIME_MS: number = 60 * 60 * 1000; // 1 h

/** Largest token endpoint answer read. */
export const TOKEN_MAX_RESPONSE_BYTES: number = 64 * 1024; // 64 KiB

/** What a masked secret looks like in logs. */
export const MASK = '***';

/** Sent when neither connection nor request sets one. */
export const USER_AGENT = 'slotwire';

/**
 * Connection failures that happen before a single byte of the request is
 * written. Retrying them cannot repeat a side effect, so they are retried for
 * every method.
 */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** Time a token fetch of another replica is waited for beyond its timeout before this one fetches itself. */
export const TOKEN_CLAIM_SLACK_MS: number = 1000; // 1 s
