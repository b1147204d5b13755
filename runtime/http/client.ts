/**
 * createHttpClient: builds the long-lived state of every connection once
 * (parsed base URL, pool, static auth, token source, breaker) and keeps the
 * response caches. The per-call work is request.ts.
 */
import { OAuth2TokenSource, staticAuth } from './auth.js';
import { CircuitBreaker } from './breaker.js';
import { ResponseCache } from './cache.js';
import { sleep as realSleep } from './deadline.js';
import type { DispatcherFactory } from './pool.js';
import { ConnectionPool } from './pool.js';
import type { SendContext, Upstream } from './request.js';
import { sendRequest } from './request.js';
import type { ConnectionPolicy, HttpClient, HttpOutcome, PreparedRequest, SendOptions } from './types.js';
import { parseBaseUrl } from './url.js';

/** What tests (and embedders) may replace. */
export interface HttpClientOptions {
  /** The clock, epoch ms; drives breaker cooldowns, cache TTLs, token expiry and Retry-After dates. Default: Date.now */
  now?: () => number;
  /** Uniform in [0, 1), for backoff jitter. Default: Math.random */
  random?: () => number;
  /** Waits between attempts; must resolve early when the signal aborts. Default: a timer */
  sleep?: (ms: number, signal: AbortSignal | null) => Promise<void>;
  /** Makes the undici dispatchers, e.g. to return a MockAgent. Default: a Pool per base origin, an Agent for others */
  dispatcherFactory?: DispatcherFactory;
}

/**
 * Creates the client for a set of connections. Throws on a configuration bug
 * (a duplicate name, a base URL that is not http(s)); never on upstream trouble.
 * @param connections - resolved connection policies, durations in ms
 * @param options - injectable clock, randomness, sleep and dispatchers
 * @example
 * const http = createHttpClient([{ ...connectionDefaults, name: 'api', baseUrl: 'https://api.example.com/v2' }]);
 * const outcome = await http.send(request, AbortSignal.timeout(5000), { deadlineMs: 5000 });
 * if (!outcome.ok) console.log(outcome.error.kind, outcome.error.reason);
 */
export function createHttpClient(connections: readonly ConnectionPolicy[], options: HttpClientOptions = {}): HttpClient {
  const { now = Date.now, random = Math.random, sleep = realSleep, dispatcherFactory } = options;
  const upstreams = new Map<string, Upstream>();
  for (const policy of connections) {
    if (upstreams.has(policy.name)) throw new TypeError(`duplicate connection '${policy.name}'`);
    const base = parseBaseUrl(policy.baseUrl);
    const pool = new ConnectionPool(policy, base.origin, dispatcherFactory);
    const auth = policy.auth;
    const tokens = auth?.type === 'oauth2_client_credentials'
      ? new OAuth2TokenSource(auth, pool.dispatcherFor(new URL(auth.tokenUrl).origin), policy.timeoutMs, now)
      : null;
    const breaker = policy.breaker == null ? null : new CircuitBreaker(policy.breaker, now);
    upstreams.set(policy.name, { policy, base, pool, auth: staticAuth(auth), tokens, breaker });
  }

  // One cache per scope (the action, by default the connection), each with its own bound.
  const caches = new Map<string, ResponseCache>();
  const context: SendContext = {
    now,
    random,
    sleep,
    cacheFor(scope, maxEntries) {
      let cache = caches.get(scope);
      if (cache == null) {
        cache = new ResponseCache(maxEntries, now);
        caches.set(scope, cache);
      } else {
        cache.resize(maxEntries);
      }
      return cache;
    },
  };

  let closing: Promise<void> | null = null;
  return {
    send(req: PreparedRequest, signal: AbortSignal | null, sendOptions: SendOptions = {}): Promise<HttpOutcome> {
      const up = upstreams.get(req.connection);
      // A plan never names an unknown connection (compile checks it), so this is a bug, not an outcome.
      if (up == null) throw new TypeError(`unknown connection '${req.connection}'`);
      return sendRequest(up, req, signal, sendOptions, context);
    },
    close(): Promise<void> {
      // Idempotent: shutdown paths often close twice.
      closing ??= Promise.all([...upstreams.values()].map((up) => up.pool.close())).then(() => caches.clear());
      return closing;
    },
  };
}
