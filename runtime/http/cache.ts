/**
 * The per-action response cache (`cache: { ttl: 60s }`): entries with a TTL
 * in the state store, which bounds each scope as an LRU. It is not RFC 9111
 * caching (undici's `cache()` interceptor follows Cache-Control): the
 * action decides the lifetime, whatever the upstream says. Only
 * successes are stored (request.ts), so a failure is always retried on the
 * next turn.
 */

/**
 * The key of a request as it goes on the wire: connection, method, final
 * URL (query included), the request's own headers and the encoded body. The
 * connection's auth is left out: it is the same for every call of the connection.
 * @param headers - the request's headers, any case
 * @param body - the encoded body, '' when none
 */
export function cacheKey(
  connection: string,
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
): string {
  const varying = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([connection, method, url, varying, body]);
}
