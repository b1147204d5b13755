/**
 * One call, composed from the policies: build the URL and headers, answer
 * from the cache, ask the breaker, run attempts (auth, redirects, body
 * limits, decoding) under the attempt signal, and retry as retry.ts says.
 * Every upstream failure comes back as a value; nothing here throws for one.
 */
import type { StateStore } from '../state/index.js';
import type { OAuth2TokenSource, StaticAuth } from './auth.js';
import type { Breaker, BreakerTicket } from './breaker.js';
import { verdictOf } from './breaker.js';
import { cacheKey } from './cache.js';
import type { AttemptSignal } from './deadline.js';
import { abortedError, attemptSignal } from './deadline.js';
import { USER_AGENT } from './defaults.js';
import { circuitOpenError, errorCode, networkError, statusError, timeoutError, tooLargeError } from './errors.js';
import { decodeResponse, flattenHeaders, readBody } from './limits.js';
import type { ConnectionPool } from './pool.js';
import { nextHop } from './redirect.js';
import type { EncodedBody } from './request-body.js';
import { encodeBody } from './request-body.js';
import { retryDelay, shouldRetry } from './retry.js';
import type {
  ConnectionPolicy,
  Exchange,
  HttpError,
  HttpObserver,
  HttpOutcome,
  HttpResponse,
  PreparedRequest,
  SendOptions,
} from './types.js';
import type { BaseUrl, Target } from './url.js';
import { buildTarget } from './url.js';

/** Everything the client keeps for one connection. */
export interface Upstream {
  /** The connection's name and a fingerprint of its declaration: the prefix of its records in the state store. */
  readonly stateKey: string;
  readonly policy: ConnectionPolicy;
  readonly base: BaseUrl;
  readonly pool: ConnectionPool;
  readonly auth: StaticAuth;
  readonly tokens: OAuth2TokenSource | null;
  readonly breaker: Breaker | null;
}

/** The injectable environment of a call. */
export interface SendContext {
  readonly now: () => number;
  readonly random: () => number;
  readonly sleep: (ms: number, signal: AbortSignal | null) => Promise<void>;
  /** Where shared cached responses live (`cache.shared`): the engine's state store. */
  readonly state: StateStore;
  /** This process's memory: the other cached responses. */
  readonly local: StateStore;
  /** Who is told of attempts, retries, cache lookups and breaker states (metrics, traces). */
  readonly observer: HttpObserver | null;
}

const NO_BREAKER: BreakerTicket = { allowed: true, probe: false };

type AttemptResult = { ok: true; response: HttpResponse } | { ok: false; error: HttpError };

// undici's own timers are only a backstop (deadline.ts), but when one fires it is still a timeout.
const UNDICI_TIMEOUTS: ReadonlySet<string> = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Sends one prepared request with retries, breaker and cache.
 * @param up - the connection's state
 * @param signal - the action's deadline, or null when `options.deadlineMs` carries it
 */
export async function sendRequest(
  up: Upstream,
  req: PreparedRequest,
  signal: AbortSignal | null,
  options: SendOptions,
  ctx: SendContext,
): Promise<HttpOutcome> {
  const startedAt = ctx.now();
  const deadlineAt = options.deadlineMs == null ? null : startedAt + options.deadlineMs;
  const target = targetOf(up, req);
  const body = encodeBody(req.body);
  const headers = requestHeaders(up.policy, req, body);
  const exchange: Exchange = {
    method: req.method,
    url: target.origin + target.maskedPath,
    status: null,
    timeMs: 0,
    attempts: 0,
    fromCache: false,
  };
  const done = (outcome: { ok: true; response: HttpResponse } | { ok: false; error: HttpError }): HttpOutcome => {
    exchange.timeMs = ctx.now() - startedAt;
    exchange.status = outcome.ok ? outcome.response.status : outcome.error.status;
    return outcome.ok
      ? { ok: true, response: outcome.response, exchange }
      : { ok: false, error: outcome.error, exchange };
  };

  // One cache per scope (the action, by default the connection) and connection declaration.
  const cacheScope = req.cache == null ? null : `${up.stateKey}:${req.cache.scope ?? req.connection}`;
  const key =
    cacheScope == null
      ? ''
      : cacheKey(req.connection, req.method, target.origin + target.path, req.headers, body?.payload ?? '');
  const cache = req.cache?.shared === true ? ctx.state : ctx.local;
  const hit = cacheScope == null ? undefined : ((await cache.getCached(cacheScope, key)) as HttpResponse | undefined);
  const { observer } = ctx;
  const connection = up.policy.name;
  if (cacheScope != null) observer?.cache(connection, hit !== undefined);
  if (hit !== undefined) {
    exchange.fromCache = true;
    return done({ ok: true, response: hit });
  }

  let last: HttpError | null = null;
  for (let attempt = 1; ; attempt++) {
    // The deadline ended the wait: the last real error tells the flow more than "timeout".
    if (signal?.aborted || (deadlineAt != null && ctx.now() >= deadlineAt))
      return done({ ok: false, error: last ?? timeoutError('SW_UPSTREAM_DEADLINE', null) });
    const ticket = up.breaker === null ? NO_BREAKER : await up.breaker.acquire();
    if (up.breaker !== null && (!ticket.allowed || ticket.probe))
      observer?.breaker(connection, ticket.allowed ? 'half_open' : 'open');
    if (!ticket.allowed) return done({ ok: false, error: last ?? circuitOpenError(connection, ticket.retryInMs) });
    exchange.attempts = attempt;
    const msLeft = deadlineAt == null ? null : deadlineAt - ctx.now();
    const bound = attemptSignal(signal, up.policy.timeoutMs, msLeft);
    const watch = observer?.attempt(connection, req.method, target.origin, attempt, options.trace);
    // `headers` is this send's own: each attempt's trace headers replace the last one's (same names, one parent).
    if (watch?.headers) Object.assign(headers, watch.headers);
    let result: AttemptResult;
    try {
      // Credentials: the connection's static ones, or an OAuth2 token. Called
      // directly rather than through an async helper: each layer of async
      // functions costs every call a promise and a turn of the microtask queue.
      result = await (up.tokens == null
        ? exchangeOnce(up, req, target, headers, up.auth.headers, body, bound)
        : tokenAttempt(up, up.tokens, req, target, headers, body, bound));
    } catch (err) {
      // Not expected (attempts return failures as values), but a throw here
      // must neither escape send() nor leave a half-open probe unreported.
      result = { ok: false, error: networkError(errorCode(err)) };
    } finally {
      bound.dispose();
    }
    if (watch !== undefined) {
      // A failed token request never reached the API: its status is the token endpoint's, not an answer of the API.
      const status = result.ok
        ? result.response.status
        : result.error.code.startsWith('SW_TOKEN_')
          ? null
          : result.error.status;
      watch.end(status, result.ok ? null : result.error);
    }
    if (up.breaker !== null) {
      const state = await up.breaker.record(verdictOf(result.ok ? null : result.error), ticket.probe);
      observer?.breaker(connection, state);
    }
    if (result.ok) {
      if (cacheScope != null && req.cache != null && req.cache.ttlMs > 0)
        await cache.putCached(cacheScope, key, result.response, req.cache.ttlMs, req.cache.maxEntries);
      return done(result);
    }
    last = result.error;
    const retry = req.retry ?? up.policy.retry;
    if (!shouldRetry(attempt, req.method, last, { attempts: retry.attempts, allowUnsafeRetry: req.allowUnsafeRetry })) {
      return done(result);
    }
    const delay = retryDelay(
      attempt,
      last,
      retry,
      deadlineAt == null ? null : deadlineAt - ctx.now(),
      ctx.now(),
      ctx.random,
    );
    if (delay == null) return done(result);
    observer?.retry(connection);
    await ctx.sleep(delay, signal);
  }
}

function targetOf(up: Upstream, req: PreparedRequest): Target {
  return buildTarget(up.base, req.path, [...req.query, ...up.auth.query], up.auth.secretQueryNames);
}

/** The URL a request goes to, with secret query values masked (as the Exchange has it). */
export function maskedUrl(up: Upstream, req: PreparedRequest): string {
  const target = targetOf(up, req);
  return target.origin + target.maskedPath;
}

/**
 * Headers of a request, names lower-cased: ours, then the connection's, then
 * the request's (the most specific wins). Auth is added per attempt.
 */
function requestHeaders(
  policy: ConnectionPolicy,
  req: PreparedRequest,
  body: EncodedBody | null,
): Record<string, string> {
  const out: Record<string, string> = {
    'user-agent': USER_AGENT,
    accept:
      req.expect === 'json'
        ? 'application/json'
        : req.expect === 'text'
          ? 'text/plain, */*;q=0.8'
          : 'application/json, */*;q=0.8',
  };
  for (const [name, value] of Object.entries(policy.headers)) out[name.toLowerCase()] = value;
  for (const [name, value] of Object.entries(req.headers)) out[name.toLowerCase()] = value;
  if (body != null) out['content-type'] ??= body.contentType;
  // draft-ietf-httpapi-idempotency-key-header: lets the upstream drop a repeated booking.
  if (req.idempotencyKey != null) out['idempotency-key'] = req.idempotencyKey;
  return out;
}

/** An attempt with an OAuth2 token: a 401 drops the token, and the request is sent once more with a fresh one; a second 401 stands. */
async function tokenAttempt(
  up: Upstream,
  tokens: NonNullable<Upstream['tokens']>,
  req: PreparedRequest,
  target: Target,
  headers: Record<string, string>,
  body: EncodedBody | null,
  bound: AttemptSignal,
): Promise<AttemptResult> {
  for (let refreshed = false; ; refreshed = true) {
    let token;
    try {
      token = await tokens.token(bound.signal);
    } catch {
      return { ok: false, error: abortedError(bound) };
    }
    if (!token.ok) return token;
    const result = await exchangeOnce(
      up,
      req,
      target,
      headers,
      { authorization: `Bearer ${token.token}` },
      body,
      bound,
    );
    if (refreshed || result.ok || result.error.status !== 401) return result;
    await tokens.invalidate(token.token);
  }
}

/**
 * Sends a request and follows redirects as the connection allows. Auth
 * headers are dropped when a hop leaves the connection's origin.
 */
async function exchangeOnce(
  up: Upstream,
  req: PreparedRequest,
  target: Target,
  headers: Record<string, string>,
  authHeaders: Readonly<Record<string, string>>,
  body: EncodedBody | null,
  bound: AttemptSignal,
): Promise<AttemptResult> {
  let origin = target.origin;
  let path = target.path;
  let method = req.method;
  let payload = body?.payload;
  let sendHeaders: Record<string, string> = hasAny(authHeaders) ? { ...headers, ...authHeaders } : headers;
  const limit = up.policy.maxResponseBytes;
  try {
    for (let hops = 0; ; hops++) {
      const res = await up.pool
        .dispatcherFor(origin)
        .request({ origin, path, method, headers: sendHeaders, body: payload, signal: bound.signal });
      const resHeaders = flattenHeaders(res.headers);
      const hop = nextHop(
        up.policy.redirects,
        { status: res.statusCode, headers: resHeaders, body: null },
        hops,
        method,
        up.base.origin,
        origin + path,
      );
      if (hop != null) {
        // Always drain or drop a body we do not read, error bodies included, or undici's socket leaks out of the pool.
        await res.body.dump();
        if ('error' in hop) return { ok: false, error: hop.error };
        if (!hop.keepBody) {
          payload = undefined;
          const { 'content-type': _dropped, ...rest } = sendHeaders;
          sendHeaders = rest;
        }
        if (hop.crossOrigin) sendHeaders = withoutAuth(sendHeaders, authHeaders);
        ({ origin, path, method } = hop);
        continue;
      }
      const read = await readBody(res.body, resHeaders['content-length'], limit);
      if (!read.ok) return { ok: false, error: tooLargeError(res.statusCode, limit) };
      const decoded = decodeResponse(res.statusCode, resHeaders, read.bytes, method, req.expect);
      if (!decoded.ok) return decoded;
      const { status } = decoded.response;
      return status >= 200 && status <= 299 ? decoded : { ok: false, error: statusError(decoded.response) };
    }
  } catch (err) {
    if (bound.signal.aborted) return { ok: false, error: abortedError(bound) };
    const code = errorCode(err);
    return {
      ok: false,
      error: UNDICI_TIMEOUTS.has(code) ? timeoutError('SW_UPSTREAM_ATTEMPT_TIMEOUT', null, code) : networkError(code),
    };
  }
}

/** Whether an object has an own key, without listing them. */
function hasAny(record: Readonly<Record<string, string>>): boolean {
  for (const _ in record) return true;
  return false;
}

/** Headers without credentials, for a hop to another origin (as fetch does). */
function withoutAuth(
  headers: Record<string, string>,
  authHeaders: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'authorization' || name === 'cookie' || name === 'proxy-authorization' || name in authHeaders)
      continue;
    out[name] = value;
  }
  return out;
}
