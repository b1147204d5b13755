/**
 * The data that crosses the http/ boundary. http/ knows nothing about YAML,
 * JSONata or Rasa: everything here is already resolved, durations are in
 * milliseconds and sizes in bytes.
 */

import type { Context } from '@opentelemetry/api';
import type { RuntimeErrorCode } from '../errors/index.js';

/** How a connection authenticates. Secrets arrive resolved from `${VAR}`. */
export type AuthPolicy =
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'api_key'; in: 'header' | 'query'; name: string; value: string }
  | {
      type: 'oauth2_client_credentials';
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
      audience?: string;
      /**
       * Where the client credentials go in the token request: HTTP Basic
       * (`client_secret_basic`, RFC 6749 §2.3.1, which every server must
       * support) or form fields (`client_secret_post`). Default: 'basic'.
       */
      clientAuth?: 'basic' | 'body';
    };

/** One named upstream: where it is, how to reach it, and how hard to try. */
export interface ConnectionPolicy {
  readonly name: string;
  /** Absolute http(s) URL, may carry a base path ("https://api.x/v2"). */
  readonly baseUrl: string;
  /** Sent with every request of this connection; the request's own headers win. */
  readonly headers: Readonly<Record<string, string>>;
  readonly auth: AuthPolicy | null;
  /** Per attempt: connect + headers + body. */
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  /** `attempts` = total tries, 1 = no retry; backoff is exponential with full jitter, capped. */
  readonly retry: { readonly attempts: number; readonly backoffMs: number; readonly maxBackoffMs: number };
  readonly maxResponseBytes: number;
  /** Sockets kept open to the base origin at most. */
  readonly maxConnections: number;
  /** PEM contents, not file names. */
  readonly tls: {
    readonly ca?: string;
    readonly cert?: string;
    readonly key?: string;
    readonly rejectUnauthorized?: boolean;
  } | null;
  readonly redirects: 'none' | 'same_origin' | 'any';
  /** Open after `failures` consecutive failed attempts; probe again after `cooldownMs`. */
  readonly breaker: { readonly failures: number; readonly cooldownMs: number } | null;
}

/** Request methods an action may use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/** A request body, encoded by http/ with the matching content-type. */
export type RequestBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; fields: ReadonlyArray<readonly [string, string]> }
  | { kind: 'text'; value: string };

/** The response cache an action asked for. */
export interface CachePolicy {
  ttlMs: number;
  maxEntries: number;
  /**
   * Which cache the entries live in; each scope is bounded by its own
   * `maxEntries`. Pass the action name so actions do not evict each other.
   * Default: the connection name.
   */
  scope?: string;
  /**
   * Keep the entries in the shared state store (Redis with several
   * replicas), so every replica answers from them; else in this process's
   * memory. Opt-in: responses can be large. Default: false
   */
  shared?: boolean;
}

/** One call, fully rendered by the caller. */
export interface PreparedRequest {
  readonly connection: string;
  readonly method: HttpMethod;
  /** Already rendered and percent-encoded, starts with '/', appended to baseUrl's path. */
  readonly path: string;
  /** Arrays already expanded to repeated keys. */
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: RequestBody | null;
  /** 'auto': by content-type; 'json': must parse as JSON; 'text': kept as a string. */
  readonly expect: 'auto' | 'json' | 'text';
  /** POST/PUT/PATCH/DELETE are retried only when true (docs/http.md#retries). */
  readonly allowUnsafeRetry: boolean;
  /** Overrides the connection's retry policy for this request. Default: the connection's */
  readonly retry?: ConnectionPolicy['retry'] | null;
  /** Sent as Idempotency-Key when set. */
  readonly idempotencyKey: string | null;
  /** Cache successful responses keyed by the final request. */
  readonly cache: CachePolicy | null;
}

/** What the upstream answered. Header names are lower-case. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, a string, or null when empty. */
  body: unknown;
}

/** The failure families a flow branches on (`error.kind`, docs/http.md#errors). */
export type ErrorKind = 'timeout' | 'network' | 'status' | 'parse' | 'too_large' | 'circuit_open';

/** For `status`: 400/422, 401/403, 404, 429, 5xx, anything else. */
export type ErrorReason = 'bad_request' | 'rejected' | 'not_found' | 'rate_limited' | 'unavailable' | 'other';

/** An upstream failure as a value. */
export interface HttpError {
  kind: ErrorKind;
  reason: ErrorReason | null;
  status: number | null;
  /** Never contains secrets. */
  message: string;
  /** Attached for `status` and `parse`. */
  response: HttpResponse | null;
  /** The stable code (docs/errors.md); what tools and flows match on. */
  code: RuntimeErrorCode;
  /** Low-level cause for logs (`ECONNREFUSED`, `UND_ERR_SOCKET`, `UND_ERR_HEADERS_TIMEOUT`…); absent when there is none. */
  cause?: string;
}

/** What was sent, for logs and `run` output. */
export interface Exchange {
  method: string;
  /** Secrets in the query are masked. */
  url: string;
  status: number | null;
  timeMs: number;
  /** Requests sent in the retry loop (0 when answered from cache or refused by the breaker). */
  attempts: number;
  fromCache: boolean;
}

/** The result of `send()`: never thrown, always returned. */
export type HttpOutcome =
  { ok: true; response: HttpResponse; exchange: Exchange } | { ok: false; error: HttpError; exchange: Exchange };

/** Per-call options that do not belong to the request itself. */
export interface SendOptions {
  /**
   * Milliseconds left until the action's deadline when `send` is called.
   * Every attempt is then bounded by the time left, and a retry whose
   * backoff would pass the deadline is not attempted (the last error comes
   * back at once). With it the signal may be null: the time bounds alone
   * keep the deadline, with one timer per attempt. Default: unknown, only
   * the signal bounds the call.
   */
  deadlineMs?: number;
  /** The run's trace context: the parent of this call's attempt spans. Default: none */
  trace?: Context;
  /** The action's step this call is for (`response` for `request:`), for run watchers. Default: none */
  step?: string;
}

/** Where a connection's circuit breaker stands. */
export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * What the client reports as it works, for metrics and traces
 * (runtime/telemetry implements it). Connection names come from the file,
 * so every label an observer makes of them is bounded.
 */
export interface HttpObserver {
  /**
   * An attempt starts (1-based `attempt`; after a 401 with OAuth2 the resend
   * is part of the same attempt). What it returns ends it.
   * @param origin - where it goes, `https://api.example.com:8443`; no path (paths carry slot values)
   */
  attempt(
    connection: string,
    method: HttpMethod,
    origin: string,
    attempt: number,
    trace: Context | undefined,
  ): AttemptWatch;
  /** A failed attempt will be followed by another. */
  retry(connection: string): void;
  /** An action with `cache:` looked for a stored answer. */
  cache(connection: string, hit: boolean): void;
  /** What the breaker was seen to be at an attempt. */
  breaker(connection: string, state: BreakerState): void;
  /** An OAuth2 token request ended. */
  tokenFetch(connection: string, ok: boolean): void;
}

/** One attempt being watched. */
export interface AttemptWatch {
  /** Headers that carry the trace context upstream (`traceparent`); null when there is none. */
  readonly headers: Readonly<Record<string, string>> | null;
  /** The attempt ended: the status that came back (null when none), and the failure if it failed. */
  end(status: number | null, error: HttpError | null): void;
}

/** Sends prepared requests over long-lived pools. */
export interface HttpClient {
  /**
   * Never throws for an upstream failure. `signal` is the action's deadline,
   * or null when `options.deadlineMs` carries it as time.
   */
  send(req: PreparedRequest, signal: AbortSignal | null, options?: SendOptions): Promise<HttpOutcome>;
  /** The URL `req` goes to, secrets in the query masked (for what tools print). */
  urlOf(req: PreparedRequest): string;
  /** Closes every pool; in-flight requests finish first. */
  close(): Promise<void>;
}
