/**
 * Line → JSON pointer for `JSON.stringify(value, null, 2)`: the validator's
 * messages point at a line of that text (openapi-load.ts), and a line
 * number means nothing to the author of a YAML file, a pointer does.
 */

/** The lines of `JSON.stringify(value, null, 2)` and the JSON pointer each line starts. */
export function jsonLinePointers(value: unknown): { lines: string[]; pointers: string[] } {
  const text = JSON.stringify(value, null, 2) ?? '';
  const lines = text.split('\n');
  const pointers: string[] = [''];
  // The same value JSON.stringify printed (toJSON applied, undefined and functions dropped).
  walk(JSON.parse(text === '' ? 'null' : text), '', pointers);
  return { lines, pointers };
}

/** One entry per line after the value's first: each member's line, then the closing bracket's. */
function walk(value: unknown, pointer: string, pointers: string[]): void {
  if (value === null || typeof value !== 'object') return;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value);
  if (entries.length === 0) return; // `{}` / `[]` on the same line
  for (const [key, child] of entries) {
    const at = `${pointer}/${escapePointer(key)}`;
    pointers.push(at);
    walk(child, at, pointers);
  }
  pointers.push(pointer);
}

/** A JSON pointer token (RFC 6901 §3): `~` → `~0`, `/` → `~1`. */
export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
