/**
 * Evaluating compiled values against a scope. Literals cost nothing; an
 * expression error is thrown as an ExpressionError, which the executor turns
 * into the `expression` error outcome (never a 500). Values are ready at once
 * unless an expression needs JSONata's evaluator (pending.ts).
 */
import type { CompiledExpression, CompiledValue } from '../compile/index.js';
import { andThen, inOrder, isWaiting } from './pending.js';
import type { Pending } from './pending.js';
import type { Scope } from './scope.js';

/** A JSONata evaluation failed (a type error, a guardrail, a bad value). */
export class ExpressionError extends Error {
  readonly code: string;
  /** The expression text, for the log line. */
  readonly source: string;
  constructor(source: string, cause: unknown) {
    const e = cause as { code?: unknown; message?: unknown };
    const code = typeof e?.code === 'string' ? e.code : 'EVAL';
    super(`${code}: ${typeof e?.message === 'string' ? e.message : String(cause)} in {{${source}}}`);
    this.name = 'ExpressionError';
    this.code = code;
    this.source = source;
  }
}

/** Evaluates one expression; JSONata's "no match" (undefined) becomes null. Synchronous on the fast path. */
export function evaluateExpression(expr: CompiledExpression, scope: Scope): Pending<unknown> {
  let result: unknown;
  try {
    result = expr.evaluate(scope);
  } catch (err) {
    throw new ExpressionError(expr.source, err);
  }
  if (!isWaiting(result)) return result === undefined ? null : result;
  return result.then(
    (value) => (value === undefined ? null : value),
    (err: unknown) => {
      throw new ExpressionError(expr.source, err);
    },
  );
}

/** Evaluates a compiled value under the value rule. */
export function evaluate(value: CompiledValue, scope: Scope): Pending<unknown> {
  switch (value.kind) {
    case 'literal':
      return value.value;
    case 'expression':
      return evaluateExpression(value.expr, scope);
    case 'interpolation':
      return interpolate(value.parts, scope, toText);
    case 'object':
      return evaluateEntries(value.entries, scope);
    case 'array':
      return inOrder(value.items, (item) => evaluate(item, scope));
  }
}

/** Named values evaluated in order, as one object (a later name overrides an earlier one). */
export function evaluateEntries(
  entries: readonly (readonly [string, CompiledValue])[],
  scope: Scope,
): Pending<Record<string, unknown>> {
  return andThen(
    inOrder(entries, ([, item]) => evaluate(item, scope)),
    (values) => {
      const out: Record<string, unknown> = {};
      entries.forEach(([name], i) => {
        out[name] = values[i];
      });
      return out;
    },
  );
}

/** Joins text parts and expression results, each result passed through `encode`. */
export function interpolate(
  parts: readonly (string | CompiledExpression)[],
  scope: Scope,
  encode: (value: unknown) => string,
): Pending<string> {
  const texts = inOrder(parts, (part) =>
    typeof part === 'string' ? part : andThen(evaluateExpression(part, scope), encode),
  );
  return andThen(texts, (list) => list.join(''));
}

/** A value inside text: null is "", objects and lists are JSON. */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A condition's result read as JSONata's `$boolean` does. */
export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.some(isTruthy);
  if (typeof value === 'function') return false;
  return Object.keys(value).length > 0;
}

/** Evaluates an optional condition; absent means true. */
export function holds(condition: CompiledValue | null, scope: Scope): Pending<boolean> {
  return condition === null ? true : andThen(evaluate(condition, scope), isTruthy);
}
