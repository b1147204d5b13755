/**
 * Writing into an author's YAML: the new node is spliced in, every other
 * byte stays, and what is written reads back the same in YAML 1.1 too.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { appendYamlIn, setYamlIn, yamlText, YamlWriteError } from '../../runtime/config/index.js';
import { MISREADABLE_STRINGS } from '../support/misreadable-strings.js';
import { seededRandom } from '../support/seeded-random.js';

/** A test file as people write them: comments, flow lists, odd spacing, blank lines. */
const authored = `# my cases
tests:
  - name: first   # the happy path
    slots: {  id: "19:00",   tags: [x] }
    http:
      - path: /old
        reply: { json: [x] }
      # after the fixtures
    expect: { slots: [x] }

  - { name: second, action: a }
  - name: third
    http: []   # none yet
    expect:
      x:    1
  - name: fourth
    slots:
    c: # to do

# the end
`;

const fixtures = [
  { path: '/new', query: { time: '19:00' }, reply: { status: 200, json: { times: ['18:30'], ok: 'on' } } },
];

describe('setYamlIn', () => {
  it('replaces a block value in its column and leaves every other byte as it was', () => {
    const { text, offset } = setYamlIn(authored, ['tests', 0, 'http'], fixtures);
    expect(text).toBe(
      authored.replace(
        '      - path: /old\n        reply: { json: [x] }\n',
        '      - path: /new\n        query:\n          time: "19:00"\n        reply:\n          status: 200\n          json:\n            times:\n              - "18:30"\n            ok: "on"\n',
      ),
    );
    expect(text.slice(offset)).toMatch(/^- path: \/new/);
  });

  it('adds a key to a flow mapping on its line, in flow style', () => {
    const { text } = setYamlIn(authored, ['tests', 1, 'http'], fixtures);
    expect(text).toBe(
      authored.replace(
        '  - { name: second, action: a }\n',
        '  - { name: second, action: a, http: [ { path: /new, query: { time: "19:00" }, reply: { status: 200, json: { times: [ "18:30" ], ok: "on" } } } ] }\n',
      ),
    );
  });

  it('turns an empty flow list into a block, keeping the comment after it on the key line', () => {
    const { text } = setYamlIn(authored, ['tests', 2, 'http'], [{ path: '/x' }]);
    expect(text).toBe(authored.replace('    http: []   # none yet\n', '    http: # none yet\n      - path: /x\n'));
  });

  it('fills an empty value with the mappings the path needs, and adds a missing key after the last one', () => {
    const slots = setYamlIn(authored, ['tests', 3, 'slots', 'city'], 'Rome');
    expect(slots.text).toBe(authored.replace('    slots:\n', '    slots:\n      city: Rome\n'));
    const added = setYamlIn(authored, ['tests', 3, 'action'], 'b');
    expect(added.text).toBe(authored.replace('    c: # to do\n', '    c: # to do\n    action: b\n'));
  });

  it('writes a one-line value where the old one was, and a block value onto a line of its own', () => {
    expect(setYamlIn('a: 1 # one\nb: 2\n', ['a'], 'yes').text).toBe('a: "yes" # one\nb: 2\n');
    expect(setYamlIn('a:\n  - 1\nb: 2\n', ['a'], []).text).toBe('a: []\nb: 2\n');
    expect(setYamlIn('a: ~\n', ['a'], { b: 1 }).text).toBe('a:\n  b: 1\n');
    expect(setYamlIn('a: 1', ['b', 'c'], 2).text).toBe('a: 1\nb:\n  c: 2');
    expect(setYamlIn('# only a comment\n', ['a'], 1).text).toBe('# only a comment\na: 1\n');
  });

  it('refuses a path through a value that is not a mapping, and text that is not YAML', () => {
    expect(() => setYamlIn('a: 1\n', ['a', 'b'], 2)).toThrow(YamlWriteError);
    expect(() => setYamlIn('a: [\n', ['a'], 2)).toThrow(YamlWriteError);
    expect(() => setYamlIn('a: 1\n', [], 2)).toThrow(YamlWriteError);
  });
});

describe('appendYamlIn', () => {
  it('appends to a block list after its last item, before the comments that follow, with the blank line the author uses', () => {
    const { text, index } = appendYamlIn(authored, ['tests'], { name: 'fifth', action: 'a' });
    expect(index).toBe(4);
    expect(text).toBe(authored.replace('    c: # to do\n', '    c: # to do\n  - name: fifth\n    action: a\n'));
    const spaced = appendYamlIn('tests:\n  - name: a\n\n  - name: b\n# end\n', ['tests'], { name: 'c' });
    expect(spaced.text).toBe('tests:\n  - name: a\n\n  - name: b\n\n  - name: c\n# end\n');
  });

  it('makes the list when missing or empty, and appends to a flow list in flow style', () => {
    expect(appendYamlIn('# mine\n', ['tests'], { name: 'a' }).text).toBe('# mine\ntests:\n  - name: a\n');
    expect(appendYamlIn('tests: []\n', ['tests'], { name: 'a' }).text).toBe('tests:\n  - name: a\n');
    expect(appendYamlIn('tests: [ { name: a } ]\n', ['tests'], { name: 'b' }).text).toBe(
      'tests: [ { name: a }, { name: b } ]\n',
    );
    expect(() => appendYamlIn('tests: 1\n', ['tests'], { name: 'b' })).toThrow(YamlWriteError);
  });
});

describe('yamlText', () => {
  it('quotes every string another YAML reader would misread, in block and flow style, values and keys', () => {
    for (const s of MISREADABLE_STRINGS) {
      for (const flow of [false, true]) {
        const text = yamlText({ value: s, list: [s], map: { [s]: s } }, flow);
        for (const version of ['1.1', '1.2'] as const)
          expect(parse(text, { version }), `${JSON.stringify(s)} in ${text}, YAML ${version}`).toEqual({
            value: s,
            list: [s],
            map: { [s]: s },
          });
      }
    }
  });

  it('writes generated strings of YAML-significant characters so that YAML 1.1 and 1.2 read them back unchanged', () => {
    const random = seededRandom(20240501);
    const pieces = [
      ...'0125:.-+_eExXoObByYnNtTrufals~iIF=< @#!&*|>\'"%?,[]{}\t\n'.split(''),
      'yes',
      'off',
      'null',
      '.inf',
      '0x',
      '0o',
    ];
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let n = 1 + Math.floor(random() * 7); n > 0; n--) s += pieces[Math.floor(random() * pieces.length)];
      const flow = random() < 0.5;
      const text = yamlText({ value: s, map: { [s]: 1 } }, flow);
      for (const version of ['1.1', '1.2'] as const)
        expect(parse(text, { version }), `${JSON.stringify(s)} as ${text}`).toEqual({ value: s, map: { [s]: 1 } });
    }
  });

  it('keeps strings no reader misreads plain', () => {
    expect(yamlText({ restaurant: 'trattoria-roma', name: 'Ada Lovelace', path: '/orders/7' }, true)).toBe(
      '{ restaurant: trattoria-roma, name: Ada Lovelace, path: /orders/7 }',
    );
  });
});
