/**
 * Where the cursor stands in an actions file while it is being typed: the
 * keys of the mappings around it, whether a key or a value is being
 * written, and the expression text when it is inside `{{ }}`. Read from
 * the lines and their indentation, not from a parse: the file is mid-edit
 * and often not valid YAML at that moment.
 */

/** The cursor's place. */
export interface CursorContext {
  /** Keys of the mappings around the cursor, outermost first; 0 stands for an item of a list. */
  readonly path: readonly (string | number)[];
  /** `key`: a key of the mapping at `path` is typed; `value`: the value of the key `path` ends with. */
  readonly place: 'key' | 'value';
  /** The line's text before the cursor. */
  readonly before: string;
  /** The text between an unclosed `{{` and the cursor, or null outside an expression. */
  readonly expression: string | null;
}

/** A line split into its indentation, list dashes and the key it writes (if any). */
interface LineShape {
  /** Column of the list dash, or -1 without one. */
  readonly dash: number;
  /** Column where the line's content (after dashes) starts. */
  readonly content: number;
  readonly key: string | null;
  /** True when nothing follows `key:` but a comment: the key opens a block. */
  readonly opens: boolean;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#:'"{[][^:#]*?)\s*:(?:\s+(.*))?$/;

function shapeOf(line: string): LineShape | null {
  const spaces = line.length - line.trimStart().length;
  const rest = line.slice(spaces);
  if (rest === '' || rest.startsWith('#')) return null;
  const dashes = /^(-\s+)+/.exec(rest);
  const content = spaces + (dashes?.[0].length ?? 0);
  const m = KEY.exec(line.slice(content).trimEnd());
  const key = m ? m[1].replace(/^["']|["']$/g, '') : null;
  const value = (m?.[2] ?? '').trim();
  return { dash: dashes ? spaces : -1, content, key, opens: m !== null && (value === '' || value.startsWith('#')) };
}

/** The cursor's context at a 0-based line and character. */
export function cursorAt(text: string, line: number, character: number): CursorContext {
  const lines = text.split('\n');
  const current = lines[line] ?? '';
  const before = current.slice(0, character);
  const open = before.lastIndexOf('{{');
  const expression = open !== -1 && before.indexOf('}}', open) === -1 ? before.slice(open + 2) : null;
  const here = shapeOf(before.trim() === '' ? `${before}x` : before);
  const valueTyped = here !== null && here.key !== null && /:\s/.test(before.slice(here.content));
  // A key being typed stands at the line's content column; with a value, the key's own block is the place.
  let indent = here === null ? before.length : here.content;
  const path: (string | number)[] = [];
  if (valueTyped && here?.key) path.push(here.key);
  if (here !== null && here.dash !== -1 && !valueTyped) path.push(0);
  if (here !== null && here.dash !== -1 && valueTyped) path.splice(0, 0, 0);
  let inItem = here !== null && here.dash !== -1;
  if (inItem && here) indent = here.dash;
  for (let i = line - 1; i >= 0 && indent > 0; i--) {
    const shape = shapeOf(lines[i]);
    if (shape === null) continue;
    // Within a list item, the owner of the list may stand at the same column as the dash.
    const owns = shape.content < indent || (inItem && shape.content === indent && shape.dash === -1);
    if (shape.dash !== -1 && shape.content === indent && !inItem) {
      // A sibling key in the same list item: the item, then the list's owner.
      path.unshift(0);
      indent = shape.dash;
      inItem = true;
      continue;
    }
    if (!owns) continue;
    if (shape.key !== null && shape.opens) path.unshift(shape.key);
    else if (shape.dash === -1) break;
    inItem = shape.dash !== -1;
    if (inItem) path.unshift(0);
    indent = inItem ? shape.dash : shape.content;
  }
  return { path, place: valueTyped ? 'value' : 'key', before, expression };
}

/** The dotted name (`response.body.name`, `$round`) the character at `character` of `line` is part of, and where it starts. */
export function dottedNameAt(
  line: string,
  character: number,
): { readonly name: string; readonly start: number } | null {
  const word = /[$A-Za-z0-9_]/;
  let start = character;
  while (start > 0 && (word.test(line[start - 1]) || line[start - 1] === '.')) start--;
  let end = character;
  while (end < line.length && word.test(line[end])) end++;
  const raw = line.slice(start, end);
  const name = raw.replace(/^\.+/, '');
  return name === '' ? null : { name, start: start + raw.length - name.length };
}
