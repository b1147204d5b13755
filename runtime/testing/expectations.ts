/**
 * Checking an action's result against a case's `expect:` (docs/testing.md),
 * as a list of readable differences: each says what was expected, what came,
 * with `-` for expected and `+` for actual, as a diff reads.
 */
import type { TestExpect } from '../config/index.js';
import { slotValues } from '../engine/index.js';
import type { CallRecord, RunResult } from '../engine/index.js';
import { isSubset } from './subset.js';

/** What the action did, as the checks see it. */
export interface Observed {
  readonly result: RunResult;
  readonly calls: readonly CallRecord[];
}

/** Every difference between the expectation and what happened; empty means the case passed. */
export function compare(expect: TestExpect, observed: Observed): string[] {
  const out: string[] = [];
  const run = observed.result;
  const rejected = run.outcome.status === 'rejected' ? run.outcome.message : null;
  if (expect.rejected !== undefined && expect.rejected !== false) {
    if (rejected === null) out.push(diff('the action to reject the call', 'rejection', 'no rejection'));
    else if (typeof expect.rejected === 'string' && expect.rejected !== rejected)
      out.push(diff('rejection message', expect.rejected, rejected));
    return out;
  }
  if (rejected !== null) return [diff('a result', 'no rejection', `rejected: ${rejected}`)];
  const error = run.outcome.status === 'error' ? run.outcome.error : null;
  const slots = slotValues(run);
  for (const [name, value] of Object.entries(expect.slots ?? {})) {
    if (!(name in slots)) out.push(diff(`slot ${name}`, value, '(not set)'));
    else if (!sameJson(value, slots[name])) out.push(diff(`slot ${name}`, value, slots[name]));
  }
  if (expect.exact) {
    for (const name of Object.keys(slots))
      if (!(name in (expect.slots ?? {}))) out.push(diff(`slot ${name}`, '(not set)', slots[name]));
  }
  if (expect.responses) checkList('responses', expect.responses, run.responses, out, true);
  if (expect.events) {
    const others = run.events.filter((e) => e.event !== 'slot');
    checkList('events', expect.events, others, out, expect.exact === true);
  }
  if (expect.error !== undefined) {
    if (expect.error === null && error !== null) out.push(diff('error', null, error));
    else if (expect.error !== null && (error === null || !isSubset(expect.error, error)))
      out.push(diff('error', expect.error, error));
  }
  if (expect.requests) {
    const made = observed.calls.map((c) => requestView(c));
    if (made.length !== expect.requests.length) out.push(diff('requests', expect.requests, made));
    else
      expect.requests.forEach((r, i) => {
        if (!isSubset(normalizeQuery(r), made[i])) out.push(diff(`request ${i + 1}`, r, pick(made[i], Object.keys(r))));
      });
  }
  return out;
}

/** Lists compared item by item, each expected item a subset of the actual one. */
function checkList(
  what: string,
  expected: readonly Record<string, unknown>[],
  actual: readonly object[],
  out: string[],
  sameLength: boolean,
): void {
  if (sameLength && expected.length !== actual.length) {
    out.push(
      diff(
        `${what} (${expected.length} expected, ${actual.length} sent)`,
        expected,
        actual.map((a, i) => pick(a, Object.keys(expected[i] ?? a))),
      ),
    );
    return;
  }
  expected.forEach((e, i) => {
    const a = actual[i];
    if (a === undefined || !isSubset(e, a))
      out.push(diff(`${what}[${i}]`, e, a === undefined ? '(missing)' : pick(a, Object.keys(e))));
  });
}

/** A request as a case states it: method, path after the base URL, query as an object. */
function requestView(c: CallRecord): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [k, v] of c.request.query) query[k] = k in query ? [...[query[k]].flat(), v] : v;
  const body = c.request.body;
  return {
    connection: c.request.connection,
    method: c.request.method,
    path: c.request.path,
    query,
    headers: c.request.headers,
    body: body === null ? null : body.kind === 'form' ? Object.fromEntries(body.fields) : body.value,
  };
}

/** Query values in a case may be numbers; on the wire they are strings. */
function normalizeQuery(r: Record<string, unknown>): Record<string, unknown> {
  if (!r['query'] || typeof r['query'] !== 'object') return r;
  const query = Object.fromEntries(
    Object.entries(r['query'] as Record<string, unknown>).map(([k, v]) => [
      k,
      Array.isArray(v) ? v.map(String) : String(v),
    ]),
  );
  return { ...r, query };
}

function pick(value: object | undefined, keys: readonly string[]): unknown {
  if (value === undefined || value === null) return value;
  return Object.fromEntries(keys.filter((k) => k in value).map((k) => [k, (value as Record<string, unknown>)[k]]));
}

function sameJson(a: unknown, b: unknown): boolean {
  return isSubset(a, b) && isSubset(b, a);
}

function diff(what: string, expected: unknown, actual: unknown): string {
  return `${what}\n  - expected: ${show(expected)}\n  + actual:   ${show(actual)}`;
}

function show(value: unknown): string {
  if (
    typeof value === 'string' &&
    (value.startsWith('(') || value === 'rejection' || value === 'no rejection' || value.startsWith('rejected:'))
  )
    return value;
  const text = JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 400 ? `${text.slice(0, 400)}…` : text;
}
