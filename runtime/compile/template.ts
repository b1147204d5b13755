/**
 * The one value rule of actions.yml (docs/actions-yml.md#the-value-rule):
 * - a YAML value that is not a string is a literal;
 * - a string without `{{ }}` is a literal string;
 * - a string that is exactly one `{{ expr }}` yields the result with its type;
 * - text around `{{ }}` interpolates (null and missing become "").
 * Mappings and lists are compiled item by item; a part with no expression
 * anywhere inside stays one literal, so evaluation skips it entirely.
 */
import type { CompiledExpression } from './expression-types.js';

/** A value compiled once at load. */
export type CompiledValue =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'expression'; readonly expr: CompiledExpression }
  | { readonly kind: 'interpolation'; readonly parts: readonly (string | CompiledExpression)[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, CompiledValue])[] }
  | { readonly kind: 'array'; readonly items: readonly CompiledValue[] };

/** One piece of a template string: text, or an expression with its offset in the string. */
export type TemplatePart = { readonly text: string } | { readonly expr: string; readonly offset: number };

/** A template that could not be split, with the offset of the problem. */
export interface TemplateSyntaxError {
  readonly code: 'SW_EXPR_UNCLOSED' | 'SW_EXPR_EMPTY';
  readonly offset: number;
}

/**
 * Splits a string at `{{ … }}`. The closing `}}` is found outside JSONata
 * string literals and nested braces, so `{{ {"a": {"b": 1}} }}` works.
 */
export function splitTemplate(value: string): { parts: TemplatePart[]; error: TemplateSyntaxError | null } {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < value.length) {
    const open = value.indexOf('{{', i);
    if (open === -1) {
      parts.push({ text: value.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: value.slice(i, open) });
    const close = findClose(value, open + 2);
    if (close === -1) return { parts, error: { code: 'SW_EXPR_UNCLOSED', offset: open } };
    const expr = value.slice(open + 2, close);
    if (expr.trim() === '') return { parts, error: { code: 'SW_EXPR_EMPTY', offset: open } };
    parts.push({ expr, offset: open + 2 });
    i = close + 2;
  }
  return { parts, error: null };
}

function findClose(value: string, from: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < value.length; i++) {
    const c = value[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      if (depth === 0 && value[i + 1] === '}') return i;
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}

/** True when the string is exactly one expression (surrounding spaces aside). */
export function isWholeExpression(parts: readonly TemplatePart[]): boolean {
  const meaningful = parts.filter((p) => !('text' in p) || p.text.trim() !== '');
  return meaningful.length === 1 && 'expr' in meaningful[0];
}

/** True when a compiled value needs no evaluation. */
export function isLiteral(value: CompiledValue): value is { kind: 'literal'; value: unknown } {
  return value.kind === 'literal';
}

/** Every expression inside a compiled value, for whole-action analysis. */
export function expressionsIn(value: CompiledValue | null): CompiledExpression[] {
  if (!value) return [];
  switch (value.kind) {
    case 'literal':
      return [];
    case 'expression':
      return [value.expr];
    case 'interpolation':
      return value.parts.filter((p): p is CompiledExpression => typeof p !== 'string');
    case 'object':
      return value.entries.flatMap(([, v]) => expressionsIn(v));
    case 'array':
      return value.items.flatMap((v) => expressionsIn(v));
  }
}
