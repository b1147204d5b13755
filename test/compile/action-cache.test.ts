// The cache of compiled actions (compilePlan's `cache`): what is unchanged
// is taken as it was, what changed is compiled again, and the diagnostics
// are exactly those of a compile without the cache, wherever an edit moved them.
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../runtime/compile/index.js';
import { createActionCache } from '../../runtime/compile/index.js';
import { loadConfigText } from '../../runtime/config/index.js';

const FILE = `version: 1
connections:
  api:
    base_url: http://api.test
actions:
  first:
    request:
      connection: api
      path: /a/{{ slots.name }}
    slots:
      name: "{{ response.body.name }}"
  second:
    request:
      connection: api
      path: /b
    slots:
      total: "{{ $rond(response.body.total) }}"
`;

/** Files the compile may read (the test file beside it, response schemas): here, by name. */
const files =
  (extra: Record<string, string> = {}) =>
  (path: string) => {
    const text = extra[path];
    if (text === undefined) throw Object.assign(new Error(`no ${path}`), { code: 'ENOENT' });
    return text;
  };

const compile = (text: string, options: Parameters<typeof compilePlan>[1] = {}) =>
  compilePlan(loadConfigText('/x/actions.yml', text), { readText: files(), ...options });

describe('a cache of compiled actions', () => {
  it('keeps an unchanged action and gives the diagnostics of a compile without it, moved by an edit above', () => {
    const cache = createActionCache();
    const before = compile(FILE, { cache });
    // Two lines more above both actions; only `first` changes.
    const edited = FILE.replace('actions:\n', '# a comment\n# and another\nactions:\n').replace('/a/', '/aa/');
    const after = compile(edited, { cache });
    const fresh = compile(edited);
    expect(after.diagnostics).toEqual(fresh.diagnostics);
    const lineOf = (text: string) => text.slice(0, text.indexOf('$rond')).split('\n').length;
    expect(before.diagnostics.map((d) => [d.code, d.line])).toEqual([['SW_EXPR_UNKNOWN_FUNCTION', lineOf(FILE)]]);
    expect(after.diagnostics.map((d) => [d.code, d.line])).toEqual([['SW_EXPR_UNKNOWN_FUNCTION', lineOf(FILE) + 2]]);
    expect(after.slotReads).toEqual(fresh.slotReads);
  });

  it('takes the plan of an unchanged action from the cache and compiles a changed one again', () => {
    const cache = createActionCache();
    const good = FILE.replace('$rond', '$round');
    const one = compile(good, { cache }).plan;
    const two = compile(good.replace('/a/', '/aa/'), { cache }).plan;
    expect(two?.actions.get('second')).toBe(one?.actions.get('second'));
    expect(two?.actions.get('first')).not.toBe(one?.actions.get('first'));
  });

  it('compiles every action again when a file the last compile read has changed (the fixtures)', () => {
    const cache = createActionCache();
    const good = FILE.replace('$rond', '$round');
    const fixtures = (json: string) =>
      files({
        'actions.test.yml': `tests:\n  - name: t\n    action: first\n    http:\n      - path: /a/1\n        reply: { json: ${json} }\n`,
      });
    const one = compile(good, { cache, readText: fixtures('{ name: x }') });
    expect(one.diagnostics).toEqual([]);
    const two = compile(good, { cache, readText: fixtures('{ title: x }') });
    expect(two.diagnostics.map((d) => d.code)).toEqual(['SW_WARN_RESPONSE_FIELD']);
    expect(two.plan?.actions.get('second')).not.toBe(one.plan?.actions.get('second'));
  });

  it('forgets an action the file no longer has', () => {
    const cache = createActionCache();
    compile(FILE, { cache });
    expect([...cache.entries.keys()].sort()).toEqual(['first', 'second']);
    compile(FILE.slice(0, FILE.indexOf('  second:')), { cache });
    expect([...cache.entries.keys()]).toEqual(['first']);
  });
});
