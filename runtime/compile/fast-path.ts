/**
 * A synchronous fast path for a subset of JSONata. JSONata's evaluator is
 * async and allocates per AST node (bench/profile.mjs: evaluation plus its
 * garbage dominate `steps`); the mappings people write are mostly paths,
 * filters, comparisons and a few functions. This compiles such an AST into
 * plain closures that port jsonata 2.2.2's own code for each construct
 * (`node_modules/jsonata/jsonata.js`, function names cited below), so values,
 * types and error codes are the same. Anything outside the subset returns
 * null and keeps using JSONata; test/compile/fast-path.test.ts compares both.
 * One difference: JSONata evaluates the items of `[…]` and the values of
 * `{…}` in parallel (Promise.all), so when two of them fail, the error it
 * reports depends on timing; the fast path reports the first in order.
 *
 * Not ported: the `timeout` and `stack` guardrails. Every construct here is
 * one bounded pass over the AST and its input (no lambdas, no recursion, no
 * ranges), and ASTs deeper than `maxDepth` are left to JSONata, so neither
 * guardrail can fire in JSONata for a compiled expression except a timeout
 * on a huge input, which the fast path simply finishes. Ported: `sequence`
 * (D2015) and slotwire's `size` bound as bounded-functions.ts applies it
 * after each step: to strings `&`, `$string`, `$lowercase` and `$uppercase`
 * build, and to lists a path collects. No regex construct is in the subset,
 * so every regular expression runs in JSONata with its RE2 engine.
 */
import type { ExprNode } from 'jsonata';
import { codePointLength } from './code-points.js';
import { isDeepEqual, isFunction, isSequence } from './jsonata-values.js';
import type { Sequence } from './jsonata-values.js';
import { checkBuilt, checkSize } from './limits.js';
import { isCollected, jsonSize } from './value-size.js';

/** A compiled fast-path expression; throws `{ code, message }` as JSONata does. */
export type FastExpression = (input: Readonly<Record<string, unknown>>) => unknown;

type Fn = (input: unknown) => unknown;
type Seq = Sequence;
type Node = ExprNode & Record<string, unknown>;
/** environment.createSequence: with a `sequence` limit, an own `push` throws D2015 past it. */
type NewSeq = () => Seq;
/** What compiling passes down: how to make a sequence, and the `sequence` and `size` bounds. */
interface Cx {
  readonly seq: NewSeq;
  readonly sequence: number;
  readonly size: number;
}

/** Deeper ASTs go to JSONata, whose `stack` guardrail (300) counts nested evaluations. */
const maxDepth = 100;
const notInSubset = Symbol('not in the fast-path subset');

/**
 * Compiles `ast` (from `jsonata(src).ast()`) when every node is in the
 * subset, else returns null.
 * @param ast - the parsed expression
 * @param sequenceLimit - jsonata's `sequence` option (D2015). Default: no limit.
 * @param sizeLimit - the `size` bound (limits.ts, SW_EVAL_TOO_LARGE). Default: no limit.
 */
export function compileFast(
  ast: ExprNode,
  sequenceLimit: number = Infinity,
  sizeLimit: number = Infinity,
): FastExpression | null {
  // Only ever called with one item here; no rest array per push.
  const limitedPush = function (this: Seq, item: unknown): number {
    if (this.length + 1 > sequenceLimit)
      throw fail('D2015', `The maximum sequence length of ${sequenceLimit} was exceeded.`);
    this[this.length] = item;
    return this.length;
  };
  const seq = (): Seq => {
    const s: Seq = [];
    if (Number.isFinite(sequenceLimit)) s.push = limitedPush; // an own `push`, as createSequence does
    s.sequence = true;
    return s;
  };
  let fn: Fn;
  try {
    fn = compile(ast as Node, { seq, sequence: sequenceLimit, size: sizeLimit }, 0);
  } catch (err) {
    if (err === notInSubset) return null;
    throw err;
  }
  return (input) => {
    // jsonata().evaluate wraps an array input in a singleton sequence flagged outerWrapper.
    if (!Array.isArray(input)) return fn(input);
    const outer = one(seq, input);
    outer.outerWrapper = true;
    return fn(outer);
  };
}

/** createSequence(item): a new sequence holding one item. */
function one(seq: NewSeq, item: unknown): Seq {
  const s = seq();
  s.push(item);
  return s;
}

function compile(node: Node, cx: Cx, depth: number): Fn {
  if (depth > maxDepth) throw notInSubset;
  const child = (n: unknown): Fn => compile(n as Node, cx, depth + 1);
  switch (node.type as string) {
    case 'string':
    case 'number':
    case 'value': {
      only(node, []); // evaluateLiteral: the parsed value (true, false and null are `value`)
      const value: unknown = node.value;
      return () => value;
    }
    case 'path':
      return compilePath(node, cx, depth);
    case 'block': {
      // evaluateBlock: each expression in turn, the last one's result. No
      // bindings exist in the subset, so the new frame changes nothing.
      only(node, ['expressions']);
      const exprs = (node.expressions ?? []).map(child);
      return (input) => {
        let result: unknown;
        for (const e of exprs) result = e(input);
        return result;
      };
    }
    case 'condition': {
      // evaluateCondition: `then` when fn.boolean(condition) is truthy, else `else` or undefined.
      only(node, ['condition', 'then', 'else']);
      const cond = child(node.condition);
      const then = child(node.then);
      const otherwise = node.else === undefined ? () => undefined : child(node.else);
      return (input) => (boolean(cond(input)) ? then(input) : otherwise(input));
    }
    case 'unary':
      if (node.value === '[') return compileArray(node, child, cx);
      if (node.value === '{') return compileObject(node, child, cx);
      return compileNegation(node, child);
    case 'binary':
      return compileBinary(node, child, cx.size);
    case 'function':
      return compileFunction(node, child, cx.size);
    default:
      throw notInSubset;
  }
}

/** Rejects a node carrying anything beyond the listed keys (predicates, groups, focus, tuples...). */
function only(node: Node, keys: readonly string[]): void {
  for (const key of Object.keys(node)) {
    const known = key === 'type' || key === 'value' || key === 'position' || keys.includes(key);
    if (!known && node[key] !== undefined) throw notInSubset; // the parser leaves `name: undefined` on calls
  }
}

interface Step {
  /** The field a name step reads; null for an object constructor or block step (`items.{…}`, `items.(…)`). */
  readonly name: string | null;
  /** The object constructor or block of the step, per item. */
  readonly build: Fn | null;
  readonly keepArray: boolean;
  /** `[n]` with a literal number, or a predicate expression. */
  readonly filters: readonly (number | Fn)[];
}

/**
 * evaluatePath: steps of names (or an object constructor or block per item), each
 * mapped over the input sequence (evaluateStep), then evaluate()'s sequence
 * rule. `x[]` sets keepSingletonArray on the path and keepArray on the step.
 */
function compilePath(node: Node, cx: Cx, depth: number): Fn {
  const { seq, size } = cx;
  only(node, ['steps', 'keepSingletonArray', 'keepArray']);
  const steps: Step[] = (node.steps ?? []).map((s) => {
    const step = s as Node;
    if ((step.type as string) === 'unary' && step.value === '{')
      return {
        name: null,
        build: compileObject(step, (n) => compile(n as Node, cx, depth + 2), cx),
        keepArray: false,
        filters: [],
      };
    // `items.(name & ' (' & id & ')')`: evaluateStep evaluates any step per item, a block as a block (its stages, if any, are left to JSONata).
    if ((step.type as string) === 'block')
      return { name: null, build: compile(step, cx, depth + 2), keepArray: false, filters: [] };
    if ((step.type as string) !== 'name' || typeof step.value !== 'string') throw notInSubset;
    only(step, ['stages', 'keepArray']);
    const filters = ((step.stages ?? []) as Node[]).map((stage) => {
      if (
        (stage.type as string) !== 'filter' ||
        Object.keys(stage).some((k) => k !== 'type' && k !== 'expr' && k !== 'position')
      )
        throw notInSubset;
      const expr = stage.expr as Node;
      return expr.type === 'number' && Object.keys(expr).length === 3
        ? (expr.value as number)
        : compile(expr, cx, depth + 2);
    });
    return { name: step.value, build: null, keepArray: step.keepArray === true, filters };
  });
  // A path starting with an object constructor or block evaluates it once, not per item: left to JSONata.
  if (steps.length === 0 || steps[0]?.build) throw notInSubset;
  const keepSingletonArray = node.keepSingletonArray === true;
  const keepArray = node.keepArray === true;
  return (input) => {
    let sequence: Seq = Array.isArray(input) ? input : one(seq, input);
    for (let i = 0; i < steps.length; i++) {
      sequence = evaluateStep(steps[i], sequence, i === steps.length - 1, seq);
      if (sequence.length === 0) break;
    }
    // Like JSONata, this flags (and so mutates) a data array returned as-is by the last step.
    if (keepSingletonArray) sequence.keepSingleton = true;
    if (size !== Infinity && isCollected(sequence)) checkSize('a path step', jsonSize(sequence, size), size);
    return settle(sequence, keepArray);
  };
}

/** evaluateStep: the step per item, its filters, then flatten one level (a lone data array at the last step stays as is). */
function evaluateStep(step: Step, input: Seq, lastStep: boolean, seq: NewSeq): Seq {
  const result = seq();
  for (let i = 0; i < input.length; i++) {
    let res: unknown = step.build
      ? step.build(input[i])
      : settle(lookup(input[i], step.name as string, seq), step.keepArray);
    for (const f of step.filters) res = evaluateFilter(f, res, seq);
    if (res !== undefined) result.push(res);
  }
  if (lastStep && result.length === 1 && Array.isArray(result[0]) && !isSequence(result[0])) return result[0] as Seq;
  const out = seq();
  for (const res of result) {
    // No array here carries `cons` (array constructors are never path steps here).
    if (!Array.isArray(res)) out.push(res);
    else for (let j = 0; j < res.length; j++) out.push(res[j]);
  }
  return out;
}

/** evaluateUnary '-': undefined stays undefined; a non-number throws D1002. */
function compileNegation(node: Node, child: (n: unknown) => Fn): Fn {
  only(node, ['expression']);
  if (node.value !== '-') throw notInSubset;
  const operand = child(node.expression);
  return (input) => {
    const v = operand(input);
    if (v === undefined) return undefined;
    if (isNumeric(v)) return -(v as number);
    throw fail('D1002', `Cannot negate a non-numeric value: ${JSON.stringify(v)}`);
  };
}

/**
 * evaluateUnary '[': each item in order; undefined is skipped, a nested
 * `[…]` is kept as one item, anything else appended (fn.append flattens a
 * list one level). Then the exit hook's bound on a built list
 * (bounded-functions.ts `stepCheck`): `sequence` items and `size` as JSON.
 */
function compileArray(node: Node, child: (n: unknown) => Fn, cx: Cx): Fn {
  only(node, ['expressions']); // `consarray` (a path step) and predicates are left to JSONata
  const exprs = (node.expressions ?? []) as Node[];
  const items = exprs.map(child);
  const nested = exprs.map((e) => e.type === 'unary' && e.value === '[');
  return (input) => {
    const result: unknown[] = [];
    for (let i = 0; i < items.length; i++) {
      const value = items[i](input);
      if (value === undefined) continue;
      if (nested[i] || !Array.isArray(value)) result.push(value);
      else for (let j = 0; j < value.length; j++) result.push(value[j]);
    }
    checkBuilt('a unary step', result, cx);
    return result;
  };
}

/**
 * evaluateGroupExpression for an object constructor (no tuple stream): each
 * input item gives keys (strings; T1003 otherwise, D1013 for JSONata's own
 * flags); items with the same key from the same pair are grouped, the same
 * key from two pairs is D1009; each value is evaluated on its group, and
 * undefined values are left out. Then the exit hook's `size` bound.
 */
function compileObject(node: Node, child: (n: unknown) => Fn, cx: Cx): Fn {
  only(node, ['lhs']);
  const pairs = ((node.lhs ?? []) as [unknown, unknown][]).map(([k, v]) => [child(k), child(v)] as const);
  return (input) => {
    const items: unknown[] = Array.isArray(input) ? input : [input];
    if (items.length === 0) items.push(undefined);
    const groups = new Map<string, { data: unknown; pair: number }>();
    for (const item of items) {
      for (let p = 0; p < pairs.length; p++) {
        const key = pairs[p][0](item);
        if (key === undefined) continue;
        if (typeof key !== 'string')
          throw fail('T1003', `Key in object structure must evaluate to a string; got: ${JSON.stringify(key)}`);
        if (key === '_jsonata_lambda' || key === '_jsonata_function')
          throw fail(
            'D1013',
            `Object property names starting with _jsonata_ are reserved for internal use: ${JSON.stringify(key)}`,
          );
        const group = groups.get(key);
        if (group === undefined) groups.set(key, { data: item, pair: p });
        else if (group.pair !== p)
          throw fail('D1009', `Multiple key definitions evaluate to same key: ${JSON.stringify(key)}`);
        else group.data = append(group.data, item);
      }
    }
    const result: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [key, { data, pair }] of groups) {
      const value = pairs[pair][1](data);
      if (value !== undefined) result[key] = value;
    }
    checkBuilt('a unary step', result, cx);
    return result;
  };
}

/** fn.append: undefined sides are dropped, the rest concatenated as lists. */
function append(a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return (Array.isArray(a) ? a : [a]).concat(Array.isArray(b) ? b : [b]);
}

/** fn.lookup: a field of an object; over an array, of each item, flattened. */
function lookup(input: unknown, key: string, seq: NewSeq): unknown {
  if (Array.isArray(input)) {
    const result = seq();
    for (let i = 0; i < input.length; i++) {
      const res = lookup(input[i], key, seq);
      if (res === undefined) continue;
      if (Array.isArray(res)) for (let j = 0; j < res.length; j++) result.push(res[j]);
      else result.push(res);
    }
    return result;
  }
  if (input !== null && typeof input === 'object' && Object.hasOwn(input, key) && !isFunction(input))
    return (input as Record<string, unknown>)[key];
  return undefined;
}

/**
 * evaluateFilter: a literal number picks one item (floored, negative from
 * the end; an array item becomes the result). Otherwise a predicate result
 * that is a number or an array of numbers selects by index, anything else by
 * fn.boolean. A non-array input, even undefined, is a one-item sequence.
 */
function evaluateFilter(predicate: number | Fn, input: unknown, seq: NewSeq): Seq {
  const results = seq();
  const items = Array.isArray(input) ? input : one(seq, input);
  if (typeof predicate === 'number') {
    const index = Math.floor(predicate);
    const item = items[index < 0 ? items.length + index : index];
    if (Array.isArray(item)) return item;
    if (item !== undefined) results.push(item);
    return results;
  }
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    let res = predicate(item);
    if (isNumeric(res)) res = [res];
    if (isArrayOfNumbers(res)) {
      for (const n of res as number[]) {
        let ii = Math.floor(n);
        if (ii < 0) ii = items.length + ii;
        if (ii === index) results.push(item);
      }
    } else if (boolean(res)) results.push(item);
  }
  return results;
}

/** The tail of evaluate(): an empty sequence is undefined, a singleton its item unless keepSingleton. */
function settle(result: unknown, keepArray: boolean): unknown {
  if (!result || !isSequence(result)) return result;
  if (keepArray) result.keepSingleton = true;
  if (result.length === 0) return undefined;
  if (result.length === 1) return result.keepSingleton ? result : result[0];
  return result;
}

/**
 * evaluateBinary: lhs, then rhs (not for a short-circuited and/or), then the
 * operator's own function: evaluateNumericExpression, evaluateEquality-,
 * evaluateComparison-, evaluateStringConcat, evaluateBooleanExpression.
 */
function compileBinary(node: Node, child: (n: unknown) => Fn, size: number): Fn {
  only(node, ['lhs', 'rhs']);
  const op = node.value as string;
  const lhs = child(node.lhs);
  const rhs = child(node.rhs);
  switch (op) {
    case 'and':
      return (input) => boolize(lhs(input)) && boolize(rhs(input));
    case 'or':
      return (input) => boolize(lhs(input)) || boolize(rhs(input));
    case '=':
    case '!=':
      return (input) => equal(lhs(input), rhs(input), op === '=');
    case '&':
      return (input) => {
        const text = concat(lhs(input), rhs(input));
        checkSize('a binary step', text.length, size);
        return text;
      };
    case '<':
    case '<=':
    case '>':
    case '>=':
      return (input) => compare(lhs(input), rhs(input), op);
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return (input) => arithmetic(lhs(input), rhs(input), op);
    default:
      throw notInSubset; // `..` ranges and `in` are left to JSONata
  }
}

/** evaluateEqualityExpression: false when a side is undefined, else isDeepEqual. */
function equal(l: unknown, r: unknown, same: boolean): boolean {
  return l !== undefined && r !== undefined && isDeepEqual(l, r) === same;
}

/** evaluateStringConcat: each defined side through fn.string, undefined as ''. */
function concat(l: unknown, r: unknown): string {
  return (l === undefined ? '' : (string(l) as string)) + (r === undefined ? '' : (string(r) as string));
}

/** evaluateComparisonExpression: strings or numbers of one type; undefined gives undefined. */
function compare(l: unknown, r: unknown, op: string): boolean | undefined {
  const lt = typeof l;
  const rt = typeof r;
  if (
    !(lt === 'undefined' || lt === 'string' || lt === 'number') ||
    !(rt === 'undefined' || rt === 'string' || rt === 'number')
  )
    throw fail(
      'T2010',
      `The expressions either side of operator ${JSON.stringify(op)} must evaluate to numeric or string values`,
    );
  if (lt === 'undefined' || rt === 'undefined') return undefined;
  if (lt !== rt)
    throw fail(
      'T2009',
      `The values ${JSON.stringify(l)} and ${JSON.stringify(r)} either side of operator ${JSON.stringify(op)} must be of the same data type`,
    );
  const a = l as number;
  const b = r as number;
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

/** evaluateNumericExpression: T2001/T2002 for a non-number side, undefined if a side is undefined, no rounding. */
function arithmetic(l: unknown, r: unknown, op: string): number | undefined {
  if (l !== undefined && !isNumeric(l))
    throw fail('T2001', `The left side of the ${JSON.stringify(op)} operator must evaluate to a number`);
  if (r !== undefined && !isNumeric(r))
    throw fail('T2002', `The right side of the ${JSON.stringify(op)} operator must evaluate to a number`);
  if (l === undefined || r === undefined) return undefined;
  const a = l as number;
  const b = r as number;
  return op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : a % b;
}

/**
 * The built-ins, called with one argument (and `$join` with an optional
 * second): which argument types their signature accepts (signature.js
 * `getSymbol`: s n b l a o f, m for undefined) and the functions.js
 * implementation. A mismatch is T0410.
 */
const builtins: Readonly<
  Record<string, { accepts: string; second?: string; apply: (arg: unknown, second: unknown, size: number) => unknown }>
> = {
  count: { accepts: 'asnblfom', apply: (a) => (a === undefined ? 0 : Array.isArray(a) ? a.length : 1) }, // <a:n>
  exists: { accepts: 'asnblfom', apply: (a) => a !== undefined }, // <x:b>
  sum: { accepts: 'asnblfom', apply: sum }, // <a<n>:n>, T0412 inside
  string: { accepts: 'asnblfom', apply: string }, // <x-b?:s>
  number: { accepts: 'nsbm', apply: number }, // <(nsb)-:n>
  lowercase: { accepts: 'sm', apply: (a) => (a === undefined ? undefined : (a as string).toLowerCase()) }, // <s-:s>
  uppercase: { accepts: 'sm', apply: (a) => (a === undefined ? undefined : (a as string).toUpperCase()) }, // <s-:s>
  length: { accepts: 'sm', apply: (a) => (a === undefined ? undefined : codePointLength(a as string)) }, // <s-:n>, code points
  boolean: { accepts: 'asnblfom', apply: boolean }, // <x-:b>
  not: { accepts: 'asnblfom', apply: (a) => (a === undefined ? undefined : !boolean(a)) }, // <x-:b>
  round: { accepts: 'nm', apply: round }, // <n-n?:n>, without a precision
  type: { accepts: 'asnblfom', apply: type }, // <x:s>
  join: { accepts: 'asnblfom', second: 'sm', apply: join }, // <a<s>s?:s>, T0412 inside
};

/**
 * evaluateFunction on `$name(arg)` (and `$join(arg, separator)`). Zero
 * arguments (the context is used) and extra ones are left to JSONata. A
 * function-like argument is wrapped in a closure there, which we mimic so
 * every type check sees a function.
 */
function compileFunction(node: Node, child: (n: unknown) => Fn, size: number): Fn {
  only(node, ['arguments', 'procedure']);
  const proc = node.procedure as Node | undefined;
  const args = node.arguments ?? [];
  const builtin =
    proc?.type === 'variable' && Object.keys(proc).length === 3 ? builtins[proc.value as string] : undefined;
  if (
    !builtin ||
    !Object.hasOwn(builtins, proc?.value as string) ||
    args.length < 1 ||
    args.length > (builtin.second === undefined ? 1 : 2)
  )
    throw notInSubset;
  const [arg, second] = args.map(child) as [Fn, Fn | undefined];
  const name = proc?.value as string;
  return (input) => {
    // evaluateFunction evaluates every argument before it checks the signature.
    const values = [arg(input), ...(second === undefined ? [] : [second(input)])].map(asArgument);
    const [value, other] = values;
    if (!builtin.accepts.includes(symbolOf(value)))
      throw fail('T0410', `Argument 1 of function ${JSON.stringify(name)} does not match function signature`);
    if (values.length === 2 && !(builtin.second as string).includes(symbolOf(other)))
      throw fail('T0410', `Argument 2 of function ${JSON.stringify(name)} does not match function signature`);
    const result = builtin.apply(value, other, size);
    // A built string (`$string`, `$uppercase`: 'ß' becomes 'SS') is measured as after any step.
    if (typeof result === 'string') checkSize('a function step', result.length, size);
    return result;
  };
}

/** signature.js getSymbol. */
function symbolOf(v: unknown): string {
  if (isFunction(v)) return 'f';
  if (typeof v === 'string') return 's';
  if (typeof v === 'number') return 'n';
  if (typeof v === 'boolean') return 'b';
  if (typeof v === 'object') return v === null ? 'l' : Array.isArray(v) ? 'a' : 'o';
  return 'm';
}

/** fn.sum after `<a<n>:n>`: every item (or the single value) must be a number, else T0412. */
/**
 * evaluateFunction wraps a function-like argument in a closure, reading its
 * arity first (utils.getFunctionArity), which throws a TypeError for data
 * that merely looks like a function.
 */
function asArgument(value: unknown): unknown {
  if (!isFunction(value)) return value;
  const f = value as { arity?: unknown; implementation?: unknown; length?: unknown; arguments: unknown[] };
  if (typeof f.arity !== 'number' && typeof f.implementation !== 'function' && typeof f.length !== 'number')
    void f.arguments.length; // oxlint-disable-line typescript/no-meaningless-void-operator -- the read throws JSONata's TypeError for a function-like value without arguments
  return () => undefined;
}

/**
 * fn.join: `a<s>` wraps a lone value in an array, and every item must be a
 * string (T0412); the separator defaults to ''. Sized before it is built,
 * as the bounded `$join` does (bounded-functions.ts).
 */
function join(arg: unknown, separator: unknown, limit: number): string | undefined {
  if (arg === undefined) return undefined;
  const items = Array.isArray(arg) ? arg : [arg];
  if (items.some((v) => symbolOf(v) !== 's'))
    throw fail('T0412', 'Argument 1 of function "join" must be an array of "strings"');
  const sep = separator === undefined ? '' : (separator as string);
  let size = Math.max(0, items.length - 1) * sep.length;
  for (const s of items as string[]) size += s.length;
  checkSize('$join', size, limit);
  return (items as string[]).join(sep);
}

function sum(arg: unknown): number | undefined {
  if (arg === undefined) return undefined;
  const items = Array.isArray(arg) ? arg : [arg];
  if (
    Array.isArray(arg)
      ? arg.length > 0 && (symbolOf(arg[0]) !== 'n' || arg.some((v) => symbolOf(v) !== 'n'))
      : symbolOf(arg) !== 'n'
  ) {
    throw fail('T0412', 'Argument 1 of function "sum" must be an array of "numbers"');
  }
  let total = 0;
  for (const n of items as number[]) total += n;
  return total;
}

/** fn.round without a precision: to the nearest integer, halves to even. */
function round(arg: unknown): number | undefined {
  if (arg === undefined) return undefined;
  let result = Math.round(arg as number);
  if (Math.abs(result - (arg as number)) === 0.5 && Math.abs(result % 2) === 1) result -= 1;
  return result;
}

/** fn.type. */
function type(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return 'null';
  if (isNumeric(value)) return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'array';
  if (isFunction(value)) return 'function';
  return 'object';
}

/** fn.string: JSON with non-integers at 15 significant digits; D3001 on Infinity or NaN. */
function string(arg: unknown): string | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'string') return arg;
  if (isFunction(arg)) return '';
  if (typeof arg === 'number' && !isFinite(arg))
    throw fail('D3001', 'Attempting to invoke string function on Infinity or NaN');
  const value = Array.isArray(arg) && (arg as Seq).outerWrapper ? arg[0] : arg;
  return JSON.stringify(value, (_key, val: unknown) => {
    if (val !== undefined && val !== null && isNumeric(val))
      return !Number.isInteger(val) ? Number((val as number).toPrecision(15)) : val;
    return val && isFunction(val) ? '' : val;
  });
}

/** fn.number: numbers as is, numeric strings (regexes copied verbatim), booleans as 1/0, else D3030. */
function number(arg: unknown): number | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'number') return arg;
  if (
    typeof arg === 'string' &&
    /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/.test(arg) &&
    !isNaN(parseFloat(arg)) &&
    isFinite(arg as unknown as number)
  )
    return parseFloat(arg);
  if (typeof arg === 'string' && /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/.test(arg)) return Number(arg);
  if (arg === true) return 1;
  if (arg === false) return 0;
  throw fail('D3030', `Unable to cast value to a number: ${JSON.stringify(arg)}`);
}

/** fn.boolean: JSONata's truthiness; every item of a longer array is tested. */
function boolean(arg: unknown): boolean | undefined {
  if (arg === undefined) return undefined;
  if (Array.isArray(arg)) {
    if (arg.length === 1) return boolean(arg[0]);
    return arg.length > 1 && arg.filter((v) => boolean(v)).length > 0;
  }
  if (typeof arg === 'string') return arg.length > 0;
  if (isNumeric(arg)) return arg !== 0;
  if (arg !== null && typeof arg === 'object' && !isFunction(arg)) return Object.keys(arg).length > 0;
  return arg === true;
}

/** evaluateBooleanExpression's boolize: undefined is false. */
function boolize(value: unknown): boolean {
  return boolean(value) ?? false;
}

/** utils.isNumeric: a number that is not NaN; ±Infinity throws D1001. */
function isNumeric(n: unknown): boolean {
  if (typeof n !== 'number' || isNaN(n)) return false;
  if (!isFinite(n)) throw fail('D1001', `Number out of range: ${JSON.stringify(n)}`);
  return true;
}

/** utils.isArrayOfNumbers (true for an empty array). */
function isArrayOfNumbers(arg: unknown): boolean {
  return Array.isArray(arg) && arg.filter((v) => !isNumeric(v)).length === 0;
}

/** An evaluation error as JSONata throws it: `code` plus the message its template gives. */
function fail(code: string, message: string): { code: string; message: string } {
  return { code, message };
}
