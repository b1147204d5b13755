/**
 * The size of a value as JSON text, for the `size` bound (limits.ts). A
 * value can be small in memory and huge as text: `{"l": $a, "r": $a}`
 * repeated 40 times holds 40 objects but prints 2^40 leaves, and everything
 * that reads a whole value (`$string`, `&`, `=`, `**`, the reply to Rasa)
 * reads it as that tree. So shared parts count each time they occur, and a
 * memo of the sizes already measured keeps measuring linear in the number
 * of distinct objects.
 */
import { isFunction, isSequence } from './jsonata-values.js';

/** Objects at least this large (in characters) are remembered in the memo; smaller ones are cheaper to re-walk. */
const memoFrom = 256;

/** Options of {@link jsonSize}. */
export interface JsonSizeOptions {
  /** Sizes measured before, by object; filled as it goes. Default: none */
  readonly memo?: WeakMap<object, number>;
  /** Spaces per level, as `$string(x, true)` indents (2). Default: 0, compact */
  readonly indent?: number;
}

/**
 * How many characters `JSON.stringify` writes for `value`, counting strings
 * without their escapes and numbers as `String` writes them (so about that
 * many), functions as `""` as `$string` prints them; stopping as soon as the
 * count passes `budget`.
 * Returns the size, or a number above `budget` when it is larger.
 * @param value - any JSONata value
 * @param budget - the limit to test against
 * @param options - a memo and an indent
 */
export function jsonSize(value: unknown, budget: number, options: JsonSizeOptions = {}): number {
  const { indent = 0 } = options;
  // Indented output depends on depth, so an indented size cannot be remembered per object.
  const memo = indent === 0 ? options.memo : undefined;
  let total = 0;
  const visit = (v: unknown, depth: number): void => {
    switch (typeof v) {
      case 'string':
        total += v.length + 2;
        return;
      case 'number':
        total += numberLength(v);
        return;
      case 'boolean':
        total += v ? 4 : 5;
        return;
      case 'object':
        break;
      case 'function':
        total += 2;
        return;
      default:
        return; // undefined is left out of JSON
    }
    if (v === null) {
      total += 4;
      return;
    }
    if (isFunction(v)) {
      total += 2;
      return;
    }
    const known = memo?.get(v);
    if (known !== undefined) {
      total += known;
      return;
    }
    const before = total;
    // `[]` or `{}`; per member a comma after the first, its `"key":` (and a space when indented),
    // and when indented a line break and the member's indent; then the closing line's indent.
    const open = indent > 0 ? 1 + indent * (depth + 1) : 0;
    const colon = indent > 0 ? 4 : 3;
    let count = 0;
    total += 2;
    if (Array.isArray(v)) {
      for (const item of v) {
        total += (count++ > 0 ? 1 : 0) + open;
        if (item === undefined)
          total += 4; // written as null
        else visit(item, depth + 1);
        if (total > budget) return;
      }
    } else {
      // for…in with hasOwn is Object.keys without the array (JSON data has nothing to inherit).
      for (const key in v) {
        const item = (v as Record<string, unknown>)[key];
        if (item === undefined || !Object.hasOwn(v, key)) continue; // undefined is left out
        total += (count++ > 0 ? 1 : 0) + open + key.length + colon;
        visit(item, depth + 1);
        if (total > budget) return;
      }
    }
    if (count > 0 && indent > 0) total += 1 + indent * depth;
    if (memo && total - before >= memoFrom) memo.set(v, total - before);
  };
  visit(value, 0);
  return total;
}

/**
 * About `String(n).length` without making the string (~0.2 µs for a
 * fraction): the digits of the whole part, and of the fraction as many as it
 * takes to give the number back, as the shortest form JSON writes does.
 */
function numberLength(n: number): number {
  if (!Number.isFinite(n)) return 4; // null
  const abs = Math.abs(n);
  if (abs >= 1e21 || (abs < 1e-6 && abs !== 0)) return String(n).length; // exponent notation, rare
  const whole = Math.floor(abs);
  const length = (n < 0 ? 1 : 0) + (whole < 10 ? 1 : Math.floor(Math.log10(whole)) + 1);
  if (whole === abs) return length;
  let fraction = 1;
  for (let scale = 10; fraction < 17 && Math.round(abs * scale) / scale !== abs; fraction++) scale *= 10;
  return length + 1 + fraction;
}

/**
 * Whether a path's result is a list the path collected (two or more items,
 * or one kept as a list by `[]`), which the `size` bound measures, rather
 * than one value it read, which it does not: reading a large input is never
 * an error, but `[1..1000].(slots.big)` is a new value a thousand times
 * larger.
 */
export function isCollected(result: unknown): boolean {
  return isSequence(result) && (result.length > 1 || result.keepSingleton === true);
}
