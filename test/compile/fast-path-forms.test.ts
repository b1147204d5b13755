// Which expression forms of the docs and the examples run on the fast path
// (compile/fast-path.ts) and which in JSONata. A form added to
// docs/actions-yml.md, actions.yml or an example that the fast path does not
// cover fails here until it is covered or listed below with the reason.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { compileFast } from '../../runtime/compile/fast-path.js';

const root = join(import.meta.dirname, '../..');

/** Every `{{ … }}` in a file, trimmed. */
function expressionsIn(file: string): string[] {
  return [...readFileSync(join(root, file), 'utf8').matchAll(/\{\{(.*?)\}\}/g)].map((m) => m[1].trim());
}

function yamlFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f));
}

/** Forms left to JSONata on purpose, and why. */
const inJsonata: Record<string, string> = {
  // ranges in a predicate, a block step per item and $join: one example, a weekly summary
  "$join(response.body.days[[1..6]].(weekday & ' ' & $lowercase(summary) & ' ' & temp_min & '–' & temp_max & '°'), ', ')":
    'ranges in a predicate',
};

// Not expressions: the docs show the delimiters themselves and a fragment.
const notExpressions = new Set([
  '',
  'expr',
  "{'a': {'b': 1",
  '` always starts an expression. The expression ends at the first `',
]);

describe('the fast path covers the forms people are shown', () => {
  const files = ['docs/actions-yml.md', 'actions.yml', ...yamlFiles('examples')];
  const forms = [...new Set(files.flatMap(expressionsIn))].filter((src) => !notExpressions.has(src));

  it(`runs ${Object.keys(inJsonata).length} listed form(s) in JSONata and every other one on the fast path`, () => {
    expect(forms.length).toBeGreaterThan(60);
    const slow = forms.filter((src) => compileFast(jsonata(src).ast()) === null);
    expect(slow.sort()).toEqual(Object.keys(inJsonata).sort());
  });

  it('covers the constructors and functions the docs use', () => {
    for (const src of [
      '[response.body.times.time]',
      "response.body.times.{ 'title': time, 'payload': '/SetSlots(booking_time=' & time & ')' }",
      '$round($number(value))',
      "$type(value) = 'number' and value >= 1 and value <= 12",
    ]) {
      expect(forms, src).toContain(src);
    }
  });
});
