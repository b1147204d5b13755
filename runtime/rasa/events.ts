/**
 * One builder per event an action may return, as rasa-sdk's
 * `events.py`: plain wire objects with `timestamp: null` (Rasa stamps
 * "now"). Each builder only produces shapes that pass the response schema
 * Rasa enforces (docs/protocol.md#events), e.g. `slot` always has `value`
 * and `user` always has an object `parse_data`.
 */
import type { EntityDict, JsonObject } from './types.js';

/** Fields every event carries (docs/protocol.md#events). */
export interface EventEnvelope<T extends string> {
  /** event type */
  readonly event: T;
  /** Unix seconds, or null for "now" (an ISO string is schema-invalid) */
  readonly timestamp: number | null;
  /** optional metadata object */
  readonly metadata?: JsonObject | null;
}

/** `slot`: sets a slot; `value` null unsets it. */
export interface SlotEvent extends EventEnvelope<'slot'> {
  readonly name: string;
  readonly value: unknown;
}
/** `followup` and `active_loop`: a name (null deactivates the loop). */
export interface NamedEvent<T extends 'followup' | 'active_loop'> extends EventEnvelope<T> {
  readonly name: T extends 'followup' ? string : string | null;
}
/** `reminder`: injects `intent` at `date_time`. */
export interface ReminderEvent extends EventEnvelope<'reminder'> {
  readonly intent: string;
  /** ISO 8601 */
  readonly date_time: string;
  readonly entities: readonly EntityDict[] | Record<string, string> | null;
  /** null → Rasa picks a random name; same name overwrites */
  readonly name: string | null;
  readonly kill_on_user_msg: boolean;
}
/** `cancel_reminder`: cancels matching reminders; all null cancels all. */
export interface CancelReminderEvent extends EventEnvelope<'cancel_reminder'> {
  readonly name: string | null;
  readonly intent: string | null;
  readonly entities: readonly EntityDict[] | Record<string, string> | null;
}
/** `action` (logged as executed) or `action_execution_rejected`. */
export interface ActionEvent<T extends 'action' | 'action_execution_rejected'> extends EventEnvelope<T> {
  readonly name: string;
  readonly policy: string | null;
  readonly confidence: number | null;
}
/** `user`: a user turn; `parse_data` must be an object, or Rasa's schema refuses it. */
export interface UserEvent extends EventEnvelope<'user'> {
  readonly text: string | null;
  readonly parse_data: JsonObject;
  readonly input_channel: string | null;
}
/** `bot` and `agent`: an utterance with channel `data`. */
export interface UtteranceEvent<T extends 'bot' | 'agent'> extends EventEnvelope<T> {
  readonly text: string | null;
  readonly data: JsonObject | null;
}
/** `loop_interrupted`. */
export interface LoopInterruptedEvent extends EventEnvelope<'loop_interrupted'> {
  readonly is_interrupted: boolean;
}
/** `entities`: stored, but no effect when returned by an action. */
export interface EntitiesEvent extends EventEnvelope<'entities'> {
  readonly entities: readonly EntityDict[];
}
/** Events with no fields of their own. */
export type BareEventType =
  'reset_slots' | 'restart' | 'session_started' | 'session_ended' | 'pause' | 'resume' | 'rewind' | 'undo';

/** Every event shape an action can build with this module. */
export type RasaEvent =
  | SlotEvent
  | NamedEvent<'followup'>
  | NamedEvent<'active_loop'>
  | ReminderEvent
  | CancelReminderEvent
  | ActionEvent<'action'>
  | ActionEvent<'action_execution_rejected'>
  | UserEvent
  | UtteranceEvent<'bot'>
  | UtteranceEvent<'agent'>
  | LoopInterruptedEvent
  | EntitiesEvent
  | EventEnvelope<BareEventType>;

/**
 * `slot`: set a slot. `undefined` becomes `null`, because JSON drops an
 * undefined value and Rasa's schema requires the key.
 * @example slotSet('has_availability', true)
 */
export function slotSet(name: string, value: unknown): SlotEvent {
  return { event: 'slot', timestamp: null, name, value: value === undefined ? null : value };
}

/** `reset_slots`: all slots back to their initial values. */
export function allSlotsReset(): EventEnvelope<'reset_slots'> {
  return { event: 'reset_slots', timestamp: null };
}

/** `restart`: reset the tracker; Rasa schedules `action_session_start`. */
export function restarted(): EventEnvelope<'restart'> {
  return { event: 'restart', timestamp: null };
}

/** `session_started`: new session marker. */
export function sessionStarted(): EventEnvelope<'session_started'> {
  return { event: 'session_started', timestamp: null };
}

/**
 * `session_ended`: ends the conversation for good. Newest Rasa Pro only:
 * emitted only with the `'pro'` event target (docs/protocol.md#which-event-types-each-rasa-accepts).
 */
export function sessionEnded(metadata: JsonObject | null = null): EventEnvelope<'session_ended'> {
  return { event: 'session_ended', timestamp: null, metadata };
}

/**
 * `followup`: force the next action (ignored by Rasa when not in the domain).
 * @example followupAction('action_listen')
 */
export function followupAction(name: string): NamedEvent<'followup'> {
  return { event: 'followup', timestamp: null, name };
}

/** Options of `reminderScheduled`. */
export interface ReminderOptions {
  /** entities injected with the intent. Default: null */
  readonly entities?: readonly EntityDict[] | Record<string, string> | null;
  /** reminder name; the same name overwrites. Default: null (random) */
  readonly name?: string | null;
  /** cancel when the user writes first. Default: true */
  readonly killOnUserMessage?: boolean;
}

/** `reminder`: inject `intent` at `at` (a Date or an ISO 8601 string). */
export function reminderScheduled(intent: string, at: Date | string, options: ReminderOptions = {}): ReminderEvent {
  const { entities = null, name = null, killOnUserMessage = true } = options;
  const dateTime = typeof at === 'string' ? at : at.toISOString();
  return {
    event: 'reminder',
    timestamp: null,
    intent,
    date_time: dateTime,
    entities,
    name,
    kill_on_user_msg: killOnUserMessage,
  };
}

/** `cancel_reminder`: cancel by name and/or intent; no arguments cancels all. */
export function reminderCancelled(
  options: {
    readonly name?: string | null;
    readonly intent?: string | null;
    readonly entities?: readonly EntityDict[] | Record<string, string> | null;
  } = {},
): CancelReminderEvent {
  const { name = null, intent = null, entities = null } = options;
  return { event: 'cancel_reminder', timestamp: null, name, intent, entities };
}

/** `pause`: the bot ignores user messages. */
export function conversationPaused(): EventEnvelope<'pause'> {
  return { event: 'pause', timestamp: null };
}

/** `resume`: undo `pause`. */
export function conversationResumed(): EventEnvelope<'resume'> {
  return { event: 'resume', timestamp: null };
}

/** `rewind`: revert back to before the latest user message. */
export function userUtteranceReverted(): EventEnvelope<'rewind'> {
  return { event: 'rewind', timestamp: null };
}

/** `undo`: revert the last action and its events. */
export function actionReverted(): EventEnvelope<'undo'> {
  return { event: 'undo', timestamp: null };
}

/** `action`: log an action as executed. */
export function actionExecuted(
  name: string,
  policy: string | null = null,
  confidence: number | null = null,
): ActionEvent<'action'> {
  return { event: 'action', timestamp: null, name, policy, confidence };
}

/** `action_execution_rejected`: marks the loop rejected when it names it. */
export function actionExecutionRejected(
  name: string,
  policy: string | null = null,
  confidence: number | null = null,
): ActionEvent<'action_execution_rejected'> {
  return { event: 'action_execution_rejected', timestamp: null, name, policy, confidence };
}

/**
 * `user`: add a user turn. `parse_data` defaults to `{}`, not null: a null
 * fails Rasa's schema, which rasa-sdk's own helper emits.
 */
export function userUttered(
  text: string | null,
  parseData: JsonObject = {},
  inputChannel: string | null = null,
): UserEvent {
  return { event: 'user', timestamp: null, text, parse_data: parseData, input_channel: inputChannel };
}

/** `bot`: an utterance that Rasa also delivers to the channel. */
export function botUttered(
  text: string | null = null,
  data: JsonObject | null = null,
  metadata: JsonObject | null = null,
): UtteranceEvent<'bot'> {
  return { event: 'bot', timestamp: null, text, data, metadata };
}

/** `agent`: logged only. */
export function agentUttered(text: string | null = null, data: JsonObject | null = null): UtteranceEvent<'agent'> {
  return { event: 'agent', timestamp: null, text, data };
}

/** `active_loop`: activate a form/loop; null deactivates. */
export function activeLoop(name: string | null): NamedEvent<'active_loop'> {
  return { event: 'active_loop', timestamp: null, name };
}

/** `loop_interrupted`. */
export function loopInterrupted(isInterrupted: boolean): LoopInterruptedEvent {
  return { event: 'loop_interrupted', timestamp: null, is_interrupted: isInterrupted };
}

/** `entities`: valid, but Rasa ignores it from an action (docs/protocol.md#events). */
export function entitiesAdded(entities: readonly EntityDict[]): EntitiesEvent {
  return { event: 'entities', timestamp: null, entities };
}
