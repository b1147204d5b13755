/**
 * Regular expressions in expressions run on RE2 (re2js), which matches in
 * time linear in its input: `$contains(slots.s, /^(a+)+$/)` on 28 "a"s and
 * a "!" takes a second with JavaScript's backtracking RegExp, twice that
 * for each "a" more, and microseconds here (numbers in
 * docs/actions-yml.md#regular-expressions). RE2 has no backreferences or lookaround, so a
 * pattern it cannot compile is a load diagnostic with its position, not a
 * failure on the first call.
 */
import { createRequire } from 'node:module';
import type * as Re2js from 're2js';
import type { RE2JS, RE2JSSyntaxException } from 're2js';
import type { DiagnosticCode } from '../config/index.js';
import type { AstNode } from './ast-nodes.js';
import { boundError, expressionLimits } from './limits.js';
import type { ExpressionLimits } from './limits.js';

/**
 * re2js, required when a compiled expression first needs it (most files
 * have no regular expression): about 20 ms to load. Always at load time,
 * never inside an evaluation's time bound: regex literals are compiled by
 * checkRegexes, and an expression that runs withLinearRegExp asks for it
 * when it is bounded (bounded-functions.ts).
 */
let re2js: typeof Re2js | null = null;

/** Loads re2js, once. */
export function loadRe2js(): typeof Re2js {
  return (re2js ??= createRequire(import.meta.url)('re2js') as typeof Re2js);
}

/** The limits a regex run checks. */
export type RegexLimits = Pick<ExpressionLimits, 'timeout' | 'regexInput'>;

/** A regex literal RE2 cannot compile, at an offset into the expression. */
export interface RegexProblem {
  readonly code: Extract<DiagnosticCode, 'SW_EXPR_REGEX_UNSUPPORTED' | 'SW_EXPR_REGEX_TOO_LARGE'>;
  readonly offset: number;
  /** The pattern as written, and what RE2 refused in it. */
  readonly args: readonly [string, string];
}

/** RE2 errors that mean "too big" (repeat counts multiply up to 1000), not "not in RE2". */
const tooLarge = new Set(['invalid repeat count', 'expression too large', 'expression nests too deeply']);

/**
 * Compiled patterns by the RegExp object in a parsed expression: JSONata
 * builds a new engine each time a regex literal is evaluated, and
 * compiling costs far more than matching a short string. Keyed weakly by
 * the plan's own AST objects, so entries go with the plan.
 */
const compiled = new WeakMap<RegExp, RE2JS>();

/** A JSONata regex literal (a RegExp with flags from i, m and JSONata's own g) in RE2 syntax. Throws RE2JSSyntaxException. */
function toRe2(regexp: RegExp): RE2JS {
  let re = compiled.get(regexp);
  if (re === undefined) {
    const { RE2JS } = loadRe2js();
    const flags = (regexp.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) | (regexp.multiline ? RE2JS.MULTILINE : 0);
    re = RE2JS.compile(RE2JS.translateRegExp(regexp.source), flags);
    compiled.set(regexp, re);
  }
  return re;
}

/**
 * Every regex literal of a parsed expression that RE2 cannot compile.
 * Compiling them here also warms the cache the engine reads.
 * @param nodes - the expression's nodes (ast-nodes.ts)
 * @param source - the expression text, to find where each literal starts
 */
export function checkRegexes(nodes: readonly AstNode[], source: string): RegexProblem[] {
  const problems: RegexProblem[] = [];
  for (const node of nodes) {
    // At run time a regex node's type is `regex` (jsonata's typings say `regexp`); its position is just after the token.
    if (node.type !== 'regex' || !(node.value instanceof RegExp)) continue;
    const regexp = node.value;
    try {
      toRe2(regexp);
    } catch (err) {
      if (!(err instanceof loadRe2js().RE2JSSyntaxException)) throw err;
      const code = tooLarge.has(err.error) ? 'SW_EXPR_REGEX_TOO_LARGE' : 'SW_EXPR_REGEX_UNSUPPORTED';
      problems.push({
        code,
        offset: literalStart(regexp, typeof node.position === 'number' ? node.position : 0, source),
        args: [regexp.source, describe(err)],
      });
    }
  }
  return problems;
}

/** What RE2 refused, named the way the docs and the hint name it. */
function describe(err: RE2JSSyntaxException): string {
  const what = err.input ?? '';
  if (/^\(\?<?[=!]/.test(what)) return `lookaround ${what.slice(0, what[2] === '<' ? 4 : 3)}`;
  if (/^\\[1-9]/.test(what)) return `a backreference ${what}`;
  return what === '' ? err.error : `${err.error} ${what}`;
}

/** Where `/pattern/flags` starts: its token ends at `end`; `g` is JSONata's own flag, not written. */
function literalStart(regexp: RegExp, end: number, source: string): number {
  const written = regexp.flags.replace('g', '').length;
  const guess = end - written - regexp.source.length - 2;
  // RegExp.source escapes some characters it was given raw (a newline); fall back to the nearest slash.
  return source[guess] === '/' ? guess : Math.max(0, source.lastIndexOf('/', Math.max(0, guess)));
}

/** The part of RegExp that JSONata's evaluateRegex uses: `lastIndex` and `exec`, as on a global RegExp. */
interface RegexEngine {
  lastIndex: number;
  exec(input: string): RegExpExecArray | null;
}

/**
 * A `RegexEngine` for `jsonata(source, { RegexEngine })`. JSONata builds
 * one (`new RegexEngine(regexp)`) each time a regex literal is evaluated,
 * sets `lastIndex`, calls `exec` and reads `lastIndex` back, as with a
 * global RegExp (jsonata.js evaluateRegex); a match loop in `$match`,
 * `$replace` or `$split` calls `exec` once per match without an evaluation
 * step in between, so the engine checks the time bound itself, counting
 * from when JSONata built it (which is inside the evaluation).
 * @param limits - Default: the expression limits
 */
export function linearRegexEngine(limits: RegexLimits = expressionLimits): RegExpConstructor {
  /** One regex literal being matched (a class because JSONata calls it with `new`). */
  class LinearRegExp implements RegexEngine {
    lastIndex = 0;
    readonly #re: RE2JS;
    readonly #started = Date.now();
    /** The matcher of the last input: a match loop calls exec on one string many times. */
    #matcher: { input: string; m: ReturnType<RE2JS['matcher']> } | null = null;

    constructor(regexp: RegExp) {
      this.#re = toRe2(regexp);
    }

    exec(input: string): RegExpExecArray | null {
      if (input.length > limits.regexInput) {
        throw boundError(
          'SW_EVAL_REGEX_INPUT',
          `a regular expression would run on ${input.length} characters; the limit is ${limits.regexInput}`,
        );
      }
      if (Date.now() - this.#started > limits.timeout) throw { code: 'D1012', value: limits.timeout };
      const from = this.lastIndex;
      // RE2's DFA answers "no match anywhere" several times faster than a search that tracks groups.
      if (from > input.length || (from === 0 && !this.#re.test(input))) {
        this.lastIndex = 0;
        return null;
      }
      if (this.#matcher?.input !== input) this.#matcher = { input, m: this.#re.matcher(input) };
      const { m } = this.#matcher;
      if (!m.find(from)) {
        this.lastIndex = 0;
        return null;
      }
      const groups: (string | undefined)[] = [];
      // A group that took no part in the match is undefined in a JavaScript match, null in RE2's.
      for (let i = 0; i <= m.groupCount(); i++) groups.push(m.group(i) ?? undefined);
      this.lastIndex = m.end();
      return Object.assign(groups as RegExpExecArray, { index: m.start(), input });
    }
  }
  // JSONata's typings ask for RegExp's constructor; it only ever calls `new` with a RegExp, then lastIndex and exec.
  return LinearRegExp as unknown as RegExpConstructor;
}

/** JavaScript's RegExp, kept before {@link withLinearRegExp} ever stands in for it. */
const NativeRegExp = RegExp;

/**
 * Runs `fn` with RE2 standing in for the global `RegExp`. `$toMillis`
 * builds a RegExp from its picture (`[Y][f][f]` → `^([0-9]+)([0-9]+)…$`)
 * and runs it on the timestamp; adjacent variable-width parts make that
 * polynomial in the timestamp's length (seconds for 60 characters), and
 * JSONata offers no hook for it. Its patterns use only classes,
 * alternations, `+` and `{n}`, which RE2 matches the same way. `fn` must
 * be synchronous, so no other code runs while the global is replaced.
 * @param fn - the synchronous call
 * @param limits - for the engine's bounds. Default: the expression limits
 */
export function withLinearRegExp<T>(fn: () => T, limits: RegexLimits = expressionLimits): T {
  const Engine = linearRegexEngine(limits);
  // `new RegExp(source, flags)` from datetime.js: build the native one for its flag parsing, then match with RE2.
  const Standin = function (source: string, flags?: string): unknown {
    return new Engine(new NativeRegExp(source, flags) as never);
  };
  globalThis.RegExp = Standin as unknown as RegExpConstructor;
  try {
    return fn();
  } finally {
    globalThis.RegExp = NativeRegExp;
  }
}
