/**
 * `slotwire test --record`: runs each case against the live API once and
 * writes what came back as the case's `http:` fixtures. Secrets never reach
 * the file: of the request only method, path and query are kept (no
 * headers); of the reply its status, content and the headers slotwire or the
 * mappings read (content-type decides `parse` errors, retry-after the
 * retries: without them an HTML login page would replay as success, issue 13
 * item 10). Every connection secret and `sensitive:` slot value is `***`.
 * Each case is a new user turn unless it names one (`message.message_id`):
 * outside Rasa nothing else changes between recordings, and a constant turn
 * would give every recording the same Idempotency-Key, and the upstream
 * would answer with its first reply (issue 13, item 9).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { CallRecord } from '../engine/index.js';
import { slotValues } from './expectations.js';
import { loadLiveTarget, runCasesLive } from './live-run.js';
import type { LiveCase, LiveOptions } from './live-run.js';
import { maskValue, secretValues, sensitiveValues } from './mask.js';

/** Options of {@link recordFixtures}. */
export type RecordOptions = LiveOptions;

/** What was recorded, per case name: the number of calls, or why none. */
export type RecordReport = LiveCase[];

/** Records fixtures for every case of a test file and rewrites the file (comments kept). */
export async function recordFixtures(file: string, options: RecordOptions): Promise<RecordReport> {
  const target = await loadLiveTarget(file, options);
  const secrets = secretValues(target.plan);
  const readHeaders = headersRead(await readFile(target.actionsFile, 'utf8'));
  const doc = parseDocument(await readFile(file, 'utf8'));
  const report = await runCasesLive(target, options, (c, i, run) => {
    const hidden = new Set([...secrets, ...sensitiveValues(run.sensitive, c.slots ?? {}, slotValues(run.result))]);
    doc.setIn(
      ['tests', i, 'http'],
      run.sent.map((call) => maskValue(fixtureOf(call, readHeaders), hidden)),
    );
  });
  await writeFile(file, doc.toString());
  return report;
}

/** Response headers always kept: the HTTP layer reads them (decoding, `parse` errors, Retry-After). */
const KEPT_HEADERS: readonly string[] = ['content-type', 'retry-after'];

/**
 * Header names the actions file reads (`response.headers.etag`,
 * `headers["x-total"]`, ``headers.`x-rate-limit` ``), lower-case: recorded
 * so a mapping that reads one replays as it ran. Read from the text, so a
 * name in a comment is kept too, which costs a line in the fixture only.
 */
export function headersRead(actionsText: string): Set<string> {
  const out = new Set(KEPT_HEADERS);
  for (const m of actionsText.matchAll(
    /headers\s*(?:\.\s*(?:`([^`]+)`|([A-Za-z_][\w-]*))|\[\s*["']([^"']+)["']\s*\])/g,
  )) {
    out.add((m[1] ?? m[2] ?? m[3] ?? '').toLowerCase());
  }
  return out;
}

/** One call as a fixture: what to match of the request, and the reply (headers only those in `readHeaders`). */
export function fixtureOf(call: CallRecord, readHeaders: ReadonlySet<string>): Record<string, unknown> {
  const { request, outcome } = call;
  const fixture: Record<string, unknown> = {
    connection: request.connection,
    method: request.method,
    path: request.path,
  };
  if (request.query.length > 0) fixture['query'] = Object.fromEntries(request.query);
  if (!outcome.ok && !outcome.error.response) {
    fixture['reply'] = { error: outcome.error.kind === 'timeout' ? 'timeout' : 'network' };
    return fixture;
  }
  const response = outcome.ok ? outcome.response : outcome.error.response!;
  const reply: Record<string, unknown> = { status: response.status };
  const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => readHeaders.has(name)));
  if (Object.keys(headers).length > 0) reply['headers'] = headers;
  if (typeof response.body === 'string') reply['text'] = response.body;
  else if (response.body !== null) reply['json'] = response.body;
  fixture['reply'] = reply;
  return fixture;
}
