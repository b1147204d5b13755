/**
 * The bounds of limits.ts on JSONata's evaluator. JSONata checks
 * its `timeout` only between evaluation steps, so one built-in call could
 * run for seconds (`$pad('x', 2e8)` stalls, then kills the process) and one
 * step could build a value of any size. Two parts close that:
 *
 * - Built-ins whose work is not bounded by their input are replaced, per
 *   compiled expression, by versions that check the bound before doing the
 *   work and then call JSONata's own implementation, so results are
 *   JSONata's: `$join`, `$replace`, `$split`, `$string` (indented), the
 *   picture functions, and `$sort`, which loops without a step and so checks
 *   the time inside. `$pad`, `$length`, `$substring` and `$distinct` are
 *   ported instead, to do the same work in linear time with small constants.
 * - An exit hook (JSONata's documented `__evaluate_exit`, called after every
 *   step) measures each value a step builds, so repeated `&`, `$append`,
 *   `[$a, $a]` or `{"l": $a, "r": $a}` in `$reduce` or recursion stop at the
 *   size bound instead of doubling until memory runs out. Amplifying
 *   built-ins (`$uppercase`, `$encodeUrl`, …) are covered by the same check:
 *   their work is linear in an input that is itself bounded.
 *
 * fast-path.ts enforces the same bounds on the subset it compiles.
 */
import jsonata from 'jsonata';
import type { Expression } from 'jsonata';
import { astNodes } from './ast-nodes.js';
import type { AstNode } from './ast-nodes.js';
import { codePointLength, codePointOffset } from './code-points.js';
import { isDeepEqual, isFunction, isSequence } from './jsonata-values.js';
import type { Sequence } from './jsonata-values.js';
import { boundError, checkBuilt, checkSize, expressionLimits, tooManyItems } from './limits.js';
import type { ExpressionLimits } from './limits.js';
import { loadRe2js, withLinearRegExp } from './regex-engine.js';
import { isCollected, jsonSize } from './value-size.js';

/** The root frame of one evaluation: JSONata's guardrail check (D1011, D1012) and the evaluation's clock. */
interface EvaluationFrame {
  guardrails(): void;
}

/** `this` of a built-in as JSONata calls it (jsonata.js applyInner). */
interface Focus {
  readonly environment: { readonly base: EvaluationFrame; readonly timestamp: Date };
  createSequence(): Sequence;
}

/** A JSONata built-in as its `defineFunction` makes it. */
interface NativeFunction {
  readonly implementation: (this: Focus, ...args: unknown[]) => unknown;
}

/** A match as JSONata's regex closure returns it (jsonata.js evaluateRegex). */
interface Match {
  readonly match: string;
  readonly start: number;
  readonly end: number;
  readonly groups: readonly string[];
  readonly next: () => unknown;
}

/** A regex (JSONata's matcher closure) or a function. */
type Matcher = (str: string) => unknown;

type Replacement = string | ((match: Match) => unknown);

/**
 * JSONata's own implementations, to call once a bound is checked. jsonata
 * exports no table of them, so they are read by evaluating their names,
 * once, when this module loads.
 */
const natives = (await jsonata(
  '{"pad": $pad, "join": $join, "replace": $replace, "split": $split, "string": $string, "sort": $sort, ' +
    '"formatNumber": $formatNumber, "formatInteger": $formatInteger, "parseInteger": $parseInteger, "fromMillis": $fromMillis, "toMillis": $toMillis}',
).evaluate({})) as Readonly<Record<string, NativeFunction>>;

function native(name: string): NativeFunction['implementation'] {
  return natives[name].implementation;
}

/** A replacement built-in: its signature (as jsonata registers the original) and its implementation, given the limits first. */
interface Bounded {
  readonly signature: string;
  readonly implementation: (this: Focus, limits: ExpressionLimits, ...args: any[]) => unknown; // oxlint-disable-line typescript/no-explicit-any -- JSONata checks each argument against `signature` before the call, so each implementation types its own
}

/** Throws SW_EVAL_PICTURE for a picture (or a formatting option) longer than the limit. */
function checkPicture(limits: ExpressionLimits, what: string, picture: unknown): void {
  if (typeof picture === 'string' && picture.length > limits.picture) {
    throw boundError(
      'SW_EVAL_PICTURE',
      `${what}: a picture of ${picture.length} characters; the limit is ${limits.picture} (limit: picture)`,
    );
  }
}

/** A date-time picture: its length, and the widths its markers ask for (`[Y,5000]` pads the year to 5000 digits). */
function checkDatePicture(limits: ExpressionLimits, what: string, picture: unknown): void {
  checkPicture(limits, what, picture);
  if (typeof picture === 'string' && widestMarker(picture) > limits.picture) {
    throw boundError('SW_EVAL_PICTURE', `${what}: a picture asks for a width over ${limits.picture} (limit: picture)`);
  }
}

/** The largest minimum width of a `[component,min-max]` marker, found as datetime.js analyseDateTimePicture finds markers. */
function widestMarker(picture: string): number {
  let widest = 0;
  for (let pos = picture.indexOf('['); pos !== -1; pos = picture.indexOf('[', pos)) {
    if (picture[pos + 1] === '[') {
      pos += 2; // `[[` is a literal bracket
      continue;
    }
    const end = picture.indexOf(']', pos);
    if (end === -1) break; // JSONata reports D3135
    const marker = picture.slice(pos + 1, end).replace(/\s+/g, '');
    const comma = marker.lastIndexOf(',');
    if (comma !== -1) widest = Math.max(widest, parseInt(marker.slice(comma + 1), 10) || 0);
    pos = end + 1;
  }
  return widest;
}

/** Array.prototype.slice's reading of an index: an integer, negative from the end, clamped to [0, count]. */
function sliceIndex(index: number, count: number): number {
  const i = Number.isNaN(index) ? 0 : Math.trunc(index);
  return i < 0 ? Math.max(count + i, 0) : Math.min(i, count);
}

/** A matcher that yields `m` once, over its own text: how `$replace` turns one match into its substitute. */
function only(m: Match): () => Match {
  return () => ({ match: m.match, start: 0, end: m.match.length, groups: m.groups, next: () => undefined });
}

/** The replacement built-ins, by name. */
const bounded: Readonly<Record<string, Bounded>> = {
  pad: {
    signature: '<s-ns?:s>',
    // Ported from fn.pad, which builds its padding by joining an array of |width| pads: a quarter
    // of a second for 10 million characters, and a fatal "invalid size" error beyond V8's limits.
    implementation(limits, str: string | undefined, width: number, char: string | undefined) {
      if (str === undefined) return undefined;
      const fill = char === undefined || char.length === 0 ? ' ' : char;
      const padLength = Math.abs(Math.trunc(width)) - codePointLength(str);
      if (!(padLength > 0)) return str;
      checkSize('$pad', padLength, limits.size);
      // The first padLength code points of the pad repeated (fn.substring counts code points).
      const repeated = fill.repeat(Math.ceil(padLength / codePointLength(fill)));
      const padding = repeated.slice(0, codePointOffset(repeated, padLength));
      return width > 0 ? str + padding : padding + str;
    },
  },
  length: {
    signature: '<s-:n>',
    // Ported from fn.length, which counts by building an array of one-character strings.
    implementation(_limits, str: string | undefined) {
      return str === undefined ? undefined : codePointLength(str);
    },
  },
  substring: {
    signature: '<s-nn?:s>',
    // Ported from fn.substring, which slices an array of one-character strings; its index rules
    // are Array.prototype.slice's, over code points.
    implementation(_limits, str: string | undefined, start: number, length: number | undefined) {
      if (str === undefined) return undefined;
      const count = codePointLength(str);
      const from = count + start < 0 ? 0 : start;
      if (length !== undefined && length <= 0) return '';
      const end = length === undefined ? count : from >= 0 ? from + length : count + from + length;
      const a = sliceIndex(from, count);
      const b = sliceIndex(end, count);
      return b <= a ? '' : str.slice(codePointOffset(str, a), codePointOffset(str, b));
    },
  },
  join: {
    signature: '<a<s>s?:s>',
    implementation(limits, strs: string[] | undefined, separator: string | undefined) {
      if (strs !== undefined) {
        let size = Math.max(0, strs.length - 1) * (separator ?? '').length;
        for (const s of strs) size += s.length;
        checkSize('$join', size, limits.size);
      }
      return native('join').call(this, strs, separator);
    },
  },
  replace: {
    signature: '<s-(sf)(sf)n?:s>',
    implementation(
      limits,
      str: string | undefined,
      pattern: string | Matcher,
      replacement: Replacement,
      limit: number | undefined,
    ) {
      const replaceNative = native('replace');
      // Undefined input and the argument errors (D3010, D3011) are JSONata's to give.
      if (str === undefined || pattern === '' || (limit !== undefined && limit < 0))
        return replaceNative.call(this, str, pattern, replacement, limit);
      if (typeof pattern === 'string') {
        if (typeof replacement === 'string') {
          let count = 0;
          for (
            let at = str.indexOf(pattern);
            at !== -1 && (limit === undefined || count < limit);
            at = str.indexOf(pattern, at + pattern.length)
          )
            count++;
          checkSize('$replace', str.length + count * (replacement.length - pattern.length), limits.size);
        }
        return replaceNative.call(this, str, pattern, replacement, limit);
      }
      // A regex: substitutes depend on each match, so count the result as it grows, exactly, and stop at the bound.
      let built = 0;
      let position = 0;
      const substitute =
        typeof replacement === 'string'
          ? (m: Match) => replaceNative.call(this, m.match, only(m), replacement)
          : replacement;
      const counted = async (m: Match): Promise<unknown> => {
        const text = await substitute(m);
        if (typeof text === 'string') {
          built += m.start - position + text.length;
          position = m.start + m.match.length;
          checkSize('$replace', built + str.length - position, limits.size);
        }
        return text;
      };
      return replaceNative.call(this, str, pattern, counted, limit);
    },
  },
  split: {
    signature: '<s-(sf)n?:a<s>>',
    async implementation(limits, str: string | undefined, separator: string | Matcher, limit: number | undefined) {
      // Asking for one piece more than the bound allows gives the same answer when it fits, and stops the work when it does not.
      const capped = limit === undefined || limit > limits.sequence ? limits.sequence + 1 : limit;
      const pieces = await native('split').call(
        this,
        str,
        separator,
        limit !== undefined && limit < 0 ? limit : capped,
      );
      if (Array.isArray(pieces) && pieces.length > limits.sequence) throw tooManyItems(limits.sequence);
      return pieces;
    },
  },
  string: {
    signature: '<x-b?:s>',
    implementation(limits, arg: unknown, prettify: boolean | undefined) {
      // Indenting multiplies: each line carries its depth, so a deep value prints far larger than it is.
      if (prettify === true && arg !== null && typeof arg === 'object')
        checkSize('$string', jsonSize(arg, limits.size, { indent: 2 }), limits.size);
      return native('string').call(this, arg, prettify);
    },
  },
  sort: {
    signature: '<af?:a>',
    implementation(_limits, arr: unknown[] | undefined, comparator: unknown) {
      const sortNative = native('sort');
      // Without a comparator fn.sort compares numbers or strings without taking a step, in a merge
      // that slices the array at each comparison (O(n²)); so each comparison checks the time.
      // Anything else, and what fn.sort refuses (D3070, D1001), is left to fn.sort as it is.
      const comparable =
        Array.isArray(arr) &&
        (arr.every((v) => typeof v === 'number' && Number.isFinite(v)) || arr.every((v) => typeof v === 'string'));
      if (comparator !== undefined || !comparable) return sortNative.call(this, arr, comparator);
      const frame = this.environment.base;
      return sortNative.call(this, arr, (a: number | string, b: number | string) => {
        frame.guardrails();
        return a > b;
      });
    },
  },
  distinct: {
    signature: '<x:x>',
    // fn.distinct compares every item with every kept one; this keeps its results with a Set for the
    // values === compares, and checks the time while comparing objects by content (utils.isDeepEqual).
    implementation(_limits, arr: unknown) {
      if (!Array.isArray(arr) || arr.length <= 1) return arr;
      const results: unknown[] = isSequence(arr) ? this.createSequence() : [];
      const kept = new Set<unknown>();
      const objects: object[] = [];
      for (const value of arr) {
        if (value !== null && typeof value === 'object') {
          this.environment.base.guardrails();
          if (objects.some((o) => isDeepEqual(value, o))) continue;
          objects.push(value);
        } else if (value === value) {
          if (kept.has(value)) continue;
          kept.add(value);
        } // NaN equals nothing in isDeepEqual, so every NaN is kept
        results.push(value);
      }
      return results;
    },
  },
  formatNumber: {
    signature: '<n-so?:s>',
    implementation(limits, value: number | undefined, picture: string, options: Record<string, unknown> | undefined) {
      checkPicture(limits, '$formatNumber', picture);
      // Separators and the exponent sign are repeated in the output; they count as pictures too.
      for (const option of Object.values(options ?? {})) checkPicture(limits, '$formatNumber', option);
      return native('formatNumber').call(this, value, picture, options);
    },
  },
  formatInteger: {
    signature: '<n-s:s>',
    implementation(limits, value: number | undefined, picture: string) {
      checkPicture(limits, '$formatInteger', picture);
      return native('formatInteger').call(this, value, picture);
    },
  },
  parseInteger: {
    signature: '<s-s:n>',
    implementation(limits, value: string | undefined, picture: string) {
      checkPicture(limits, '$parseInteger', picture);
      return native('parseInteger').call(this, value, picture);
    },
  },
  fromMillis: {
    signature: '<n-s?s?:s>',
    implementation(limits, millis: number | undefined, picture: string | undefined, timezone: string | undefined) {
      checkDatePicture(limits, '$fromMillis', picture);
      return native('fromMillis').call(this, millis, picture, timezone);
    },
  },
  now: {
    signature: '<s?s?:s>',
    // jsonata binds $now per expression to the evaluation's timestamp; the frame carries the same one.
    implementation(limits, picture: string | undefined, timezone: string | undefined) {
      checkDatePicture(limits, '$now', picture);
      return native('fromMillis').call(this, this.environment.timestamp.getTime(), picture, timezone);
    },
  },
  toMillis: {
    signature: '<s-s?:n>',
    implementation(limits, timestamp: string | undefined, picture: string | undefined) {
      if (picture === undefined) return native('toMillis').call(this, timestamp, picture); // ISO 8601, one linear regex
      checkPicture(limits, '$toMillis', picture);
      return withLinearRegExp(() => native('toMillis').call(this, timestamp, picture), limits);
    },
  },
};

/**
 * Node types whose result can be a value the step built rather than one it
 * read: calls (`function`, `apply` for `~>`), constructors (`unary` `[…]`,
 * `{…}`), operators (`binary`), and paths, which collect lists. A node with
 * a `group` (`items{…}`) builds an object. Only these are measured.
 */
const building = new Set(['function', 'apply', 'unary', 'binary', 'path']);

/**
 * The exit hook: after each step, a string it built must be within `size`,
 * and a list or object it built within `size` as JSON and `sequence` items.
 * Values read unchanged (a field, a variable) are not measured, so reading
 * a large input never fails. Sizes are remembered per evaluation.
 */
function stepCheck(
  limits: ExpressionLimits,
): (node: { type: string; group?: unknown }, input: unknown, environment: { base: object }, result: unknown) => void {
  const memos = new WeakMap<object, WeakMap<object, number>>();
  return (node, _input, environment, result) => {
    if (result === null || (typeof result !== 'string' && typeof result !== 'object')) return;
    const grouped = node.group !== undefined;
    if (!grouped && !building.has(node.type)) return;
    // A path hands back what it read, unless it collects a list or a group.
    if (node.type === 'path' && !grouped && !isCollected(result)) return;
    if (typeof result === 'string') {
      checkSize(`a ${node.type} step`, result.length, limits.size);
      return;
    }
    // Besides strings, an operator builds only numbers, booleans and a range's numbers (bounded by `sequence`).
    if (isFunction(result) || node.type === 'binary') return;
    let memo = memos.get(environment.base);
    if (memo === undefined) memos.set(environment.base, (memo = new WeakMap()));
    checkBuilt(`a ${node.type} step`, result, limits, memo);
  };
}

/** Where JSONata looks for an exit hook: a symbol-named binding (jsonata.js evaluate). */
const exitHook = Symbol.for('jsonata.__evaluate_exit');

/**
 * Puts the bounds on a compiled expression: the exit hook, and the bounded
 * version of each replaced built-in it names.
 * @param compiled - from `jsonata(source, options)`
 * @param limits - Default: expressionLimits
 * @param nodes - the expression's nodes (ast-nodes.ts), when the caller has them. Default: collected here
 */
export function boundEvaluation(
  compiled: Expression,
  limits: ExpressionLimits = expressionLimits,
  nodes: readonly AstNode[] = astNodes(compiled.ast()),
): void {
  // jsonata's typings take string names only; bindings are a plain object, and its hooks are looked up by symbol.
  compiled.assign(exitHook as unknown as string, stepCheck(limits));
  const named = new Set<string>();
  for (const node of nodes) {
    if (node.type === 'variable' && typeof node.value === 'string' && Object.hasOwn(bounded, node.value))
      named.add(node.value);
  }
  // $toMillis matches with RE2 (withLinearRegExp): loaded now, not within its first call's time bound.
  if (named.has('toMillis')) loadRe2js();
  for (const name of named) {
    const { signature, implementation } = bounded[name];
    const call = function (this: Focus, ...args: unknown[]): unknown {
      return implementation.call(this, limits, ...args);
    };
    // jsonata's typings give `this` its public Focus; at run time it also carries what Focus here declares.
    compiled.registerFunction(name, call as (this: unknown, ...args: unknown[]) => unknown, signature);
  }
}
