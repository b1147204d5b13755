/**
 * The authoring page's two writes, a slot mapping into actions.yml and a
 * test case into the test file, spliced into the text as `test --record`
 * writes (config/yaml-write.ts): the author's comments, order and layout
 * stay byte for byte, and a string another YAML reader would misread is quoted.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { appendYamlIn, setYamlIn, yamlText, YamlWriteError } from '../config/index.js';
import type { TestCase } from '../config/index.js';
import type { StudioErrorCode } from './errors.js';

/** Why an edit cannot be made; nothing was written. */
export class EditError extends Error {
  override readonly name = 'EditError';
  /** Which refusal it is (docs/studio.md, Error codes). */
  readonly code: StudioErrorCode;
  constructor(code: StudioErrorCode, message: string) {
    super(message);
    this.code = code;
  }
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
      if (!Number.isSafeInteger(segment) || segment < 0)
        throw new EditError('SW_STUDIO_PATH_UNWRITABLE', `"${segment}" is not a list position`);
      out += `[${segment}]`;
    } else if (PLAIN_NAME.test(segment) && !RESERVED.has(segment)) {
      out += `.${segment}`;
    } else if (segment !== '' && !/`|\{\{|\}\}/.test(segment)) {
      out += `.\`${segment}\``;
    } else {
      // JSONata has no escape inside backticks, and {{ }} would end the template around the path.
      throw new EditError(
        'SW_STUDIO_PATH_UNWRITABLE',
        `the field name ${JSON.stringify(segment)} cannot be written as a JSONata path inside {{ }}; write the mapping by hand ($lookup)`,
      );
    }
  }
  return out;
}

/**
 * `text` (an actions.yml) with `actions.<action>.slots.<slot>` set to
 * `value`: an existing mapping of the slot is replaced in place (a comment
 * after it stays), a new one goes at the end of the action's `slots:` (made
 * when missing). The rest of the file is left byte for byte as it was.
 * @returns the new text and the 0-based offset of the value written
 */
export function setSlotMapping(
  text: string,
  action: string,
  slot: string,
  value: string,
): { text: string; offset: number } {
  const doc = parseEditable(text, 'the actions file', 'SW_STUDIO_FILE_BROKEN');
  const node = doc.getIn(['actions', action], true);
  if (!isMap(node)) throw new EditError('SW_STUDIO_ACTION_GONE', `there is no action "${action}" in the file`);
  const slots = node.get('slots', true);
  if (slots !== undefined && !isMap(slots) && !(isScalar(slots) && slots.value === null))
    throw new EditError('SW_STUDIO_FILE_BROKEN', `"slots:" of ${action} is not a mapping; fix it first`);
  return written(() => setYamlIn(text, ['actions', action, 'slots', slot], value));
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
  const base = text ?? newTestFile(actionsName);
  const tests = parseEditable(base, 'the test file', 'SW_STUDIO_TEST_FILE_BROKEN').get('tests', true);
  if (tests !== undefined && !isSeq(tests) && !(isScalar(tests) && tests.value === null))
    throw new EditError('SW_STUDIO_TEST_FILE_BROKEN', '"tests:" in the test file is not a list; fix it first');
  return written(() => appendYamlIn(base, ['tests'], testCase));
}

function newTestFile(actionsName: string | null): string {
  const header = '# slotwire test: cases saved from slotwire studio (docs/testing.md)\n';
  return actionsName === null ? header : `${header}actions: ${yamlText(actionsName, true)}\n`;
}

/** A document that can be edited: parses, and is a mapping (or empty, for a new test file). */
function parseEditable(text: string, what: string, broken: StudioErrorCode): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new EditError(
      broken,
      `${what} is not valid YAML (${doc.errors[0]?.message.split('\n')[0] ?? ''}); fix it first`,
    );
  if (doc.contents !== null && !isMap(doc.contents))
    throw new EditError(broken, `${what} is not a mapping; fix it first`);
  return doc;
}

/** The write, with the writer's refusal said as the studio's. */
function written<T>(write: () => T): T {
  try {
    return write();
  } catch (err) {
    if (err instanceof YamlWriteError) throw new EditError('SW_STUDIO_EDIT_REFUSED', err.message);
    throw err;
  }
}
