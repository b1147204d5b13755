/**
 * The compiler's working state for one file: where to report, and the
 * function that compiles any value under the value rule with positions.
 */
import { isScalar } from 'yaml';
import { diagnostic, humanPath, locate, offsetInScalar, positionAt, positionOfNode } from '../config/index.js';
import type { Diagnostic, DiagnosticCode, Fix, NodePath, Position, SourceFile } from '../config/index.js';
import { compileExpression } from './expression.js';
import type { CompiledExpression } from './expression.js';
import { partOf } from './names.js';
import type { NameContext } from './names.js';
import type { ParsedExpressions } from './parsed-expressions.js';
import { isWholeExpression, splitTemplate } from './template.js';
import type { CompiledValue } from './template.js';

/** Collects diagnostics while compiling one file. */
export interface CompileContext {
  /**
   * Where positions come from; null when the file was checked already and
   * only the plan is wanted (servable-plan.ts): what is reported then is dropped.
   */
  readonly source: SourceFile | null;
  readonly diagnostics: Diagnostic[];
  /** Where `slots.<name>` is read, collected when given (compile-plan.ts checks reads against the slots set). */
  readonly slotReads?: SlotRead[];
  /** The JSONata this compile parsed, by text, shared by its actions (parsed-expressions.ts). Default: each parsed apart */
  readonly expressions?: ParsedExpressions;
}

/** One `slots.<name>` read: the slot, and the string and character it stands at (a position is made only when reported). */
export interface SlotRead {
  readonly slot: string;
  readonly path: NodePath;
  readonly index: number;
}

const UNPLACED: Position = { file: '', line: 0, col: 0 };

/** Position of the value at `path`, or of character `index` inside its string. */
export function positionOf(cx: CompileContext, path: NodePath, index?: number): Position {
  if (cx.source === null) return UNPLACED;
  const { node, key, nearest } = locate(cx.source, path);
  if (index !== undefined && isScalar(node) && typeof node.value === 'string') {
    return positionAt(cx.source, offsetInScalar(cx.source, node, index));
  }
  return positionOfNode(cx.source, node ?? key ?? nearest);
}

/** Position of the key of the last step of `path` (for "this key is wrong"). */
export function keyPositionOf(cx: CompileContext, path: NodePath): Position {
  if (cx.source === null) return UNPLACED;
  const { key, node } = locate(cx.source, path);
  return positionOfNode(cx.source, key ?? node);
}

/** Adds a diagnostic at a position. */
export function report(
  cx: CompileContext,
  code: DiagnosticCode,
  at: Position,
  args: readonly string[] = [],
  hintArgs: readonly string[] = [],
  fix?: Fix,
): void {
  cx.diagnostics.push(diagnostic(code, at, args, hintArgs, fix));
}

/** Compiles a value under the value rule; problems are reported, the result is then a literal. */
export function compileValue(cx: CompileContext, value: unknown, path: NodePath, names: NameContext): CompiledValue {
  if (typeof value === 'string') return compileString(cx, value, path, names);
  if (Array.isArray(value)) {
    const items = value.map((item, i) => compileValue(cx, item, [...path, i], partOf(names)));
    return items.every((c) => c.kind === 'literal') ? { kind: 'literal', value } : { kind: 'array', items };
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([k, v]) => [k, compileValue(cx, v, [...path, k], partOf(names))] as const,
    );
    return entries.every(([, c]) => c.kind === 'literal') ? { kind: 'literal', value } : { kind: 'object', entries };
  }
  return { kind: 'literal', value };
}

/**
 * Compiles a condition (`when`, `success_when`, `accept_when`): a boolean
 * literal or exactly one `{{ }}`. Text around the braces would make a
 * non-empty string, always true, so it is refused.
 */
export function compileCondition(
  cx: CompileContext,
  value: unknown,
  path: NodePath,
  names: NameContext,
): CompiledValue {
  if (typeof value === 'string' && value.includes('{{') && !isWholeExpression(splitTemplate(value).parts)) {
    report(cx, 'SW_EXPR_NOT_WHOLE', positionOf(cx, path), [humanPath(path)]);
    return { kind: 'literal', value: false };
  }
  return compileValue(cx, value, path, names);
}

function compileString(cx: CompileContext, value: string, path: NodePath, names: NameContext): CompiledValue {
  if (!value.includes('{{')) return { kind: 'literal', value };
  const { parts, error } = splitTemplate(value);
  if (error) {
    report(cx, error.code, positionOf(cx, path, error.offset));
    return { kind: 'literal', value };
  }
  const compiled: (string | CompiledExpression)[] = [];
  let failed = false;
  const whole = isWholeExpression(parts);
  for (const part of parts) {
    if ('text' in part) {
      compiled.push(part.text);
      continue;
    }
    const { expr, problems } = compileExpression(part.expr, whole ? names : partOf(names), cx.expressions);
    for (const p of problems)
      report(cx, p.code, positionOf(cx, path, part.offset + p.offset), p.args, p.hintArgs ?? [], p.fix);
    for (const r of expr?.reads ?? [])
      if (r.root === 'slots' && r.field !== null)
        cx.slotReads?.push({ slot: r.field, path, index: part.offset + r.offset });
    if (expr) compiled.push(expr);
    else failed = true;
  }
  if (failed) return { kind: 'literal', value };
  if (whole) {
    const only = compiled.find((p): p is CompiledExpression => typeof p !== 'string') as CompiledExpression;
    return { kind: 'expression', expr: only };
  }
  return { kind: 'interpolation', parts: compiled };
}
