/**
 * Shadowing a moved action (docs/migrating.md#3-shadow-it-on-live-traffic):
 * the fallback's answer went to Rasa; slotwire's own version ran on the
 * same call; here the two are compared as Rasa would read them, and the
 * differences listed with sensitive values masked.
 */
import { MASK, maskValue, SAFE_METHODS, sensitiveValues } from '../engine/index.js';
import type { ActionInfo } from '../engine/index.js';
import type { WebhookOutcome } from '../call-rules/index.js';

/** How one shadowed call compared. */
export type ShadowResult = 'same' | 'different' | 'error';

/** One place where the two answers differ; values already masked. */
export interface Difference {
  /** e.g. `events[1].value`, `responses.length`, `status` */
  readonly path: string;
  readonly fallback: unknown;
  readonly slotwire: unknown;
}

/** A comparison: the result, what differs (at most {@link MAX_DIFFERENCES}), and for `error` why. */
export interface Comparison {
  readonly result: ShadowResult;
  readonly differences: readonly Difference[];
  readonly reason: string | null;
}

/** Differences listed per call; the line says when there were more. */
export const MAX_DIFFERENCES = 10;

/** What Rasa does with an answer: applies events and messages, records a rejection, or fails the action. */
type Reading =
  | { readonly kind: 'applied'; readonly events: unknown; readonly responses: unknown }
  | { readonly kind: 'rejected' }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * Why an action cannot be shadowed, or null when it can: running it twice
 * must not change data twice, so every call it makes must be GET or HEAD.
 */
export function unsafeToShadow(action: ActionInfo): string | null {
  if (action.methods === null) return 'it is a code action, whose calls slotwire cannot see';
  const unsafe = action.methods.filter((m) => !SAFE_METHODS.has(m));
  if (unsafe.length === 0) return null;
  return `its calls use ${unsafe.join(', ')}, which change data: running it twice would change data twice`;
}

/** The fallback's answer as Rasa reads it (docs/protocol.md#errors). */
function readFallback(status: number, body: Buffer): Reading {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { kind: 'failed', reason: `the fallback answered ${status} without JSON` };
  }
  const object = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  if (status === 200) return { kind: 'applied', events: object.events ?? [], responses: object.responses ?? [] };
  if (status === 400 && typeof object.action_name === 'string') return { kind: 'rejected' };
  return { kind: 'failed', reason: `the fallback answered ${status}` };
}

function readSlotwire(outcome: WebhookOutcome): Reading {
  if (outcome.ok)
    return { kind: 'applied', events: outcome.body?.events ?? [], responses: outcome.body?.responses ?? [] };
  if (outcome.failure.kind === 'rejected') return { kind: 'rejected' };
  return { kind: 'failed', reason: `slotwire's version failed (${outcome.failure.kind})` };
}

/**
 * Rasa drops a message's keys whose value is empty or false before it uses
 * it (docs/protocol.md#bot-messages), and an event's `timestamp: null` is
 * "now": neither is a difference.
 */
function asRasaReads(value: unknown, inMessage: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => asRasaReads(v, inMessage));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (inMessage && isEmpty(v)) continue;
    if (!inMessage && key === 'timestamp' && v === null) continue;
    out[key] = v;
  }
  return out;
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/** What masks values in the differences (hiderFor). */
export interface Hider {
  /** slot names whose events are shown with their value masked */
  readonly sensitive: readonly string[];
  /** text masked wherever it appears: secrets, sensitive values */
  readonly hidden: ReadonlySet<string>;
}

/** Compare the fallback's answer (status 449 is not compared: Rasa retries it) with slotwire's outcome. */
export function compareAnswers(
  fallback: { readonly status: number; readonly body: Buffer },
  slotwire: WebhookOutcome,
  hider: Hider,
): Comparison {
  const theirs = readFallback(fallback.status, fallback.body);
  const ours = readSlotwire(slotwire);
  if (theirs.kind === 'failed') return { result: 'error', differences: [], reason: theirs.reason };
  if (ours.kind === 'failed') return { result: 'error', differences: [], reason: ours.reason };
  const differences: Difference[] = [];
  if (theirs.kind !== ours.kind) differences.push({ path: 'answer', fallback: theirs.kind, slotwire: ours.kind });
  else if (theirs.kind === 'applied' && ours.kind === 'applied') {
    const walk = walker(differences, hider);
    walk('events', asRasaReads(theirs.events, false), asRasaReads(ours.events, false));
    walk('responses', asRasaReads(theirs.responses, true), asRasaReads(ours.responses, true));
  }
  return { result: differences.length === 0 ? 'same' : 'different', differences, reason: null };
}

/** Walks two JSON values, one difference per leaf that differs, up to one past the limit. */
function walker(out: Difference[], hider: Hider): (path: string, a: unknown, b: unknown) => void {
  const hide = (v: unknown): unknown => maskValue(v, hider.hidden);
  const isSensitiveEvent = (v: unknown): v is Record<string, unknown> =>
    isRecord(v) && v.event === 'slot' && hider.sensitive.includes(String(v.name));
  const masked = (v: unknown): unknown => (isSensitiveEvent(v) ? hide({ ...v, value: MASK }) : hide(v));
  const walk = (path: string, a: unknown, b: unknown): void => {
    if (out.length > MAX_DIFFERENCES) return;
    // A sensitive slot's event differs as a whole: its value is never shown, whatever its type.
    if (isSensitiveEvent(a) || isSensitiveEvent(b)) {
      if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, fallback: masked(a), slotwire: masked(b) });
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) out.push({ path: `${path}.length`, fallback: a.length, slotwire: b.length });
      for (let i = 0; i < Math.min(a.length, b.length); i++) walk(`${path}[${i}]`, a[i], b[i]);
      return;
    }
    if (isRecord(a) && isRecord(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) walk(`${path}.${key}`, a[key], b[key]);
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, fallback: hide(a), slotwire: hide(b) });
  };
  return walk;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The slots a list of events sets, by name (the last value of each). */
function slotsSetBy(events: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Array.isArray(events))
    for (const e of events) if (isRecord(e) && e.event === 'slot') out[String(e.name)] = e.value;
  return out;
}

/**
 * What masks the differences of one call: the connections' secrets and the
 * values of the action's sensitive slots, as the call sent them and as
 * either answer set them.
 */
export function hiderFor(
  action: ActionInfo,
  secrets: Iterable<string>,
  slots: Readonly<Record<string, unknown>>,
  answerEvents: readonly unknown[],
): Hider {
  const sensitive = action.sensitiveSlots;
  const hidden = new Set([...secrets, ...sensitiveValues(sensitive, slots, ...answerEvents.map(slotsSetBy))]);
  return { sensitive, hidden };
}
