/**
 * Regular expressions run on RE2 (runtime/compile/regex-engine.ts): linear
 * time whatever the pattern, JavaScript's results for the patterns both
 * engines accept, and a positioned load diagnostic for those RE2 refuses.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { astNodes } from '../../runtime/compile/ast-nodes.js';
import { loadPlan } from '../../runtime/compile/index.js';
import { compileExpression } from '../../runtime/compile/expression.js';
import type { NameContext } from '../../runtime/compile/names.js';
import { checkRegexes, linearRegexEngine, withLinearRegExp } from '../../runtime/compile/regex-engine.js';

const ctx: NameContext = {
  place: 'test',
  response: true,
  error: false,
  value: false,
  stepsBefore: null,
  allSteps: new Set(),
  hasSteps: false,
};

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    const value = await run();
    return `${typeof value} ${JSON.stringify(value)}`;
  } catch (err) {
    return `throws ${String((err as { code?: unknown }).code)}`;
  }
}

const withRe2 = { RegexEngine: linearRegexEngine() };

describe('linearRegexEngine', () => {
  it('gives JavaScript RegExp results in $match, $replace, $split and $contains', async () => {
    const texts = [
      '',
      'abc',
      'Hello World 42',
      'a1b22c333',
      'line one\nline two',
      'x@y.com, z@w.org',
      'aaa',
      'ÄÖÜ äöü',
      'tab\there',
    ];
    const sources = [
      '$match(t, /[0-9]+/)',
      '$match(t, /(\\w+)@(\\w+)\\.(\\w+)/)',
      '$match(t, /(a)|(b)/)',
      '$match(t, /o/i)',
      '$match(t, /^line/m)',
      '$match(t, /x*/)',
      '$match(t, /(?<word>[a-z]+)/)',
      '$match(t, /[0-9]+/, 2)',
      '$replace(t, /[0-9]+/, "#")',
      '$replace(t, /(\\w)(\\w)/, "$2$1")',
      '$replace(t, /o/i, "0", 1)',
      '$replace(t, /$/, "!")',
      '$replace(t, /l+/, function($m) { $uppercase($m.match) })',
      '$split(t, /\\s+/)',
      '$split(t, /[0-9]/, 2)',
      '$contains(t, /^[A-Z]/)',
      '$contains(t, /\\d{3}/)',
      '$contains(t, /w.r/i)',
      '$match(t, /\\bone\\b/)',
      '$replace(t, /\\s/, "_")',
    ];
    let compared = 0;
    for (const src of sources) {
      for (const t of texts) {
        const native = await outcome(() => jsonata(src).evaluate({ t }));
        const re2 = await outcome(() => jsonata(src, withRe2).evaluate({ t }));
        expect(re2, `${src} on ${JSON.stringify(t)}`).toBe(native);
        compared++;
      }
    }
    expect(compared).toBe(sources.length * texts.length);
  });

  it('matches a catastrophic pattern in linear time', async () => {
    // JavaScript's backtracking RegExp needs 8 s for 28 "a"s and over a minute for 31.
    for (const n of [31, 10_000, 90_000]) {
      const s = `${'a'.repeat(n)}!`;
      const started = performance.now();
      await expect(jsonata('$contains(s, /^(a+)+$/)', withRe2).evaluate({ s })).resolves.toBe(false);
      expect(performance.now() - started, `${n} characters`).toBeLessThan(500);
    }
  });

  it('refuses to run on more than regexInput characters (SW_EVAL_REGEX_INPUT)', async () => {
    const small = { RegexEngine: linearRegexEngine({ timeout: 100, regexInput: 10 }) };
    await expect(jsonata('$contains(s, /b/)', small).evaluate({ s: 'a'.repeat(10) })).resolves.toBe(false);
    await expect(jsonata('$contains(s, /b/)', small).evaluate({ s: 'a'.repeat(11) })).rejects.toMatchObject({
      code: 'SW_EVAL_REGEX_INPUT',
    });
  });

  it('checks the time bound between matches of one call (D1012)', async () => {
    const slow = { RegexEngine: linearRegexEngine({ timeout: 0, regexInput: 100_000 }) };
    // No jsonata timeout is set here: only the engine can stop $match's own loop, once a millisecond has passed.
    const s = 'ab'.repeat(40_000);
    await expect(jsonata('$match(s, /a/)', slow).evaluate({ s })).rejects.toMatchObject({ code: 'D1012' });
  });
});

describe('checkRegexes', () => {
  it('reports patterns RE2 cannot compile, with the offset of their opening slash', () => {
    const cases: [string, string, number][] = [
      ['$match(s, /(a)\\1/)', 'SW_EXPR_REGEX_UNSUPPORTED', 10],
      ['$contains(s, /a(?=b)/)', 'SW_EXPR_REGEX_UNSUPPORTED', 13],
      ['$contains(s, /a(?!b)/i)', 'SW_EXPR_REGEX_UNSUPPORTED', 13],
      ['$replace(s, /(?<=a)b/, "")', 'SW_EXPR_REGEX_UNSUPPORTED', 12],
      ['$replace(s, /(?<!a)b/m, "")', 'SW_EXPR_REGEX_UNSUPPORTED', 12],
      ['$contains(s, /a{1001}/)', 'SW_EXPR_REGEX_TOO_LARGE', 13],
      ['$contains(s, /(a{2}){1000}/)', 'SW_EXPR_REGEX_TOO_LARGE', 13],
      ['s ? $split(s, /x/) : $split(t, /(?=y)/)', 'SW_EXPR_REGEX_UNSUPPORTED', 31],
    ];
    for (const [src, code, offset] of cases) {
      expect(checkRegexes(astNodes(jsonata(src).ast()), src), src).toMatchObject([{ code, offset }]);
      expect(src[offset], src).toBe('/');
    }
    expect(checkRegexes(astNodes(jsonata('$match(s, /(?<year>\\d{4})-(\\d{2})/i)').ast()), '')).toEqual([]);
  });

  it('is part of compileExpression, so validate refuses the file', () => {
    expect(compileExpression('$contains(slots.s, /(a)\\1/)', ctx)).toMatchObject({
      expr: null,
      problems: [{ code: 'SW_EXPR_REGEX_UNSUPPORTED', offset: 19 }],
    });
    expect(compileExpression('$contains(slots.s, /^(a+)+$/)', ctx).problems).toEqual([]);
  });

  it('gives the file position of the pattern when an actions.yml is loaded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-regex-'));
    const file = join(dir, 'actions.yml');
    const lines = [
      'version: 1',
      'actions:',
      '  check_code:',
      '    slots:',
      "      ok: '{{ $contains(slots.code, /^(\\w)\\1$/) }}'",
      "      big: '{{ $contains(slots.code, /x{5000}/) }}'",
      '',
    ];
    await writeFile(file, lines.join('\n'));
    const { plan, diagnostics } = await loadPlan(file);
    expect(plan).toBeNull();
    // Columns are 1-based and point at the pattern's opening slash.
    const slash = (line: number): number => lines[line - 1].indexOf('/') + 1;
    expect(diagnostics).toMatchObject([
      {
        code: 'SW_EXPR_REGEX_UNSUPPORTED',
        severity: 'error',
        file,
        line: 5,
        col: slash(5),
        hint: expect.stringContaining('RE2'),
      },
      {
        code: 'SW_EXPR_REGEX_TOO_LARGE',
        severity: 'error',
        file,
        line: 6,
        col: slash(6),
        hint: expect.stringContaining('1000'),
      },
    ]);
  });
});

describe('withLinearRegExp', () => {
  it('lets $toMillis parse a picture of adjacent variable-width parts in linear time', async () => {
    const { expr } = compileExpression('$toMillis(slots.date, "[Y][f][f][f][f][f][f]")', ctx);
    const started = performance.now();
    // With JavaScript's RegExp this takes over a second for 60 digits.
    await expect(Promise.resolve(expr!.evaluate({ slots: { date: `${'1'.repeat(60)}x` } }))).resolves.toBeUndefined();
    expect(performance.now() - started).toBeLessThan(500);
    const { expr: iso } = compileExpression('$toMillis(slots.date, "[Y0001]-[M01]-[D01]")', ctx);
    expect(await iso!.evaluate({ slots: { date: '2024-01-02' } })).toBe(Date.UTC(2024, 0, 2));
  });

  it('puts the global RegExp back, also when the call throws', () => {
    const native = RegExp;
    expect(withLinearRegExp(() => new RegExp('a(b)', 'i').exec('xAB')?.[1])).toBe('B');
    expect(() =>
      withLinearRegExp(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(globalThis.RegExp).toBe(native);
  });
});
