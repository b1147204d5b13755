/**
 * The shape of a `POST /webhook` body, checked before anything reads it:
 * a field of the wrong JSON type is the caller's mistake, named by its
 * path, never a TypeError deep inside a helper.
 *
 * What is checked is what types.ts promises an action, to the depth it
 * promises it: the call, the tracker, the latest message with its intents
 * and entities, the active loop, and the domain's top-level keys. Slot
 * values, metadata, stack frames, event payloads and the domain's contents
 * stay opaque, as Rasa treats them (docs/protocol.md#the-trackers-defaults).
 * Each event is checked to be an object with a string `event`: every
 * tracker helper reads that key of every event, and Rasa's envelope
 * guarantees it, so one array walk with one `typeof` per event is the price:
 * about 1 µs for a 4 KB body and 1–2 % of `JSON.parse` from 30 KB up
 * (bench/call-check.mjs). Unknown keys are ignored.
 *
 * `null` is accepted where types.ts admits it, and where rasa-sdk's
 * `Tracker.from_dict` fills a default: there it counts as
 * absent. The first problem found is returned; the hot path does not
 * collect more.
 */
import { isObject } from './is-object.js';

/** The JSON type a field must have; `?` also admits null. `present`: any value, but not absent. */
export type FieldType =
  | 'string'
  | 'string?'
  | 'number'
  | 'number?'
  | 'boolean'
  | 'boolean?'
  | 'object'
  | 'object?'
  | 'array'
  | 'array?'
  | 'present';

/** What a value was instead. `out-of-range number`: a JSON number beyond a double, e.g. `1e999`. */
export type JsonKind =
  'missing' | 'null' | 'boolean' | 'number' | 'out-of-range number' | 'string' | 'array' | 'object';

/** The first field of a call whose shape is wrong. */
export interface CallProblem {
  /** path from the body's root, e.g. `tracker.latest_message.entities[2].entity` */
  readonly field: string;
  /** what the field must be */
  readonly expected: FieldType;
  /** what it was */
  readonly got: JsonKind;
}

/** Thrown by `trackerFromDict` for a tracker of the wrong shape. */
export class CallShapeError extends TypeError {
  /** stable code, for matching without reading the message */
  readonly code = 'SW_CALL_SHAPE' as const;
  /** the offending field */
  readonly field: string;
  /** the whole problem */
  readonly problem: CallProblem;

  constructor(problem: CallProblem) {
    super(describeProblem(problem));
    this.name = 'CallShapeError';
    this.field = problem.field;
    this.problem = problem;
  }
}

type Fields = readonly (readonly [name: string, type: FieldType, required?: true])[];

// The top level besides `next_action` and `tracker` (types.ts `WebhookRequest`).
const CALL: Fields = [
  ['sender_id', 'string'],
  ['domain', 'object?'],
  ['domain_digest', 'string?'],
  ['version', 'string?'],
];

// `TrackerState` before rasa-sdk's defaults; `events` null is what Rasa
// sends at event verbosity NONE.
const TRACKER: Fields = [
  ['sender_id', 'string', true],
  ['slots', 'object?'],
  ['latest_message', 'object?'],
  ['latest_event_time', 'number?'],
  ['followup_action', 'string?'],
  ['paused', 'boolean?'],
  ['stack', 'array?'],
  ['events', 'array?'],
  ['latest_input_channel', 'string?'],
  ['active_loop', 'object?'],
  ['latest_action', 'object?'],
  ['latest_action_name', 'string?'],
  ['user_id', 'string?'],
];

// `LatestMessage` (Rasa's parse data).
const MESSAGE: Fields = [
  ['text', 'string?'],
  ['intent', 'object?'],
  ['intent_ranking', 'array'],
  ['entities', 'array'],
  ['message_id', 'string?'],
  ['metadata', 'object?'],
  ['commands', 'array'],
];

// `IntentDict`: Rasa's empty parse data has `{"name": null, "confidence": 0.0}`.
const INTENT: Fields = [
  ['name', 'string?'],
  ['confidence', 'number'],
];

// `EntityDict`: Rasa's schema requires `entity` and `value`.
const ENTITY: Fields = [
  ['entity', 'string', true],
  ['value', 'present', true],
  ['start', 'number'],
  ['end', 'number'],
  ['confidence_entity', 'number'],
  ['extractor', 'string?'],
  ['role', 'string?'],
  ['group', 'string?'],
];

// `ActiveLoopState`: Rasa serialises its `TrackerActiveLoop` dataclass,
// whose `trigger_message` is Optional.
const LOOP: Fields = [
  ['name', 'string?'],
  ['is_interrupted', 'boolean'],
  ['rejected', 'boolean'],
  ['trigger_message', 'object?'],
];

// Rasa's event envelope (docs/protocol.md#events); the rest of an event is opaque.
const EVENT: Fields = [['event', 'string', true]];

// Stack frames and CALM commands: objects, otherwise opaque.
const NONE: Fields = [];

// `DomainDict`'s top-level keys; what is inside them is opaque.
const DOMAIN: Fields = [
  ['config', 'object'],
  ['session_config', 'object'],
  ['intents', 'array'],
  ['entities', 'array'],
  ['slots', 'object'],
  ['responses', 'object'],
  ['actions', 'array'],
  ['forms', 'object'],
  ['e2e_actions', 'array'],
];

/** The JSON kind of a parsed value. */
function kindOf(value: unknown): JsonKind {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isFinite(value) ? 'number' : 'out-of-range number';
  return typeof value as 'boolean' | 'string' | 'object';
}

function fits(type: FieldType, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'string?':
      return value === null || typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'number?':
      return value === null || (typeof value === 'number' && Number.isFinite(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'boolean?':
      return value === null || typeof value === 'boolean';
    case 'object':
      return isObject(value);
    case 'object?':
      return value === null || isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'array?':
      return value === null || Array.isArray(value);
    case 'present':
      return true;
  }
}

/** Index in `fields` of the first field of `obj` that does not fit, or -1. */
function badField(obj: Record<string, unknown>, fields: Fields): number {
  for (let i = 0; i < fields.length; i += 1) {
    const [name, type, required] = fields[i];
    const value = obj[name];
    if (value === undefined ? required === true : !fits(type, value)) return i;
  }
  return -1;
}

// Paths are built only for the problem found: the events walk is the hot loop.
function problemAt(obj: Record<string, unknown>, fields: Fields, index: number, path: string): CallProblem {
  const [name, type] = fields[index];
  return { field: path === '' ? name : `${path}.${name}`, expected: type, got: kindOf(obj[name]) };
}

function checkFields(obj: Record<string, unknown>, fields: Fields, path: string): CallProblem | null {
  const bad = badField(obj, fields);
  return bad === -1 ? null : problemAt(obj, fields, bad, path);
}

/** Each item an object whose fields pass `fields`. */
function checkItems(list: unknown, path: string, fields: Fields): CallProblem | null {
  if (!Array.isArray(list)) return null;
  for (let i = 0; i < list.length; i += 1) {
    const item: unknown = list[i];
    if (!isObject(item)) return { field: `${path}[${i}]`, expected: 'object', got: kindOf(item) };
    const bad = badField(item, fields);
    if (bad !== -1) return problemAt(item, fields, bad, `${path}[${i}]`);
  }
  return null;
}

function checkMessage(message: Record<string, unknown>, path: string): CallProblem | null {
  return (
    checkFields(message, MESSAGE, path) ??
    (isObject(message.intent) ? checkFields(message.intent, INTENT, `${path}.intent`) : null) ??
    checkItems(message.intent_ranking, `${path}.intent_ranking`, INTENT) ??
    checkItems(message.entities, `${path}.entities`, ENTITY) ??
    checkItems(message.commands, `${path}.commands`, NONE)
  );
}

/**
 * The first shape problem of a tracker as Rasa sends it, or
 * null. `trackerFromDict` accepts exactly what passes.
 * @param path where the tracker sits, for `field`. Default: `'tracker'`
 */
export function checkTracker(state: unknown, path = 'tracker'): CallProblem | null {
  if (!isObject(state)) return { field: path, expected: 'object', got: kindOf(state) };
  const problem =
    checkFields(state, TRACKER, path) ??
    checkItems(state.events, `${path}.events`, EVENT) ??
    checkItems(state.stack, `${path}.stack`, NONE) ??
    (isObject(state.latest_message) ? checkMessage(state.latest_message, `${path}.latest_message`) : null);
  if (problem !== null) return problem;
  // rasa-sdk reads the legacy `active_form` only when `active_loop` is absent.
  if (isObject(state.active_loop)) return checkFields(state.active_loop, LOOP, `${path}.active_loop`);
  if (state.active_form === undefined || state.active_form === null) return null;
  if (!isObject(state.active_form))
    return { field: `${path}.active_form`, expected: 'object?', got: kindOf(state.active_form) };
  return checkFields(state.active_form, LOOP, `${path}.active_form`);
}

/**
 * The first shape problem of a parsed webhook body (already an object), or
 * null. A call without an action (`next_action` absent, null or empty) is
 * answered `null` before anything else is read, as rasa-sdk does
 * (docs/protocol.md#the-trackers-defaults), so nothing else of it is checked.
 * @example
 * const problem = checkCall(JSON.parse(text));
 * if (problem !== null) return { status: 400, body: { error: describeProblem(problem), field: problem.field } };
 */
export function checkCall(call: Record<string, unknown>): CallProblem | null {
  const next = call.next_action;
  if (next === undefined || next === null || next === '') return null;
  if (typeof next !== 'string') return { field: 'next_action', expected: 'string?', got: kindOf(next) };
  return (
    checkFields(call, CALL, '') ??
    checkTracker(call.tracker) ??
    (isObject(call.domain) ? checkFields(call.domain, DOMAIN, 'domain') : null)
  );
}

/** One sentence for a problem, e.g. `tracker.latest_message.entities must be an array, not an object.` */
export function describeProblem(problem: CallProblem): string {
  const { field, expected, got } = problem;
  if (got === 'missing') return `${field} is missing: it must be ${EXPECTED[expected]}.`;
  return `${field} must be ${EXPECTED[expected]}, not ${GOT[got]}.`;
}

const EXPECTED: Record<FieldType, string> = {
  string: 'a string',
  'string?': 'a string or null',
  number: 'a number',
  'number?': 'a number or null',
  boolean: 'true or false',
  'boolean?': 'true, false or null',
  object: 'an object',
  'object?': 'an object or null',
  array: 'an array',
  'array?': 'an array or null',
  present: 'present',
};

const GOT: Record<JsonKind, string> = {
  missing: 'missing',
  null: 'null',
  boolean: 'a boolean',
  number: 'a number',
  'out-of-range number': 'a number out of range',
  string: 'a string',
  array: 'an array',
  object: 'an object',
};
