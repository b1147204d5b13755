/**
 * The authoring page's two writes, made with the yaml library's document
 * API so the author's comments, order and layout stay as they were: a slot
 * mapping into actions.yml, and a test case into the test file.
 */
import { isMap, isSeq, parseDocument, Scalar, YAMLSeq } from 'yaml';
import type { Document } from 'yaml';
import type { TestCase } from '../config/index.js';

/** Why an edit cannot be made; nothing was written. */
export class EditError extends Error {
  override readonly name = 'EditError';
}

/** A name JSONata reads without backticks (`times`, `max_party`). */
const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Words JSONata reads as operators or values, never as a field name. */
const RESERVED: ReadonlySet<string> = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

/**
 * A JSONata path from `root` through `path`: names as `.name` (in backticks
 * when they are not plain), list positions as `[n]`.
 * @example jsonataPath('response.body', ['times', 0, 'time']) === 'response.body.times[0].time'
 */
export function jsonataPath(root: string, path: readonly (string | number)[]): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Number.isSafeInteger(segment) || segment < 0) throw new EditError(`"${segment}" is not a list position`);
      out += `[${segment}]`;
    } else if (PLAIN_NAME.test(segment) && !RESERVED.has(segment)) {
      out += `.${segment}`;
    } else if (segment !== '' && !/`|\{\{|\}\}/.test(segment)) {
      out += `.\`${segment}\``;
    } else {
      // JSONata has no escape inside backticks, and {{ }} would end the template around the path.
      throw new EditError(
        `the field name ${JSON.stringify(segment)} cannot be written as a JSONata path inside {{ }}; write the mapping by hand ($lookup)`,
      );
    }
  }
  return out;
}

/**
 * `text` (an actions.yml) with `actions.<action>.slots.<slot>` set to
 * `value`, as a double-quoted string: an existing mapping of the slot is
 * replaced in place, a new one goes at the end of the action's `slots:`
 * (made when missing).
 * @returns the new text and the 0-based offset of the value written
 */
export function setSlotMapping(
  text: string,
  action: string,
  slot: string,
  value: string,
): { text: string; offset: number } {
  const doc = parseEditable(text, 'the actions file');
  const node = doc.getIn(['actions', action], true);
  if (!isMap(node)) throw new EditError(`there is no action "${action}" in the file`);
  const slots = node.get('slots', true);
  if (slots !== undefined && slots !== null && !isMap(slots))
    throw new EditError(`"slots:" of ${action} is not a mapping; fix it first`);
  // An existing value keeps its node, and with it a comment after it on the line.
  const existing = isMap(slots) ? slots.get(slot, true) : undefined;
  const scalar = existing instanceof Scalar ? existing : new Scalar(value);
  scalar.value = value;
  scalar.type = 'QUOTE_DOUBLE';
  if (scalar !== existing) doc.setIn(['actions', action, 'slots', slot], scalar);
  const out = doc.toString({ lineWidth: 0 });
  // The scalar's range is only known after a re-parse; the written value is the last occurrence in this action's slots.
  const written = parseDocument(out).getIn(['actions', action, 'slots', slot], true) as Scalar | undefined;
  return { text: out, offset: written?.range?.[0] ?? 0 };
}

/**
 * `text` (a test file, or null for a new one) with `testCase` appended to
 * `tests:`. A new file names its actions file when that is not the default.
 * @returns the new text and the index of the case
 */
export function appendTestCase(
  text: string | null,
  testCase: TestCase,
  actionsName: string | null,
): { text: string; index: number } {
  const doc = text === null ? parseDocument(newTestFile(actionsName)) : parseEditable(text, 'the test file');
  let tests = doc.get('tests', true);
  if (tests === undefined || tests === null) {
    tests = new YAMLSeq();
    doc.set('tests', tests);
  }
  if (!isSeq(tests)) throw new EditError('"tests:" in the test file is not a list; fix it first');
  // `tests: []` would keep the new case on one line.
  if (tests.items.length === 0) tests.flow = false;
  tests.add(doc.createNode(testCase, { flow: false }));
  return { text: doc.toString({ lineWidth: 0 }), index: tests.items.length - 1 };
}

function newTestFile(actionsName: string | null): string {
  const header = '# slotwire test: cases saved from slotwire studio (docs/testing.md)\n';
  return actionsName === null ? header : `${header}actions: ${JSON.stringify(actionsName)}\n`;
}

/** A document that can be edited: parses, and is a mapping. */
function parseEditable(text: string, what: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new EditError(`${what} is not valid YAML (${doc.errors[0]?.message.split('\n')[0] ?? ''}); fix it first`);
  if (!isMap(doc.contents)) throw new EditError(`${what} is not a mapping; fix it first`);
  return doc;
}
