/**
 * What an expression can read, by where it stands in an action
 * (docs/actions-yml.md#what-expressions-can-read). The compiler checks every root name against
 * the context so a typo (`slot.city`) fails at load, not silently at run time.
 */
import type { Shape } from './response-shape.js';

/** Root names every expression can read. */
const always = ['slots', 'tracker', 'message', 'entities', 'sender_id', 'action', 'domain'] as const;

/** Names only some places can read, and why, for the hint when misplaced. */
const onlyIn: Readonly<Record<string, string>> = {
  response: '`response` exists after the call: read it in slots:, responses:, events:, success_when: or on_error:.',
  error: '`error` exists only in on_error:.',
  steps: '`steps` exists in actions with steps:, after the step has run.',
  value: '`value` exists only in validate: (the slot value being checked).',
};

/** Every root name of the language, for did-you-mean. */
export const allRootNames: readonly string[] = [...always, ...Object.keys(onlyIn)];

/** Where an expression stands: which extra names it may read. */
export interface NameContext {
  /** Human description of the place, for messages ("the request path"). */
  readonly place: string;
  readonly response: boolean;
  readonly error: boolean;
  readonly value: boolean;
  /** Steps that have finished before this point; null when the action has no steps. */
  readonly stepsBefore: ReadonlySet<string> | null;
  /** All steps of the action (to tell "unknown" from "not yet"). */
  readonly allSteps: ReadonlySet<string>;
  /** False for actions declared with `request:` or without calls: `steps` can never be read. */
  readonly hasSteps: boolean;
  /** The answers' known shapes (`response_schema:`), to check response paths against. Default: none */
  readonly shapes?: ResponseShapes;
  /** The slot a mapping sets, with its domain type (validate --project), to check the path's type against. Default: none */
  readonly target?: { readonly slot: string; readonly type: string };
}

/** The known shapes of an action's answers: its single `response`, and its steps' by name. */
export interface ResponseShapes {
  readonly response: Shape | null;
  readonly steps: ReadonlyMap<string, Shape>;
}

/**
 * The context for a part of a value, not the whole: what a part yields is
 * not what the slot gets (text around `{{ }}` makes a string; a list or a
 * mapping holds its parts), so there is no slot type to check it against.
 */
export function partOf(ctx: NameContext): NameContext {
  if (ctx.target === undefined) return ctx;
  const { target: _whole, ...part } = ctx;
  return part;
}

/** The names readable in a context. */
export function readableNames(ctx: NameContext): string[] {
  const names: string[] = [...always];
  if (ctx.response) names.push('response');
  if (ctx.error) names.push('error');
  if (ctx.value) names.push('value');
  if (ctx.stepsBefore !== null) names.push('steps');
  return names;
}

/** Why a known name cannot be read here, or null when it can. */
export function whyNotHere(name: string, ctx: NameContext): string | null {
  if (readableNames(ctx).includes(name)) return null;
  return onlyIn[name] ?? null;
}
