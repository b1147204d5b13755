/** The studio's writes keep the author's file as it was, around the one change. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { appendTestCase, EditError, jsonataPath, setSlotMapping } from '../../runtime/studio/yaml-edit.js';
import { MISREADABLE_SLOT_NAMES } from '../support/misreadable-strings.js';

/** The code of the EditError `edit` throws. */
function refusal(edit: () => unknown): string {
  try {
    edit();
  } catch (err) {
    expect(err).toBeInstanceOf(EditError);
    return (err as EditError).code;
  }
  throw new Error('the edit was made');
}

describe('jsonataPath', () => {
  it('writes names, list positions, and backticks where a name is not plain or is a JSONata word', () => {
    expect(jsonataPath('response.body', ['times', 0, 'time'])).toBe('response.body.times[0].time');
    expect(jsonataPath('steps.customer.body', ['first name', 'and', 'in2'])).toBe(
      'steps.customer.body.`first name`.`and`.in2',
    );
    expect(jsonataPath('response.body', ['0'])).toBe('response.body.`0`');
  });

  it('refuses what JSONata cannot name', () => {
    for (const path of [['a`b'], [''], ['a}}b'], [-1]])
      expect(
        refusal(() => jsonataPath('response.body', path)),
        JSON.stringify(path),
      ).toBe('SW_STUDIO_PATH_UNWRITABLE');
  });
});

describe('setSlotMapping', () => {
  it('makes slots: when the action has none, and leaves the rest of the text byte for byte as it was', () => {
    const text =
      '# top\nversion: 1\nactions:\n  a:   # the action\n    request: { connection: c, path: /x, tags: [x] }   # short\n  b:\n    request: { connection: c, path: /y }\n';
    const { text: out, offset } = setSlotMapping(text, 'a', 'city', '{{ response.body.city }}');
    expect(out).toBe(
      '# top\nversion: 1\nactions:\n  a:   # the action\n    request: { connection: c, path: /x, tags: [x] }   # short\n    slots:\n      city: "{{ response.body.city }}"\n  b:\n    request: { connection: c, path: /y }\n',
    );
    expect(out.slice(offset)).toMatch(/^"\{\{ response\.body\.city \}\}"/);
  });

  it('adds to a flow mapping in its own style', () => {
    const { text } = setSlotMapping('actions:\n  a:\n    slots: { x: 1 }\n', 'a', 'z', '{{ response.body.z }}');
    expect(text).toBe('actions:\n  a:\n    slots: { x: 1, z: "{{ response.body.z }}" }\n');
  });

  it('quotes a slot name YAML 1.1 reads as a boolean or null, so Rasa reads the same name', () => {
    for (const slot of MISREADABLE_SLOT_NAMES) {
      const { text } = setSlotMapping('actions:\n  a:\n    slots:\n      x: 1\n', 'a', slot, '{{ response.body.v }}');
      expect(parse(text, { version: '1.1' }).actions.a.slots, text).toEqual({ x: 1, [slot]: '{{ response.body.v }}' });
    }
  });

  it('refuses an action the file no longer has, and a file that does not parse or whose slots: is not a mapping', () => {
    expect(refusal(() => setSlotMapping('actions:\n  a: {}\n', 'b', 'x', 'v'))).toBe('SW_STUDIO_ACTION_GONE');
    expect(refusal(() => setSlotMapping('actions: [\n', 'a', 'x', 'v'))).toBe('SW_STUDIO_FILE_BROKEN');
    expect(refusal(() => setSlotMapping('- a\n', 'a', 'x', 'v'))).toBe('SW_STUDIO_FILE_BROKEN');
    expect(refusal(() => setSlotMapping('actions:\n  a:\n    slots: [x]\n', 'a', 'x', 'v'))).toBe(
      'SW_STUDIO_FILE_BROKEN',
    );
  });

  it('refuses an edit the writer cannot make where the text says it would be', () => {
    // The keys 1 and "1" differ in YAML, and the one named "1" is a mapping; the writer finds the other first.
    const text = 'actions:\n  1: x\n  "1":\n    slots: {}\n';
    expect(refusal(() => setSlotMapping(text, '1', 'y', 'v'))).toBe('SW_STUDIO_EDIT_REFUSED');
  });
});

describe('appendTestCase', () => {
  it('refuses a test file that does not parse, is not a mapping, or whose tests: is not a list', () => {
    for (const text of ['tests: [\n', '- a\n', 'tests: 5\n'])
      expect(
        refusal(() => appendTestCase(text, { name: 'one', action: 'a' }, null)),
        text,
      ).toBe('SW_STUDIO_TEST_FILE_BROKEN');
  });

  it('starts a file that names its actions file when that is not the default', () => {
    const { text, index } = appendTestCase(null, { name: 'one', action: 'a', slots: { x: 1 } }, 'shop.yml');
    expect(index).toBe(0);
    expect(text.startsWith('# slotwire test: cases saved from slotwire studio')).toBe(true);
    expect(parse(text)).toEqual({ actions: 'shop.yml', tests: [{ name: 'one', action: 'a', slots: { x: 1 } }] });
  });

  it('appends in block style after the existing cases, comments kept, even to tests: []', () => {
    const first = appendTestCase('# mine\ntests: []\n', { name: 'one', action: 'a' }, null);
    expect(first.text).toBe('# mine\ntests:\n  - name: one\n    action: a\n');
    const second = appendTestCase(`${first.text}  # after one\n`, { name: 'two', action: 'a' }, null);
    expect(second.index).toBe(1);
    expect(second.text).toContain('# mine');
    expect(parse(second.text).tests.map((t: { name: string }) => t.name)).toEqual(['one', 'two']);
  });
});
