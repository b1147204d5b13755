/**
 * Where the tools' parameter types come from (docs/mcp.md): the Rasa
 * domain's slot types when a project is given, else the values the test
 * file's cases give each slot, else nothing (any JSON value).
 */
import type { ProjectDomain } from '../project/index.js';
import { loadTestFile } from '../config/index.js';
import type { TestCase } from '../config/index.js';
import { domainSlotSchema, usageSchema } from './schemas.js';
import type { SlotTypes } from './schemas.js';

/**
 * @param domain - the Rasa project's domain, if given
 * @param testFile - a `slotwire test` file for the same actions, if there is one (a missing or broken file counts as none)
 */
export async function slotTypesFrom(domain: ProjectDomain | null, testFile: string | null): Promise<SlotTypes> {
  const tests = testFile === null ? [] : ((await loadTestFile(testFile)).tests?.tests ?? []);
  return slotTypesOf(domain, tests);
}

/**
 * The same, from test cases already loaded (the studio reads the test file anyway).
 * @param tests - the cases of a `slotwire test` file for the same actions
 */
export function slotTypesOf(domain: ProjectDomain | null, tests: readonly TestCase[]): SlotTypes {
  const used = new Map<string, unknown[]>();
  for (const test of tests) {
    for (const [slot, value] of Object.entries(test.slots ?? {})) {
      const values = used.get(slot) ?? [];
      values.push(value);
      used.set(slot, values);
    }
  }
  return (slot) => {
    const declared = domain?.slots.get(slot);
    const fromDomain = declared === undefined ? null : domainSlotSchema(declared.type, declared.values);
    if (fromDomain !== null) return { schema: fromDomain, from: 'domain' };
    const fromTests = usageSchema(used.get(slot) ?? []);
    return fromTests === null ? null : { schema: fromTests, from: 'tests' };
  };
}
