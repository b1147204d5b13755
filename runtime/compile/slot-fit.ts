/**
 * A mapping checked against its slot's type in the domain (`validate
 * --project`): a `text` slot given a list, or a `bool` slot given a string,
 * would hold null or a converted value in Rasa. Only what the answer's known
 * shape says is reported, and only for a whole `{{ }}` (text around it
 * makes a string); where the shape cannot tell, nothing is said.
 */
import type { ExpressionProblem } from './expression-types.js';
import { mappingResult } from './mapping-result.js';
import type { NameContext } from './names.js';

/** What a domain slot type takes: JSON types a value can have and still be stored as it is (list and any take anything). */
const fits: Readonly<Record<string, readonly string[]>> = {
  bool: ['boolean'],
  float: ['number', 'integer'],
  text: ['string', 'number', 'integer', 'boolean'],
  categorical: ['string'],
};

/**
 * SW_WARN_SLOT_SHAPE_TYPE for the mapping `source` (whose AST is `ast`)
 * into `ctx.target`, or null when it fits or cannot be known.
 * @param bound - the variables the expression binds (builtins.ts boundVariables)
 * @param at - where the warning points: the mapping's last field for a path, else its first character
 */
export function slotFitProblem(
  source: string,
  ast: unknown,
  ctx: NameContext,
  bound: ReadonlySet<string>,
  at: number,
): ExpressionProblem | null {
  const { target, shapes } = ctx;
  // on_error reads the failed answer (an error body), which the success shape does not describe.
  if (target === undefined || shapes === undefined || ctx.error) return null;
  const takes = fits[target.type];
  if (takes === undefined) return null;
  const result = mappingResult(ast, shapes, bound);
  if (result === null || result.source === null) return null;
  let what: string;
  if (result.count === 'list') what = 'a list';
  else {
    // null resets a slot of any type.
    const types = (result.types ?? []).filter((t) => t !== 'null');
    if (types.length === 0 || types.some((t) => takes.includes(t))) return null;
    what = types.join(' or ');
  }
  return {
    code: 'SW_WARN_SLOT_SHAPE_TYPE',
    offset: at,
    args: [target.slot, target.type, source.trim(), what, result.source],
  };
}
