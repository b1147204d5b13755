import jsonata from 'jsonata';
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

describe('compileExpression', () => {
  it('reads simple paths directly with the same result as JSONata', async () => {
    const scope = {
      slots: { city: 'Berlin', zero: 0, nil: null, nested: { a: { b: 'deep' } } },
      response: { body: { items: [{ n: 1 }, { n: 2 }] } },
    };
    for (const src of [
      'slots.city',
      'slots.zero',
      'slots.nil',
      'slots.missing',
      'slots.nested.a.b',
      'slots.city.x',
      'response.body.items',
      'response.body.items.n',
    ]) {
      const { expr } = compileExpression(src, ctx);
      const direct = await expr!.evaluate(scope);
      expect(JSON.stringify(direct), src).toBe(JSON.stringify(await jsonata(src).evaluate(scope)));
    }
  });

  it('reads nothing inside upstream data marked as a JSONata function, as JSONata does', async () => {
    const scope = {
      response: {
        body: {
          fn: { _jsonata_function: true, name: 'x', inner: { v: 1 } },
          lambda: { _jsonata_lambda: true, name: 'y' },
          notFn: { _jsonata_function: 'yes', name: 'z' },
        },
      },
    };
    for (const src of [
      'response.body.fn.name',
      'response.body.fn.inner.v',
      'response.body.lambda.name',
      'response.body.notFn.name',
      'response.body.fn',
    ]) {
      const { expr } = compileExpression(src, ctx);
      const direct = await expr!.evaluate(scope);
      expect(JSON.stringify(direct) ?? 'undefined', src).toBe(
        JSON.stringify(await jsonata(src).evaluate(scope)) ?? 'undefined',
      );
    }
    expect(await compileExpression('response.body.fn.name', ctx).expr!.evaluate(scope)).toBeUndefined();
  });

  it('marks expressions that read domain, or the whole input through $$', () => {
    expect(compileExpression('domain.slots', ctx).expr?.readsDomain).toBe(true);
    expect(compileExpression('$$.domain', ctx).expr?.readsDomain).toBe(true);
    expect(compileExpression('slots.domain', ctx).expr?.readsDomain).toBe(false);
    expect(compileExpression('response.body[domain = "x"]', ctx).expr?.readsDomain).toBe(false);
  });

  it('checks root names but not names relative to a value', () => {
    expect(compileExpression('response.body.items[price > 3].name', ctx).problems).toEqual([]);
    expect(compileExpression('$map(response.body, function($v) { $v.name & slots.x })', ctx).problems).toEqual([]);
    expect(compileExpression('slotz.x', ctx).problems).toMatchObject([
      { code: 'SW_EXPR_UNKNOWN_NAME', offset: 0, hintArgs: ['Did you mean "slots"? ', expect.any(String)] },
    ]);
    expect(compileExpression('1 + error.status', ctx).problems).toMatchObject([
      { code: 'SW_EXPR_NOT_HERE', offset: 4 },
    ]);
  });

  it('turns a runaway expression into an error within the time bound', async () => {
    const { expr } = compileExpression('[1..100000000].($ * 2)', ctx);
    const started = Date.now();
    await expect(Promise.resolve(expr!.evaluate({}))).rejects.toMatchObject({ code: expect.stringMatching(/^D/) });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
