/**
 * What a mapping yields, one value or a list, told from its JSONata AST and
 * the answer's known shape (response-shape.ts), so `validate --project` can
 * say when a slot would get a list or a value of the wrong type. It follows
 * how jsonata.js evaluates (evaluatePath, evaluateStep, evaluateFilter):
 *
 * - A path step reads its field from each value the step before gave; a
 *   list a step gives is flattened into the next step's input, so
 *   `times.time` gives one `time` per item: a list whenever `times` has
 *   several items (JSONata unwraps a list of one into its one value).
 * - The last step keeps a list it reads whole: `response.body.times` is
 *   the list itself, whatever its length.
 * - A filter `[…]` on a step applies to each value it reads separately:
 *   `times[0]` is the first item, but `times.time[0]` is the `time` of
 *   every item (each one's first), a list again; `(times.time)[0]` is the
 *   first of them all. A number picks one item, any other filter an
 *   unknown number of them.
 * - `[]` on a path keeps a list of one a list: always a list.
 * - Built-ins whose signature answers a number, string or boolean
 *   (`$count`, `$join`, `$string`, `$exists`, `$sum`…), operators,
 *   literals, object constructors and group-by answer one value; an array
 *   constructor always a list.
 *
 * Anything else (variables, lambdas, `$map`, a field the schema does not
 * describe, a schema that does not say whether a value is a list) is
 * "cannot know": null, so the check says nothing rather than guess.
 */
import type { AstNode } from './ast-nodes.js';
import { builtinResult } from './builtins.js';
import type { ResponseShapes } from './names.js';
import { fieldOf, itemsOf, typesOf } from './response-shape.js';
import type { Shape, ShapeNode } from './response-shape.js';

/**
 * What a mapping yields: `one` value (never a list; its JSON types when
 * known, `null` among them for JSON null) or a `list` (whenever the lists
 * it reads have several items). `source` names the answer's shape the
 * claim was read from; null when it does not come from the answer.
 */
export type MappingResult =
  | { readonly count: 'one'; readonly types: readonly string[] | null; readonly source: string | null }
  | { readonly count: 'list'; readonly source: string | null };

/** What an expression yields on the way to a MappingResult. */
type Flow =
  /** At most one value, described by `node` (the value may itself be a list). */
  | { readonly kind: 'value'; readonly node: ShapeNode; readonly source: string }
  /** One value per item of the lists crossed, each described by `node`: several when those lists have several items. */
  | { readonly kind: 'seq'; readonly node: ShapeNode; readonly source: string }
  /** The values a filter picked, each described by `node`: how many is unknown. */
  | { readonly kind: 'some'; readonly node: ShapeNode; readonly source: string }
  /** Known as a whole: a literal, an operator, a built-in, or a condition's branches summed up. */
  | { readonly kind: 'result'; readonly result: MappingResult };

/** What an expression can see: the shapes, and the variables it binds itself (they may shadow a built-in). */
interface Scope {
  readonly shapes: ResponseShapes;
  readonly bound: ReadonlySet<string>;
}

/**
 * What the expression whose AST is `ast` yields; null when it cannot be known.
 * @param bound - the variables the expression binds (builtins.ts boundVariables)
 */
export function mappingResult(ast: unknown, shapes: ResponseShapes, bound: ReadonlySet<string>): MappingResult | null {
  const flow = flowOf(ast as AstNode, { shapes, bound });
  return flow === null ? null : resultOf(flow);
}

function resultOf(flow: Flow): MappingResult | null {
  if (flow.kind === 'result') return flow.result;
  if (flow.kind === 'seq') return { count: 'list', source: flow.source };
  if (flow.kind === 'some') return null;
  const list = isList(flow.node);
  if (list === null) return null;
  return list
    ? { count: 'list', source: flow.source }
    : { count: 'one', types: typesOf(flow.node), source: flow.source };
}

/** True when the node's values are lists, false when they never are, null when the shape does not say. */
function isList(node: ShapeNode): boolean | null {
  const types = typesOf(node);
  if (types === null) return null;
  if (types.every((t) => t === 'array')) return true;
  return types.includes('array') ? null : false;
}

const one = (type: string): Flow => ({ kind: 'result', result: { count: 'one', types: [type], source: null } });

/** Operators by the one value they answer. */
const operators: Readonly<Record<string, string>> = {
  '+': 'number',
  '-': 'number',
  '*': 'number',
  '/': 'number',
  '%': 'number',
  '=': 'boolean',
  '!=': 'boolean',
  '<': 'boolean',
  '<=': 'boolean',
  '>': 'boolean',
  '>=': 'boolean',
  in: 'boolean',
  and: 'boolean',
  or: 'boolean',
  '&': 'string',
};

function flowOf(node: AstNode | undefined, scope: Scope): Flow | null {
  if (node === undefined) return null;
  // Group-by (`times{time: max_party}`) builds one object, whatever it reads.
  if (node['group'] !== undefined) return one('object');
  // `[]` keeps a sequence of one a list only on a path; elsewhere it changes too little to say.
  if (node['keepArray'] === true && node.type !== 'path') return null;
  let flow = ownFlow(node, scope);
  // A filter after anything but a path step (`(…)[0]`, `$f()[0]`) applies to its whole value.
  for (const stage of stagesOf(node, 'predicate')) flow = flow && filtered(flow, stage, true);
  return flow;
}

function ownFlow(node: AstNode, scope: Scope): Flow | null {
  switch (node.type) {
    case 'path':
      return pathFlow(node, scope);
    case 'string':
    case 'number':
      return one(node.type);
    case 'value':
      return one(node['value'] === null ? 'null' : 'boolean');
    case 'unary':
      if (node['value'] === '[') return { kind: 'result', result: { count: 'list', source: null } };
      return node['value'] === '-' ? one('number') : node['value'] === '{' ? one('object') : null;
    case 'binary': {
      const type = operators[String(node['value'])];
      return type === undefined ? null : one(type);
    }
    case 'condition':
      return either(
        flowOf(node['then'] as AstNode, scope),
        node['else'] === undefined ? 'nothing' : flowOf(node['else'] as AstNode, scope),
      );
    case 'block':
      return flowOf((node['expressions'] as AstNode[] | undefined)?.at(-1), scope);
    case 'bind':
      return flowOf(node['rhs'] as AstNode, scope);
    case 'function':
      return called(node['procedure'] as AstNode | undefined, scope);
    case 'apply': {
      // `x ~> $string()` calls the function on the right with `x` first.
      const rhs = node['rhs'] as AstNode;
      return called(rhs.type === 'function' ? (rhs['procedure'] as AstNode | undefined) : rhs, scope);
    }
    default:
      return null;
  }
}

/** A call of a built-in that answers one value; null for anything else, a variable shadowing a built-in included. */
function called(procedure: AstNode | undefined, scope: Scope): Flow | null {
  const name = procedure?.type === 'variable' ? procedure['value'] : undefined;
  if (typeof name !== 'string' || scope.bound.has(name)) return null;
  const type = builtinResult(name);
  return type === null ? null : one(type);
}

/** A condition's value: either branch (or nothing); known when both say the same count. */
function either(a: Flow | null, b: Flow | null | 'nothing'): Flow | null {
  const first = a && resultOf(a);
  if (first === null) return null;
  if (b === 'nothing') return { kind: 'result', result: first };
  const second = b && resultOf(b);
  if (second === null || first.count !== second.count) return null;
  const source = first.source ?? second.source;
  if (first.count === 'list') return { kind: 'result', result: { count: 'list', source } };
  const types =
    first.types === null || second.count !== 'one' || second.types === null
      ? null
      : [...new Set([...first.types, ...second.types])];
  return { kind: 'result', result: { count: 'one', types, source } };
}

function stagesOf(node: AstNode, key: 'stages' | 'predicate'): AstNode[] {
  return (node[key] as AstNode[] | undefined) ?? [];
}

/**
 * A path into a known answer (`response.body.…`, `steps.<name>.body.…`, or
 * an expression that yields part of one, `(…)[0].time`), walked step by
 * step; null for any other path, or a later step other than a field with
 * filters (`*`, `$f()`, `@$v`, `#$i`, `.{…}`).
 */
function pathFlow(node: AstNode, scope: Scope): Flow | null {
  const steps = node['steps'] as AstNode[];
  const root = shapeRoot(steps, scope.shapes);
  // `[]` on any step: whatever the path finds comes back as a list.
  if (node['keepSingletonArray'] === true)
    return { kind: 'result', result: { count: 'list', source: root?.shape.source ?? null } };
  let flow: Flow | null;
  let from: number;
  if (root !== null) {
    // The answer's body is one value.
    const body: Flow = { kind: 'value', node: root.shape.node, source: root.shape.source };
    flow = stepFlow('value', body, steps[root.body], root.body === steps.length - 1);
    from = root.body + 1;
  } else {
    // A first step that is an expression is evaluated once, on the whole input.
    const first = steps[0].type === 'name' ? null : flowOf(steps[0], scope);
    flow = first && gathered('value', first, false);
    from = 1;
  }
  for (; flow !== null && from < steps.length; from++) {
    const step = steps[from];
    // Later fields are read from each value the step before gave: values that are not lists.
    if (!isFieldStep(step) || flow.kind === 'result' || isList(flow.node) !== false) return null;
    const field = fieldOf(flow.node, String(step['value']));
    const each: Flow | null = field && { kind: 'value', node: field, source: flow.source };
    flow = each && stepFlow(flow.kind, each, step, from === steps.length - 1);
  }
  return flow;
}

/** One step: its filters on each value it reads (`each`), then its values over all its input (`many`). */
function stepFlow(many: 'value' | 'seq' | 'some', each: Flow, step: AstNode, last: boolean): Flow | null {
  let flow: Flow | null = each;
  for (const stage of stagesOf(step, 'stages')) flow = flow && filtered(flow, stage, false);
  return flow && gathered(many, flow, last);
}

/** Where a path enters a known answer: its shape, and the index of the `body` step. */
function shapeRoot(steps: readonly AstNode[], shapes: ResponseShapes): { shape: Shape; body: number } | null {
  const plain = (i: number): string | null => {
    const step = steps[i];
    return step !== undefined && isFieldStep(step) && stagesOf(step, 'stages').length === 0
      ? String(step['value'])
      : null;
  };
  const isBody = (i: number) => steps[i] !== undefined && isFieldStep(steps[i]) && steps[i]['value'] === 'body';
  if (plain(0) === 'response' && isBody(1)) return shapes.response ? { shape: shapes.response, body: 1 } : null;
  const step = plain(1);
  const shape = plain(0) === 'steps' && step !== null && isBody(2) ? shapes.steps.get(step) : undefined;
  return shape ? { shape, body: 2 } : null;
}

/** A plain field step, maybe with filters: no focus (`@$v`), index (`#$i`) or tuple binding. */
function isFieldStep(step: AstNode): boolean {
  return (
    step.type === 'name' &&
    typeof step['value'] === 'string' &&
    step['focus'] === undefined &&
    step['index'] === undefined &&
    step['tuple'] === undefined
  );
}

/**
 * A step's values over all its input (`many`: one value, several, or an
 * unknown number), given what it gives for each: lists are flattened,
 * except a list the last step reads from one value, which it keeps whole.
 */
function gathered(many: 'value' | 'seq' | 'some', each: Flow, last: boolean): Flow | null {
  if (each.kind === 'result') return null;
  // Sequences are flattened into one; a sequence of one unwrapped into a list would be flattened too.
  if (each.kind !== 'value') return each.kind === 'some' || isList(each.node) === false ? each : null;
  if (many === 'value' && last) return each;
  const list = isList(each.node);
  if (list === null) return null;
  const node = list ? itemsOf(each.node) : each.node;
  const kind = many === 'some' ? 'some' : list || many === 'seq' ? 'seq' : 'value';
  return { kind, node, source: each.source };
}

/**
 * A filter `[…]` applied to a value (`whole`: to an expression's result
 * rather than to each value of a step). A number picks one item; anything
 * else an unknown number of them. A single value that is not a list
 * filters as a list of one: itself or nothing.
 */
function filtered(flow: Flow, stage: AstNode, whole: boolean): Flow | null {
  if (stage.type !== 'filter') return null;
  const index = (stage['expr'] as AstNode | undefined)?.type === 'number';
  if (flow.kind === 'result') return flow.result.count === 'one' ? flow : null;
  if (flow.kind === 'value') {
    const list = isList(flow.node);
    if (list === null) return null;
    if (!list) return flow;
    return { kind: index ? 'value' : 'some', node: itemsOf(flow.node), source: flow.source };
  }
  // An expression's result has had a sequence of one unwrapped: its items read the same only when they are not lists.
  if (whole && isList(flow.node) !== false) return null;
  return { kind: index ? 'value' : 'some', node: flow.node, source: flow.source };
}
