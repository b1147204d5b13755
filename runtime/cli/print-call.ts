/**
 * How `slotwire run` shows one upstream call: the request as it goes on the
 * wire (full URL, the headers slotwire composes, the encoded body), then the
 * answer. A held call (--dry-run, a change without --yes) is shown the same
 * way, so the user sees exactly what --yes would send. Secrets and
 * `sensitive:` slot values are `***` everywhere.
 */
import type { CallRecord, ConnectionPolicy } from '../engine/index.js';
import { maskText } from '../engine/index.js';
import { encodedBody, sentHeaders } from '../testing/index.js';
import type { Output } from './output.js';

/** Responses longer than this are cut in the output. */
const EXCERPT_CHARS = 600;

/**
 * Prints one exchange.
 * @param connection - the call's connection, for its headers and auth
 * @param hidden - secret and sensitive values to show as `***`
 */
export function printCall(
  call: CallRecord,
  connection: ConnectionPolicy | undefined,
  hidden: ReadonlySet<string>,
  io: Output,
): void {
  const { request, outcome } = call;
  const show = (text: string): void => io.out(maskText(text, hidden));
  // The origin is the connection's, never a slot's: shown as is, so a short hidden value cannot eat the host or port.
  const { origin } = new URL(outcome.exchange.url);
  io.out(`→ ${request.method} ${origin}${maskText(outcome.exchange.url.slice(origin.length), hidden)}`);
  for (const [name, value] of Object.entries(sentHeaders(request, connection))) show(`  ${name}: ${value}`);
  if (request.body) show(`  body: ${encodedBody(request.body)}`);
  const { exchange } = outcome;
  if (exchange.attempts === 0 && !exchange.fromCache) {
    // A held call's reason is said once, under the run (run.ts); another call not sent says why here.
    const held = !outcome.ok && outcome.error.code === 'SW_ACTION_NOT_SENT';
    show(held ? '← held back\n' : `← not sent: ${outcome.ok ? '' : outcome.error.message}\n`);
    return;
  }
  const response = outcome.ok ? outcome.response : outcome.error.response;
  const status = response ? `${response.status}` : outcome.ok ? '' : `${outcome.error.kind}: ${outcome.error.message}`;
  show(
    `← ${status} in ${Math.round(exchange.timeMs)} ms (${exchange.attempts} attempt${exchange.attempts === 1 ? '' : 's'}${exchange.fromCache ? ', from cache' : ''})`,
  );
  if (response?.headers['content-type']) show(`  content-type: ${response.headers['content-type']}`);
  if (response) show(`  ${excerpt(response.body)}`);
  io.out('');
}

function excerpt(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}… (${text.length} characters)` : text;
}
