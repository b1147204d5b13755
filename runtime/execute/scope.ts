/**
 * What expressions see (DESIGN.md, "What an expression can see"). The scope
 * is built once per call from objects Rasa already sent: nothing is cloned,
 * and the events history is never walked (a 1 MB tracker costs only its
 * JSON.parse, LIBRARIES.md §7).
 */
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

/** A scope with more names (`response`, `steps`, `error`, `value`). */
export function withNames(scope: Scope, names: Readonly<Record<string, unknown>>): Scope {
  return { ...scope, ...names };
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
 * for the next message. Used for Idempotency-Key (DESIGN.md).
 */
export function userTurnId(tracker: TrackerState): string {
  const message = tracker.latest_message as { message_id?: unknown } | undefined;
  if (typeof message?.message_id === 'string' && message.message_id !== '') return message.message_id;
  const events = tracker.events ?? [];
  // Walk back only to the latest user event; this is the one place that looks at events.
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as { event?: unknown; timestamp?: unknown };
    if (e?.event === 'user') return `user@${String(e.timestamp)}`;
  }
  return `turn@${String(tracker.latest_event_time ?? '')}`;
}
