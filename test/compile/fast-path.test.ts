/**
 * The fast path is correct when it is indistinguishable from JSONata: every
 * expression below runs through both over every input, and the results (as
 * JSON, plus their JS type) or the error codes must match.
 */
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { astNodes } from '../../runtime/compile/ast-nodes.js';
import { boundEvaluation } from '../../runtime/compile/bounded-functions.js';
import { compileExpression } from '../../runtime/compile/expression.js';
import { compileFast } from '../../runtime/compile/fast-path.js';
import { expressionLimits } from '../../runtime/compile/limits.js';
import type { NameContext } from '../../runtime/compile/names.js';
import { seededRandom } from '../support/seeded-random.js';

const items = [
  { status: 'open', price: 10, qty: 2, name: 'A', tags: ['x', 'y'] },
  { status: 'closed', price: 5.5, qty: 0, name: 'B', tags: [] },
  { status: 'open', price: 0, name: 'C', tags: ['z'] },
];

const inputs: Record<string, unknown>[] = [
  { weird: { _jsonata_function: true, arity: 1 }, items: [{ _jsonata_lambda: true, arguments: [] }] },
  {},
  {
    a: 1,
    b: 2,
    s: 'hello',
    t: 'World',
    flag: true,
    off: false,
    nil: null,
    f: 1.5,
    g: 0.1,
    h: 0.2,
    zero: 0,
    neg: -3,
    num: '42',
    numf: '3.14',
    hex: '0x1F',
    items,
    nested: { a: { b: { c: 'deep' } }, list: [1, 2, 3] },
    arr: [[1, 2], [3]],
    single: [7],
    empty: [],
    objs: [{ v: [1, 2] }, { v: 3 }, { v: [[4]] }],
    response: { body: { available: true, times: ['10:00', '11:00'] } },
    err: { reason: 'timeout', kind: 'network' },
    steps: { tickets: { body: { items } } },
  },
  {
    a: 3,
    b: 3,
    items: [{ status: 'open', price: 3, qty: 1, name: 'only', tags: ['t'] }],
    single: [{ status: 'open' }],
    arr: [[5]],
    nested: { list: [9] },
  },
  {
    a: -1,
    b: 0.5,
    items: [],
    empty: [],
    nested: {},
    response: { body: { available: false, times: [] } },
    err: { kind: 'timeout' },
  },
  { a: null, b: null, s: null, items: null, nested: null, flag: null, response: { body: null }, err: null },
  {
    a: '1',
    b: '2',
    s: '10',
    t: '9',
    num: 'x1',
    numf: '1e3',
    hex: '0x1zz',
    items: [{ status: 'open', price: '10', qty: '2', name: 'A' }],
  },
  { a: true, b: false, s: true, flag: 1, off: 0, items: [{ status: true, price: true, qty: false, name: false }] },
  {
    items: [
      [{ status: 'open', price: 1, name: 'n1' }],
      [
        { status: 'closed', price: 2, name: 'n2' },
        { status: 'open', price: 3, name: 'n3' },
      ],
    ],
    arr: [[[1]], [[2, 3]], []],
  },
  {
    nested: { a: { b: { c: { d: [1, { e: 'x' }] } } }, list: [[1], [2, [3]]] },
    objs: [{ v: { w: 1 } }, { v: { w: [2, 3] } }],
  },
  {
    a: 0.1,
    b: 0.2,
    f: 1e21,
    g: 1.005,
    h: 123456789.123456789, // oxlint-disable-line no-loss-of-precision -- the literal is rounded on purpose: both evaluators must print the same double
    zero: -0,
    neg: 1e-7,
    items: [{ price: 0.1 }, { price: 0.2 }, { price: 0.3 }],
  },
  { items: [1, 'a', null, true, { status: 'open', price: 4 }, [2, 3]], arr: [1, [2], [[3]]], single: ['one'] },
  { items: [{ status: 'open' }, { price: 2 }, {}, { name: 'D', tags: null }], objs: [{}, { v: null }, { v: [] }] },
  {
    items: { status: 'open', price: 8, qty: 1, name: 'solo', tags: 'tag' },
    nested: { list: 5 },
    arr: 'text',
    single: 7,
  },
  { s: 'héllo 👍 ß', t: 'ÄÖÜ İ', a: 12, b: 5, items: [{ name: 'ÉA', status: 'open', price: 1 }] },
  {
    weird: { _jsonata_lambda: true, x: 1 },
    s: '',
    a: 0,
    b: -0,
    flag: false,
    items: [{ status: '', price: 0, qty: 0 }],
    empty: [[]],
  },
  { o1: { 0: 7, length: 1 }, single: [7], a: [1, 2], b: [1, 2], nested: { a: 1 }, objs: { a: 1 } },
  {
    a: 5,
    b: 2,
    s: 'Mixed Case',
    items: [
      { status: 'open', price: 1e300, qty: 1e300 },
      { status: 'open', price: 2, qty: 3 },
    ],
  },
];

const corpus = [
  // paths: mapping over arrays, flattening, singletons, [] keepArray, numeric index predicates
  'a',
  'nested.a.b.c',
  'nested.list',
  'items',
  'items.name',
  'items.tags',
  'items.tags[]',
  'items[].name',
  'items.name[]',
  'arr',
  'arr[0]',
  'arr[1]',
  'arr[-1]',
  'arr[0][0]',
  'arr[0][]',
  'objs.v',
  'objs.v[0]',
  'objs.v[]',
  'objs.v.w',
  'single',
  'single[]',
  'single[0]',
  'empty',
  'empty[]',
  'missing.x',
  'missing[]',
  'items[0]',
  'items[-1].name',
  'items[1.7].name',
  'items[5]',
  'items.tags[0]',
  'items[0].tags[1]',
  'nested.list[1]',
  'nested.list[-1]',
  'a.b',
  's.x',
  'weird.x',
  'weird',
  '`a`',
  'nested.`a`.b',
  'items.status',
  'steps.tickets.body.items.name',
  'nested.a.b.c.d',
  'nested.a.b.c.d.e',
  'items[0][0]',
  'items[-5]',
  'nested.list[0][0]',
  'arr[0][1][]',
  // filters
  "items[status = 'open']",
  "items[status = 'open'].name",
  "items[status != 'open'].name",
  'items[price > 3]',
  'items[price > 3 and qty > 0].name',
  "items[price >= 5 or status = 'closed'].name",
  'items[qty]',
  'items[tags]',
  'items[name]',
  'items[price]',
  'items[$not(qty)]',
  'items[$exists(qty)].name',
  'items[$exists(qty) = false].name',
  'items[$count(tags) > 0]',
  'items[true]',
  'items[false]',
  "items[status = 'open'][0].name",
  "items[status = 'open'][-1]",
  "items[status='open'][]",
  'objs[v = 3]',
  'items[price > 3][qty > 0]',
  "nested[a.b.c = 'deep'].list",
  'arr[0 = 0]',
  'items[qty = 2].price',
  'items[price < 6.0].name',
  "items[name > 'A']",
  "items[price > 'A']",
  'items[price = null]',
  'items[(qty)]',
  'items.tags[$count(tags) = 0]',
  'items[price > 1 ? true : false].name',
  'items[qty + 1 > 1]',
  "items[status & 'x' = 'openx']",
  "$count(steps.tickets.body.items[status = 'open'])",
  'items[-1 = -1][1]',
  'items[1 + 0]',
  'objs.v[w = 1]',
  // comparisons
  'a = 1',
  'a = b',
  'a != b',
  'a < b',
  'a <= b',
  'a > b',
  'a >= b',
  's < t',
  's = "hello"',
  'num = 42',
  'num = "42"',
  'flag = true',
  'nil = null',
  'missing = null',
  'missing != 1',
  'missing < 1',
  'items = items',
  'nested = nested',
  'single = 7',
  'single[] = 7',
  'single = o1',
  'a = b and a != 1',
  'a < s',
  'flag < 1',
  'items < 1',
  'items.price > 3',
  'a > missing',
  'response.body.available = true',
  '$count(response.body.times) > 0',
  'objs = objs',
  'zero = 0',
  'items.name = "A"',
  // arithmetic
  'a + b',
  'a - b',
  'a * b',
  'a / b',
  'a % b',
  'g + h',
  'a / zero',
  'zero / zero',
  '(a / zero) + 1',
  'a + s',
  's + a',
  'a + missing',
  'missing + a',
  'missing * missing',
  'a + nil',
  'flag + 1',
  '-a',
  '-s',
  '-missing',
  '-(a + b)',
  'a + b * 2',
  '(a + b) * 2',
  'a - -b',
  'neg % 2',
  'f * 3',
  '$sum(items.price) * 1.19',
  'items.price + 1',
  'h * 3',
  '1e300 * 1e10',
  // concatenation
  's & t',
  's & a',
  'a & b',
  'missing & s',
  's & missing',
  'missing & missing',
  'flag & nil',
  'items.name & "!"',
  'nested & ""',
  'items & ""',
  'g + h & ""',
  'f & ""',
  '(a / zero) & ""',
  'single & ""',
  'empty & "x"',
  'arr & ""',
  'weird & "x"',
  'h & ""',
  // and / or
  'flag and off',
  'flag or off',
  'a and s',
  'missing or flag',
  'missing and flag',
  'empty or nil',
  'items and nested',
  '"" or 0',
  'items.qty and true',
  'arr or false',
  'weird or false',
  'o1 and true',
  '(a or b) and (s or t)',
  'a > 0 or a < 0',
  // conditional
  'flag ? s : t',
  'off ? s : t',
  'missing ? 1 : 2',
  'flag ? missing : 2',
  'off ? 1',
  'err.reason ? err.reason : err.kind',
  '$count(items) > 0 ? "some" : "none"',
  'a > b ? a : b',
  'items ? items.name : "none"',
  'flag ? items[] : empty',
  // functions
  '$count(items)',
  '$count(missing)',
  '$count(a)',
  "$count(items[status='open'])",
  '$count(items.tags)',
  '$count(arr)',
  '$count(empty)',
  '$count(single)',
  '$count(nested)',
  '$count(nil)',
  '$count(items.name[])',
  '$exists(a)',
  '$exists(missing)',
  '$exists(nil)',
  '$exists(items[price > 100])',
  '$string(a)',
  '$string(f)',
  '$string(g + h)',
  '$string(s)',
  '$string(nested)',
  '$string(items)',
  '$string(nil)',
  '$string(flag)',
  '$string(missing)',
  '$string(a / zero)',
  '$string(weird)',
  '$string(h)',
  '$number(num)',
  '$number(numf)',
  '$number(hex)',
  '$number(s)',
  '$number(flag)',
  '$number(nil)',
  '$number(items)',
  '$number(missing)',
  '$number(a)',
  '$number("1e3")',
  '$number("0x1zz")',
  '$number(" 1")',
  '$number("-0.5")',
  '$number("0b101")',
  '$lowercase(t)',
  '$uppercase(s)',
  '$lowercase(a)',
  '$lowercase(missing)',
  '$uppercase(items.name)',
  '$length(s)',
  '$length(t)',
  '$length(a)',
  '$sum(items.price)',
  '$sum(nested.list)',
  '$sum(a)',
  '$sum(s)',
  '$sum(missing)',
  '$sum(empty)',
  '$sum(items.name)',
  '$sum(arr)',
  '$boolean(a)',
  '$boolean(zero)',
  '$boolean(s)',
  '$boolean("")',
  '$boolean(empty)',
  '$boolean(items)',
  '$boolean(nested)',
  '$boolean(missing)',
  '$boolean(nil)',
  '$boolean(weird)',
  '$boolean(arr)',
  '$boolean(a / zero)',
  '$not(flag)',
  '$not(missing)',
  '$not(items)',
  '$not(empty)',
  '$count(weird)',
  '$sum(weird)',
  '$lowercase(weird)',
  '$number(weird)',
  '$uppercase($string(a))',
  '$length($lowercase(s)) > 3',
  '($count(items))',
  '(a; b)',
  '()',
  '$round(f)',
  '$round(a)',
  '$round(g + h)',
  '$round(s)',
  '$round(missing)',
  '$round(2.5)',
  '$round(-2.5)',
  '$round(3.5)',
  '$round(items.price)',
  '$type(a)',
  '$type(s)',
  '$type(nil)',
  '$type(flag)',
  '$type(items)',
  '$type(nested)',
  '$type(missing)',
  '$type(weird)',
  '$type(a / zero)',
  // array constructors
  '[a, b]',
  '[]',
  '[missing]',
  '[items.name]',
  '[items.tags]',
  '[[a], b]',
  '[single]',
  '[empty]',
  '[arr]',
  '[a, [b, [s]]]',
  '$count([items.name])',
  '[nested.list, 4]',
  '[weird]',
  '[response.body.times]',
  '[items[status = "open"].name]',
  '[a + b, s & t]',
  // object constructors, alone and per item of a path
  '{"k": a}',
  '{"k": a, "l": missing}',
  '{}',
  '{s: a}',
  '{"a": 1, "a": 2}',
  '{"_jsonata_lambda": 1}',
  '{a: 1}',
  "items.{'title': name, 'payload': '/x(' & price & ')'}",
  "[items.{'n': name}]",
  'items.{name: price}',
  'items.{status: name}',
  "objs.{'v': v}",
  'arr.{"x": $count(a)}',
  'nested.list[[0,1]]',
  'items[[0, -1]].name',
  "items[status = 'open'].{'n': name, 'q': qty}",
  "[response.body.times.{'t': $string(a)}]",
  "nested.list.{'v': 1}",
  "items.{'t': tags}",
  "items.{'a': name, 'b': name}",
  // block steps per item of a path
  "items.(name & ' (' & price & ')')",
  "$count(items.(name & ' (' & status & ', ' & price & ')'))",
  'items.(price * 2)',
  'items.(tags)',
  'objs.(v)',
  'nested.list.(a)',
  'arr.($count(a))',
  "[items.(name & '!')]",
  "items[status = 'open'].(name & '/' & qty)",
  'items.(price; name)',
  'items.()',
  "response.body.times.($string(a) & 'h')",
  // $join, with and without a separator, and its errors
  "$join(items.name, ', ')",
  '$join(items.name)',
  "$join(s, '-')",
  "$join([], ',')",
  '$join(missing)',
  "$join(missing, ', ')",
  "$join(items.price, ', ')",
  '$join(items.name, 1)',
  '$join(items.name, nil)',
  "$join(nested.list, '/')",
  "$join(items.(name & ' (' & status & ')'), ', ')",
  "$join([s, t], ' ')",
  "$join(single, ', ')",
  "$join(a, ', ')",
  "$join(items.tags, '|')",
  "$join(weird, ', ')",
  '$join(items.name, missing)',
];

const outside = [
  '$',
  '$$.a',
  'a.*',
  'a.**',
  'items.%.a',
  'items#$i.name',
  'items@$x.name',
  'items.[name, price]',
  '{"k": a}.k',
  'items{name: price}',
  'items^(price)',
  '$map(items, function($v){$v})',
  'function($x){$x}',
  '($x := 1; $x)',
  '/ab/',
  '$match(s, /a/)',
  '[1..3]',
  'a in b',
  '(items)[0]',
  '$count()',
  '$string(a, true)',
  '$substring(s, 1)',
  '$eval("1")',
  'a ~> $string()',
  '| items | {"x": 1} |',
  '$count(a, b)',
  '(a)[]',
  '$sum',
  '"a"[0]',
  '$x',
  '$string()',
  '$uppercase()',
  'items[$ = 1]',
  '$toString(a)',
  '$count(items).x',
  '(a).b',
  'a{}',
  '$count ? 1 : 2',
];

type Outcome = { value: unknown } | { code: string };

/** JSONata, with its sequence limit or, given a `size`, with slotwire's bounds (bounded-functions.ts). */
async function viaJsonata(
  src: string,
  input: unknown,
  options?: { sequence?: number; size?: number },
): Promise<Outcome> {
  try {
    const compiled = jsonata(src, options?.sequence === undefined ? undefined : { sequence: options.sequence });
    if (options?.size !== undefined) boundEvaluation(compiled, { ...expressionLimits, size: options.size });
    return { value: await compiled.evaluate(structuredClone(input)) };
  } catch (err) {
    return { code: String((err as { code?: unknown }).code) };
  }
}

function viaFast(src: string, input: unknown, limit?: number, size?: number): Outcome {
  const fast = compileFast(jsonata(src).ast(), limit, size);
  if (!fast) throw new Error(`not in the subset: ${src}`);
  try {
    return { value: fast(structuredClone(input) as Record<string, unknown>) };
  } catch (err) {
    return { code: String((err as { code?: unknown }).code) };
  }
}

/**
 * JSONata evaluates the items of `[…]` and the values of `{…}` with
 * Promise.all, so when two of them fail, which error it reports depends on
 * how many awaits each took; the fast path reports the first. Both fail
 * either way: only the code may differ (fast-path.ts says so).
 */
function evaluatedInParallel(src: string): boolean {
  return astNodes(jsonata(src).ast()).some(
    (n) =>
      n.type === 'unary' &&
      ((n.value === '[' && (n.expressions as unknown[]).length > 1) ||
        (n.value === '{' && (n.lhs as unknown[]).length > 1)),
  );
}

/** JSON text and JS type for values, the code for errors. */
function shape(o: Outcome): string {
  return 'code' in o ? `throws ${o.code}` : `${typeof o.value} ${JSON.stringify(o.value)}`;
}

/** Runs every source over every input; `kinds` counts outcomes, to show the comparisons are not all errors. */
async function compareAll(
  sources: readonly string[],
  size?: number,
): Promise<{ compared: number; mismatches: string[]; kinds: Record<string, number> }> {
  const mismatches: string[] = [];
  const kinds: Record<string, number> = { error: 0, undefined: 0, value: 0, tooLarge: 0 };
  let compared = 0;
  for (const src of sources) {
    for (const [i, input] of inputs.entries()) {
      const want = await viaJsonata(src, input, size === undefined ? undefined : { size });
      const got = viaFast(src, input, undefined, size);
      compared++;
      if ('code' in want && want.code === 'SW_EVAL_TOO_LARGE') kinds.tooLarge = (kinds.tooLarge ?? 0) + 1;
      const kind = 'code' in want ? 'error' : want.value === undefined ? 'undefined' : 'value';
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      const raced = 'code' in want && 'code' in got && evaluatedInParallel(src);
      if (shape(want) !== shape(got) && !raced)
        mismatches.push(`${src} on input ${i}: jsonata ${shape(want)}, fast ${shape(got)}`);
    }
  }
  return { compared, mismatches, kinds };
}

/** Random expressions from a small grammar of the subset. */
function generator(seed: number): (depth?: number) => string {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const roots = [
    'a',
    'b',
    's',
    't',
    'f',
    'g',
    'flag',
    'nil',
    'zero',
    'num',
    'items',
    'nested',
    'arr',
    'single',
    'empty',
    'objs',
    'missing',
    'weird',
  ];
  const fields = ['status', 'price', 'qty', 'name', 'tags', 'list', 'a', 'b', 'v', 'w', 'c'];
  const literals = ['0', '1', '-1', '2.5', '0.1', '"open"', '"a"', '""', '"1"', 'true', 'false', 'null'];
  const functions = [
    'join',
    'count',
    'exists',
    'string',
    'number',
    'lowercase',
    'uppercase',
    'sum',
    'boolean',
    'not',
    'length',
    'round',
    'type',
  ];
  const predicate = (depth: number): string => {
    const r = rnd();
    if (r < 0.2) return pick(['0', '1', '-1', '1.5']);
    if (r < 0.35) return pick(fields);
    if (r < 0.75) return `${pick(fields)} ${pick(['=', '!=', '<', '<=', '>', '>='])} ${pick(literals)}`;
    return depth > 0
      ? `(${predicate(depth - 1)}) ${pick(['and', 'or'])} (${predicate(depth - 1)})`
      : `$exists(${pick(fields)})`;
  };
  const path = (depth: number): string => {
    let out = pick(roots);
    const steps = Math.floor(rnd() * 3);
    for (let i = 0; i <= steps; i++) {
      if (i > 0) out += `.${pick(fields)}`;
      if (rnd() < 0.3) out += `[${predicate(Math.min(depth, 1))}]`;
      if (rnd() < 0.1) out += '[]';
    }
    return out;
  };
  const expr = (depth = 3): string => {
    const r = rnd();
    if (depth <= 0 || r < 0.25) return rnd() < 0.8 ? path(depth) : pick(literals);
    if (r < 0.4) return `(${expr(depth - 1)}) ${pick(['=', '!=', '<', '<=', '>', '>='])} (${expr(depth - 1)})`;
    if (r < 0.5) return `(${expr(depth - 1)}) ${pick(['+', '-', '*', '/', '%'])} (${expr(depth - 1)})`;
    if (r < 0.6) return `(${expr(depth - 1)}) & (${expr(depth - 1)})`;
    if (r < 0.7) return `(${expr(depth - 1)}) ${pick(['and', 'or'])} (${expr(depth - 1)})`;
    if (r < 0.8)
      return rnd() < 0.7
        ? `(${expr(depth - 1)}) ? (${expr(depth - 1)}) : (${expr(depth - 1)})`
        : `(${expr(depth - 1)}) ? (${expr(depth - 1)})`;
    if (r < 0.88) return `$${pick(functions)}(${expr(depth - 1)})`;
    if (r < 0.93) return `[${expr(depth - 1)}, ${expr(depth - 1)}]`;
    if (r < 0.95)
      return `${path(depth)}.{"${pick(fields)}": ${pick(fields)}, ${pick(['"k"', pick(fields)])}: ${expr(depth - 1)}}`;
    if (r < 0.98) return `${path(depth)}.(${expr(depth - 1)})`;
    return `-(${expr(depth - 1)})`;
  };
  return expr;
}

describe('compileFast', () => {
  it(`matches JSONata on a corpus of ${corpus.length} expressions over ${inputs.length} inputs`, async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
    expect(inputs.length).toBeGreaterThanOrEqual(15);
    const { compared, mismatches, kinds } = await compareAll(corpus);
    expect(mismatches).toEqual([]);
    expect(compared).toBe(corpus.length * inputs.length);
    expect(kinds.value).toBeGreaterThan(compared / 4);
  });

  it('matches JSONata on generated expressions (seeded)', async () => {
    const next = generator(20261125);
    const sources = Array.from({ length: 200 }, () => next());
    const { compared, mismatches, kinds } = await compareAll(sources);
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(2_000);
    expect(kinds.value).toBeGreaterThan(compared / 5);
  });

  it('returns null for expressions outside the subset', () => {
    const compiled = outside.filter((src) => compileFast(jsonata(src).ast()) !== null);
    expect(compiled).toEqual([]);
    // Deep nesting stays with JSONata and its `stack` guardrail.
    expect(compileFast(jsonata(`${'('.repeat(120)}a${')'.repeat(120)}`).ast())).toBeNull();
    expect(compileFast(jsonata(`${'('.repeat(20)}a${')'.repeat(20)}`).ast())).not.toBeNull();
  });

  it('throws SW_EVAL_TOO_LARGE where the bounded evaluator does (the size bound)', async () => {
    // A size of 10 characters makes many results of `&`, $string and collected paths too large, and leaves the rest.
    const next = generator(7);
    const { mismatches, kinds } = await compareAll([...corpus, ...Array.from({ length: 100 }, () => next())], 10);
    expect(mismatches).toEqual([]);
    expect(kinds.tooLarge).toBeGreaterThan(100);
    expect(kinds.value).toBeGreaterThan(1_000);
  });

  it('throws D2015 where JSONata exceeds its sequence limit', async () => {
    const big = {
      big: Array.from({ length: 6 }, (_, i) => ({ x: i, y: [i, i] })),
      nested: { list: [1, 2, 3, 4, 5, 6] },
    };
    for (const src of [
      'big',
      'big.x',
      'big.y',
      'big[x > 0]',
      '$count(big.x)',
      'nested.list',
      'nested.list[$not(false)]',
      'big.x[0]',
    ]) {
      expect(shape(viaFast(src, big, 4)), src).toBe(shape(await viaJsonata(src, big, { sequence: 4 })));
    }
    expect(shape(viaFast('big.x', big, 4))).toBe('throws D2015');
    // A list an array constructor builds is bounded by the exit hook (bounded-functions.ts), as in JSONata with the bounds.
    for (const src of [
      '[nested.list[0], nested.list[1], 3, 4]',
      '[nested.list[0], nested.list[1], 3, 4, 5]',
      '[nested.list]',
      '[[1, 2, 3, 4, 5]]',
    ]) {
      const compiled = jsonata(src);
      boundEvaluation(compiled, { ...expressionLimits, sequence: 4 });
      const want: Outcome = await compiled.evaluate(big).then(
        (value: unknown) => ({ value }),
        (err: { code: string }) => ({ code: err.code }),
      );
      expect(shape(viaFast(src, big, 4)), src).toBe(shape(want));
    }
    expect(shape(viaFast('[nested.list]', big, 4))).toBe('throws D2015');
  });

  it('is used by compileExpression, synchronously, with errors as { code, message }', async () => {
    const ctx: NameContext = {
      place: 'test',
      response: true,
      error: false,
      value: false,
      stepsBefore: null,
      allSteps: new Set(),
      hasSteps: false,
    };
    const scope = { response: { body: { items } } };
    const fast = compileExpression("$count(response.body.items[status = 'open'])", ctx).expr!;
    expect(fast.evaluate(scope)).toBe(2);
    const failing = compileExpression('response.body.items[0].name + 1', ctx).expr!;
    expect(() => failing.evaluate(scope)).toThrow(
      expect.objectContaining({ code: 'T2001', message: expect.any(String) }),
    );
    const slow = compileExpression('$map(response.body.items, function($i) { $i.price })', ctx).expr!;
    const pending = slow.evaluate(scope);
    expect(pending).toBeInstanceOf(Promise);
    expect(JSON.stringify(await pending)).toBe('[10,5.5,0]');
  });
});
