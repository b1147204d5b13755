/**
 * A YAML source file and the mapping from character offsets to 1-based
 * line:col positions, the one place where positions are computed.
 */
import type { Document, LineCounter, Node, Scalar } from 'yaml';
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

/**
 * File offset of character `index` of a scalar's string value.
 *
 * A plain or quoted one-line scalar maps directly; block scalars (`|`, `>`)
 * and escapes shift characters, so we find the value's line of text inside
 * the raw node and count from there. When even that fails (a folded line, an
 * escape on that line) the scalar's start is the honest fallback.
 */
export function offsetInScalar(source: SourceFile, node: Scalar, index: number): number {
  const [start] = node.range ?? [0];
  const value = String(node.value);
  const raw = rawText(source, node);
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  const body = quoted ? raw.slice(1, -1) : raw;
  if (body === value) return start + (quoted ? 1 : 0) + index;

  const lineStart = value.lastIndexOf('\n', index - 1) + 1;
  const lineEnd = value.indexOf('\n', index);
  const line = value.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  // Which occurrence of this same line we are in, so repeated lines map right.
  let occurrence = 0;
  for (let at = value.indexOf(line); at !== -1 && at < lineStart; at = value.indexOf(line, at + 1)) occurrence++;
  let found = -1;
  for (let n = 0; n <= occurrence; n++) {
    found = raw.indexOf(line, found + 1);
    if (found === -1) return start;
  }
  return start + found + (index - lineStart);
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
  for (const pair of node.items) {
    const k = pair.key as Node | null;
    if (isScalar(k) && String(k.value) === String(seg)) return { value: pair.value as Node | null, key: k };
  }
  return null;
}
