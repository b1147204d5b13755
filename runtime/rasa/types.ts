/**
 * Wire types of the Rasa action-server protocol (docs/protocol.md#the-request),
 * as Rasa sends them to `POST /webhook`. Field comments follow rasa-sdk's
 * `rasa_sdk/types.py`; everything Rasa may omit is optional here and
 * defaulted by `trackerFromDict` (docs/protocol.md#the-trackers-defaults).
 */

/** A JSON object whose keys we do not interpret. */
export type JsonObject = Record<string, unknown>;

/** One entity of a user message (`latest_message.entities`). */
export interface EntityDict {
  /** entity type, e.g. `"city"` (required by Rasa's schema) */
  readonly entity: string;
  /** extracted value; any JSON (required by Rasa's schema) */
  readonly value: unknown;
  /** character offsets into the message text */
  readonly start?: number;
  readonly end?: number;
  /** confidence of the extractor, when it gives one */
  readonly confidence_entity?: number;
  /** name of the NLU component that found it */
  readonly extractor?: string | null;
  /** entity role (`from`/`to` …); null when the entity has none */
  readonly role?: string | null;
  /** entity group; null when the entity has none */
  readonly group?: string | null;
  readonly [extra: string]: unknown;
}

/** An intent with its confidence, as in `intent` and `intent_ranking`. */
export interface IntentDict {
  /** intent name, e.g. `"greet"` or `"nlu_fallback"`; null in Rasa's empty parse data (no NLU ran) */
  readonly name?: string | null;
  /** classifier confidence in [0, 1] */
  readonly confidence?: number;
  readonly [extra: string]: unknown;
}

/** Parse data of the latest user message (= `UserUttered.parse_data`). */
export interface LatestMessage {
  /** the user's text */
  readonly text?: string | null;
  /** top intent; `{}` or null in many CALM assistants */
  readonly intent?: IntentDict | null;
  /** all intents by confidence; what `intentOfLatestMessage` reads */
  readonly intent_ranking?: readonly IntentDict[];
  /** entities from NLU and policies */
  readonly entities?: readonly EntityDict[];
  /** id of the message in the channel */
  readonly message_id?: string | null;
  /** channel metadata */
  readonly metadata?: JsonObject | null;
  /** CALM commands, e.g. `{"command": "set slot", "name": …, "value": …}` */
  readonly commands?: readonly JsonObject[];
  readonly [extra: string]: unknown;
}

/**
 * An event as found in `tracker.events`: Rasa sends every event of the
 * conversation, including types this server never emits, so
 * only `event` is relied upon.
 */
export interface TrackerEvent {
  /** event type, e.g. `"user"`, `"slot"`, `"action"` */
  readonly event: string;
  /** Unix seconds (float) */
  readonly timestamp?: number | null;
  readonly [field: string]: unknown;
}

/** The active form / loop (`{}` when none). */
export interface ActiveLoopState {
  /** loop name; `"should_not_be_set"` means none (rasa-sdk) */
  readonly name?: string | null;
  readonly is_interrupted?: boolean;
  readonly rejected?: boolean;
  /** parse data of the message that triggered the loop; null when there was none (Rasa's `TrackerActiveLoop`) */
  readonly trigger_message?: JsonObject | null;
  readonly [extra: string]: unknown;
}

/**
 * The tracker as an action sees it: Rasa's
 * `DialogueStateTracker.current_state(EventVerbosity.ALL)` after
 * `trackerFromDict` filled the defaults (docs/protocol.md#the-trackers-defaults).
 */
export interface TrackerState {
  /** id of the conversation (required) */
  readonly sender_id: string;
  /** every domain slot, `null` when unset (incl. Rasa's internal slots) */
  readonly slots: JsonObject;
  /** parse data of the latest user message; `{}` when there is none */
  readonly latest_message: LatestMessage;
  /** all events of the conversation, not only since the last restart */
  readonly events: readonly TrackerEvent[];
  /** whether the bot ignores user messages */
  readonly paused: boolean;
  /** a deterministically scheduled next action */
  readonly followup_action: string | null;
  /** the active loop; falls back to the legacy `active_form`, else `{}` */
  readonly active_loop: ActiveLoopState;
  /** name of the previous action or text of an end-to-end action */
  readonly latest_action_name: string | null;
  /** CALM dialogue stack frames, top last; `[]` on NLU bots and old Rasa */
  readonly stack: readonly JsonObject[];
  /** user id (rasa-sdk ≥ 3.16; not sent by every Rasa) */
  readonly user_id: string | null;
  /** Unix seconds of the last event, when Rasa sent it */
  readonly latest_event_time?: number | null;
  /** input channel of the latest `user` event, when Rasa sent it */
  readonly latest_input_channel?: string | null;
  /** `{"action_name": …}` or `{"action_text": …}` of the previous action */
  readonly latest_action?: JsonObject | null;
}

/**
 * The domain (Rasa's `Domain.as_dict()`). Lists may hold strings
 * or one-key objects; slot `type` is a Python class path. Unknown keys are
 * kept and ignored.
 */
export interface DomainDict {
  /** e.g. `{"store_entities_as_slots": true}` */
  readonly config?: JsonObject;
  readonly session_config?: JsonObject;
  /** `"greet"` or `{"inform": {"use_entities": true}}` */
  readonly intents?: readonly (string | JsonObject)[];
  readonly entities?: readonly (string | JsonObject)[];
  /** slot name → `{type, initial_value, mappings, values?, …}` */
  readonly slots?: Record<string, JsonObject>;
  /** response name → its variations */
  readonly responses?: Record<string, readonly JsonObject[]>;
  /** `"action_x"` or `{"action_x": {"send_domain": true}}` */
  readonly actions?: readonly (string | JsonObject)[];
  /** form name → `{"required_slots": [...]}` */
  readonly forms?: Record<string, JsonObject>;
  readonly e2e_actions?: readonly unknown[];
  readonly [extra: string]: unknown;
}

/** The body of `POST /webhook` (rasa-sdk's `ActionCall`). */
export interface WebhookRequest {
  /** the action to run; missing/empty → `200 null` */
  readonly next_action?: string | null;
  /** conversation id (same as `tracker.sender_id`) */
  readonly sender_id?: string;
  /** the tracker as Rasa sent it, before defaults */
  readonly tracker?: JsonObject;
  /** always present on old Rasa; on Rasa Pro ≥ 3.9 only after a 449 */
  readonly domain?: DomainDict | null;
  /** opaque cache key of the domain (Rasa Pro ≥ 3.9: docs/protocol.md#the-domain-digest-and-449) */
  readonly domain_digest?: string | null;
  /** Rasa version, e.g. `"3.13.4"` */
  readonly version?: string | null;
  readonly [extra: string]: unknown;
}

/** A button of a bot message (`payload` may be `/intent{…}` or `/SetSlots(…)`). */
export interface Button {
  readonly title: string;
  readonly payload?: string;
  readonly [extra: string]: unknown;
}

/**
 * One entry of the response's `responses` list: rasa-sdk's eight keys,
 * always present (docs/protocol.md#bot-messages), plus extra keys at top
 * level that Rasa passes to the response template as variables.
 */
export interface BotMessage {
  /** text to send; null when a domain response is used */
  text: string | null;
  /** buttons appended to the rendered response */
  buttons: Button[];
  /** carousel elements */
  elements: unknown[];
  /** channel-specific JSON (`json_message` in rasa-sdk) */
  custom: JsonObject;
  /** deprecated alias of `response`, always equal to it */
  template: string | null;
  /** domain response to render, e.g. `"utter_greet"` */
  response: string | null;
  /** image URL */
  image: string | null;
  /** attachment (URL or object) */
  attachment: unknown;
  /** template variables and channel extras (`quick_replies` …) */
  [extra: string]: unknown;
}
