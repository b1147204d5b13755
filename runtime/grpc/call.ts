/**
 * A `WebhookRequest`'s bytes as the JSON body the HTTP webhook would have
 * received for it, so both transports share one path from there
 * (runWebhook: action lookup, domain choice, run, event checks). This is
 * what rasa-sdk does with `MessageToDict(request,
 * preserving_proto_field_name=True)`, plus undoing what the message types
 * force on Rasa's JSON (docs/server.md#the-request-as-rasas-json):
 * - proto3 leaves empty strings and `false` off the wire: `next_action`,
 *   `sender_id`, `version` and the tracker's `sender_id` are read back as
 *   `''`, other absent fields stay absent (the tracker's defaults apply);
 * - the domain's `intents`, `entities` and `actions` items are wrapped as
 *   `{string_value | dict_value}`: unwrapped to the string or the object;
 * - `active_loop` is a `map<string, string>`: `"true"`/`"false"` of its
 *   flags are read back as booleans.
 * As the webhook does (parse-call.ts), the tracker's events are not even
 * decoded for an action that does not read them: the call has `events: []`.
 * A call with more than MAX_EVENTS events, read or skipped, is refused
 * (RESOURCE_EXHAUSTED) at the first one over: a 4 MiB message holds 2
 * million empty events, and building them blocked every other call for
 * most of a second.
 * Field numbers are those of proto/action_webhook.proto.
 */
import { status } from '@grpc/grpc-js';
import { refusal } from './call-limits.js';
import type { Refusal } from './call-limits.js';
import { MAX_EVENTS } from './defaults.js';
import { readStruct } from './struct-wire.js';
import { fieldOf, LENGTH_DELIMITED, VARINT, WireReader } from './wire.js';

/** Whether the action a call names (its `next_action`) reads the tracker's events. */
export type ReadsEvents = (nextAction: string) => boolean;

/**
 * The call as a webhook body; the caller checks its shape (`checkCall`), as
 * for HTTP. A refusal for a call over MAX_EVENTS. Throws WireError for
 * malformed bytes.
 */
export function decodeCall(buf: Buffer, readsEvents: ReadsEvents): Record<string, unknown> | Refusal {
  try {
    return readCall(buf, readsEvents);
  } catch (err) {
    if (!(err instanceof TooManyEvents)) throw err;
    return refusal({
      code: status.RESOURCE_EXHAUSTED,
      details: `the tracker has more than ${MAX_EVENTS} events, the server's limit`,
    });
  }
}

/** Stops reading at the first event over MAX_EVENTS, from however deep in the fields. */
class TooManyEvents extends Error {}

function readCall(buf: Buffer, readsEvents: ReadsEvents): Record<string, unknown> {
  const call: Record<string, unknown> = { next_action: '', sender_id: '', version: '' };
  const end = buf.length;
  // Serializers write fields in number order, but the wire does not promise it: the name is found first.
  const scan = new WireReader(buf);
  while (scan.pos < end) {
    const tag = scan.varint(end);
    if (tag === NEXT_ACTION) call.next_action = scan.string(end);
    else scan.skip(tag & 7, end);
  }
  const keepEvents = call.next_action !== '' && readsEvents(call.next_action as string);
  const r = new WireReader(buf);
  while (r.pos < end) {
    const tag = r.varint(end);
    if ((tag & 7) !== LENGTH_DELIMITED) {
      r.skip(tag & 7, end);
      continue;
    }
    switch (fieldOf(tag)) {
      case 2:
        call.sender_id = r.string(end);
        break;
      case 3:
        call.tracker = readTracker(r, r.delimited(end), keepEvents);
        break;
      case 4:
        call.domain = readDomain(r, r.delimited(end));
        break;
      case 5:
        call.version = r.string(end);
        break;
      case 6:
        call.domain_digest = r.string(end);
        break;
      default:
        r.skip(LENGTH_DELIMITED, end);
    }
  }
  return call;
}

/** `next_action` (field 1) as a length-delimited tag. */
const NEXT_ACTION = 1 * 8 + LENGTH_DELIMITED;

/** Tracker fields by number: the JSON key and how the value is read. */
const TRACKER_STRINGS: Readonly<Record<number, string>> = {
  1: 'sender_id',
  6: 'followup_action',
  8: 'latest_action_name',
  10: 'user_id',
};

function readTracker(r: WireReader, end: number, keepEvents: boolean): Record<string, unknown> {
  const tracker: Record<string, unknown> = { sender_id: '' };
  const events: unknown[] = [];
  const stack: unknown[] = [];
  let hasEvents = false;
  let eventCount = 0;
  let hasStack = false;
  while (r.pos < end) {
    const tag = r.varint(end);
    const field = fieldOf(tag);
    const type = tag & 7;
    const name = TRACKER_STRINGS[field];
    if (name !== undefined && type === LENGTH_DELIMITED) tracker[name] = r.string(end);
    else if (field === 2 && type === LENGTH_DELIMITED) tracker.slots = readStruct(r, r.delimited(end));
    else if (field === 3 && type === LENGTH_DELIMITED) tracker.latest_message = readStruct(r, r.delimited(end));
    else if (field === 4 && type === LENGTH_DELIMITED) {
      hasEvents = true;
      if (++eventCount > MAX_EVENTS) throw new TooManyEvents();
      if (keepEvents) events.push(readStruct(r, r.delimited(end)));
      else r.skip(type, end);
    } else if (field === 5 && type === VARINT) tracker.paused = r.varint(end) !== 0;
    else if (field === 7 && type === LENGTH_DELIMITED)
      tracker.active_loop = readLoopEntry(r, r.delimited(end), (tracker.active_loop ?? {}) as Record<string, unknown>);
    else if (field === 9 && type === LENGTH_DELIMITED) {
      hasStack = true;
      stack.push(readStruct(r, r.delimited(end)));
    } else r.skip(type, end);
  }
  if (hasEvents) tracker.events = events;
  if (hasStack) tracker.stack = stack;
  return tracker;
}

/** Rasa's loop flags, which a `map<string, string>` can only carry as text. */
const LOOP_FLAGS: ReadonlySet<string> = new Set(['is_interrupted', 'rejected']);

/** One entry of `active_loop` ({ key = 1, value = 2 }) into `loop`. */
function readLoopEntry(r: WireReader, end: number, loop: Record<string, unknown>): Record<string, unknown> {
  let key = '';
  let value = '';
  while (r.pos < end) {
    const tag = r.varint(end);
    const field = fieldOf(tag);
    if (field === 1 && (tag & 7) === LENGTH_DELIMITED) key = r.string(end);
    else if (field === 2 && (tag & 7) === LENGTH_DELIMITED) value = r.string(end);
    else r.skip(tag & 7, end);
  }
  if (!LOOP_FLAGS.has(key)) loop[key] = value;
  else if (value === 'true' || value === 'false') loop[key] = value === 'true';
  return loop;
}

/** Domain fields by number: its Struct fields, and its lists of names or mappings. */
const DOMAIN_STRUCTS: Readonly<Record<number, string>> = {
  1: 'config',
  2: 'session_config',
  5: 'slots',
  6: 'responses',
  8: 'forms',
};
const DOMAIN_NAME_LISTS: Readonly<Record<number, string>> = { 3: 'intents', 4: 'entities', 7: 'actions' };

function readDomain(r: WireReader, end: number): Record<string, unknown> {
  const domain: Record<string, unknown> = {};
  while (r.pos < end) {
    const tag = r.varint(end);
    const type = tag & 7;
    if (type !== LENGTH_DELIMITED) {
      r.skip(type, end);
      continue;
    }
    const field = fieldOf(tag);
    const struct = DOMAIN_STRUCTS[field];
    const list = DOMAIN_NAME_LISTS[field];
    if (struct !== undefined) domain[struct] = readStruct(r, r.delimited(end));
    else if (list !== undefined) ((domain[list] ??= []) as unknown[]).push(readNameOrDict(r, r.delimited(end)));
    else if (field === 9) ((domain.e2e_actions ??= []) as unknown[]).push(readStruct(r, r.delimited(end)));
    else r.skip(type, end);
  }
  return domain;
}

/** `Intent`, `Entity`, `Action`: { string string_value = 1; Struct dict_value = 2; }. */
function readNameOrDict(r: WireReader, end: number): unknown {
  let name = '';
  let dict: Record<string, unknown> | null = null;
  while (r.pos < end) {
    const tag = r.varint(end);
    const field = fieldOf(tag);
    if (field === 1 && (tag & 7) === LENGTH_DELIMITED) name = r.string(end);
    else if (field === 2 && (tag & 7) === LENGTH_DELIMITED) dict = readStruct(r, r.delimited(end));
    else r.skip(tag & 7, end);
  }
  return dict ?? name;
}
