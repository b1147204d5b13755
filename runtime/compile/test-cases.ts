/**
 * The cases of the test file beside the actions file (`actions.test.yml`,
 * what `slotwire init` writes), as the compiler's checks read them: the
 * slots they give (SW_WARN_SLOT_NEVER_SET) and the answers their fixtures
 * record (response-shape.ts). Parsed once per reader; a missing or broken
 * file is no cases, since `slotwire test` reports its problems.
 */
import { parse } from 'yaml';
import type { ReadText } from './read-file.js';

/** Where the checks look for the test file, relative to the actions file. */
const TEST_FILE = 'actions.test.yml';

const parsed = new WeakMap<ReadText, readonly Readonly<Record<string, unknown>>[]>();

/** The test cases beside the actions file; none when there is no readable test file. */
export function testCasesBeside(readText: ReadText): readonly Readonly<Record<string, unknown>>[] {
  let cases = parsed.get(readText);
  if (cases === undefined) {
    let data: unknown;
    try {
      data = parse(readText(TEST_FILE));
    } catch {
      data = null;
    }
    const tests =
      data && typeof data === 'object' && 'tests' in data && Array.isArray(data.tests) ? (data.tests as unknown[]) : [];
    cases = tests.filter((t): t is Record<string, unknown> => t !== null && typeof t === 'object');
    parsed.set(readText, cases);
  }
  return cases;
}

const bodiesByAction = new WeakMap<ReadText, ReadonlyMap<string, readonly unknown[]>>();

/** The JSON bodies the test cases' fixtures answer `action`'s calls with, successes only (2xx). Indexed once per reader, not per action. */
export function fixtureBodies(readText: ReadText, action: string): readonly unknown[] {
  let index = bodiesByAction.get(readText);
  if (index === undefined) {
    const built = new Map<string, unknown[]>();
    for (const c of testCasesBeside(readText)) {
      const name = c['action'];
      if (typeof name !== 'string' || !Array.isArray(c['http'])) continue;
      const bodies = built.get(name) ?? [];
      for (const fixture of c['http'] as unknown[]) {
        const reply = (fixture as { reply?: { status?: unknown; json?: unknown } } | null)?.reply;
        const status = typeof reply?.status === 'number' ? reply.status : 200;
        if (reply !== undefined && 'json' in reply && status >= 200 && status < 300) bodies.push(reply.json);
      }
      built.set(name, bodies);
    }
    index = built;
    bodiesByAction.set(readText, index);
  }
  return index.get(action) ?? [];
}
