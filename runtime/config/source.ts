/**
 * A YAML source file and the mapping from character offsets to 1-based
 * line:col positions, the one place where positions are computed.
 */
import type { Document, LineCounter, Node, Scalar, YAMLMap } from 'yaml';
import { isMap, isScalar, isSeq } from 'yaml';
import type { Position } from './diagnostics.js';

/** The text of a file as it was read, with its parsed document. */
export interface SourceFile {
  /** The path as the user gave it; diagnostics print it verbatim. */
  readonly file: string;
  readonly text: string;
  readonly lineCounter: LineCounter;
  readonly doc: Document.Parsed;
}

/** Position of a character offset in the file. */
export function positionAt(source: SourceFile, offset: number): Position {
  const { line, col } = source.lineCounter.linePos(Math.max(0, Math.min(offset, source.text.length)));
  return { file: source.file, line, col };
}

/** Position of the first character of a node (its range start), or 1:1 for none. */
export function positionOfNode(source: SourceFile, node: Node | null | undefined): Position {
  return positionAt(source, node?.range?.[0] ?? 0);
}

/** The node's text as written in the file (before `${VAR}` resolution). */
export function rawText(source: SourceFile, node: Node): string {
  const [start, end] = node.range ?? [0, 0];
  return source.text.slice(start, end);
}

/** The node's text as written, without the quotes around a quoted scalar: what a message quotes. */
export function writtenText(source: SourceFile, node: Node): string {
  return rawText(source, node).replace(/^["']|["']$/g, '');
}

/**
 * File offset of character `index` of a scalar's string value.
 *
 * The value and the text in the file differ by quotes, escapes (`\"`,
 * `''`), folded line breaks and block indentation, so the two are walked
 * side by side: each value character is matched to the next file character
 * that produces it, skipping what produces nothing (indentation, a block
 * header). Only a character the walk cannot place falls back to the scalar's
 * start.
 */
export function offsetInScalar(source: SourceFile, node: Scalar, index: number): number {
  const [start] = node.range ?? [0];
  const value = String(node.value);
  const raw = rawText(source, node);
  const double = node.type === 'QUOTE_DOUBLE';
  const single = node.type === 'QUOTE_SINGLE';
  // Content starts after the opening quote, or after a block scalar's header line.
  let j =
    double || single ? 1 : node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED' ? raw.indexOf('\n') + 1 : 0;
  for (let i = 0; i <= index && i < value.length; i++) {
    const c = value[i];
    let placed = -1;
    while (j < raw.length && placed === -1) {
      const r = raw[j];
      if (double && r === '\\') {
        if (raw[j + 1] === '\n' || raw[j + 1] === '\r') {
          j += 2; // an escaped line break produces nothing
          continue;
        }
        placed = j;
        j += escapeLength(raw, j);
      } else if (single && r === "'" && raw[j + 1] === "'") {
        placed = j;
        j += 2;
      } else if (r === c || ((c === ' ' || c === '\n') && (r === '\n' || r === '\r'))) {
        placed = j;
        j++;
      } else {
        j++;
      }
    }
    if (placed === -1) return start;
    if (i === index) return start + placed;
  }
  return start + Math.min(j, raw.length);
}

/** Length of the escape sequence at `raw[at]` in a double-quoted scalar. */
function escapeLength(raw: string, at: number): number {
  const kind = raw[at + 1];
  if (kind === 'x') return 4;
  if (kind === 'u') return 6;
  if (kind === 'U') return 10;
  return 2;
}

/** Path segments from the document root to a node: map keys and sequence indices. */
export type NodePath = readonly (string | number)[];

/** The value node at `path` and the key node of its last map step (null for sequence items). */
export interface Located {
  readonly node: Node | null;
  readonly key: Node | null;
  /** The deepest node reached, when the path goes further than the document. */
  readonly nearest: Node | null;
}

/** Walks the document along a path of keys and indices. */
export function locate(source: SourceFile, path: NodePath): Located {
  let node = source.doc.contents as Node | null;
  let key: Node | null = null;
  let nearest: Node | null = node;
  for (const seg of path) {
    const next = stepInto(node, seg);
    if (!next) return { node: null, key: null, nearest: key ?? nearest };
    node = next.value;
    key = next.key;
    nearest = node ?? key;
  }
  return { node, key, nearest };
}

function stepInto(node: Node | null, seg: string | number): { value: Node | null; key: Node | null } | null {
  if (isSeq(node)) {
    const item = node.items[Number(seg)] as Node | undefined;
    return item ? { value: item, key: null } : null;
  }
  if (!isMap(node)) return null;
  const indexed = node.items.length >= INDEXED_FROM ? indexOf(node).get(String(seg)) : undefined;
  const hit = indexed === undefined ? undefined : node.items[indexed];
  // The index is checked at each use: a mapping edited since (the studio writes into documents) is searched.
  if (hit && isScalar(hit.key) && String(hit.key.value) === String(seg))
    return { value: hit.value as Node | null, key: hit.key as Node };
  for (const pair of node.items) {
    const k = pair.key as Node | null;
    if (isScalar(k) && String(k.value) === String(seg)) return { value: pair.value as Node | null, key: k };
  }
  return null;
}

/**
 * Mappings this large (the `actions:` of a big file) are looked up through
 * an index of their keys, built once per mapping: every diagnostic of an
 * action locates its path, and a linear search per lookup made a
 * 1 000-action file quadratic.
 */
const INDEXED_FROM = 64;
const indexes = new WeakMap<YAMLMap, Map<string, number>>();

/** The position of each key's first pair in a mapping. */
function indexOf(map: YAMLMap): Map<string, number> {
  let index = indexes.get(map);
  if (index === undefined) {
    index = new Map();
    for (let i = 0; i < map.items.length; i++) {
      const k = map.items[i].key;
      if (isScalar(k) && !index.has(String(k.value))) index.set(String(k.value), i);
    }
    indexes.set(map, index);
  }
  return index;
}
