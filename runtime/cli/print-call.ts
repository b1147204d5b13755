/**
 * How `slotwire run` shows one upstream call: the request as it goes on the
 * wire (full URL, the headers slotwire composes, the encoded body), then the
 * answer. A held call (--dry-run, a change without --yes) is shown the same
 * way, so the user sees exactly what --yes would send (issue 13, item 12).
 * Secrets and `sensitive:` slot values are `***` everywhere (item 11).
 */
import type { CallRecord } from '../engine/index.js';
import type { ConnectionPolicy, PreparedRequest, RequestBody } from '../http/index.js';
import { MASK } from '../http/index.js';
import { isCredentialHeader, maskText } from '../testing/index.js';
import type { Output } from './output.js';

/** Responses longer than this are cut in the output. */
const EXCERPT_CHARS = 600;

/**
 * Prints one exchange.
 * @param connection - the call's connection, for its headers and auth
 * @param hidden - secret and sensitive values to show as `***`
 */
export function printCall(call: CallRecord, connection: ConnectionPolicy | undefined, hidden: ReadonlySet<string>, io: Output): void {
  const { request, outcome } = call;
  const show = (text: string): void => io.out(maskText(text, hidden));
  // The origin is the connection's, never a slot's: shown as is, so a short hidden value cannot eat the host or port.
  const { origin } = new URL(outcome.exchange.url);
  io.out(`→ ${request.method} ${origin}${maskText(outcome.exchange.url.slice(origin.length), hidden)}`);
  for (const [name, value] of Object.entries(sentHeaders(request, connection))) show(`  ${name}: ${value}`);
  if (request.body) show(`  body: ${encoded(request.body)}`);
  const { exchange } = outcome;
  if (exchange.attempts === 0 && !exchange.fromCache) {
    show(`← not sent: ${outcome.ok ? '' : outcome.error.message}\n`);
    return;
  }
  const response = outcome.ok ? outcome.response : outcome.error.response;
  const status = response ? `${response.status}` : outcome.ok ? '' : `${outcome.error.kind}: ${outcome.error.message}`;
  show(`← ${status} in ${Math.round(exchange.timeMs)} ms (${exchange.attempts} attempt${exchange.attempts === 1 ? '' : 's'}${exchange.fromCache ? ', from cache' : ''})`);
  if (response?.headers['content-type']) show(`  content-type: ${response.headers['content-type']}`);
  if (response) show(`  ${excerpt(response.body)}`);
  io.out('');
}

/**
 * The headers of the request, lower-case, in the order the HTTP layer
 * composes them (http/request.ts: the connection's, the request's,
 * content-type, Idempotency-Key, then auth per attempt), credentials as
 * `***`. user-agent and accept, which slotwire always adds, are left out.
 */
function sentHeaders(request: PreparedRequest, connection: ConnectionPolicy | undefined): Record<string, string> {
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
  return body.kind === 'json' ? 'application/json' : body.kind === 'form' ? 'application/x-www-form-urlencoded' : 'text/plain; charset=utf-8';
}

/** The body as sent, whole: a held call shows what --yes would send. */
function encoded(body: RequestBody): string {
  if (body.kind === 'json') return JSON.stringify(body.value) ?? 'null';
  if (body.kind === 'form') return new URLSearchParams(body.fields.map(([k, v]): [string, string] => [k, v])).toString();
  return body.value;
}

function excerpt(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}… (${text.length} characters)` : text;
}
