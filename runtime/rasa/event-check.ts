/**
 * Which event types a target Rasa accepts, and a check of an action's
 * returned events against it (docs/protocol.md#events). Rasa
 * validates the whole response against one schema: a single bad event
 * discards every effect of the action, so the server refuses it first and
 * answers 500 naming it.
 */
import type { RasaEvent } from './events.js';
import { isObject } from './is-object.js';

/** The 23 event types every Rasa 3.x schema accepts (docs/protocol.md#which-event-types-each-rasa-accepts). */
export const CLASSIC_EVENT_TYPES: readonly string[] = Object.freeze([
  'user',
  'action',
  'slot',
  'entities',
  'user_featurization',
  'cancel_reminder',
  'reminder',
  'action_execution_rejected',
  'form_validation',
  'loop_interrupted',
  'form',
  'active_loop',
  'reset_slots',
  'resume',
  'pause',
  'followup',
  'export',
  'restart',
  'undo',
  'rewind',
  'bot',
  'session_started',
  'agent',
]);

/** Event types only the newest Rasa Pro accepts; an old Rasa rejects the response. */
export const PRO_EVENT_TYPES: readonly string[] = Object.freeze([
  'flow_started',
  'flow_interrupted',
  'flow_resumed',
  'flow_completed',
  'flow_cancelled',
  'agent_started',
  'agent_completed',
  'agent_interrupted',
  'agent_resumed',
  'agent_cancelled',
  'stack',
  'routing_session_ended',
  'session_ended',
  'error',
]);

/**
 * Accepted by the schema but with side effects outside the conversation
 * (`export` writes a file on the Rasa host, `stack` patches the CALM stack):
 * refused unless listed in `allow`.
 */
export const OPT_IN_EVENT_TYPES: readonly string[] = Object.freeze(['export', 'stack']);

/** The Rasa a response is meant for. `'classic'`: any 3.x; `'pro'`: newest Rasa Pro. */
export type EventTarget = 'classic' | 'pro';

/** Why an event was refused. */
export type EventProblem = 'not_allowed' | 'bad_shape';

/** Result of `checkEvents`. */
export type EventCheck =
  | { readonly ok: true; readonly events: RasaEvent[]; readonly dropped: number }
  | {
      readonly ok: false;
      readonly index: number;
      readonly event: string;
      readonly problem: EventProblem;
      readonly field: string | null;
    };

type FieldRule = 'string' | 'string?' | 'number?' | 'boolean' | 'object' | 'array' | 'present';

// Field constraints of Rasa's per-type sub-schemas (rasa/shared/utils/schemas/events.py);
// a rule applies when the field is present, `required` lists what must be.
const RULES: Record<string, { readonly fields: Record<string, FieldRule>; readonly required?: readonly string[] }> = {
  slot: { fields: { name: 'string', value: 'present' }, required: ['name', 'value'] },
  user: {
    fields: { text: 'string?', input_channel: 'string?', message_id: 'string?', parse_data: 'object' },
    required: ['parse_data'],
  },
  action: {
    fields: {
      policy: 'string?',
      confidence: 'number?',
      name: 'string?',
      hide_rule_turn: 'boolean',
      action_text: 'string?',
    },
  },
  entities: { fields: { entities: 'array' }, required: ['entities'] },
  stack: { fields: { update: 'string' } },
  flow_started: { fields: { flow_id: 'string' } },
  flow_interrupted: { fields: { flow_id: 'string', step_id: 'string' } },
  flow_resumed: { fields: { flow_id: 'string', step_id: 'string' } },
  flow_completed: { fields: { flow_id: 'string', step_id: 'string' } },
  flow_cancelled: { fields: { flow_id: 'string', step_id: 'string' } },
};

function fits(rule: FieldRule, value: unknown): boolean {
  switch (rule) {
    case 'string':
      return typeof value === 'string';
    case 'string?':
      return value === null || typeof value === 'string';
    case 'number?':
      return value === null || (typeof value === 'number' && Number.isFinite(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'present':
      return true;
  }
}

// Built once per (target, opt-ins): checkEvents runs on every webhook call.
const allowedCache = new Map<string, ReadonlySet<string>>();

/** The event types allowed for a target, `allow` adding opt-in types. */
export function allowedEventTypes(target: EventTarget = 'classic', allow: readonly string[] = []): ReadonlySet<string> {
  const key = `${target}:${allow.join(',')}`;
  let set = allowedCache.get(key);
  if (!set) {
    const base = target === 'pro' ? [...CLASSIC_EVENT_TYPES, ...PRO_EVENT_TYPES] : CLASSIC_EVENT_TYPES;
    set = new Set(base.filter((t) => !OPT_IN_EVENT_TYPES.includes(t) || allow.includes(t)));
    allowedCache.set(key, set);
  }
  return set;
}

/** The first field that breaks Rasa's schema, or null when the event passes. */
function badField(e: Record<string, unknown>): string | null {
  if (e.timestamp !== undefined && !fits('number?', e.timestamp)) return 'timestamp';
  if (e.metadata !== undefined && e.metadata !== null && !isObject(e.metadata)) return 'metadata';
  const rule = RULES[e.event as string];
  if (rule === undefined) return null;
  for (const name of rule.required ?? []) {
    // `undefined` vanishes in JSON, so it counts as missing.
    if (e[name] === undefined) return name;
  }
  for (const [name, type] of Object.entries(rule.fields)) {
    if (e[name] !== undefined && !fits(type, e[name])) return name;
  }
  if (e.event === 'entities') {
    const entities = e.entities as unknown[];
    if (!entities.every((x) => isObject(x) && typeof x.entity === 'string' && x.value !== undefined)) return 'entities';
  }
  return null;
}

/**
 * Check the events an action returned against what the target Rasa
 * accepts. Like rasa-sdk's `validate_events`, items that
 * are not objects or have no `event` are dropped (counted in `dropped`);
 * an event of a type the target does not accept, or with a field Rasa's
 * schema refuses, fails the whole list.
 * @param events what the action returned
 * @param target Default: `'classic'` (the 23 types of every Rasa 3.x)
 * @param allow opt-in types from `OPT_IN_EVENT_TYPES`. Default: none
 * @example
 * const check = checkEvents([slotSet('a', 1)]);
 * if (!check.ok) throw new Error(`event ${check.index} (${check.event}) is ${check.problem}`);
 */
export function checkEvents(
  events: readonly unknown[],
  target: EventTarget = 'classic',
  allow: readonly string[] = [],
): EventCheck {
  const allowed = allowedEventTypes(target, allow);
  const kept: RasaEvent[] = [];
  let dropped = 0;
  for (const [index, e] of events.entries()) {
    if (!isObject(e) || typeof e.event !== 'string' || e.event === '') {
      dropped += 1;
      continue;
    }
    if (!allowed.has(e.event)) return { ok: false, index, event: e.event, problem: 'not_allowed', field: null };
    const field = badField(e);
    if (field !== null) return { ok: false, index, event: e.event, problem: 'bad_shape', field };
    kept.push(e as unknown as RasaEvent);
  }
  return { ok: true, events: kept, dropped };
}
