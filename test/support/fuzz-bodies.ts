/**
 * Webhook requests for the webhook fuzz, from a fixed seed: a real Rasa
 * body (docs/protocol.md#the-request) mutated — a field of the wrong type, missing, null,
 * an array for an object, a huge number, deep nesting, odd unicode — or a
 * body that is not JSON at all, or a Content-Encoding to decode. Shared by
 * test/server/fuzz.test.ts (a slice) and bench/fuzz-webhook.mjs (the full
 * 100 000, against dist/), with the actions they both serve.
 */
import { deflateSync, gzipSync } from 'node:zlib';
import type * as Slotwire from '../../runtime/index.js';
import type { CodeAction } from '../../runtime/index.js';
import { seededRandom } from './seeded-random.js';

/** One request to send to `POST /webhook`. */
export interface FuzzRequest {
  /** the raw body */
  readonly body: string | Buffer;
  /** request headers */
  readonly headers: Readonly<Record<string, string>>;
  /** what was done to the base body, for reports */
  readonly mutation: string;
}

/** Statuses a fuzzed request may get: anything else is a bug. */
export const FUZZ_STATUSES: readonly number[] = [200, 400, 404, 415, 449];

/** The actions.yml the fuzz serves: expressions over the message and the slots, no upstream. */
export const FUZZ_ACTIONS_YML: string = `version: 1
actions:
  action_fuzz_yaml:
    slots:
      said: "{{ message.text }}"
      intent: "{{ message.intent.name }}"
      entity_count: "{{ $count(message.entities) }}"
      has_city: "{{ $exists(entities.city) }}"
    responses:
      - text: "You said {{ message.text }}"
  validate_party_size:
    validate:
      accept_when: "{{ $number(value) >= 1 and $number(value) <= 12 }}"
      normalize: "{{ $round($number(value)) }}"
      on_reject:
        responses:
          - text: "1 to 12, please."
  validate_booking_form:
    validate:
      form: booking_form
      slots:
        cuisine:
          normalize: "{{ $lowercase(value) }}"
`;

/** The helpers the fuzz's code actions call: the package entry, from runtime/ or dist/. */
export type FuzzApi = Pick<
  typeof Slotwire,
  | 'activeLoopName'
  | 'appliedEvents'
  | 'collectingSlot'
  | 'eventsAfterLatestRestart'
  | 'getLastEventFor'
  | 'getSlot'
  | 'intentOfLatestMessage'
  | 'isPaused'
  | 'lastExecutedActionHas'
  | 'latestEntityValues'
  | 'latestInputChannel'
  | 'slotsToValidate'
  | 'topStackFrame'
  | 'events'
>;

/**
 * Code actions that run every tracker helper over the fuzzed tracker. They
 * return what they computed (counts, names), never an opaque value of the
 * request back: a value nested deeper than about 4 000 levels cannot be
 * serialised by V8, and what the server should answer then is not settled.
 */
export function fuzzCodeActions(api: FuzzApi): CodeAction[] {
  const { slotSet } = api.events;
  return [
    {
      name: 'action_fuzz_helpers',
      run({ tracker, dispatcher }) {
        const summary = {
          intent: api.intentOfLatestMessage(tracker),
          cities: api.latestEntityValues(tracker, 'city').length,
          channel: api.latestInputChannel(tracker),
          afterRestart: api.eventsAfterLatestRestart(tracker).length,
          applied: api.appliedEvents(tracker).length,
          lastAction: api.getLastEventFor(tracker, 'action', { exclude: ['action_listen'] })?.event ?? null,
          wasListen: api.lastExecutedActionHas(tracker, 'action_listen'),
          candidates: Object.keys(api.slotsToValidate(tracker)).length,
          loop: api.activeLoopName(tracker),
          collecting: api.collectingSlot(tracker),
          topFrame: api.topStackFrame(tracker) === null ? null : 'frame',
          paused: api.isPaused(tracker),
          cityType: typeof api.getSlot(tracker, 'city'),
        };
        dispatcher.utter({ text: `intent ${String(summary.intent)}` });
        return [slotSet('fuzz_summary', summary)];
      },
    },
    {
      name: 'action_fuzz_domain',
      readsDomain: true,
      run: ({ domain }) => [slotSet('domain_keys', Object.keys(domain ?? {}).length)],
    },
  ];
}

const ACTIONS = [
  'action_fuzz_yaml',
  'action_fuzz_helpers',
  'action_fuzz_domain',
  'validate_party_size',
  'validate_booking_form',
];

/** A body as a Rasa Pro 3.x sends it, with a few events of each common kind. */
function rasaBody(next: string): Record<string, unknown> {
  // A new object per place it appears, so a mutation hits only its path.
  const parse = (): Record<string, unknown> => ({
    text: 'table for 4 in Berlin',
    intent: { name: 'book', confidence: 0.97 },
    intent_ranking: [
      { name: 'book', confidence: 0.97 },
      { name: 'nlu_fallback', confidence: 0.3 },
    ],
    entities: [
      {
        entity: 'city',
        value: 'Berlin',
        start: 15,
        end: 21,
        confidence_entity: 0.99,
        extractor: 'DIETClassifier',
        role: null,
        group: null,
      },
      { entity: 'party_size', value: 4, start: 10, end: 11, extractor: 'RegexEntityExtractor' },
    ],
    message_id: '6f1c0a',
    metadata: { channel: 'rest' },
    commands: [{ command: 'set slot', name: 'city', value: 'Berlin' }],
  });
  return {
    next_action: next,
    sender_id: 'fuzz-user',
    version: '3.13.4',
    domain_digest: 'fuzz-digest',
    domain: {
      config: { store_entities_as_slots: true },
      session_config: { session_expiration_time: 60, carry_over_slots_to_new_session: true },
      intents: ['book', { inform: { use_entities: true } }],
      entities: ['city', { city: { roles: ['from', 'to'] } }],
      slots: {
        city: { type: 'rasa.shared.core.slots.TextSlot', initial_value: null, mappings: [{ type: 'from_llm' }] },
      },
      responses: { utter_greet: [{ text: 'Hi!' }] },
      actions: ['action_fuzz_yaml', { action_fuzz_domain: { send_domain: true } }],
      forms: { booking_form: { required_slots: ['cuisine', 'party_size'] } },
      e2e_actions: [],
    },
    tracker: {
      sender_id: 'fuzz-user',
      slots: {
        city: 'Berlin',
        party_size: '4',
        cuisine: 'ITALIAN',
        requested_slot: null,
        session_started_metadata: null,
      },
      latest_message: parse(),
      latest_event_time: 1_764_000_010.5,
      followup_action: null,
      paused: false,
      stack: [
        { frame_id: 'CP6JP9GQ', flow_id: 'book', step_id: '0_collect', frame_type: 'regular', type: 'flow' },
        {
          frame_id: 'X1',
          flow_id: 'pattern_collect_information',
          step_id: 'start',
          type: 'pattern_collect_information',
          collect: 'party_size',
        },
      ],
      events: [
        { event: 'action', timestamp: 1_764_000_000, name: 'action_session_start', policy: null, confidence: 1 },
        { event: 'session_started', timestamp: 1_764_000_001 },
        { event: 'action', timestamp: 1_764_000_002, name: 'action_listen' },
        {
          event: 'user',
          timestamp: 1_764_000_003,
          text: 'table for 4 in Berlin',
          parse_data: parse(),
          input_channel: 'rest',
          message_id: '6f1c0a',
          metadata: { model_id: 'm1' },
        },
        {
          event: 'bot',
          timestamp: 1_764_000_004,
          text: 'For how many?',
          data: { buttons: null },
          metadata: { utter_action: 'utter_ask' },
        },
        { event: 'restart', timestamp: 1_764_000_005 },
        { event: 'undo', timestamp: 1_764_000_006 },
        { event: 'rewind', timestamp: 1_764_000_007 },
        { event: 'stack', timestamp: 1_764_000_008, update: '[]' },
        { event: 'slot', timestamp: 1_764_000_009, name: 'cuisine', value: 'ITALIAN' },
        { event: 'slot', timestamp: 1_764_000_010, name: 'party_size', value: '4' },
      ],
      latest_input_channel: 'rest',
      active_loop: { name: 'booking_form', is_interrupted: false, rejected: false, trigger_message: parse() },
      latest_action: { action_name: 'action_listen' },
      latest_action_name: 'action_listen',
    },
  };
}

type Path = readonly (string | number)[];

/** Every path into the body, containers and leaves, e.g. `['tracker', 'events', 3, 'parse_data']`. */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    out.push(path);
    pathsOf(child, path, out);
  }
  return out;
}

const BASE_PATHS: readonly Path[] = pathsOf(rasaBody(ACTIONS[0]));

// JSON.stringify cannot write a number beyond a double or nesting deeper
// than its stack: such values are placeholders replaced in the text.
const RAW_PREFIX = '\u0001raw:';

type Chooser = <T>(items: readonly T[]) => T;

const STRINGS = [
  '',
  'x',
  '😀 emoji',
  '\u0000nul',
  '\ud800 lone surrogate',
  'rtl \u202e override',
  'ä'.repeat(2_000),
  '__proto__',
  'constructor',
  '{"json":"in a string"}',
];
const RAW_NUMBERS = ['1e999', '-1e999', '123456789012345678901234567890', '-0', '0.0000000000000000000000001', '1E+2'];

/** A value of any JSON shape, possibly raw (see RAW_PREFIX). */
function weirdValue(random: () => number, pick: Chooser, depth = 0): unknown {
  switch (
    pick([
      'null',
      'bool',
      'number',
      'raw_number',
      'string',
      'array',
      'object',
      'deep',
      'empty_array',
      'empty_object',
    ] as const)
  ) {
    case 'null':
      return null;
    case 'bool':
      return random() < 0.5;
    case 'number':
      return pick([0, -1, 1.5, 4, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2]);
    case 'raw_number':
      return `${RAW_PREFIX}${pick(RAW_NUMBERS)}`;
    case 'string':
      return pick(STRINGS);
    case 'empty_array':
      return [];
    case 'empty_object':
      return {};
    case 'array':
      return depth > 2
        ? []
        : Array.from({ length: 1 + Math.floor(random() * 3) }, () => weirdValue(random, pick, depth + 1));
    case 'object':
      return depth > 2
        ? {}
        : { event: weirdValue(random, pick, depth + 1), name: weirdValue(random, pick, depth + 1), [pick(STRINGS)]: 1 };
    case 'deep': {
      const levels = pick([10, 300, 1_000, 5_000, 50_000]);
      const [open, close] = random() < 0.5 ? ['[', ']'] : ['{"a":', '}'];
      return `${RAW_PREFIX}${open.repeat(levels)}1${close.repeat(levels)}`;
    }
  }
}

function setAt(root: Record<string, unknown>, path: Path, value: unknown, remove: boolean): void {
  let at = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    if (typeof next !== 'object' || next === null) return; // an earlier mutation replaced a parent
    at = next as Record<string | number, unknown>;
  }
  const last = path.at(-1) as string | number;
  if (remove) {
    if (Array.isArray(at) && typeof last === 'number') at.splice(last, 1);
    else delete at[last];
  } else at[last] = value;
}

function toText(body: unknown): string {
  // Placeholders are JSON strings; put the raw JSON in their place.
  return JSON.stringify(body).replace(
    /"\\u0001raw:((?:[^"\\]|\\.)*)"/g,
    (_all, raw: string) => JSON.parse(`"${raw}"`) as string,
  );
}

const WHOLE_BODIES = [
  '',
  'null',
  '[]',
  '"a string"',
  '0',
  'true',
  '{',
  '}',
  '{"next_action":',
  '[{"next_action":"action_fuzz_yaml"}]',
  '\ufeff{}',
  '{"a":1,}',
  'NaN',
  "{'single':'quotes'}",
];

/**
 * `count` requests from `seed`, always the same ones for the same pair.
 * @example
 * for (const r of fuzzRequests(12, 1000)) await app.request('/webhook', { method: 'POST', body: r.body, headers: r.headers });
 */
export function* fuzzRequests(seed: number, count: number): Generator<FuzzRequest> {
  const random = seededRandom(seed);
  const pick: Chooser = (items) => items[Math.floor(random() * items.length)];
  const json = { 'content-type': 'application/json' };
  for (let i = 0; i < count; i += 1) {
    const roll = random();
    // Most calls are for a served action; some for an unknown one (404), and
    // the domain reader without a domain is a 449 once its digest is new.
    const body = rasaBody(random() < 0.9 ? pick(ACTIONS) : pick(['action_unknown', 'utter_greet', 'ACTION_FUZZ_YAML']));
    if (random() < 0.3) delete body.domain;
    if (random() < 0.1) body.domain_digest = `digest-${Math.floor(random() * 50)}`;
    if (roll < 0.08) {
      yield { body: toText(body), headers: json, mutation: 'none' };
    } else if (roll < 0.55) {
      const path = pick(BASE_PATHS);
      setAt(body, path, weirdValue(random, pick), false);
      yield { body: toText(body), headers: json, mutation: `replace ${path.join('.')}` };
    } else if (roll < 0.65) {
      const path = pick(BASE_PATHS);
      setAt(body, path, undefined, true);
      yield { body: toText(body), headers: json, mutation: `delete ${path.join('.')}` };
    } else if (roll < 0.75) {
      const paths = Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(BASE_PATHS));
      for (const path of paths) setAt(body, path, weirdValue(random, pick), random() < 0.3);
      yield { body: toText(body), headers: json, mutation: `several ${paths.map((p) => p.join('.')).join(', ')}` };
    } else if (roll < 0.85) {
      const text = toText(body);
      const at = Math.floor(random() * text.length);
      const edit = pick(['truncate', 'flip', 'insert'] as const);
      const mutated =
        edit === 'truncate'
          ? text.slice(0, at)
          : edit === 'flip'
            ? `${text.slice(0, at)}${pick(['"', '{', ']', ',', ':', '\\', 'x'])}${text.slice(at + 1)}`
            : `${text.slice(0, at)}${pick(STRINGS)}${text.slice(at)}`;
      yield { body: mutated, headers: json, mutation: `text ${edit} at ${at}` };
    } else if (roll < 0.93) {
      const whole =
        random() < 0.8
          ? pick(WHOLE_BODIES)
          : Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
      yield { body: whole, headers: random() < 0.5 ? json : {}, mutation: 'whole body' };
    } else {
      const text = toText(body);
      const encoding = pick([
        'deflate',
        'gzip',
        'x-gzip',
        'DEFLATE',
        'identity',
        'br',
        'compress',
        'deflate, gzip',
      ] as const);
      const garbage = random() < 0.3;
      const raw = garbage
        ? Buffer.from(text.slice(0, 40))
        : encoding.toLowerCase().includes('gzip')
          ? gzipSync(text)
          : encoding.toLowerCase() === 'deflate'
            ? deflateSync(text)
            : Buffer.from(text);
      yield {
        body: raw,
        headers: { ...json, 'content-encoding': encoding },
        mutation: `encoding ${encoding}${garbage ? ' (not compressed)' : ''}`,
      };
    }
  }
}
