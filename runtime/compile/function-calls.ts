/**
 * Function calls in an expression, checked at load (issue 13): JSONata
 * itself only fails a call to an unknown function (`$sume(…)`, T1006) or
 * with the wrong number of arguments when it runs, on every call.
 */
import { closest } from '../config/index.js';
import type { AstNode } from './ast-nodes.js';
import type { ExpressionProblem } from './expression.js';

/**
 * JSONata's built-in functions and their signatures, as jsonata.js binds
 * them (`staticFrame.bind`, and `$now`/`$millis` per evaluation). `$eval` is
 * listed although slotwire disables it: SW_EXPR_EVAL says so, not "unknown".
 */
const builtins: Readonly<Record<string, string>> = {
  sum: '<a<n>:n>',
  count: '<a:n>',
  max: '<a<n>:n>',
  min: '<a<n>:n>',
  average: '<a<n>:n>',
  string: '<x-b?:s>',
  substring: '<s-nn?:s>',
  substringBefore: '<s-s:s>',
  substringAfter: '<s-s:s>',
  lowercase: '<s-:s>',
  uppercase: '<s-:s>',
  length: '<s-:n>',
  trim: '<s-:s>',
  pad: '<s-ns?:s>',
  match: '<s-f<s:o>n?:a<o>>',
  contains: '<s-(sf):b>',
  replace: '<s-(sf)(sf)n?:s>',
  split: '<s-(sf)n?:a<s>>',
  join: '<a<s>s?:s>',
  formatNumber: '<n-so?:s>',
  formatBase: '<n-n?:s>',
  formatInteger: '<n-s:s>',
  parseInteger: '<s-s:n>',
  number: '<(nsb)-:n>',
  floor: '<n-:n>',
  ceil: '<n-:n>',
  round: '<n-n?:n>',
  abs: '<n-:n>',
  sqrt: '<n-:n>',
  power: '<n-n:n>',
  random: '<:n>',
  boolean: '<x-:b>',
  not: '<x-:b>',
  map: '<af>',
  zip: '<a+>',
  filter: '<af>',
  single: '<af?>',
  reduce: '<afj?:j>',
  sift: '<o-f?:o>',
  keys: '<x-:a<s>>',
  lookup: '<x-s:x>',
  append: '<xx:a>',
  exists: '<x:b>',
  spread: '<x-:a<o>>',
  merge: '<a<o>:o>',
  reverse: '<a:a>',
  each: '<o-f:a>',
  error: '<s?:x>',
  assert: '<bs?:x>',
  type: '<x:s>',
  sort: '<af?:a>',
  shuffle: '<a:a>',
  distinct: '<x:x>',
  base64encode: '<s-:s>',
  base64decode: '<s-:s>',
  encodeUrlComponent: '<s-:s>',
  encodeUrl: '<s-:s>',
  decodeUrlComponent: '<s-:s>',
  decodeUrl: '<s-:s>',
  eval: '<sx?:x>',
  toMillis: '<s-s?:n>',
  fromMillis: '<n-s?s?:s>',
  clone: '<(oa)-:o>',
  now: '<s?s?:s>',
  millis: '<:n>',
};

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
  const bound = new Set<string>();
  const piped = new Set<unknown>();
  for (const node of nodes) {
    if (node.type === 'bind') addVariable(bound, node['lhs']);
    if (node.type === 'lambda')
      for (const arg of (node['arguments'] as unknown[] | undefined) ?? []) addVariable(bound, arg);
    for (const key of ['focus', 'index']) if (typeof node[key] === 'string') bound.add(node[key]);
    if (node.type === 'apply') piped.add(node['rhs']);
  }
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
      });
      continue;
    }
    const given = ((node['arguments'] as unknown[] | undefined) ?? []).length + (piped.has(node) ? 1 : 0);
    if (given < arity.min || given > arity.max)
      problems.push({ code: 'SW_EXPR_ARGUMENTS', offset, args: [name, describe(arity), String(given)] });
  }
  return problems;
}

function addVariable(bound: Set<string>, node: unknown): void {
  const n = node as AstNode | undefined;
  if (n?.type === 'variable' && typeof n['value'] === 'string') bound.add(n['value']);
}

/** "1 argument", "1 to 3 arguments", "at least 1 argument". */
function describe({ min, max }: Arity): string {
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  if (max === Infinity) return `at least ${plural(min)}`;
  return min === max ? plural(min) : `${min} to ${max} arguments`;
}
