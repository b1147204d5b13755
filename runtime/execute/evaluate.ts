/**
 * Evaluating compiled values against a scope. Literals cost nothing; an
 * expression error is thrown as an ExpressionError, which the executor turns
 * into the `expression` error outcome (never a 500).
 */
import type { CompiledExpression, CompiledValue } from '../compile/index.js';
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

/** Evaluates one expression; JSONata's "no match" (undefined) becomes null. */
export async function evaluateExpression(expr: CompiledExpression, scope: Scope): Promise<unknown> {
  try {
    const result = await expr.evaluate(scope);
    return result === undefined ? null : result;
  } catch (err) {
    throw new ExpressionError(expr.source, err);
  }
}

/** Evaluates a compiled value under the value rule. */
export async function evaluate(value: CompiledValue, scope: Scope): Promise<unknown> {
  switch (value.kind) {
    case 'literal':
      return value.value;
    case 'expression':
      return evaluateExpression(value.expr, scope);
    case 'interpolation':
      return interpolate(value.parts, scope, toText);
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, item] of value.entries) out[key] = await evaluate(item, scope);
      return out;
    }
    case 'array': {
      const out: unknown[] = [];
      for (const item of value.items) out.push(await evaluate(item, scope));
      return out;
    }
  }
}

/** Joins text parts and expression results, each result passed through `encode`. */
export async function interpolate(parts: readonly (string | CompiledExpression)[], scope: Scope, encode: (value: unknown) => string): Promise<string> {
  let out = '';
  for (const part of parts) out += typeof part === 'string' ? part : encode(await evaluateExpression(part, scope));
  return out;
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
export async function holds(condition: CompiledValue | null, scope: Scope): Promise<boolean> {
  return condition === null ? true : isTruthy(await evaluate(condition, scope));
}
