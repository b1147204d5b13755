/**
 * What expressions see (docs/actions-yml.md#what-expressions-can-read). The
 * scope is built once per call from objects Rasa already sent: nothing is
 * cloned, and the events history is never walked (a 1 MB tracker costs only
 * its JSON.parse, about 4 ms; a `structuredClone` would cost more than twice that).
 */
import { createHash } from 'node:crypto';
import type { ActionInput, EntityDict, TrackerState } from '../rasa/index.js';

/** The names an expression reads, as one object (JSONata's input). */
export type Scope = Readonly<Record<string, unknown>>;

/** The scope every expression of a call starts from. */
export function baseScope(input: ActionInput): Scope {
  const { tracker } = input;
  const message = tracker.latest_message ?? {};
  return {
    slots: tracker.slots ?? {},
    tracker,
    message,
    entities: entityValues(message.entities),
    sender_id: input.senderId,
    action: input.nextAction,
    domain: input.domain,
  };
}

/**
 * A scope with more names (`response`, `steps`, `error`, `value`).
 * Object.assign rather than spread syntax: scopes of several shapes made
 * V8's spread take its slow path, about 2.5 µs a call.
 */
export function withNames(scope: Scope, names: Readonly<Record<string, unknown>>): Scope {
  return Object.assign({}, scope, names);
}

/** Entity name → value; an entity found more than once gives the list of its values. */
function entityValues(entities: readonly EntityDict[] | undefined): Record<string, unknown> {
  const found = new Map<string, unknown[]>();
  for (const e of entities ?? []) {
    if (typeof e?.entity !== 'string') continue;
    const values = found.get(e.entity);
    if (values) values.push(e.value);
    else found.set(e.entity, [e.value]);
  }
  const out: Record<string, unknown> = {};
  for (const [name, values] of found) out[name] = values.length === 1 ? values[0] : values;
  return out;
}

/**
 * An identifier of the user turn that triggered this call: the same for a
 * re-run of the action in that turn (a channel retry, a re-prediction), new
 * for the next message. Used for Idempotency-Key and `dedupe:`. In order: the
 * message's `message_id`; the timestamp of the latest user event; the
 * tracker's `latest_event_time`. A tracker with none of them (a hand-built
 * webhook body, a proxy that strips events) gets a digest of the whole
 * tracker: a re-run of the turn sends the same tracker, and a later turn
 * differs in its message, slots or events. A constant there would make every
 * later call of the conversation a replay of the first.
 */
export function userTurnId(tracker: TrackerState): string {
  const message = tracker.latest_message as { message_id?: unknown } | undefined;
  if (typeof message?.message_id === 'string' && message.message_id !== '') return message.message_id;
  const events = tracker.events ?? [];
  // Walk back only to the latest user event; this is the one place that looks at events.
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as { event?: unknown; timestamp?: unknown };
    if (e?.event !== 'user') continue;
    if (isTimestamp(e.timestamp)) return `user@${e.timestamp}`;
    break;
  }
  if (isTimestamp(tracker.latest_event_time)) return `turn@${tracker.latest_event_time}`;
  return `state@${createHash('sha256').update(JSON.stringify(tracker)).digest('base64url')}`;
}

/** Rasa's timestamps are Unix seconds; a hand-built tracker may send a string. */
function isTimestamp(value: unknown): value is number | string {
  return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value !== '');
}
