/** "Contains at least": the comparison test expectations and fixtures use. */

/**
 * True when `expected` is contained in `actual`: objects by their listed
 * keys (recursively), arrays item by item with the same length, other
 * values by equality (JSON-wise, so 1 and 1.0 agree and key order does not matter).
 */
export function isSubset(expected: unknown, actual: unknown): boolean {
  if (expected === null || typeof expected !== 'object')
    return expected === actual || (expected === null && actual === undefined);
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => isSubset(e, actual[i]))
    );
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
  return Object.entries(expected).every(([k, v]) => isSubset(v, (actual as Record<string, unknown>)[k]));
}
