/**
 * Reading and decoding a response body within limits. The body is streamed
 * and counted; past `maxBytes` the stream is destroyed (which closes the
 * socket) and the call fails as `too_large`. Nothing beyond the limit is ever
 * held, so memory stays flat whatever the upstream sends. A declared
 * content-length over the limit fails before a single byte is read.
 *
 * Decoding follows the content type (RFC 9110 §8.3) unless the action says
 * what it expects: a 2xx that is not what was expected is a `parse` error,
 * never a success with empty data (docs/http.md#reading-the-response).
 */
import { TextDecoder } from 'node:util';
import type { Dispatcher } from 'undici';
import { parseError } from './errors.js';
import type { HttpError, HttpResponse, PreparedRequest } from './types.js';

/** The body stream undici hands back. */
export type ResponseBody = Dispatcher.ResponseData['body'];

/** Bytes read, or the limit hit. */
export type ReadResult = { ok: true; bytes: Buffer } | { ok: false; tooLarge: true };

/**
 * Reads a whole body, stopping at `maxBytes`.
 * @param body - undici's response body; consumed or destroyed on return
 * @param contentLength - the content-length header, if any
 * @param maxBytes - the connection's maxResponseBytes
 */
export function readBody(body: ResponseBody, contentLength: string | undefined, maxBytes: number): Promise<ReadResult> {
  const declared = contentLength == null ? null : Number(contentLength);
  if (declared != null && declared > maxBytes) {
    body.destroy();
    return Promise.resolve({ ok: false, tooLarge: true });
  }
  // A body with its length declared (within the limit) cannot outgrow it:
  // undici fails a response whose body does not match it. undici's own
  // consumer then collects it without the stream machinery.
  if (declared != null && Number.isSafeInteger(declared) && declared >= 0) {
    return body
      .bytes()
      .then((bytes) => ({ ok: true, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }));
  }
  // Events rather than `for await`: an async iterator costs a promise per chunk.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    body.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      body.destroy();
      resolve({ ok: false, tooLarge: true });
    });
    body.once('end', () =>
      resolve({ ok: true, bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total) }),
    );
    body.once('error', reject);
  });
}

/** Flattens undici's headers into lower-case name → value; repeated fields are joined with ", " (RFC 9110 §5.3). */
export function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value != null) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

// application/json, text/json and any structured-syntax "+json" type (RFC 6839), e.g. application/problem+json.
const JSON_TYPE = /^(?:application|text)\/(?:[\w.-]+\+)?json$/;

interface MediaType {
  readonly type: string | null;
  readonly charset: string;
}

// An upstream sends the same few content types on every answer: each is parsed once.
const mediaTypes = new Map<string, MediaType>();
const MEDIA_TYPES_KEPT = 64;

function mediaType(contentType: string | undefined): MediaType {
  if (contentType == null || contentType.trim() === '') return { type: null, charset: 'utf-8' };
  let parsed = mediaTypes.get(contentType);
  if (parsed === undefined) {
    const [type = '', ...params] = contentType.split(';');
    const charset = params.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('charset='));
    parsed = { type: type.trim().toLowerCase(), charset: charset?.slice(8).replace(/"/g, '') ?? 'utf-8' };
    // Bounded: an upstream that varies the header (a boundary, a timestamp) must not grow it.
    if (mediaTypes.size >= MEDIA_TYPES_KEPT) mediaTypes.clear();
    mediaTypes.set(contentType, parsed);
  }
  return parsed;
}

function decodeText(bytes: Buffer, charset: string): string {
  if (charset === 'utf-8' || /^utf-?8$/i.test(charset)) {
    // The common case without a TextDecoder per response; drop a BOM, which JSON.parse would reject.
    const text = bytes.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder('utf-8'); // an unknown label: UTF-8 is the web's default
  }
  return decoder.decode(bytes); // the decoder drops a leading BOM, which JSON.parse would reject
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * Turns status, headers and bytes into an HttpResponse, or a `parse` error
 * for a 2xx that is not what was expected. A non-2xx is decoded leniently
 * (JSON when it parses, text otherwise) because it is reported as `status`
 * with the body attached, whatever its shape.
 * @param expect - 'auto': by content type; 'json': must be JSON; 'text': a string
 */
export function decodeResponse(
  status: number,
  headers: Record<string, string>,
  bytes: Buffer,
  method: PreparedRequest['method'],
  expect: PreparedRequest['expect'],
): { ok: true; response: HttpResponse } | { ok: false; error: HttpError } {
  const { type, charset } = mediaType(headers['content-type']);
  const isJsonType = type != null && JSON_TYPE.test(type);
  const success = status >= 200 && status <= 299;
  // HEAD, 204 and 304 have no content by definition (RFC 9110 §6.4.1).
  if (method === 'HEAD' || status === 204 || status === 304)
    return { ok: true, response: { status, headers, body: null } };
  const text = decodeText(bytes, charset);
  const wantsJson = expect === 'json' || (expect === 'auto' && isJsonType);
  if (success && expect === 'text') return { ok: true, response: { status, headers, body: text } };
  // An HTML page on a 2xx (a login wall, a proxy's error page) is
  // never data for an API action; only `expect: text` accepts it.
  if (success && type === 'text/html')
    return {
      ok: false,
      error: parseError({ status, headers, body: text }, 'text/html body where an API answer was expected'),
    };
  if (bytes.length === 0 && !(success && wantsJson)) return { ok: true, response: { status, headers, body: null } };
  if (success && wantsJson) {
    const parsed = tryJson(text);
    if (parsed.ok) return { ok: true, response: { status, headers, body: parsed.value } };
    const what = bytes.length === 0 ? 'empty body' : type == null ? 'body' : `${type} body`;
    return { ok: false, error: parseError({ status, headers, body: text }, `${what} is not valid JSON`) };
  }
  // No content type at all: JSON when it parses (sloppy APIs), text otherwise.
  if (isJsonType || type == null) {
    const parsed = tryJson(text);
    return { ok: true, response: { status, headers, body: parsed.ok ? parsed.value : text } };
  }
  return { ok: true, response: { status, headers, body: text } };
}
