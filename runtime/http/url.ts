/**
 * Building the URL a request goes to. The origin always comes from the
 * connection's `baseUrl`, parsed once; the request only contributes a path
 * (appended to the base path) and a query. Nothing a slot value contains can
 * reach the origin, because it is never part of the string undici parses as
 * a URL: undici gets `origin` and `path` separately.
 */
import { MASK } from './defaults.js';

/** A connection's base URL, split once at client creation. */
export interface BaseUrl {
  /** `scheme://host[:port]`, without user info. */
  readonly origin: string;
  /** The base path without a trailing '/', '' for none ("https://api.x/v2" → "/v2"). */
  readonly basePath: string;
}

/** Where one request goes: an origin for the pool, a request-target for the wire. */
export interface Target {
  readonly origin: string;
  /** Path and query as sent on the request line. */
  readonly path: string;
  /** The same with secret query values replaced, for logs. */
  readonly maskedPath: string;
}

/**
 * Splits a connection's base URL. Throws on anything but an absolute
 * http(s) URL, and on user info, a query or a fragment, which the split
 * would drop (compile/connection.ts reports each with its position): that is
 * a configuration bug caught at load, not an upstream failure. The message
 * never quotes the URL, which may hold a secret.
 * @param baseUrl - e.g. "https://api.example.com/v2/"
 */
export function parseBaseUrl(baseUrl: string): BaseUrl {
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`base URL must be http or https, got ${url.protocol}`);
  }
  // `href` keeps a bare "?" or "#" that `search` and `hash` report as ''.
  if (url.username !== '' || url.password !== '' || url.href.includes('?') || url.href.includes('#')) {
    throw new TypeError('base URL must not have user info, a query or a fragment');
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}

// encodeURIComponent throws URIError on a lone surrogate; a slot value must
// never make the call throw, so such code units become U+FFFD first.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Percent-encodes a value as exactly one path segment. '/', '?', '#', '%',
 * '@', ':' and '\' are encoded, so the value can neither add segments nor end
 * the path nor look like user info. The segments '.' and '..' become '%2E'
 * and '%2E%2E' (RFC 3986 §3.3): sent verbatim, they reach the server as one
 * segment instead of being resolved against the path by the client. A server
 * that normalises URLs may still read those as '.' and '..', so callers that
 * build paths from user values refuse such segments before encoding
 * (execute/render-request.ts); this mapping is the last line.
 * @param value - the interpolated value, e.g. a slot
 * @example encodePathSegment('../admin?x=1') // '..%2Fadmin%3Fx%3D1'
 */
export function encodePathSegment(value: string): string {
  const encoded = encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD'));
  if (encoded === '.') return '%2E';
  if (encoded === '..') return '%2E%2E';
  return encoded;
}

/** Encodes one query key or value (RFC 3986: space as %20, never '+'). */
function encodeQueryPart(value: string): string {
  return encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD'));
}

/**
 * Joins base path, request path and query into a request target.
 * @param base - from parseBaseUrl
 * @param path - rendered and encoded by the caller, starts with '/'
 * @param query - pairs in order; a repeated key is an array
 * @param secretNames - query keys whose values are masked in `maskedPath`
 */
export function buildTarget(
  base: BaseUrl,
  path: string,
  query: ReadonlyArray<readonly [string, string]>,
  secretNames: ReadonlySet<string> = new Set(),
): Target {
  // A fragment is never sent (RFC 9110 §7.1); a literal '?' in the template starts the query.
  const hash = path.indexOf('#');
  const bare = hash === -1 ? path : path.slice(0, hash);
  let full = base.basePath + (bare.startsWith('/') ? bare : `/${bare}`);
  let masked = full;
  let sep = full.includes('?') ? '&' : '?';
  for (const [key, value] of query) {
    const k = encodeQueryPart(key);
    full += `${sep}${k}=${encodeQueryPart(value)}`;
    masked += `${sep}${k}=${secretNames.has(key) ? MASK : encodeQueryPart(value)}`;
    sep = '&';
  }
  return { origin: base.origin, path: full, maskedPath: masked };
}

/**
 * Resolves a redirect's Location against the URL that answered it.
 * Returns null when it is not an http(s) URL.
 */
export function resolveLocation(current: string, location: string): { origin: string; path: string } | null {
  let url: URL;
  try {
    url = new URL(location, current);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return { origin: url.origin, path: url.pathname + url.search };
}
