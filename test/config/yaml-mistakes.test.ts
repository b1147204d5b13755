import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../runtime/config/index.js';
import { parseYaml } from '../../runtime/config/parse-yaml.js';
import { compilePlan } from '../../runtime/compile/index.js';

const head =
  'version: 1\nconnections:\n  shop:\n    base_url: https://shop.example.com\nactions:\n  a:\n    request: { connection: shop, path: /orders }\n';
const load = (actions: string) => loadConfigText('actions.yml', head + actions).diagnostics;

describe('YAML that means something else than it says', () => {
  it('warns at the # of a comment that follows a value and holds {{ }}', () => {
    expect(load('    responses:\n      - text: Order #{{ slots.order_id }} ready\n')).toMatchObject([
      { code: 'SW_WARN_COMMENT_EXPR', severity: 'warning', line: 9, col: 21 },
    ]);
  });

  it('leaves comments without {{ }} and comments on their own line alone', () => {
    expect(load('    responses:\n      - text: Order ready # no slot here\n      # - text: "{{ slots.x }}"\n')).toEqual(
      [],
    );
  });

  it('reports an unquoted {{ }} in a list and in a nested mapping, once each', () => {
    expect(
      load(
        '    responses:\n      - buttons: [{{ response.body.b }}]\n    slots:\n      x: { y: {{ response.body.y }} }\n',
      ),
    ).toMatchObject([
      { code: 'SW_YAML_UNQUOTED_EXPR', line: 9, col: 19 },
      { code: 'SW_YAML_UNQUOTED_EXPR', line: 11, col: 15 },
    ]);
  });

  it('reports aliases and commented {{ }} in the order of the file', () => {
    const d = parseYaml(
      'actions.yml',
      'a: &x 1 # {{ one }}\nb: *x\nc:\n  - d # {{ two }}\n  - *x\n  - { k: v } # {{ three }}\n',
    ).diagnostics;
    expect(d.map((x) => [x.code, x.line, x.col])).toEqual([
      ['SW_WARN_COMMENT_EXPR', 1, 9],
      ['SW_YAML_ALIAS', 2, 4],
      ['SW_WARN_COMMENT_EXPR', 4, 7],
      ['SW_YAML_ALIAS', 5, 5],
    ]);
  });

  it('reports only the outermost of nested unquoted {{ }}', () => {
    const d = parseYaml('actions.yml', 'a: {{ {{ x }} }}\nb: [{{ y }}]\n').diagnostics;
    expect(d.filter((x) => x.code === 'SW_YAML_UNQUOTED_EXPR').map((x) => [x.line, x.col])).toEqual([
      [1, 4],
      [2, 5],
    ]);
  });

  it('points at an unclosed [ however far YAML reads before it gives up, and skips brackets in quotes and comments', () => {
    const d = load('    sensitive: [a, "b]", c # ]\n    slots:\n      x: "{{ response.body.x }}"\n');
    expect(d).toMatchObject([{ code: 'SW_YAML_UNCLOSED_BRACKET', line: 8, col: 16 }]);
  });

  it('points at an unclosed { left open at the end of the file', () => {
    const d = load('    slots: { x: "{{ response.body.x }}"');
    expect(d).toMatchObject([{ code: 'SW_YAML_UNCLOSED_BRACKET', line: 8, col: 12 }]);
  });
});

describe('connections after a request error', () => {
  it('counts the connection of an action dropped for an error as used', () => {
    const { diagnostics } = compilePlan(
      loadConfigText(
        'actions.yml',
        head.replace(
          'request: { connection: shop, path: /orders }',
          'request: { connection: shop, method: FETCH, path: /orders }',
        ),
      ),
    );
    expect(diagnostics.map((d) => d.code)).toEqual(['SW_SCHEMA_ENUM']);
  });

  it('counts a misspelt connection name as a use of the connection it is close to', () => {
    const { diagnostics } = compilePlan(
      loadConfigText(
        'actions.yml',
        `${head.replace('connection: shop', 'connection: shopp')}    slots:\n      x: "{{ response.body.x }}"\n`,
      ),
    );
    expect(diagnostics.map((d) => d.code)).toEqual(['SW_REF_UNKNOWN_CONNECTION']);
  });
});
