/**
 * A request as it goes on the wire, for people to read (`slotwire run`, the
 * authoring page): the headers slotwire composes, credentials as `***`, and
 * the body as encoded.
 */
import { isCredentialHeader, MASK } from '../engine/index.js';
import type { ConnectionPolicy, PreparedRequest, RequestBody } from '../engine/index.js';

/**
 * The headers of the request, lower-case, in the order the HTTP layer
 * composes them (http/request.ts: the connection's, the request's,
 * content-type, Idempotency-Key, then auth per attempt), credentials as
 * `***`. user-agent and accept, which slotwire always adds, are left out.
 */
export function sentHeaders(
  request: PreparedRequest,
  connection: ConnectionPolicy | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: string, value: string): void => {
    out[name.toLowerCase()] = isCredentialHeader(name) ? MASK : value;
  };
  for (const [name, value] of Object.entries(connection?.headers ?? {})) add(name, value);
  for (const [name, value] of Object.entries(request.headers)) add(name, value);
  if (request.body) out['content-type'] ??= contentType(request.body);
  if (request.idempotencyKey !== null) out['idempotency-key'] = request.idempotencyKey;
  const auth = connection?.auth;
  if (auth?.type === 'bearer' || auth?.type === 'oauth2_client_credentials') out['authorization'] = `Bearer ${MASK}`;
  if (auth?.type === 'basic') out['authorization'] = `Basic ${MASK}`;
  if (auth?.type === 'api_key' && auth.in === 'header') out[auth.name.toLowerCase()] = MASK;
  return out;
}

/** The content-type http/request-body.ts gives each body kind. */
function contentType(body: RequestBody): string {
  return body.kind === 'json'
    ? 'application/json'
    : body.kind === 'form'
      ? 'application/x-www-form-urlencoded'
      : 'text/plain; charset=utf-8';
}

/** The body as sent, whole: a held call shows what --yes would send. */
export function encodedBody(body: RequestBody): string {
  if (body.kind === 'json') return JSON.stringify(body.value) ?? 'null';
  if (body.kind === 'form')
    return new URLSearchParams(body.fields.map(([k, v]): [string, string] => [k, v])).toString();
  return body.value;
}
