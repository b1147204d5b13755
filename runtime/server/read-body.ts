/**
 * The one request-body reader. Rasa may send a deflated body
 * (docs/protocol.md#compression), which neither hono nor its node adapter
 * decodes, and hono's `bodyLimit()` cuts throughput to under a third (it
 * makes node-server build real Web Request objects), so the size cap and
 * inflation live here. Reads node's `IncomingMessage` when the node adapter
 * gives it (≈35 % faster on large bodies), else the web `Request` body
 * (e.g. `app.request()` in tests).
 */
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { constants, gunzip, inflate, inflateRaw } from 'node:zlib';
import type { InputType, ZlibOptions } from 'node:zlib';
import type { WebhookFailure } from '../call-rules/index.js';

type Inflate = (buf: InputType, options: ZlibOptions) => Promise<Buffer>;
const inflateAsync: Inflate = promisify(inflate);
const inflateRawAsync: Inflate = promisify(inflateRaw);
const gunzipAsync: Inflate = promisify(gunzip);

/** Where the body comes from. */
export interface BodySource {
  /** node's request, when served by @hono/node-server */
  readonly incoming?: IncomingMessage | undefined;
  /** the web request (used when `incoming` is absent) */
  readonly request: Request;
}

/** The body's bytes, inflated, and as they came (`wire`, still compressed: what a fallback is sent), or why there are none. */
export type BodyResult =
  | { readonly ok: true; readonly bytes: Buffer; readonly wire: Buffer }
  | { readonly ok: false; readonly failure: WebhookFailure };

/** A request header, from node's headers when present (no web `Headers` built on the hot path). */
function requestHeader(source: BodySource, name: string): string | undefined {
  if (source.incoming !== undefined) {
    const value = source.incoming.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }
  return source.request.headers.get(name) ?? undefined;
}

const TOO_LARGE = Symbol('too large');
// The client hung up, or listen.ts's request timeout cut it off, mid-body:
// the caller's side failed, so it is a 400 in the log, not a 500.
const INCOMPLETE = Symbol('incomplete');

type Raw = Buffer | typeof TOO_LARGE | typeof INCOMPLETE;

function readIncoming(incoming: IncomingMessage, limit: number): Promise<Raw> {
  if (incoming.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    // The listeners stay until the request is gone rather than being removed
    // one by one on every call: a late 'error' or 'close' only settles a
    // promise already settled, and an 'error' keeps a listener to land on.
    incoming.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        // Stop buffering but do not destroy the socket: the client must still
        // read the 413; the node adapter drains the rest after the response.
        over = true;
        chunks.length = 0;
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    });
    incoming.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    // An 'error' here is the socket's (reset, timeout); a client that hangs
    // up mid-body only sends 'close', never 'end'.
    const incomplete = (): void => resolve(INCOMPLETE);
    incoming.on('error', incomplete);
    incoming.on('close', incomplete);
  });
}

async function readWeb(request: Request, limit: number): Promise<Raw> {
  if (request.body === null) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const chunk = await reader.read().catch((): typeof INCOMPLETE => INCOMPLETE);
    if (chunk === INCOMPLETE) return INCOMPLETE;
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

function isTooLarge(err: unknown): boolean {
  return err instanceof RangeError || (err as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}

async function decode(raw: Buffer, encoding: string, limit: number): Promise<Buffer | WebhookFailure> {
  // `maxOutputLength` bounds the inflated size: a 51 KB deflate bomb of
  // 50 MiB zeros is refused instead of allocated.
  const options: ZlibOptions = { maxOutputLength: limit };
  try {
    if (encoding === 'deflate') {
      // Rasa (aiohttp) sends zlib-wrapped deflate (RFC 1950); some clients
      // send raw deflate (RFC 1951), so fall back on a header error.
      try {
        return await inflateAsync(raw, options);
      } catch (err) {
        if ((err as { errno?: unknown }).errno !== constants.Z_DATA_ERROR) throw err;
        return await inflateRawAsync(raw, options);
      }
    }
    return await gunzipAsync(raw, options);
  } catch (err) {
    if (isTooLarge(err)) return { kind: 'too_large', limit };
    return { kind: 'malformed_json' };
  }
}

/**
 * Read the body's bytes: at most `limit` bytes on the wire and after
 * inflation (413), `identity`/`deflate`/`gzip`/`x-gzip` in any case
 * (docs/protocol.md#compression; others 415), chunked or with a length.
 */
export async function readBody(source: BodySource, limit: number): Promise<BodyResult> {
  const length = Number(requestHeader(source, 'content-length'));
  if (length > limit) return { ok: false, failure: { kind: 'too_large', limit } };
  const encoding = (requestHeader(source, 'content-encoding') ?? '').trim().toLowerCase();
  const known =
    encoding === '' ||
    encoding === 'identity' ||
    encoding === 'deflate' ||
    encoding === 'gzip' ||
    encoding === 'x-gzip';
  if (!known) return { ok: false, failure: { kind: 'unsupported_encoding', encoding } };
  const raw =
    source.incoming !== undefined ? await readIncoming(source.incoming, limit) : await readWeb(source.request, limit);
  if (raw === TOO_LARGE) return { ok: false, failure: { kind: 'too_large', limit } };
  if (raw === INCOMPLETE) return { ok: false, failure: { kind: 'incomplete_body' } };
  if (encoding === '' || encoding === 'identity' || raw.length === 0) return { ok: true, bytes: raw, wire: raw };
  const decoded = await decode(raw, encoding, limit);
  if (!Buffer.isBuffer(decoded)) return { ok: false, failure: decoded };
  return { ok: true, bytes: decoded, wire: raw };
}
