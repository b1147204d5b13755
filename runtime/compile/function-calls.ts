/**
 * Function calls in an expression, checked at load: JSONata
 * itself only fails a call to an unknown function (`$sume(…)`, T1006) or
 * with the wrong number of arguments when it runs, on every call.
 */
import { closest, renameFix } from '../config/index.js';
import type { AstNode } from './ast-nodes.js';
import { boundVariables, builtins } from './builtins.js';
import type { ExpressionProblem } from './expression-types.js';

/** How many arguments a call may pass. */
interface Arity {
  readonly min: number;
  readonly max: number;
}

/**
 * The argument counts a JSONata signature allows. Each parameter is a type
 * letter or a `(…)` choice, optionally with a `<…>` subtype; `?` makes it
 * optional, `+` repeatable, and `-` lets the context stand in for it when
 * the call leaves it out (`$length()` inside a path).
 */
function arityOf(signature: string): Arity {
  let required = 0;
  let optional = 0;
  let variadic = false;
  let contextual = false;
  let depth = 0;
  for (const c of signature.slice(1)) {
    if (depth === 0 && (c === ':' || c === '>')) break;
    if (c === '<' || c === '(') depth++;
    else if (c === '>' || c === ')') depth--;
    if (depth > 1 || (depth === 1 && c !== '(')) continue;
    if (c === '?') {
      required--;
      optional++;
    } else if (c === '+') variadic = true;
    else if (c === '-') contextual = true;
    else if (c !== ')' && c !== '>') required++;
  }
  return { min: Math.max(0, required - (contextual ? 1 : 0)), max: variadic ? Infinity : required + optional };
}

const arities = new Map(Object.entries(builtins).map(([name, signature]) => [name, arityOf(signature)]));

/**
 * Checks every `$name(…)` call of an expression: the name is a built-in or
 * a variable the expression binds itself (`$f := function…`, a lambda's
 * parameters, `@$v`/`#$i` in a path), and a built-in gets a number of
 * arguments its signature allows. `x ~> $f(a)` passes `x` as the first.
 * @param nodes - the expression's nodes (ast-nodes.ts)
 */
export function checkFunctionCalls(nodes: readonly AstNode[]): ExpressionProblem[] {
  const bound = boundVariables(nodes);
  const piped = new Set<unknown>();
  for (const node of nodes) if (node.type === 'apply') piped.add(node['rhs']);
  const problems: ExpressionProblem[] = [];
  for (const node of nodes) {
    if (node.type !== 'function' && node.type !== 'partial') continue;
    const procedure = node['procedure'] as AstNode | undefined;
    if (procedure?.type !== 'variable' || typeof procedure['value'] !== 'string') continue;
    const name = procedure['value'];
    if (bound.has(name) || name === 'eval') continue;
    // A JSONata position is just after the token; the call starts at its `$`.
    const offset = Math.max(0, Number(procedure['position'] ?? 0) - name.length - 1);
    const arity = arities.get(name);
    if (arity === undefined) {
      const suggestion = closest(name, arities.keys());
      problems.push({
        code: 'SW_EXPR_UNKNOWN_FUNCTION',
        offset,
        args: [name],
        hintArgs: [suggestion ? `Did you mean "$${suggestion}"? ` : ''],
        fix: renameFix(`$${name}`, suggestion === null ? null : `$${suggestion}`),
      });
      continue;
    }
    const given = ((node['arguments'] as unknown[] | undefined) ?? []).length + (piped.has(node) ? 1 : 0);
    if (given < arity.min || given > arity.max)
      problems.push({ code: 'SW_EXPR_ARGUMENTS', offset, args: [name, describe(arity), String(given)] });
  }
  return problems;
}

/** "1 argument", "1 to 3 arguments", "at least 1 argument". */
function describe({ min, max }: Arity): string {
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  if (max === Infinity) return `at least ${plural(min)}`;
  return min === max ? plural(min) : `${min} to ${max} arguments`;
}
