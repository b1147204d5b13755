/**
 * The bounds on every expression evaluation, in one place (docs/actions-yml.md#bounds):
 * nothing in actions.yml or in a webhook body may stall, kill or leak from
 * the server. JSONata evaluation never yields to the event loop, so while one
 * expression runs no other request is served: each bound caps the work, and
 * with it the memory, of one evaluation. A bound that is hit is an
 * evaluation error, which the executor turns into the action's `expression`
 * error outcome. docs/actions-yml.md ("Bounds") explains each to users.
 */
import { jsonSize } from './value-size.js';

/**
 * The limits, with their units. `timeout`, `stack` and `sequence` are
 * jsonata's own guardrails (codes D1012, D1011, D2015);
 * the rest are slotwire's (bounded-functions.ts, regex-engine.ts,
 * fast-path.ts enforce them the same way).
 */
export const expressionLimits = {
  /**
   * ms per evaluation. JSONata checks it before every step; the functions
   * that loop without taking a step (`$sort`, `$distinct`, a regex run over
   * many matches) check it inside their loops. Default: 100
   */
  timeout: 100,
  /** Nested evaluation depth (recursion). Default: 300 */
  stack: 300,
  /**
   * Items in one sequence, and in one array a function or a constructor
   * builds (`$split`, `$append`, `$zip`, `[$a, $b]`…). Default: 100 000
   */
  sequence: 100_000,
  /**
   * Characters in any value an evaluation builds: a string, or a list or
   * object counted as its JSON text (shared parts counted each time they
   * occur, as serialising them would). JSONata's string functions cost up
   * to ~0.1 µs per character (`$uppercase`, `$decodeUrl`, `$encodeUrl`), so
   * one step on a value this large stays near 10 ms; a 10 MB value would
   * make single steps take as long as the whole `timeout`. Default: 1 000 000
   */
  size: 1_000_000,
  /**
   * Characters a regular expression is run on. RE2 is linear in its input
   * but, when a match exists, scans about 5 characters per µs while it
   * tracks groups (0.2 s per million), so this keeps one match near 20 ms.
   * Default: 100 000
   */
  regexInput: 100_000,
  /**
   * Characters in a picture string (`$formatNumber`, `$formatInteger`,
   * `$fromMillis`, `$toMillis`, `$parseInteger`, `$now`) or an option
   * string of `$formatNumber`, and the largest width a picture may ask for
   * (`[Y,5000]`): formatting costs about 1 µs per picture character and
   * pads to any width asked. Default: 1 000
   */
  picture: 1_000,
} as const;

/** A set of limits: expressionLimits, or others of the same shape (tests use small ones). */
export type ExpressionLimits = { readonly [K in keyof typeof expressionLimits]: number };

/**
 * The code of an evaluation stopped by one of slotwire's bounds. JSONata's
 * own bounds keep their codes: D1011 (stack), D1012 (timeout), D2015
 * (sequence, which slotwire also applies to arrays that functions build).
 */
export type BoundCode = 'SW_EVAL_TOO_LARGE' | 'SW_EVAL_REGEX_INPUT' | 'SW_EVAL_PICTURE';

/** An evaluation error as JSONata throws one: a stable `code`, a message, maybe the limit as `value`. */
export interface EvaluationError {
  readonly code: string;
  readonly message: string;
  readonly value?: number;
}

/** A bound was hit: `code` says which; the message names the limit. */
export function boundError(code: BoundCode, message: string): EvaluationError {
  return { code, message };
}

/**
 * JSONata's D2015, for an array over the `sequence` limit; JSONata fills
 * the message from `value` when the error passes through its evaluator.
 */
export function tooManyItems(limit: number): EvaluationError {
  return { code: 'D2015', value: limit, message: `The maximum sequence length of ${limit} was exceeded.` };
}

/**
 * Throws SW_EVAL_TOO_LARGE when `size` characters are over `limit` (the
 * `size` bound): the one check behind the bounded functions, the exit hook
 * and the fast path, so all three fail alike.
 * @param what - what would have been built, for the message
 */
export function checkSize(what: string, size: number, limit: number): void {
  if (size > limit)
    throw boundError('SW_EVAL_TOO_LARGE', `${what} would build more than ${limit} characters (limit: size)`);
}

/**
 * The bound on a list or object an expression step built: at most
 * `sequence` items (D2015) and `size` characters as JSON. One rule for the
 * exit hook (bounded-functions.ts) and the fast path (fast-path.ts).
 * @param memo - sizes already measured in this evaluation
 */
export function checkBuilt(
  what: string,
  value: object,
  limits: Pick<ExpressionLimits, 'sequence' | 'size'>,
  memo?: WeakMap<object, number>,
): void {
  if (Array.isArray(value) && value.length > limits.sequence) throw tooManyItems(limits.sequence);
  // No size bound (the fast path's tests run without one): nothing to measure.
  if (limits.size !== Infinity) checkSize(what, jsonSize(value, limits.size, { memo }), limits.size);
}
