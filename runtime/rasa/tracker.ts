/**
 * Pure helpers over the tracker, mirroring rasa-sdk's `Tracker` class
 * as functions. They read events defensively: Rasa sends every event
 * type, including ones this module does not know
 * (docs/protocol.md#the-trackers-defaults).
 */
import type { ActiveLoopState, JsonObject, LatestMessage, TrackerEvent, TrackerState } from './types.js';
import { CallShapeError, checkTracker } from './call-check.js';

const ACTION_LISTEN = 'action_listen';
const NLU_FALLBACK_INTENT = 'nlu_fallback';

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

// A tracker that passed `checkTracker`: the wire types, before defaults.
interface CheckedTracker {
  readonly sender_id: string;
  readonly slots?: JsonObject | null;
  readonly latest_message?: LatestMessage | null;
  readonly latest_event_time?: number | null;
  readonly followup_action?: string | null;
  readonly paused?: boolean | null;
  readonly stack?: readonly JsonObject[] | null;
  readonly events?: readonly TrackerEvent[] | null;
  readonly latest_input_channel?: string | null;
  readonly active_loop?: ActiveLoopState | null;
  readonly active_form?: ActiveLoopState | null;
  readonly latest_action?: JsonObject | null;
  readonly latest_action_name?: string | null;
  readonly user_id?: string | null;
}

/**
 * Fill rasa-sdk's defaults (`Tracker.from_dict`): `slots {}`,
 * `latest_message {}` (also for null), `events []`, `paused false`,
 * `active_loop` ← `active_loop` or the legacy `active_form` or `{}`,
 * `stack []`, `user_id null`. Unknown keys are ignored, as Rasa's newer
 * fields must not break a call.
 * The shape is checked first (`checkTracker`), so every helper here can
 * trust it; nothing is copied or filtered: trackers can be megabytes, and
 * a copy (`structuredClone`) costs more than twice their `JSON.parse`.
 * @throws CallShapeError (a TypeError) naming the first field of the wrong
 *   shape, e.g. a missing `sender_id` (rasa-sdk requires it too)
 */
export function trackerFromDict(state: unknown): TrackerState {
  const problem = checkTracker(state);
  if (problem !== null) throw new CallShapeError(problem);
  return trackerWithDefaults(state as Record<string, unknown>);
}

/**
 * `trackerFromDict` for a tracker that already passed `checkTracker` (the
 * webhook checks the whole call, tracker included, before it runs
 * anything: checking a large tracker twice per call would be wasted).
 * @param state - a tracker for which `checkTracker` returned null
 * @param keepEvents - false for an action that never reads them: the events
 *   are left behind, so they need not outlive the call's parsing. Default: true
 */
export function trackerWithDefaults(state: Record<string, unknown>, keepEvents = true): TrackerState {
  const s = state as unknown as CheckedTracker;
  return {
    sender_id: s.sender_id,
    slots: s.slots ?? {},
    latest_message: s.latest_message ?? {},
    events: keepEvents ? (s.events ?? []) : [],
    paused: s.paused ?? false,
    followup_action: s.followup_action ?? null,
    active_loop: s.active_loop ?? s.active_form ?? {},
    latest_action_name: s.latest_action_name ?? null,
    stack: s.stack ?? [],
    user_id: s.user_id ?? null,
    latest_event_time: s.latest_event_time ?? null,
    latest_input_channel: s.latest_input_channel ?? null,
    latest_action: s.latest_action ?? null,
  };
}

/** A slot's value, or null when the slot is absent (`get_slot`). */
export function getSlot(tracker: TrackerState, name: string): unknown {
  return Object.hasOwn(tracker.slots, name) ? tracker.slots[name] : null;
}

/**
 * Values of the latest message's entities of a type (`get_latest_entity_values`).
 * `role` and `group` must match exactly: null (the default) matches only
 * entities without a role/group, as in rasa-sdk.
 */
export function latestEntityValues(
  tracker: TrackerState,
  entity: string,
  role: string | null = null,
  group: string | null = null,
): unknown[] {
  const entities = tracker.latest_message.entities ?? [];
  return entities
    .filter((e) => e.entity === entity && (e.role ?? null) === role && (e.group ?? null) === group)
    .map((e) => e.value);
}

/**
 * Intent of the latest message (`get_intent_of_latest_message`): the top
 * of `intent_ranking`, not `intent`. When it is `nlu_fallback` and
 * `skipFallback` is set, the second entry (or null).
 */
export function intentOfLatestMessage(tracker: TrackerState, skipFallback = true): string | null {
  const ranking = tracker.latest_message.intent_ranking;
  if (!Array.isArray(ranking) || ranking.length === 0) return null;
  const top = stringOrNull(ranking[0]?.name);
  if (top === NLU_FALLBACK_INTENT && skipFallback) return stringOrNull(ranking[1]?.name);
  return top;
}

/** `input_channel` of the last `user` event (`get_latest_input_channel`). */
export function latestInputChannel(tracker: TrackerState): string | null {
  for (let i = tracker.events.length - 1; i >= 0; i -= 1) {
    const e = tracker.events[i];
    if (e?.event === 'user') return stringOrNull(e.input_channel);
  }
  return null;
}

/** Index after the last `restart` event; 0 without one (`idx_after_latest_restart`). */
export function idxAfterLatestRestart(tracker: TrackerState): number {
  for (let i = tracker.events.length - 1; i >= 0; i -= 1) {
    if (tracker.events[i]?.event === 'restart') return i + 1;
  }
  return 0;
}

/** Events after the last `restart` (`events_after_latest_restart`). */
export function eventsAfterLatestRestart(tracker: TrackerState): readonly TrackerEvent[] {
  return tracker.events.slice(idxAfterLatestRestart(tracker));
}

/** Whether the conversation is paused (`is_paused`). */
export function isPaused(tracker: TrackerState): boolean {
  return tracker.paused;
}

/** Name of the active loop, or null (also for rasa-sdk's `"should_not_be_set"`). */
export function activeLoopName(tracker: TrackerState): string | null {
  const name = tracker.active_loop.name;
  return typeof name === 'string' && name !== '' && name !== 'should_not_be_set' ? name : null;
}

// Drops events from the end up to and including the last of `type` (rasa-sdk's undo_till_previous).
function undoTillPrevious(type: string, done: TrackerEvent[]): void {
  while (done.length > 0) {
    if (done.pop()?.event === type) return;
  }
}

/**
 * Events that still apply (`applied_events`): `restart` clears,
 * `undo` drops back to the previous `action`, `rewind` drops back to the
 * previous `user` and then the previous `action`.
 */
export function appliedEvents(tracker: TrackerState): TrackerEvent[] {
  let applied: TrackerEvent[] = [];
  for (const e of tracker.events) {
    if (e.event === 'restart') applied = [];
    else if (e.event === 'undo') undoTillPrevious('action', applied);
    else if (e.event === 'rewind') {
      // A user turn implies an action_listen right before it: drop both.
      undoTillPrevious('user', applied);
      undoTillPrevious('action', applied);
    } else applied.push(e);
  }
  return applied;
}

/** Options of `getLastEventFor`. */
export interface LastEventOptions {
  /** action names to ignore (only for `action` events). Default: [] */
  readonly exclude?: readonly string[];
  /** matches to skip, newest first. Default: 0 */
  readonly skip?: number;
}

/** The last applied event of a type (`get_last_event_for`), or null. */
export function getLastEventFor(
  tracker: TrackerState,
  type: string,
  options: LastEventOptions = {},
): TrackerEvent | null {
  const { exclude = [], skip = 0 } = options;
  let toSkip = skip;
  const applied = appliedEvents(tracker);
  for (let i = applied.length - 1; i >= 0; i -= 1) {
    const e = applied[i];
    if (e === undefined || e.event !== type) continue;
    if (e.event === 'action' && exclude.includes(e.name as string)) continue;
    if (toSkip === 0) return e;
    toSkip -= 1;
  }
  return null;
}

/** Whether the last action other than `action_listen` has this name (`last_executed_action_has`). */
export function lastExecutedActionHas(tracker: TrackerState, name: string, skip = 0): boolean {
  const last = getLastEventFor(tracker, 'action', { exclude: [ACTION_LISTEN], skip });
  return last !== null && last.name === name;
}

/**
 * Slot candidates to validate (`slots_to_validate`): the trailing run of
 * `slot` events at the very end of `events`, which is where Rasa appends
 * the values it extracted (docs/protocol.md#validation-actions).
 */
export function slotsToValidate(tracker: TrackerState): Record<string, unknown> {
  let start = tracker.events.length;
  while (start > 0 && tracker.events[start - 1]?.event === 'slot') start -= 1;
  const slots: Record<string, unknown> = {};
  for (const e of tracker.events.slice(start)) {
    if (typeof e.name === 'string') slots[e.name] = e.value ?? null;
  }
  return slots;
}

/** The top frame of the CALM dialogue stack (last element), or null. */
export function topStackFrame(tracker: TrackerState): JsonObject | null {
  return tracker.stack.at(-1) ?? null;
}

/**
 * The slot a CALM collect step is asking for: `collect` of the top frame
 * when it is a `pattern_collect_information` frame, else null.
 */
export function collectingSlot(tracker: TrackerState): string | null {
  const top = topStackFrame(tracker);
  const pattern = 'pattern_collect_information';
  if (top === null || (top.type !== pattern && top.flow_id !== pattern)) return null;
  return stringOrNull(top.collect);
}
