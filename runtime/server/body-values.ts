/**
 * A bound on what a webhook body makes JSON.parse build. Its cost is per
 * object more than per byte: a 32 MiB body of empty events (`{},{},…`, 11
 * million objects) took 21 s to parse and 1 GB of memory, while every other
 * call waited; a real 28 MB tracker (425 000 objects and arrays) parses in
 * about 1 s. Counting the bytes that open an object or an array is native
 * (`indexOf`) and takes about 10 ms for 28 MB, so a body past the bound is
 * refused before anything is built. docs/server.md#limits says the rule.
 */

/** Objects and arrays a webhook body may open: a 40 000-event conversation, whose parse stays well under a second. Default of `maxBodyValues`. */
export const DEFAULT_MAX_BODY_VALUES = 200_000;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/**
 * Whether `bytes` holds more than `limit` bytes `{` and `[`: an upper bound
 * on the objects and arrays it describes (braces inside strings count too,
 * so the bound errs on the side of refusing, never of building more).
 * A body shorter than `limit` bytes cannot be over it and is not read.
 */
export function overValueLimit(bytes: Buffer, limit: number): boolean {
  if (bytes.length <= limit) return false;
  let count = 0;
  for (const opening of [OPEN_BRACE, OPEN_BRACKET]) {
    for (let at = bytes.indexOf(opening); at !== -1; at = bytes.indexOf(opening, at + 1)) {
      if (++count > limit) return true;
    }
  }
  return false;
}
