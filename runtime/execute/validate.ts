/**
 * The validation sugar (docs/actions-yml.md#validation-actions): `validate_<slot>`
 * for CALM collect steps and `validate_<form>` for NLU forms, answering as
 * Rasa expects (docs/protocol.md#validation-actions).
 */
import type { SlotCheckPlan, ValidatePlan } from '../compile/index.js';
import { slotSet, slotsToValidate } from '../rasa/index.js';
import type { ActionOutput, TrackerState } from '../rasa/index.js';
import { evaluate, ExpressionError, holds } from './evaluate.js';
import { messagesOf, slotEvent } from './outcome.js';
import type { OutcomeContext } from './outcome.js';
import { withNames } from './scope.js';
import type { Scope } from './scope.js';

/** The slot values to check on this call; empty means there is nothing to do (and no call is made). */
export function candidates(plan: ValidatePlan, tracker: TrackerState): Candidate[] {
  if (plan.kind === 'slot') {
    // The collect pattern runs validate_<slot> once before asking: the slot
    // is still null then, and the action must do nothing.
    const value = tracker.slots?.[plan.slot];
    return value === null || value === undefined ? [] : [[plan.slot, value, plan.check]];
  }
  // Forms: the trailing slot events are the candidates Rasa just extracted;
  // candidates without a check are not mentioned, so Rasa keeps them.
  return Object.entries(slotsToValidate(tracker)).flatMap(([slot, value]) => {
    const check = plan.checks.get(slot);
    return check ? [[slot, value, check] as Candidate] : [];
  });
}

/** A slot value to check: the slot, the value Rasa holds, and its check. */
export type Candidate = [string, unknown, SlotCheckPlan];

/**
 * Accepts (normalised) or rejects (null + messages) each candidate. A check
 * that cannot be evaluated on this value (`$number("four")`) rejects it: a
 * validator that fails must not let the value through.
 */
export async function validateCandidates(
  list: readonly Candidate[],
  scope: Scope,
  cx: OutcomeContext,
): Promise<ActionOutput> {
  const out: ActionOutput = { events: [], responses: [] };
  for (const [slot, value, check] of list) {
    const valueScope = withNames(scope, { value });
    const accepted = await accept(check, valueScope).catch((err: unknown) => {
      if (!(err instanceof ExpressionError)) throw err;
      cx.logger.warn(
        { action: cx.action, slot, message: err.message },
        `validation of ${slot} failed on this value: rejected`,
      );
      return null;
    });
    if (accepted !== null) out.events.push(slotEvent(slot, accepted.value, cx));
    else await reject(slot, check, valueScope, cx, out);
  }
  return out;
}

/**
 * Rejects every candidate, with its `on_reject`: what a validator answers
 * when its calls failed and no `on_error` says otherwise. Answering with no
 * events would let Rasa keep the unchecked value; an
 * `on_reject` expression that fails here still leaves the slot null.
 */
export async function rejectCandidates(
  list: readonly Candidate[],
  scope: Scope,
  cx: OutcomeContext,
): Promise<ActionOutput> {
  const out: ActionOutput = { events: [], responses: [] };
  for (const [slot, value, check] of list) {
    await reject(slot, check, withNames(scope, { value }), cx, out).catch((err: unknown) => {
      if (!(err instanceof ExpressionError)) throw err;
      cx.logger.warn(
        { action: cx.action, slot, message: err.message },
        `on_reject of ${slot} failed: the slot is still reset`,
      );
    });
  }
  return out;
}

/** The slot back to null, then the check's `on_reject` slots and messages. */
async function reject(
  slot: string,
  check: SlotCheckPlan,
  valueScope: Scope,
  cx: OutcomeContext,
  out: ActionOutput,
): Promise<void> {
  out.events.push(slotSet(slot, null));
  for (const [other, compiled] of check.onReject.slots)
    out.events.push(slotEvent(other, await evaluate(compiled, valueScope), cx));
  out.responses.push(...(await messagesOf(check.onReject.responses, valueScope)));
}

/** The value to store when the check accepts it, or null when it rejects it. */
async function accept(check: SlotCheckPlan, scope: Scope): Promise<{ value: unknown } | null> {
  if (!(await holds(check.acceptWhen, scope))) return null;
  return { value: check.normalize ? await evaluate(check.normalize, scope) : scope['value'] };
}
