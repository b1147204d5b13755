/**
 * Webhook calls shaped like the ones Rasa sends (docs/protocol.md#the-request): the full
 * tracker of a CALM conversation (slots incl. Rasa's own, latest message,
 * events, stack) and the domain as `Domain.as_dict()` writes it, with slot
 * types as Python class paths.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** Short slot types of domain.yml → the class path Rasa puts on the wire. */
const SLOT_CLASSES: Record<string, string> = {
  text: 'rasa.shared.core.slots.TextSlot',
  bool: 'rasa.shared.core.slots.BooleanSlot',
  float: 'rasa.shared.core.slots.FloatSlot',
  list: 'rasa.shared.core.slots.ListSlot',
  categorical: 'rasa.shared.core.slots.CategoricalSlot',
  any: 'rasa.shared.core.slots.AnySlot',
};

/** A slot as domain.yml declares it. */
export interface SlotDecl {
  readonly type: string;
  readonly values?: readonly string[];
  readonly mappings?: readonly Record<string, unknown>[];
}

/** A wire domain (`Domain.as_dict()`). */
export interface WireDomain {
  readonly config: Record<string, unknown>;
  readonly session_config: Record<string, unknown>;
  readonly intents: readonly string[];
  readonly entities: readonly string[];
  readonly slots: Record<string, Record<string, unknown>>;
  readonly responses: Record<string, unknown>;
  readonly actions: readonly string[];
  readonly forms: Record<string, unknown>;
  readonly e2e_actions: readonly string[];
}

/** The wire domain of slot declarations (and, optionally, responses and actions). */
export function wireDomain(
  slots: Record<string, SlotDecl | string>,
  extra: { responses?: Record<string, unknown>; actions?: readonly string[] } = {},
): WireDomain {
  const wire: Record<string, Record<string, unknown>> = {};
  for (const [name, decl] of Object.entries(slots)) {
    const d: SlotDecl = typeof decl === 'string' ? { type: decl } : decl;
    const type = SLOT_CLASSES[d.type];
    if (!type) throw new Error(`slot ${name}: no class path for type ${d.type}`);
    wire[name] = {
      type,
      initial_value: null,
      influence_conversation: true,
      mappings: d.mappings ?? [{ type: 'from_llm' }],
      ...(d.values ? { values: d.values } : {}),
    };
  }
  return {
    config: { store_entities_as_slots: true },
    session_config: { session_expiration_time: 60, carry_over_slots_to_new_session: true },
    intents: [],
    entities: [],
    slots: wire,
    responses: extra.responses ?? {},
    actions: extra.actions ?? [],
    forms: {},
    e2e_actions: [],
  };
}

/** The wire domain of a domain.yml file. */
export function domainFromFile(file: URL): WireDomain {
  const doc = parse(readFileSync(file, 'utf8')) as {
    slots: Record<string, SlotDecl>;
    responses?: Record<string, unknown>;
    actions?: string[];
  };
  return wireDomain(doc.slots, { responses: doc.responses ?? {}, actions: doc.actions ?? [] });
}

/** What a call carries besides the action name. */
export interface CallOptions {
  /** slot values; every other domain slot is sent as null, as Rasa does */
  readonly slots?: Record<string, unknown>;
  /** the latest user message text */
  readonly text?: string;
  /** identifies the user turn (Rasa's message_id); same id → same Idempotency-Key. Default: a new id, as every user message has */
  readonly messageId?: string;
  /** the flow on top of the dialogue stack */
  readonly flow?: string;
  /** the slot a CALM collect step is asking for (a pattern_collect_information frame) */
  readonly collecting?: string;
  readonly domain?: WireDomain;
  readonly senderId?: string;
}

/** A `POST /webhook` body as Rasa Pro 3.13 sends it. */
export function rasaCall(action: string, options: CallOptions = {}): Record<string, unknown> {
  const {
    slots = {},
    text = 'hi',
    messageId = `msg-${randomUUID()}`,
    flow = 'example_flow',
    collecting,
    domain,
    senderId = 'example-user',
  } = options;
  const allSlots: Record<string, unknown> = {
    requested_slot: null,
    session_started_metadata: null,
    dialogue_stack: null,
    flow_hashes: null,
  };
  for (const name of Object.keys(domain?.slots ?? {})) allSlots[name] = null;
  Object.assign(allSlots, slots);
  const parseData = {
    text,
    intent: {},
    intent_ranking: [],
    entities: [],
    message_id: messageId,
    metadata: {},
    commands: [{ command: 'start flow', flow }],
  };
  const stack: Record<string, unknown>[] = [
    { frame_id: 'F1RST001', flow_id: flow, step_id: `0_${action}`, frame_type: 'regular', type: 'flow' },
  ];
  if (collecting) {
    stack.push({
      frame_id: 'C0LLECT1',
      flow_id: 'pattern_collect_information',
      step_id: 'start',
      type: 'pattern_collect_information',
      collect: collecting,
      utter: `utter_ask_${collecting}`,
      collect_action: `action_ask_${collecting}`,
      rejections: [],
    });
  }
  const t = 1_717_243_200;
  const events: Record<string, unknown>[] = [
    {
      event: 'action',
      timestamp: t,
      name: 'action_session_start',
      policy: null,
      confidence: 1,
      action_text: null,
      hide_rule_turn: false,
    },
    { event: 'session_started', timestamp: t + 0.01 },
    {
      event: 'action',
      timestamp: t + 0.02,
      name: 'action_listen',
      policy: null,
      confidence: null,
      action_text: null,
      hide_rule_turn: false,
    },
    {
      event: 'user',
      timestamp: t + 5,
      text,
      parse_data: parseData,
      input_channel: 'rest',
      message_id: messageId,
      metadata: {},
    },
    ...Object.entries(slots).map(([name, value], i) => ({ event: 'slot', timestamp: t + 5.1 + i / 100, name, value })),
  ];
  return {
    next_action: action,
    sender_id: senderId,
    version: '3.13.4',
    domain_digest: 'examples-domain-digest',
    tracker: {
      sender_id: senderId,
      slots: allSlots,
      latest_message: parseData,
      latest_event_time: t + 5.2,
      followup_action: null,
      paused: false,
      stack,
      events,
      latest_input_channel: 'rest',
      active_loop: {},
      latest_action: { action_name: 'action_listen' },
      latest_action_name: 'action_listen',
    },
    ...(domain ? { domain } : {}),
  };
}

/** The slot events of an answer as `{ name: value }`. */
export function slotsOf(events: readonly Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of events) if (e['event'] === 'slot') out[e['name'] as string] = e['value'];
  return out;
}
