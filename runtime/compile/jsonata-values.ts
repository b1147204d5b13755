/**
 * How JSONata classifies and compares values, ported from jsonata 2.2.2's
 * utils.js (`node_modules/jsonata/jsonata.js`) so that the fast path, the
 * plain-path read and the bounded functions agree with JSONata exactly.
 */

/** JSONata's sequence: an array flagged `sequence` (utils.isSequence), maybe `keepSingleton`. */
export type Sequence = unknown[] & { sequence?: boolean; keepSingleton?: boolean; outerWrapper?: boolean };

/** utils.isSequence. */
export function isSequence(value: unknown): value is Sequence {
  return Array.isArray(value) && (value as Sequence).sequence === true;
}

/**
 * utils.isFunction: data with `_jsonata_function`/`_jsonata_lambda` set
 * counts, as in JSONata, which then neither reads inside it nor prints it.
 */
export function isFunction(arg: unknown): boolean {
  const f = arg as { _jsonata_function?: unknown; _jsonata_lambda?: unknown } | null | undefined;
  return Boolean(f && (f._jsonata_function === true || f._jsonata_lambda === true)) || typeof arg === 'function';
}

/** utils.isDeepEqual: arrays item by item; otherwise by own property names (so an array can equal an object). */
export function isDeepEqual(lhs: unknown, rhs: unknown): boolean {
  if (lhs === rhs) return true;
  if (typeof lhs !== 'object' || typeof rhs !== 'object' || lhs === null || rhs === null) return false;
  if (Array.isArray(lhs) && Array.isArray(rhs))
    return lhs.length === rhs.length && lhs.every((v, i) => isDeepEqual(v, rhs[i]));
  const lkeys = Object.getOwnPropertyNames(lhs).sort();
  const rkeys = Object.getOwnPropertyNames(rhs).sort();
  if (lkeys.length !== rkeys.length || lkeys.some((k, i) => k !== rkeys[i])) return false;
  return lkeys.every((k) => isDeepEqual((lhs as Record<string, unknown>)[k], (rhs as Record<string, unknown>)[k]));
}
