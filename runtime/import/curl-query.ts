/**
 * The query of a cURL request as the action writes it: `query:` fields
 * (slotwire encodes each with encodeURIComponent, so the pairs are the
 * same once decoded), or the query text kept in the path when fields
 * cannot hold it; and a key parameter taken out for the connection.
 */
import { decodePairs, decodePart, literalText } from './curl-body.js';
import { CurlImportError } from './curl-errors.js';
import { isKeyParameter } from './curl-secrets.js';
import type { SecretRefs } from './curl-secrets.js';
import type { DraftAuth } from './draft.js';

/** Path and query of the action, and the connection's auth when a query parameter held the key. */
export interface RequestQuery {
  /** Escaped for actions.yml; with `?…` when the query stays in it. */
  readonly path: string;
  readonly fields: Record<string, string>;
  readonly auth: DraftAuth | null;
}

/**
 * The query as `query:` fields, or kept in the path when fields cannot say
 * it (a name without `=`, a repeated name); a key parameter becomes the
 * connection's api_key auth in the query (slotwire adds it after the
 * request's own parameters). Throws for a key when the connection already
 * has an auth: a connection sends one.
 * @param raw - the query as curl sends it, without `?`
 * @param path - the URL path as curl sends it
 * @param auth - the auth from headers and -u, if any
 * @param vars - shell variables of the URL word (a key given as `$API_KEY` keeps that name)
 */
export function splitQuery(
  raw: string,
  path: string,
  auth: DraftAuth | null,
  vars: readonly string[],
  secrets: SecretRefs,
  prefix: string,
): RequestQuery {
  const escapedPath = path.replaceAll('${', () => '$${');
  if (raw === '') return { path: escapedPath, fields: {}, auth: null };
  let keyAuth: DraftAuth | null = null;
  const kept: string[] = [];
  for (const piece of raw.split('&')) {
    const eq = piece.indexOf('=');
    const name = decodePart(eq === -1 ? piece : piece.slice(0, eq));
    if (name !== null && eq !== -1 && isKeyParameter(name)) {
      if (auth !== null || keyAuth !== null) {
        throw new CurlImportError(
          'SW_CURL_CREDENTIALS',
          `the query parameter ${name} holds a second credential; a connection sends one auth (and credential headers), so remove one from the command`,
        );
      }
      const value = decodePart(piece.slice(eq + 1)) ?? piece.slice(eq + 1);
      keyAuth = {
        type: 'api_key',
        in: 'query',
        name,
        value: secrets.ref(value, vars, `${prefix}_API_KEY`, `API key sent as the ${name} query parameter`),
      };
      continue;
    }
    kept.push(piece);
  }
  const rest = kept.join('&');
  if (rest === '') return { path: escapedPath, fields: {}, auth: keyAuth };
  const fields = decodePairs(rest);
  if (typeof fields === 'string') {
    if (rest.includes('{{'))
      throw new CurlImportError('SW_CURL_URL', 'the URL query has {{, which actions.yml reads as an expression');
    return { path: `${escapedPath}?${rest.replaceAll('${', () => '$${')}`, fields: {}, auth: keyAuth };
  }
  const literal: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) literal[k] = literalText(v);
  return { path: escapedPath, fields: literal, auth: keyAuth };
}
