/**
 * A code action: when the requested time is taken, suggest the free times
 * closest to it. Ranking times by distance is easier to read in TypeScript
 * than in JSONata, so this one action is code; the HTTP work stays in
 * actions.yml.
 */
import { ActionRejection, events } from '../../runtime/index.js';
import type { CodeAction } from '../../runtime/index.js';

/** How many times to offer as buttons. */
const MAX_SUGGESTIONS = 3;

/**
 * `action_suggest_time`: reads `booking_time` and `available_times` (set by
 * check_restaurant_availability), sets `suggested_time` to the closest free
 * time and offers the closest few as buttons through `utter_suggest_time`.
 * @example
 * const server = await createActionServer({ actionsFile: 'actions.yml', codeActions: [suggestTime] });
 */
export const suggestTime: CodeAction = {
  name: 'action_suggest_time',
  run({ tracker, dispatcher }) {
    const wanted = minutesOf(tracker.slots['booking_time']);
    // Nothing to compare with: let Rasa pick another action (HTTP 400, docs/protocol.md#errors).
    if (wanted === null) throw new ActionRejection('No booking time to compare with yet.');
    const free = (Array.isArray(tracker.slots['available_times']) ? tracker.slots['available_times'] : []).filter(
      (t): t is string => minutesOf(t) !== null,
    );
    if (free.length === 0) return [events.slotSet('suggested_time', null)];
    const ranked = [...free].sort(
      (a, b) => Math.abs(minutesOf(a)! - wanted) - Math.abs(minutesOf(b)! - wanted) || a.localeCompare(b),
    );
    const best = ranked[0];
    dispatcher.utter({
      response: 'utter_suggest_time',
      time: best,
      buttons: ranked.slice(0, MAX_SUGGESTIONS).map((t) => ({ title: t, payload: `/SetSlots(booking_time=${t})` })),
    });
    return [events.slotSet('suggested_time', best)];
  },
};

/** Minutes after midnight of "19:30", or null. */
function minutesOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}
