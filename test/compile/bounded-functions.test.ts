/**
 * The evaluation bounds (runtime/compile/bounded-functions.ts, limits.ts):
 * below them every replaced built-in answers exactly as JSONata's own; at
 * them an evaluation fails with the bound's code, quickly, before the work.
 */
import jsonata from 'jsonata';
import type { Expression } from 'jsonata';
import { describe, expect, it } from 'vitest';
import { boundEvaluation } from '../../runtime/compile/bounded-functions.js';
import { compileExpression } from '../../runtime/compile/expression.js';
import { expressionLimits } from '../../runtime/compile/limits.js';
import type { ExpressionLimits } from '../../runtime/compile/limits.js';
import type { NameContext } from '../../runtime/compile/names.js';
import { linearRegexEngine } from '../../runtime/compile/regex-engine.js';

const ctx: NameContext = {
  place: 'test',
  response: true,
  error: false,
  value: false,
  stepsBefore: null,
  allSteps: new Set(),
  hasSteps: false,
};

/** JSONata as expression.ts sets it up, with chosen limits. */
function bounded(src: string, limits: ExpressionLimits = expressionLimits): Expression {
  const compiled = jsonata(src, {
    timeout: limits.timeout,
    stack: limits.stack,
    sequence: limits.sequence,
    RegexEngine: linearRegexEngine(limits),
  });
  boundEvaluation(compiled, limits);
  return compiled;
}

/** JSON text (cut at 200 characters) and JS type of a value, or the code of an error. */
async function shape(run: () => unknown): Promise<string> {
  try {
    const value = await run();
    const text = JSON.stringify(value) ?? 'undefined';
    return `${typeof value} ${text.length > 200 ? `${text.slice(0, 200)}… (${text.length} characters)` : text}`;
  } catch (err) {
    return `throws ${String((err as { code?: unknown }).code)}`;
  }
}

/** Evaluates a mapping as the executor does: compiled by compileExpression, `slots` in scope. */
async function run(src: string, slots: Record<string, unknown> = {}): Promise<{ shape: string; ms: number }> {
  const { expr, problems } = compileExpression(src, ctx);
  expect(problems, src).toEqual([]);
  const started = performance.now();
  const result = await shape(() => expr!.evaluate({ slots }));
  return { shape: result, ms: performance.now() - started };
}

const input = {
  s: 'hello',
  e: 'a👍b👍c',
  words: ['b', 'a', 'c', 'a'],
  nums: [3, 1, 2, 3, 1],
  mixed: [1, 'a', 1, 'a', null, true],
  objs: [{ tag: 'x', n: 1 }, { tag: 'y' }, { tag: 'x', n: 1 }, [1], { 0: 1 }],
  obj: { a: [1, { b: 2.5, c: null }], d: 'x' },
};

const sources = [
  '$pad(s, 8)',
  '$pad(s, -8, "#")',
  '$pad(s, 9, "xy👍")',
  '$pad(s, -9, "👍z")',
  '$pad(s, 2)',
  '$pad(s, 7.9)',
  '$pad(s, -7.9, "")',
  '$pad(e, 7, "-")',
  '$pad(missing, 5)',
  '$pad(s, 0)',
  '$length(s)',
  '$length(e)',
  '$length("")',
  '$substring(s, 1)',
  '$substring(s, -2)',
  '$substring(s, 1, 2)',
  '$substring(s, -3, 2)',
  '$substring(s, 0, -1)',
  '$substring(s, 10)',
  '$substring(s, -10, 3)',
  '$substring(s, 1.5, 2.5)',
  '$substring(e, 1, 2)',
  '$substring(e, -2)',
  '$substring(e, -4, 3)',
  '$substring(missing, 1)',
  '$join(words)',
  '$join(words, ", ")',
  '$join(s)',
  '$join([], "-")',
  '$replace(s, "l", "L")',
  '$replace(s, "l", "L", 1)',
  '$replace(s, "", "x")',
  '$replace(s, "l", "L", -1)',
  '$replace(s, "l", "")',
  '$replace(s, /l+/, "[$0]")',
  '$replace(s, /(l)(o)?/, "$2$1$3$$")',
  '$replace(s, /o/, function($m) { "0" })',
  '$replace(s, /o/, function($m) { 1 })',
  '$replace(e, /👍/, "+")',
  '$replace(s, /l/, "L", 1)',
  '$replace(s, /z/, "Z")',
  '$replace(missing, /z/, "Z")',
  '$split(s, "l")',
  '$split(s, "")',
  '$split(s, "l", 1)',
  '$split(s, /l/)',
  '$split(s, /l/, 2)',
  '$split(s, "l", -1)',
  '$split(e, "")',
  '$string(obj)',
  '$string(obj, true)',
  '$string(words, true)',
  '$string(s, true)',
  '$string(1.5, true)',
  '$string(objs, false)',
  '$sort(nums)',
  '$sort(words)',
  '$sort(mixed)',
  '$sort(nums, function($a, $b) { $a < $b })',
  '$sort(objs)',
  '$sort([])',
  '$sort(s)',
  '$sort([2])',
  '$distinct(nums)',
  '$distinct(words)',
  '$distinct(objs)',
  '$distinct(mixed)',
  '$distinct(s)',
  '$distinct([1, "1", true, null, null, 1])',
  '$distinct(objs.tag)',
  '$distinct(missing)',
  '$formatNumber(1234.5, "#,##0.00")',
  '$formatNumber(0.5, "0%")',
  '$formatNumber(1e6, "#,###", {"grouping-separator": "."})',
  '$formatInteger(42, "w")',
  '$formatInteger(7, "000")',
  '$parseInteger("forty-two", "w")',
  '$fromMillis(0, "[Y0001]-[M01]-[D01]")',
  '$fromMillis(1e12, "[FNn], [D1o] [MNn] [Y,4]")',
  '$fromMillis(0)',
  '$toMillis("2024-01-02")',
  '$toMillis("2024-01-02", "[Y]-[M]-[D]")',
  '$toMillis("1/2/2024", "[D]/[M]/[Y]")',
  '$toMillis("x", "[Y]")',
  '$now("[Y]") = $fromMillis($millis(), "[Y]")',
  '$now() ~> $type()',
  '$uppercase(s) & $lowercase(e)',
  '[words, nums]',
  '{"a": obj, "b": words}',
  'objs{tag: n}',
  '$append(words, nums)',
  '$zip(words, nums)',
  '$map(nums, function($n) { $n * 2 })',
  '$reduce(nums, function($a, $b) { $a + $b })',
  '$spread(obj)',
  '$keys(objs)',
  '$merge(objs[$type($) = "object"])',
];

describe('bounded built-ins below the bounds', () => {
  it(`answer as JSONata's own on ${sources.length} expressions`, async () => {
    expect(sources.length).toBeGreaterThanOrEqual(90);
    const mismatches: string[] = [];
    const kinds = { value: 0, error: 0 };
    for (const src of sources) {
      const want = await shape(() => jsonata(src).evaluate(structuredClone(input)));
      const got = await shape(() => bounded(src).evaluate(structuredClone(input)));
      kinds[want.startsWith('throws') ? 'error' : 'value']++;
      if (want !== got) mismatches.push(`${src}: jsonata ${want}, bounded ${got}`);
    }
    expect(mismatches).toEqual([]);
    expect(kinds.value).toBeGreaterThan(kinds.error * 5);
  });
});

describe('bounds that are hit', () => {
  // Each would stall the process for seconds (or kill it) without its bound; the limit on ms is
  // generous for a loaded CI machine and still far below what the unbounded call takes.
  const bombs: [title: string, src: string, slots: Record<string, unknown>, code: string][] = [
    [
      'a literal $pad width (unbounded: "Fatal JavaScript invalid size error")',
      '$length($pad("x", 200000000))',
      {},
      'SW_EVAL_TOO_LARGE',
    ],
    [
      'a $pad width taken from a slot',
      '$pad(slots.name, $number(slots.width))',
      { name: 'x', width: '30000000' },
      'SW_EVAL_TOO_LARGE',
    ],
    ['a $pad width one over the bound', '$pad("", 1000001, slots.fill)', { fill: 'ab' }, 'SW_EVAL_TOO_LARGE'],
    ['$join of large strings', '$join([$pad("", 600000), $pad("", 600000)])', {}, 'SW_EVAL_TOO_LARGE'],
    [
      '$replace by a string, many times',
      '$replace($pad("", 100000, "a"), "a", $pad("", 100, "b"))',
      {},
      'SW_EVAL_TOO_LARGE',
    ],
    [
      '$replace by a regex with group references',
      '$replace(slots.s, /(a+)/, "$1$1$1$1$1$1$1$1$1$1$1$1")',
      { s: 'a'.repeat(90_000) },
      'SW_EVAL_TOO_LARGE',
    ],
    [
      '$replace by a regex, many times',
      '$replace(slots.s, /a/, $pad("", 30000, "x"))',
      { s: 'a'.repeat(50) },
      'SW_EVAL_TOO_LARGE',
    ],
    ['$split into too many pieces', '$split($pad("", 500000, "a"), "")', {}, 'D2015'],
    [
      '$string indenting a deep value',
      '$string(slots.deep, true)',
      { deep: JSON.parse(`${'['.repeat(2000)}${']'.repeat(2000)}`) as unknown },
      'SW_EVAL_TOO_LARGE',
    ],
    ['& doubling in $reduce', '$reduce([1..40], function($a, $i) { $a & $a }, "x")', {}, 'SW_EVAL_TOO_LARGE'],
    [
      '& doubling in recursion',
      '($f := function($n) { $n = 0 ? "xxxxxxxxxx" : ($s := $f($n - 1); $s & $s) }; $f(40))',
      {},
      'SW_EVAL_TOO_LARGE',
    ],
    [
      'objects sharing halves (2^60 leaves as JSON)',
      '$reduce([1..60], function($a, $i) { {"l": $a, "r": $a} }, 1)',
      {},
      'SW_EVAL_TOO_LARGE',
    ],
    [
      'shared halves compared with =',
      '$reduce([1..60], function($a, $i) { [[$a], [$a]] }, 1) = 1',
      {},
      'SW_EVAL_TOO_LARGE',
    ],
    ['arrays doubling with $append', '$reduce([1..40], function($a, $i) { $append($a, $a) }, [1])', {}, 'D2015'],
    [
      'a large string repeated by a path, then printed',
      '($s := $pad("", 500000); [1..100].($s)) & ""',
      {},
      'SW_EVAL_TOO_LARGE',
    ],
    [
      '$encodeUrlComponent growing in $reduce',
      '$reduce([1..30], function($a, $i) { $encodeUrlComponent($a & $a) }, "€")',
      {},
      'SW_EVAL_TOO_LARGE',
    ],
    ['a $fromMillis width', '$fromMillis(0, "[Y,100000000]")', {}, 'SW_EVAL_PICTURE'],
    ['a $now width from a slot', '$now(slots.picture)', { picture: '[H, 50000000]' }, 'SW_EVAL_PICTURE'],
    ['a long $formatNumber picture', '$formatNumber(5, "#" & $pad("", 400000, "0"))', {}, 'SW_EVAL_PICTURE'],
    [
      'a long $formatNumber option',
      '$formatNumber(1e20, "#,###", {"grouping-separator": $pad("", 5000, ",")})',
      {},
      'SW_EVAL_PICTURE',
    ],
    [
      '$sort of a large list from the webhook',
      '$sort(slots.list)',
      { list: Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 100_003) },
      'D1012',
    ],
    [
      '$distinct of many objects',
      '$distinct(slots.list)',
      { list: Array.from({ length: 50_000 }, (_, i) => ({ i })) },
      'D1012',
    ],
    ['a regex over a long slot', '$contains(slots.s, /b/)', { s: 'a'.repeat(200_000) }, 'SW_EVAL_REGEX_INPUT'],
  ];

  it.each(bombs)('%s fails with its code', async (_title, src, slots, code) => {
    const { shape: result, ms } = await run(src, slots);
    expect(result).toBe(`throws ${code}`);
    expect(ms).toBeLessThan(1_500);
  });

  it('finishes cases JSONata itself spends seconds on, with its answer', async () => {
    // Each took over a second unbounded: fn.distinct compares all pairs, fn.length and fn.substring split into arrays.
    const numbers = Array.from({ length: 40_000 }, (_, i) => i % 20_000);
    expect(await run('$count($distinct(slots.list))', { list: numbers })).toMatchObject({ shape: 'number 20000' });
    const long = 'ab'.repeat(2_000_000);
    expect(await run('$length(slots.s)', { s: long })).toMatchObject({ shape: 'number 4000000' });
    expect(await run('$substring(slots.s, -3, 2)', { s: long })).toMatchObject({ shape: 'string "ba"' });
    for (const src of ['$count($distinct(slots.list))', '$length(slots.s)', '$substring(slots.s, -3, 2)']) {
      expect((await run(src, { list: numbers, s: long })).ms, src).toBeLessThan(300);
    }
  });
});

describe('the size bound', () => {
  const small: ExpressionLimits = { ...expressionLimits, size: 10 };
  const cases: [src: string, expected: string][] = [
    ['$pad("", 10)', 'string "          "'],
    ['$pad("", 11)', 'throws SW_EVAL_TOO_LARGE'],
    ['"12345" & "67890"', 'string "1234567890"'],
    ['"12345" & "678901"', 'throws SW_EVAL_TOO_LARGE'],
    ['{"a": "12"}', 'object {"a":"12"}'],
    ['{"a": "123"}', 'throws SW_EVAL_TOO_LARGE'],
    ['[1, 2, 3, 4, 5]', 'throws SW_EVAL_TOO_LARGE'],
    ['$string([1, 2])', 'string "[1,2]"'],
    // Read unchanged: a field, a variable, one item of a list. Not measured.
    ['long', 'string "abcdefghijklmnopqrstuvwxyz"'],
    ['($x := long; $x)', 'string "abcdefghijklmnopqrstuvwxyz"'],
    ['items[1].name', 'string "qrstuvwxyz"'],
    ['items[0]', 'object {"name":"abc"}'],
    // Built from it: measured.
    ['$string(long)', 'throws SW_EVAL_TOO_LARGE'],
    ['long & ""', 'throws SW_EVAL_TOO_LARGE'],
    ['$uppercase(long)', 'throws SW_EVAL_TOO_LARGE'],
    ['items.name', 'throws SW_EVAL_TOO_LARGE'],
    ['items[name = "abc"][]', 'throws SW_EVAL_TOO_LARGE'],
  ];

  it.each(cases)('%s gives %s', async (src, expected) => {
    const data = { long: 'abcdefghijklmnopqrstuvwxyz', items: [{ name: 'abc' }, { name: 'qrstuvwxyz' }] };
    expect(await shape(() => bounded(src, small).evaluate(data))).toBe(expected);
  });
});
