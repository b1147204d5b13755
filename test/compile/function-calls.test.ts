import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../runtime/compile/expression.js';
import type { NameContext } from '../../runtime/compile/names.js';

const ctx: NameContext = {
  place: 'test',
  response: true,
  error: false,
  value: false,
  stepsBefore: null,
  allSteps: new Set(),
  hasSteps: false,
};
const problemsOf = (source: string) => compileExpression(source, ctx).problems;

describe('function calls in expressions', () => {
  it('reports an unknown function at its $, with the closest built-in', () => {
    expect(problemsOf('1 + $sume(response.body.n)')).toMatchObject([
      { code: 'SW_EXPR_UNKNOWN_FUNCTION', offset: 4, args: ['sume'], hintArgs: ['Did you mean "$sum"? '] },
    ]);
    expect(problemsOf('$frobnicate(slots.x)')).toMatchObject([
      { code: 'SW_EXPR_UNKNOWN_FUNCTION', offset: 0, hintArgs: [''] },
    ]);
  });

  it('accepts functions the expression binds: := , lambda parameters, @ and # variables', () => {
    for (const source of [
      '($f := function($a) { $a * 2 }; $f(slots.n))',
      '$map(response.body, function($v, $i, $all) { $all($v) })',
      '$sort(response.body, function($a, $b) { $a.n > $b.n })',
      'response.body@$o.items#$i.($o.name & $i)',
      '($twice := function($g) { function($x) { $g($g($x)) } }; $twice(function($n) { $n + 1 })(slots.n))',
    ]) {
      expect(problemsOf(source), source).toEqual([]);
    }
  });

  it('reports a built-in called with a number of arguments its signature refuses', () => {
    expect(problemsOf('$exists()')).toMatchObject([
      { code: 'SW_EXPR_ARGUMENTS', offset: 0, args: ['exists', '1 argument', '0'] },
    ]);
    expect(problemsOf('$random(1)')).toMatchObject([
      { code: 'SW_EXPR_ARGUMENTS', args: ['random', '0 arguments', '1'] },
    ]);
    expect(problemsOf('$zip()')).toMatchObject([
      { code: 'SW_EXPR_ARGUMENTS', args: ['zip', 'at least 1 argument', '0'] },
    ]);
  });

  it('counts the context and the left side of ~> as arguments, as JSONata does', () => {
    for (const source of [
      'response.body.name.$uppercase()',
      '$string()',
      'slots.name ~> $substring(0, 2)',
      '$substring(?, 1)(slots.x)',
      '$now()',
      '$join(response.body.tags, ", ")',
    ]) {
      expect(problemsOf(source), source).toEqual([]);
    }
    expect(problemsOf('slots.name ~> $substring(0, 2, 3)')).toMatchObject([
      { code: 'SW_EXPR_ARGUMENTS', args: ['substring', '1 to 3 arguments', '4'] },
    ]);
  });

  it('leaves $eval to SW_EXPR_EVAL', () => {
    expect(problemsOf('$eval("1")').map((p) => p.code)).toEqual(['SW_EXPR_EVAL']);
  });
});
