/**
 * An OutcomePlan evaluated for one call: slot events (checked against the
 * domain's slot types), bot messages with rasa-sdk's eight keys, and the
 * other declared events, built with runtime/rasa's builders so only valid
 * shapes reach Rasa (docs/protocol.md#events).
 */
import { buttonProblem, describeValue, expressionsIn, isActionName, isIsoDateTime } from '../compile/index.js';
import type { CompiledValue, EventPlan, MessagePlan, OutcomePlan, RasaValueRule } from '../compile/index.js';
import {
  actionReverted,
  activeLoop,
  allSlotsReset,
  botMessage,
  conversationPaused,
  conversationResumed,
  followupAction,
  loopInterrupted,
  reminderCancelled,
  reminderScheduled,
  restarted,
  slotSet,
  userUtteranceReverted,
} from '../rasa/index.js';
import type { ActionOutput, BotMessage, DomainDict, RasaEvent } from '../rasa/index.js';
import type { ExecuteLogger } from './deps.js';
import { evaluate, evaluateEntries, ExpressionError, holds, isTruthy, toText } from './evaluate.js';
import type { Scope } from './scope.js';
import { andThen, inOrder } from './pending.js';
import type { Pending } from './pending.js';
import { checkSlotType } from './slot-types.js';

/** Where slot problems are reported, and what the domain says about slot types. */
export interface OutcomeContext {
  readonly action: string;
  readonly domain: DomainDict | null;
  readonly logger: ExecuteLogger;
  /** Slots whose values never reach a log line (`sensitive:`). */
  readonly sensitive: ReadonlySet<string>;
}

/**
 * Evaluates a whole outcome: slots, then events, then messages. Throws
 * ExpressionError (at once, or as the rejection) when an expression fails or
 * builds an event or button Rasa would refuse.
 */
export function applyOutcome(plan: OutcomePlan, scope: Scope, cx: OutcomeContext): Pending<ActionOutput> {
  const slots = inOrder(plan.slots, ([slot, value]) => andThen(evaluate(value, scope), (v) => slotEvent(slot, v, cx)));
  return andThen(slots, (slotEvents) =>
    andThen(eventsOf(plan.events, scope), (events) =>
      andThen(messagesOf(plan.responses, scope), (responses) => ({ events: [...slotEvents, ...events], responses })),
    ),
  );
}

/** A slot event whose value fits the domain's slot type (docs/actions-yml.md#slots-and-the-domains-types). */
export function slotEvent(slot: string, value: unknown, cx: OutcomeContext): RasaEvent {
  const checked = checkSlotType(cx.domain, slot, value);
  if (checked.problem) {
    const problem = cx.sensitive.has(slot) ? 'the value (sensitive, not shown) does not fit' : checked.problem;
    cx.logger.warn(
      { action: cx.action, slot, problem },
      `slot ${slot} set to null: ${problem} for its type in the domain`,
    );
  }
  return slotSet(slot, checked.value);
}

/** The messages whose `when` holds. */
export function messagesOf(plans: readonly MessagePlan[], scope: Scope): Pending<BotMessage[]> {
  return andThen(
    inOrder(plans, (m) => andThen(holds(m.when, scope), (shown) => (shown ? messageOf(m, scope) : null))),
    withoutNull,
  );
}

/** One message: its variables, then its fields, evaluated in order. */
function messageOf(m: MessagePlan, scope: Scope): Pending<BotMessage> {
  return andThen(evaluateEntries([...m.variables, ...m.fields], scope), (fields) => {
    if ('buttons' in fields)
      fields['buttons'] = checkedButtons(asList(fields['buttons']), fieldOf(m.fields, 'buttons'));
    if ('elements' in fields) fields['elements'] = asList(fields['elements']);
    if ('text' in fields && fields['text'] !== null) fields['text'] = toText(fields['text']);
    return botMessage(fields);
  });
}

function withoutNull<T>(items: readonly (T | null)[]): T[] {
  return items.filter((item): item is T => item !== null);
}

/** A button list built by one expression may yield one object, or nothing. */
function asList(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Buttons Rasa can render: each a mapping with title and payload. */
function checkedButtons(buttons: unknown[], source: CompiledValue | undefined): unknown[] {
  buttons.forEach((button, i) => {
    const problem = buttonProblem(button);
    if (problem !== null)
      refuse('SW_MESSAGE_BUTTON', `button ${i + 1} is ${problem}, not a mapping with title and payload`, source);
  });
  return buttons;
}

function fieldOf(fields: readonly (readonly [string, CompiledValue])[], name: string): CompiledValue | undefined {
  return fields.find(([key]) => key === name)?.[1];
}

/**
 * A value Rasa would refuse fails the action as an expression error (issue
 * 13): on_error runs, and Rasa never gets a response it would drop whole.
 * Literal values were refused at load (compile/action.ts); these came from
 * expressions, named in the message.
 */
function refuse(rule: RasaValueRule, message: string, value: CompiledValue | undefined): never {
  throw new ExpressionError(
    expressionsIn(value ?? null)
      .map((e) => e.source)
      .join(' '),
    { code: rule, message },
  );
}

function eventsOf(plans: readonly EventPlan[], scope: Scope): Pending<RasaEvent[]> {
  return andThen(
    inOrder(plans, (e) => andThen(holds(e.when, scope), (wanted) => (wanted ? eventOf(e, scope) : null))),
    withoutNull,
  );
}

function eventOf(e: EventPlan, scope: Scope): Pending<RasaEvent> {
  return andThen(evaluateEntries(e.fields, scope), (f) => {
    if (e.event === 'followup' && !isActionName(f['name']))
      refuse('SW_EVENT_FOLLOWUP_NAME', `the followup name is ${describeValue(f['name'])}`, fieldOf(e.fields, 'name'));
    if (e.event === 'reminder' && !isIsoDateTime(f['date_time']))
      refuse(
        'SW_EVENT_DATE_TIME',
        `the reminder date_time ${describeValue(f['date_time'])} is not an ISO 8601 date-time`,
        fieldOf(e.fields, 'date_time'),
      );
    return buildEvent(e.event, f);
  });
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : toText(v));

/** One declared event through its rasa/ builder; the schema limits `event` to these. */
function buildEvent(event: string, f: Record<string, unknown>): RasaEvent {
  switch (event) {
    case 'followup':
      return followupAction(toText(f['name']));
    case 'reset_slots':
      return allSlotsReset();
    case 'restart':
      return restarted();
    case 'pause':
      return conversationPaused();
    case 'resume':
      return conversationResumed();
    case 'rewind':
      return userUtteranceReverted();
    case 'undo':
      return actionReverted();
    case 'active_loop':
      return activeLoop(text(f['name']));
    case 'loop_interrupted':
      return loopInterrupted(isTruthy(f['is_interrupted']));
    case 'reminder':
      return reminderScheduled(toText(f['intent']), toText(f['date_time']), {
        entities: (f['entities'] ?? null) as Record<string, string> | null,
        name: text(f['name']),
        killOnUserMessage: f['kill_on_user_message'] === undefined ? true : isTruthy(f['kill_on_user_message']),
      });
    case 'cancel_reminder':
      return reminderCancelled({
        name: text(f['name']),
        intent: text(f['intent']),
        entities: (f['entities'] ?? null) as Record<string, string> | null,
      });
    default:
      throw new Error(`event type "${event}" has no builder`);
  }
}
