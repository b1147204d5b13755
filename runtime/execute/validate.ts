/**
 * The validation sugar (DESIGN.md, PROTOCOL.md §4.2–4.5): `validate_<slot>`
 * for CALM collect steps and `validate_<form>` for NLU forms.
 */
import type { SlotCheckPlan, ValidatePlan } from '../compile/index.js';
import { slotSet, slotsToValidate } from '../rasa/index.js';
import type { ActionOutput, TrackerState } from '../rasa/index.js';
import { evaluate, holds } from './evaluate.js';
import { messagesOf, slotEvent } from './outcome.js';
import type { OutcomeContext } from './outcome.js';
import { withNames } from './scope.js';
import type { Scope } from './scope.js';

/** The slot values to check on this call; empty means there is nothing to do (and no call is made). */
export function candidates(plan: ValidatePlan, tracker: TrackerState): [string, unknown, SlotCheckPlan][] {
  if (plan.kind === 'slot') {
    // The collect pattern runs validate_<slot> once before asking: the slot
    // is still null then, and the action must do nothing (checklist 28).
    const value = tracker.slots?.[plan.slot];
    return value === null || value === undefined ? [] : [[plan.slot, value, plan.check]];
  }
  // Forms: the trailing slot events are the candidates Rasa just extracted;
  // candidates without a check are not mentioned, so Rasa keeps them (checklist 27).
  return Object.entries(slotsToValidate(tracker)).flatMap(([slot, value]) => {
    const check = plan.checks.get(slot);
    return check ? [[slot, value, check] as [string, unknown, SlotCheckPlan]] : [];
  });
}

/** Accepts (normalised) or rejects (null + messages) each candidate. */
export async function validateCandidates(list: readonly [string, unknown, SlotCheckPlan][], scope: Scope, cx: OutcomeContext): Promise<ActionOutput> {
  const out: ActionOutput = { events: [], responses: [] };
  for (const [slot, value, check] of list) {
    const valueScope = withNames(scope, { value });
    if (await holds(check.acceptWhen, valueScope)) {
      out.events.push(slotEvent(slot, check.normalize ? await evaluate(check.normalize, valueScope) : value, cx));
      continue;
    }
    out.events.push(slotSet(slot, null));
    for (const [other, compiled] of check.onReject.slots) out.events.push(slotEvent(other, await evaluate(compiled, valueScope), cx));
    out.responses.push(...(await messagesOf(check.onReject.responses, valueScope)));
  }
  return out;
}
