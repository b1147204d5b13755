/**
 * JSONata expressions: compiled once at load with the evaluation bounds
 * (limits.ts), checked for syntax, for the names they read and for regular
 * expressions RE2 cannot run, mapped back to file positions.
 */
import type { ExprNode } from 'jsonata';
import { closest, didYouMean, renameFix } from '../config/index.js';
import type { AstNode } from './ast-nodes.js';
import { boundVariables } from './builtins.js';
import { checkFunctionCalls } from './function-calls.js';
import { isFunction } from './jsonata-values.js';
import { allRootNames, readableNames, whyNotHere } from './names.js';
import type { NameContext } from './names.js';
import { parseExpression } from './parsed-expressions.js';
import type { Evaluate, ParsedExpression, ParsedExpressions } from './parsed-expressions.js';
import { checkRegexes } from './regex-engine.js';
import { checkFields } from './response-shape.js';
import type { Shape } from './response-shape.js';
import { slotFitProblem } from './slot-fit.js';
import type { CompiledExpression, ExpressionProblem, NameRead } from './expression-types.js';

export { expressionLimits } from './limits.js';

export type { CompiledExpression, ExpressionProblem, NameRead } from './expression-types.js';

/**
 * Compiles one expression; problems carry offsets into `source`.
 * @param parsed - the expressions this compile parsed already, shared by text. Default: none
 */
export function compileExpression(
  source: string,
  ctx: NameContext,
  parsed?: ParsedExpressions,
): { expr: CompiledExpression | null; problems: ExpressionProblem[] } {
  const path = simplePath(source);
  return path ? compilePath(source, path, ctx) : compileJsonata(source, ctx, parsed);
}

/**
 * A plain path (`slots.city`, most mappings) needs no JSONata at load: its
 * root name is checked directly and it evaluates as property reads. JSONata
 * is compiled for it only the first time a value on the path is an array
 * (where JSONata maps over items), once per plan. This halves load time of
 * large files (bench/startup.mjs).
 */
function compilePath(
  source: string,
  path: readonly string[],
  ctx: NameContext,
): { expr: CompiledExpression | null; problems: ExpressionProblem[] } {
  const problems: ExpressionProblem[] = [];
  const reads: Reads = { domain: false, names: [] };
  const offset = source.length - source.trimStart().length;
  const node = (value: string, at: number): ExprNode => ({ type: 'name', value, position: at + value.length });
  const second = path[1] === undefined ? undefined : node(path[1], offset + path[0].length + 1);
  checkRoot(node(path[0], offset), second, ctx, problems, reads);
  if (problems.length > 0) return { expr: null, problems };
  // Most actions have no known answer shape: the nodes to check are made only for those that do.
  if (ctx.shapes !== undefined) {
    let at = offset;
    const steps = path.map((value) => {
      const n = node(value, at);
      at += value.length + 1;
      return n;
    });
    checkShape(steps, ctx, problems);
    const misfit = slotFitProblem(source, { type: 'path', steps }, ctx, new Set(), start(steps.at(-1)!));
    if (misfit) problems.push(misfit);
  }
  let fallback: Evaluate | null = null;
  const viaJsonata: Evaluate = (scope) => (fallback ??= parseExpression(source).evaluator())(scope);
  const [root, ...rest] = path as [string, ...string[]];
  return {
    expr: {
      source,
      evaluate: (scope) => readPath(scope, root, rest, viaJsonata),
      readsDomain: reads.domain,
      reads: reads.names,
    },
    problems,
  };
}

function compileJsonata(
  source: string,
  ctx: NameContext,
  parsed: ParsedExpressions | undefined,
): { expr: CompiledExpression | null; problems: ExpressionProblem[] } {
  let expression: ParsedExpression;
  try {
    expression = parseExpression(source, parsed);
  } catch (err) {
    const e = err as { code?: string; message?: string; position?: number; token?: string };
    const offset = Math.max(0, (e.position ?? 0) - (e.token && e.token !== '(end)' ? e.token.length : 0));
    return {
      expr: null,
      problems: [{ code: 'SW_EXPR_SYNTAX', offset, args: [`${e.code ?? ''} ${e.message ?? String(err)}`.trim()] }],
    };
  }
  const { compiled, nodes } = expression;
  const problems: ExpressionProblem[] = [];
  const reads: Reads = { domain: false, names: [] };
  checkNames(compiled.ast(), true, ctx, problems, reads);
  problems.push(...checkRegexes(nodes, source), ...checkFunctionCalls(nodes));
  if (problems.length > 0) return { expr: null, problems };
  // Warnings only, once the expression compiles: each response path against the answer's known shape,
  // and what the whole yields against the slot it sets.
  if (ctx.shapes !== undefined) {
    for (const n of nodes)
      if (n.type === 'path' && Array.isArray(n['steps'])) checkShape(n['steps'] as ExprNode[], ctx, problems);
    const ast = compiled.ast();
    const misfit = slotFitProblem(source, ast, ctx, boundVariables(nodes), fitPosition(source, ast));
    if (misfit) problems.push(misfit);
  }
  return {
    expr: { source, evaluate: expression.evaluator(), readsDomain: reads.domain, reads: reads.names },
    problems,
  };
}

/** What the name check learns about an expression on the way. */
interface Reads {
  domain: boolean;
  names: NameRead[];
}

const keywords = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

/** `a.b.c` with plain identifiers, or null. */
function simplePath(source: string): string[] | null {
  const trimmed = source.trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(trimmed)) return null;
  const parts = trimmed.split('.');
  return parts.some((p) => keywords.has(p)) ? null : parts;
}

/**
 * A direct property read with JSONata's result for plain objects. Arrays make
 * JSONata map over their items, so on meeting one we hand over to JSONata to
 * keep one semantics. An object marked `_jsonata_function` or
 * `_jsonata_lambda` (upstream data can carry either) is a function to
 * JSONata, which reads nothing inside it (fn.lookup); neither does this.
 */
function readPath(
  scope: Readonly<Record<string, unknown>>,
  root: string,
  rest: readonly string[],
  viaJsonata: Evaluate,
): unknown {
  // The scope is ours, never an array or a function-like object: its name is read directly.
  if (!Object.hasOwn(scope, root)) return undefined;
  let value: unknown = scope[root];
  for (const key of rest) {
    if (Array.isArray(value)) return viaJsonata(scope);
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key) || isFunction(value))
      return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return Array.isArray(value) ? viaJsonata(scope) : value;
}

/**
 * Walks the AST: names at the root of a path read the scope and must be
 * readable here; later steps, filters and groups are relative to a value.
 */
function checkNames(
  node: ExprNode | undefined,
  atRoot: boolean,
  ctx: NameContext,
  out: ExpressionProblem[],
  reads: Reads,
): void {
  if (!node || typeof node !== 'object') return;
  const n = node as ExprNode & Record<string, unknown>;
  if (n.type === 'function' && n.procedure?.type === 'variable' && n.procedure.value === 'eval') {
    out.push({ code: 'SW_EXPR_EVAL', offset: start(n.procedure), args: [] });
  }
  if (n.type === 'variable' && n.value === '$') {
    reads.domain = true; // $$ is the whole input
    reads.names.push({ root: '$$', field: null, offset: start(n) });
  }
  if ((n.type as string) === 'path' && n.steps) {
    const [first, second] = n.steps;
    if (atRoot && first?.type === 'name') checkRoot(first, second, ctx, out, reads);
    n.steps.forEach((step, i) => checkNames(step, atRoot && i === 0, ctx, out, reads));
    return;
  }
  for (const [key, value] of Object.entries(n)) {
    if (key === 'procedure' || !value || typeof value !== 'object') continue;
    const relative = key === 'stages' || key === 'group' || key === 'predicate';
    forEachNode(value, (child) => checkNames(child, atRoot && !relative, ctx, out, reads));
  }
}

function forEachNode(value: unknown, fn: (node: ExprNode) => void): void {
  if (Array.isArray(value)) value.forEach((v) => forEachNode(v, fn));
  else if (value && typeof value === 'object' && 'type' in value) fn(value as ExprNode);
  else if (value && typeof value === 'object' && 'expr' in value) fn((value as { expr: ExprNode }).expr);
}

function checkRoot(
  first: ExprNode,
  second: ExprNode | undefined,
  ctx: NameContext,
  out: ExpressionProblem[],
  reads: Reads,
): void {
  const name = String(first.value);
  if (name === 'domain') reads.domain = true;
  const field = second?.type === 'name' && !hasStages(first) ? second : null;
  reads.names.push({ root: name, field: field === null ? null : String(field.value), offset: start(field ?? first) });
  if (!allRootNames.includes(name)) {
    const readable = readableNames(ctx);
    const suggestion = closest(name, readable);
    out.push({
      code: 'SW_EXPR_UNKNOWN_NAME',
      offset: start(first),
      args: [name],
      hintArgs: [suggestion ? `Did you mean "${suggestion}"? ` : '', readable.join(', ')],
      fix: renameFix(name, suggestion),
    });
    return;
  }
  if (name === 'steps' && !ctx.hasSteps) {
    out.push({ code: 'SW_REF_NO_STEPS', offset: start(first), args: [] });
    return;
  }
  const why = whyNotHere(name, ctx);
  if (why) {
    out.push({ code: 'SW_EXPR_NOT_HERE', offset: start(first), args: [name, ctx.place], hintArgs: [why] });
    return;
  }
  if (name === 'steps' && second?.type === 'name') checkStepRef(String(second.value), start(second), ctx, out);
}

/**
 * A path into an answer whose shape is known (`response_schema:`):
 * `response.body.…` or `steps.<name>.body.…`, its plain field steps walked
 * through the shape; the first that cannot be there is a warning, with the
 * fields that can.
 */
function checkShape(steps: readonly ExprNode[], ctx: NameContext, out: ExpressionProblem[]): void {
  const shapes = ctx.shapes;
  // on_error reads the failed answer (an error body), which the success shape does not describe.
  if (shapes === undefined || ctx.error) return;
  const names = steps.map((s) => (s.type === 'name' && typeof s.value === 'string' ? s : null));
  let shape: Shape | null | undefined;
  let from: number;
  if (names[0]?.value === 'response' && names[1]?.value === 'body') {
    shape = shapes.response;
    from = 2;
  } else if (names[0]?.value === 'steps' && names[1] && names[2]?.value === 'body') {
    shape = shapes.steps.get(String(names[1].value));
    from = 3;
  } else return;
  if (!shape) return;
  const fields: ExprNode[] = [];
  for (let i = from; i < names.length && names[i] !== null; i++) fields.push(names[i] as ExprNode);
  const problem = checkFields(
    shape,
    fields.map((f) => String(f.value)),
  );
  if (problem === null) return;
  const bad = fields[problem.index];
  const parent = [...names.slice(0, from), ...fields.slice(0, problem.index)].map((n) => String(n?.value)).join('.');
  out.push({
    code: 'SW_WARN_RESPONSE_FIELD',
    offset: start(bad),
    args: [String(bad.value), parent, shape.source],
    hintArgs:
      problem.scalar !== null
        ? [
            '',
            `none, ${parent} is ${problem.scalar === 'integer' || problem.scalar === 'array' ? 'an' : 'a'} ${problem.scalar}`,
          ]
        : [didYouMean(String(bad.value), problem.known), problem.known.join(', ') || 'none'],
    fix: problem.scalar === null ? renameFix(String(bad.value), closest(String(bad.value), problem.known)) : undefined,
  });
}

/** Where a slot-type warning points: the last field of a path (the value comes from there), else the expression's start. */
function fitPosition(source: string, ast: unknown): number {
  const node = ast as AstNode;
  const last = node.type === 'path' ? (node['steps'] as ExprNode[]).at(-1) : undefined;
  return last?.type === 'name' ? start(last) : source.length - source.trimStart().length;
}

function checkStepRef(step: string, offset: number, ctx: NameContext, out: ExpressionProblem[]): void {
  if (!ctx.allSteps.has(step)) {
    const known = [...ctx.allSteps];
    const suggestion = closest(step, known);
    out.push({
      code: 'SW_REF_UNKNOWN_STEP',
      offset,
      args: [step],
      hintArgs: [suggestion ? `Did you mean "${suggestion}"? ` : '', known.join(', ') || 'none'],
      fix: renameFix(step, suggestion),
    });
  } else if (!ctx.stepsBefore?.has(step)) {
    out.push({ code: 'SW_REF_STEP_ORDER', offset, args: [step] });
  }
}

/** A step with a filter or sort (`slots[...]`) reads its whole value, not one field. */
function hasStages(step: ExprNode): boolean {
  const stages = (step as { stages?: unknown[] }).stages;
  return Array.isArray(stages) && stages.length > 0;
}

/** JSONata positions point just after a token; this is its first character. */
function start(node: ExprNode): number {
  // A variable's token is its name; the `$` before it is part of what the user wrote.
  const sigil = node.type === 'variable' ? 1 : 0;
  const length = (typeof node.value === 'string' ? node.value.length : 1) + sigil;
  return Math.max(0, (node.position ?? 0) - length);
}
