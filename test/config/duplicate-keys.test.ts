/**
 * parseYaml finds duplicate keys itself, in one pass; the yaml library's
 * uniqueKeys check compares every key with every earlier one. Both must
 * report the same keys at the same places, in the same order.
 */
import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../runtime/config/parse-yaml.js';

/** Where the yaml library's own check puts each duplicate key, as line:col. */
function yamlLibrary(text: string): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, strict: true, prettyErrors: false });
  return doc.errors
    .filter((e) => e.code === 'DUPLICATE_KEY')
    .map((e) => {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      return `${line}:${col}`;
    });
}

function ours(text: string): string[] {
  return parseYaml('actions.yml', text)
    .diagnostics.filter((d) => d.code === 'SW_YAML_DUPLICATE_KEY')
    .map((d) => `${d.line}:${d.col}`);
}

const cases: Record<string, string> = {
  'a top-level key': 'a: 1\nb: 2\na: 3\n',
  'a key three times': 'a: 1\na: 2\na: 3\n',
  'nested, before a duplicate of the outer mapping': 'x:\n  k: 1\n  k: 2\ny: 1\nx: 2\n',
  'in a flow mapping': 'x: { a: 1, b: 2, a: 3 }\n',
  'in mappings inside a list': 'l:\n  - a: 1\n    a: 2\n  - a: 1\n    b: 1\n    b: 2\n',
  'quoted and plain spellings of one key': 'a: 1\n"a": 2\n\'a\': 3\n',
  'a number and a string that read alike': '1: a\n"1": b\n1: c\n',
  'null keys': '~: 1\nnull: 2\n',
  'missing keys': ': 1\n: 2\n',
  'merge keys': '<<: 1\n<<: 2\n',
  booleans: 'true: 1\nTrue: 2\n',
  'NaN keys': '.nan: 1\n.nan: 2\n',
  'collection keys': '? [a]\n: 1\n? [a]\n: 2\n',
  'a duplicate beside a syntax error': 'a: 1\na: 2\nb: [1, 2\nc: 3\n',
  'no duplicates across mappings': 'x:\n  a: 1\ny:\n  a: 1\n',
};

describe('duplicate keys', () => {
  for (const [name, text] of Object.entries(cases)) {
    it(`are found where the yaml library finds them: ${name}`, () => {
      expect(ours(text)).toEqual(yamlLibrary(text));
    });
  }

  it('are found at all: the cases above are not all clean', () => {
    expect(ours(cases['a key three times'] ?? '')).toEqual(['2:1', '3:1']);
    expect(ours(cases['nested, before a duplicate of the outer mapping'] ?? '')).toEqual(['3:3', '5:1']);
  });
});
