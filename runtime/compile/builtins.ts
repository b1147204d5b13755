/** JSONata's built-in functions, and the variables an expression binds itself (which may shadow them). */
import type { AstNode } from './ast-nodes.js';

/**
 * JSONata's built-in functions and their signatures, as jsonata.js binds
 * them (`staticFrame.bind`, and `$now`/`$millis` per evaluation). `$eval` is
 * listed although slotwire disables it: SW_EXPR_EVAL says so, not "unknown".
 */
export const builtins: Readonly<Record<string, string>> = {
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

/** What a signature's return letter says of the one value a call answers. */
const oneValueOf: Readonly<Record<string, 'number' | 'string' | 'boolean'>> = {
  n: 'number',
  s: 'string',
  b: 'boolean',
};

/**
 * The JSON type of the one value a built-in answers whatever it is given
 * (`$count`, `$join`, `$string`, `$exists`, `$sum`…), or null: a list, an
 * object or anything (`$split`, `$keys`, `$lookup`) may be a list, or a
 * single value where JSONata unwraps a list of one. Calls that answer
 * nothing (an undefined argument) answer no list either.
 */
export function builtinResult(name: string): 'number' | 'string' | 'boolean' | null {
  const signature = builtins[name];
  if (signature === undefined) return null;
  const returns = /:([a-z])>$/.exec(signature);
  return returns === null ? null : (oneValueOf[returns[1]] ?? null);
}

/**
 * The variables an expression binds itself: `$f := …`, a lambda's
 * parameters, `@$v`/`#$i` in a path. A call of one of them is not the
 * built-in of that name.
 * @param nodes - the expression's nodes (ast-nodes.ts)
 */
export function boundVariables(nodes: readonly AstNode[]): Set<string> {
  const bound = new Set<string>();
  for (const node of nodes) {
    if (node.type === 'bind') addVariable(bound, node['lhs']);
    if (node.type === 'lambda')
      for (const arg of (node['arguments'] as unknown[] | undefined) ?? []) addVariable(bound, arg);
    for (const key of ['focus', 'index']) if (typeof node[key] === 'string') bound.add(node[key]);
  }
  return bound;
}

function addVariable(bound: Set<string>, node: unknown): void {
  const n = node as AstNode | undefined;
  if (n?.type === 'variable' && typeof n['value'] === 'string') bound.add(n['value']);
}
