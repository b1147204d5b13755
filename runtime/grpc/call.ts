/**
 * A `WebhookRequest` as the JSON body the HTTP webhook would have received
 * for it, so both transports share one path from there (runWebhook: action
 * lookup, domain choice, run, event checks). This is what rasa-sdk does with
 * `MessageToDict(request, preserving_proto_field_name=True)`, plus undoing
 * what the message types force on Rasa's JSON (PROTOCOL §6):
 * - proto3 leaves empty strings and `false` off the wire: the tracker's
 *   `sender_id`, `next_action`, `sender_id` and `version` are read back as
 *   `''`, other absent fields stay absent (the tracker's defaults apply);
 * - the domain's `intents`, `entities` and `actions` items are wrapped as
 *   `{string_value | dict_value}`: unwrapped to the string or the object;
 * - `active_loop` is a `map<string, string>`: `"true"`/`"false"` of its
 *   flags are read back as booleans.
 */
import type { ProtoStruct } from './struct.js';
import { structToJson } from './struct.js';

/** A list item of the domain that is either a name or a mapping (`Intent`, `Entity`, `Action`). */
interface NameOrDict {
  readonly string_value?: string;
  readonly dict_value?: ProtoStruct;
}

/** `Tracker` as proto-loader gives it. */
export interface TrackerMessage {
  readonly sender_id?: string;
  readonly slots?: ProtoStruct;
  readonly latest_message?: ProtoStruct;
  readonly events?: readonly ProtoStruct[];
  readonly paused?: boolean;
  readonly followup_action?: string;
  readonly active_loop?: Readonly<Record<string, string>>;
  readonly latest_action_name?: string;
  readonly stack?: readonly ProtoStruct[];
  readonly user_id?: string;
}

/** `Domain` as proto-loader gives it. */
export interface DomainMessage {
  readonly config?: ProtoStruct;
  readonly session_config?: ProtoStruct;
  readonly intents?: readonly NameOrDict[];
  readonly entities?: readonly NameOrDict[];
  readonly slots?: ProtoStruct;
  readonly responses?: ProtoStruct;
  readonly actions?: readonly NameOrDict[];
  readonly forms?: ProtoStruct;
  readonly e2e_actions?: readonly ProtoStruct[];
}

/** `WebhookRequest` as proto-loader gives it. */
export interface WebhookRequestMessage {
  readonly next_action?: string;
  readonly sender_id?: string;
  readonly tracker?: TrackerMessage;
  readonly domain?: DomainMessage;
  readonly version?: string;
  readonly domain_digest?: string;
}

/** The call as a webhook body; the caller checks its shape (`checkCall`), as for HTTP. */
export function callOf(request: WebhookRequestMessage): Record<string, unknown> {
  const call: Record<string, unknown> = {
    next_action: request.next_action ?? '',
    sender_id: request.sender_id ?? '',
    version: request.version ?? '',
  };
  if (request.tracker !== undefined) call.tracker = trackerOf(request.tracker);
  if (request.domain !== undefined) call.domain = domainOf(request.domain);
  if (request.domain_digest !== undefined) call.domain_digest = request.domain_digest;
  return call;
}

function trackerOf(t: TrackerMessage): Record<string, unknown> {
  const tracker: Record<string, unknown> = { sender_id: t.sender_id ?? '' };
  if (t.slots !== undefined) tracker.slots = structToJson(t.slots);
  if (t.latest_message !== undefined) tracker.latest_message = structToJson(t.latest_message);
  if (t.events !== undefined) tracker.events = t.events.map(structToJson);
  if (t.paused !== undefined) tracker.paused = t.paused;
  if (t.followup_action !== undefined) tracker.followup_action = t.followup_action;
  if (t.active_loop !== undefined) tracker.active_loop = loopOf(t.active_loop);
  if (t.latest_action_name !== undefined) tracker.latest_action_name = t.latest_action_name;
  if (t.stack !== undefined) tracker.stack = t.stack.map(structToJson);
  if (t.user_id !== undefined) tracker.user_id = t.user_id;
  return tracker;
}

/** Rasa's loop flags, which a `map<string, string>` can only carry as text. */
const LOOP_FLAGS: ReadonlySet<string> = new Set(['is_interrupted', 'rejected']);

function loopOf(map: Readonly<Record<string, string>>): Record<string, unknown> {
  const loop: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(map)) {
    if (!LOOP_FLAGS.has(key)) loop[key] = value;
    else if (value === 'true' || value === 'false') loop[key] = value === 'true';
  }
  return loop;
}

function domainOf(d: DomainMessage): Record<string, unknown> {
  const domain: Record<string, unknown> = {};
  for (const key of ['config', 'session_config', 'slots', 'responses', 'forms'] as const) {
    if (d[key] !== undefined) domain[key] = structToJson(d[key]);
  }
  for (const key of ['intents', 'entities', 'actions'] as const) {
    const items = d[key];
    if (items !== undefined) domain[key] = items.map((item) => (item.dict_value !== undefined ? structToJson(item.dict_value) : item.string_value ?? ''));
  }
  if (d.e2e_actions !== undefined) domain.e2e_actions = d.e2e_actions.map(structToJson);
  return domain;
}
