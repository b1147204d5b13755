/**
 * Sending a call on to the existing action server (docs/migrating.md): the
 * body as received, with the caller's query (Rasa's `?token=`) and
 * end-to-end headers (authorization, traceparent, Rasa's
 * `action_endpoint.headers`), over keep-alive connections of one undici
 * Pool. The whole exchange, connecting and the answer's body included, is
 * bounded by one timeout, and the answer by a size: a fallback that is down,
 * slow or endless becomes a failure naming the action, never a hang.
 */
import type { Dispatcher } from 'undici';
import { Pool } from '../engine/index.js';

/** Default time the fallback has for one call, connecting to the last byte: 10 s. */
export const DEFAULT_FALLBACK_TIMEOUT_MS: number = 10_000;
/** Largest answer taken from the fallback: 32 MiB, the webhook's own body limit. */
export const DEFAULT_FALLBACK_MAX_RESPONSE_BYTES: number = 32 * 1024 * 1024;

/** Headers of one hop only (RFC 9110, 7.6.1), and those the pool sets itself. */
const NOT_FORWARDED: ReadonlySet<string> = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'expect',
]);

/** One call to send on. */
export interface ForwardRequest {
  /** the webhook body as it arrived: still compressed when it came so */
  readonly body: Buffer;
  /** the caller's query string, `?…` or '' (Rasa's `?token=`) */
  readonly search: string;
  /** the caller's headers, lower-case names; hop-by-hop ones are dropped here */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** headers that replace the caller's: the trace context of slotwire's own span */
  readonly trace?: Readonly<Record<string, string>>;
}

/** The fallback's answer, or why there is none. */
export type Forwarded =
  | {
      readonly ok: true;
      readonly status: number;
      /** its Content-Type, as sent; null when it sent none */
      readonly contentType: string | null;
      readonly body: Buffer;
    }
  | { readonly ok: false; readonly failure: ForwardFailure };

/** How a forwarded call failed: `reason` is for the log line and the answer. */
export interface ForwardFailure {
  readonly kind: 'timeout' | 'unreachable' | 'too_large';
  readonly reason: string;
}

/** Options of {@link createForwarder}. */
export interface ForwarderOptions {
  /** the existing server's webhook, e.g. `http://actions:5055/webhook` */
  readonly url: URL;
  /** Default: {@link DEFAULT_FALLBACK_TIMEOUT_MS} */
  readonly timeoutMs?: number;
  /** Default: {@link DEFAULT_FALLBACK_MAX_RESPONSE_BYTES} */
  readonly maxResponseBytes?: number;
}

/** The fallback's connections. */
export interface Forwarder {
  /** POST a call to the webhook. Never throws. */
  forward(request: ForwardRequest): Promise<Forwarded>;
  /** GET a path beside the webhook (`actions` for `/actions`). Never throws. */
  get(relativePath: string): Promise<Forwarded>;
  /** Lets calls in flight finish, then closes the sockets. */
  close(): Promise<void>;
}

/** Connections to one fallback; `url` was checked by the caller (http: or https:). */
export function createForwarder(options: ForwarderOptions): Forwarder {
  const {
    url,
    timeoutMs = DEFAULT_FALLBACK_TIMEOUT_MS,
    maxResponseBytes = DEFAULT_FALLBACK_MAX_RESPONSE_BYTES,
  } = options;
  const pool = new Pool(url.origin, {
    connections: 128,
    // Below rasa-sdk's 120 s keep-alive, so the fallback never closes a socket we are about to reuse.
    keepAliveTimeout: 60_000,
    connect: { timeout: timeoutMs },
    // Backstops: the AbortSignal below bounds the whole exchange.
    headersTimeout: timeoutMs + 1_000,
    bodyTimeout: timeoutMs + 1_000,
  });

  async function send(options: Dispatcher.RequestOptions): Promise<Forwarded> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const res = await pool.request({ ...options, signal });
      const body = await readBounded(res.body, maxResponseBytes);
      if (body === null)
        return { ok: false, failure: { kind: 'too_large', reason: `answer larger than ${maxResponseBytes} bytes` } };
      const type = res.headers['content-type'];
      return { ok: true, status: res.statusCode, contentType: typeof type === 'string' ? type : null, body };
    } catch (err) {
      if (signal.aborted)
        return { ok: false, failure: { kind: 'timeout', reason: `no answer within ${timeoutMs} ms` } };
      return { ok: false, failure: { kind: 'unreachable', reason: causeOf(err) } };
    }
  }

  return {
    forward(request) {
      return send({
        method: 'POST',
        path: joinQuery(url.pathname + url.search, request.search),
        headers: { ...endToEnd(request.headers), ...request.trace },
        body: request.body,
      });
    },
    get(relativePath) {
      const target = new URL(relativePath, url);
      return send({ method: 'GET', path: target.pathname + target.search, headers: { accept: 'application/json' } });
    },
    close: () => pool.close(),
  };
}

/** The fallback URL's own query, then the caller's. */
function joinQuery(path: string, search: string): string {
  if (search === '' || search === '?') return path;
  return path.includes('?') ? `${path}&${search.slice(1)}` : `${path}${search}`;
}

function endToEnd(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    out[name] = typeof value === 'string' ? value : [...value];
  }
  return out;
}

/** The body, or null once it passes `limit` (the rest is not read: the socket is dropped). */
async function readBounded(body: Dispatcher.ResponseData['body'], limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

/** A system code (ECONNREFUSED) or undici's, never a URL or a header. */
function causeOf(err: unknown): string {
  const { code, cause } = (err ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  if (typeof cause?.code === 'string') return cause.code;
  return typeof code === 'string' ? code : 'connection failed';
}
