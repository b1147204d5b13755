/**
 * Writing into an author's YAML file (`test --record`, the studio) without
 * re-printing it: the new node's text is spliced in where the old one stood,
 * so every other byte of the file stays as written (comments, blank lines,
 * `[x]` flow lists, odd spacing). Re-printing the whole document through the
 * yaml library would re-flow lines, pad flow lists (`[ x ]`) and move
 * comments. What is written follows two rules (docs/testing.md#how-files-are-written):
 * a string another YAML reader could take for something else is quoted (see
 * {@link misreadable}), and a value keeps the style of the one it replaces
 * (block stays block, a one-line value stays on its line).
 */
import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Node, Pair, YAMLMap } from 'yaml';
import type { NodePath } from './source.js';

/** Why a YAML text cannot be edited; nothing was written. */
export class YamlWriteError extends Error {
  override readonly name = 'YamlWriteError';
}

/** An edited text, and where the written value starts in it (0-based). */
export interface YamlWritten {
  readonly text: string;
  readonly offset: number;
}

/**
 * Plain strings that some YAML reader takes for something else. The yaml
 * library (YAML 1.2 core) already quotes what it would misread; PyYAML and
 * Rasa's loaders read YAML 1.1, where `19:00` is the number 1140 (base 60),
 * `on`/`y` are true, `012` is 10 and `2024-05-01` a date. Quoting never
 * changes a string, so the rules err wide.
 */
const MISREADABLE: readonly RegExp[] = [
  // Booleans and null of YAML 1.1 and 1.2 in any case; `=` (PyYAML's value tag) and `<<` (merge key).
  /^(?:y|n|yes|no|on|off|true|false|null|~|=|<<)$/i,
  // Numbers: signs, leading zeros (octal in 1.1), `1_000`, `.5`, `5.`, `+.`, `1e3`, base 60 (`19:00`, `1:30:00.5`).
  /^[-+]?(?=[\d_.:]*[\d.])[\d_.:]+(?:e[-+]?[\d_]+)?$/i,
  // Hexadecimal, octal and binary: 0x1F, 0o17, 0b101.
  /^[-+]?0[box]/i,
  /^[-+]?\.(?:inf|nan)$/i,
  // Dates and timestamps (YAML 1.1 timestamp).
  /^\d{4}-\d\d?-\d\d?(?:$|[Tt\s])/,
];

/** True when a plain `value` could be read by some YAML reader as other than this string. */
export function misreadable(value: string): boolean {
  return MISREADABLE.some((re) => re.test(value));
}

/**
 * `value` as YAML text: block style (ending with a newline), or `flow` on
 * one line. Strings some reader would misread, and in flow any string with
 * a line break, are double-quoted.
 */
export function yamlText(value: unknown, flow: boolean): string {
  const doc = new Document(value, { flow });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && (misreadable(node.value) || (flow && /[\r\n]/.test(node.value))))
        node.type = 'QUOTE_DOUBLE';
    },
  });
  const text = doc.toString({ lineWidth: 0 });
  return flow ? text.trimEnd() : text;
}

/**
 * `text` with the node at `path` set to `value` (a JSON value): an existing
 * node is replaced where it stands; a missing key goes at the end of its
 * mapping, with the mappings it needs. Every other byte is kept.
 */
export function setYamlIn(text: string, path: NodePath, value: unknown): YamlWritten {
  if (path.length === 0) throw new YamlWriteError('give the path of the node to set');
  const doc = parseEditable(text);
  const expected = withSet(doc.toJS(), path, value);
  const found = walk(doc, path);
  const written = nest(path.slice(found.depth + 1), value);
  let out: string;
  if (found.pair === null) out = insertPair(text, found.parent, path[found.depth] as string, written);
  else if (found.node !== null) out = replaceValue(text, found.node, found.pair, found.flow, written);
  else throw new YamlWriteError(`${pathText(path.slice(0, found.depth + 1))} has no value to replace`);
  return checked(out, path, expected);
}

/** `text` with `value` appended to the list at `path` (made when missing); every other byte is kept. */
export function appendYamlIn(text: string, path: NodePath, value: unknown): YamlWritten & { readonly index: number } {
  const doc = parseEditable(text);
  const list: unknown = doc.getIn(path, true);
  const index = isSeq(list) ? list.items.length : 0;
  const expected = withSet(doc.toJS(), [...path, index], value);
  if (!isSeq(list) || index === 0) {
    if (list !== undefined && !isSeq(list) && !(isScalar(list) && list.value === null))
      throw new YamlWriteError(`${pathText(path)} is not a list`);
    // No list yet, or an empty one (`tests: []`): the list is written whole, in block style where it can be.
    return { ...checked(setYamlIn(text, path, [value]).text, [...path, 0], expected), index: 0 };
  }
  let out: string;
  if (list.flow) {
    const last = rangeOf(list.items[index - 1] as Node);
    out = `${text.slice(0, last[1])}, ${yamlText(value, true)}${text.slice(last[1])}`;
  } else {
    // A blank line before the new item when the author separates items with one.
    const blank = (list.items[index - 1] as Node).spaceBefore === true ? '\n' : '';
    const lines = blank + indent(yamlText([value], false), column(text, rangeOf(list)[0]), true);
    out = insertLines(text, contentEnd(list), lines);
  }
  return { ...checked(out, [...path, index], expected), index };
}

/**
 * Where a path ends in the document: the pair holding its node; or the
 * deepest map that exists and the first key missing from it; or a pair
 * whose value is empty (`slots:`) before the path's end, which is replaced
 * by the mappings the rest of the path needs.
 */
interface Found {
  /** The index in the path of the pair's key, or of the missing key. */
  readonly depth: number;
  readonly pair: Pair | null;
  readonly node: Node | null;
  /** The map the pair is in (or the missing key goes into); null for an empty document. */
  readonly parent: YAMLMap | null;
  /** The map is a flow mapping (`{ a: 1 }`): what is written there stays on its line. */
  readonly flow: boolean;
}

function walk(doc: Document, path: NodePath): Found {
  let parent: unknown = doc.contents;
  for (const [depth, segment] of path.entries()) {
    const last = depth === path.length - 1;
    if (isSeq(parent) && typeof segment === 'number' && segment < parent.items.length && !last) {
      parent = parent.items[segment];
      continue;
    }
    if (parent === null && depth === 0) return { depth, pair: null, node: null, parent: null, flow: false };
    if (!isMap(parent) || typeof segment !== 'string')
      throw new YamlWriteError(`${pathText(path.slice(0, depth))} is not a mapping`);
    const flow = parent.flow === true;
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
    if (pair === undefined) return { depth, pair: null, node: null, parent, flow };
    const node = (pair.value ?? null) as Node | null;
    if (last || node === null || (isScalar(node) && node.value === null)) return { depth, pair, node, parent, flow };
    parent = node;
  }
  throw new YamlWriteError('give the path of the node to set');
}

/** `{ a: { b: value } }` for rest `['a', 'b']`; `value` for none. */
function nest(rest: NodePath, value: unknown): unknown {
  return rest.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

/**
 * Replaces `node`, the value of `pair`, keeping its style: a block value
 * stays block, in the old one's column; a value on the key's line stays
 * there. An empty collection or a scalar (`http: []`, `slots:`) becomes a
 * block when the new value is one, with a comment after it kept on the key's line.
 */
function replaceValue(text: string, node: Node, pair: Pair, flow: boolean, value: unknown): string {
  const [start, end] = rangeOf(node);
  const wasBlock = (isMap(node) || isSeq(node)) && node.flow !== true;
  const block = !flow && isBlockValue(value);
  if (wasBlock && block) {
    const written = indent(yamlText(value, false), column(text, start), false);
    return text.slice(0, start) + (text[end - 1] === '\n' ? written : written.trimEnd()) + text.slice(end);
  }
  const key = rangeOf(pair.key as Node);
  const colon = text.indexOf(':', key[1]) + 1;
  // Only spaces (and line breaks) between the colon and the value: the value may move onto or off the key's line.
  const bare = text.slice(colon, start).trim() === '';
  if (block && bare && !text.slice(colon, start).includes('\n')) {
    const lineEnd = endOfLine(text, end);
    const after = text.slice(end, lineEnd).trim();
    const written = indent(yamlText(value, false), column(text, key[0]) + 2, true).trimEnd();
    return `${text.slice(0, colon)}${after ? ` ${after}` : ''}\n${written}${text.slice(lineEnd)}`;
  }
  const inline = yamlText(value, true);
  if ((wasBlock && bare) || start === end)
    return `${text.slice(0, colon)} ${inline}${wasBlock && text[end - 1] === '\n' ? '\n' : ''}${text.slice(wasBlock ? end : colon)}`;
  return text.slice(0, start) + inline + text.slice(end);
}

/** Adds `key: value` at the end of `map` (the document's top level when null). */
function insertPair(text: string, map: YAMLMap | null, key: string, value: unknown): string {
  if (map === null) return insertLines(text, text.length, yamlText({ [key]: value }, false));
  const [start, end] = rangeOf(map);
  if (!map.flow)
    return insertLines(text, contentEnd(map), indent(yamlText({ [key]: value }, false), column(text, start), true));
  const pair = `${yamlText(key, true)}: ${yamlText(value, true)}`;
  const last = map.items.at(-1);
  if (last === undefined) {
    const close = text.lastIndexOf('}', end);
    return `${text.slice(0, text.indexOf('{', start) + 1)} ${pair} ${text.slice(close)}`;
  }
  const after = rangeOf((last.value ?? last.key) as Node)[1];
  return `${text.slice(0, after)}, ${pair}${text.slice(after)}`;
}

/**
 * Where a block collection's last item ends: the end of its last value (a
 * key's, when the value is empty). The collection's own range runs on over
 * the comments and blank lines after it, which belong to what follows.
 */
function contentEnd(node: Node): number {
  const last: unknown = (isMap(node) || isSeq(node)) && node.flow !== true ? node.items.at(-1) : undefined;
  if (last === undefined) return rangeOf(node)[1];
  if (!isPair(last)) return contentEnd(last as Node);
  const value = last.value as Node | null;
  return value !== null && rangeOf(value)[1] > rangeOf(value)[0] ? contentEnd(value) : rangeOf(last.key as Node)[1];
}

/** Inserts block `lines` (ending with a newline) at the end of the line `offset` is in (at `offset` when it starts one). */
function insertLines(text: string, offset: number, lines: string): string {
  if (offset === 0 || text[offset - 1] === '\n') return text.slice(0, offset) + lines + text.slice(offset);
  // The file ends without a line break: it still does after the insertion.
  if (offset === text.length) return `${text}\n${lines.trimEnd()}`;
  const lineEnd = endOfLine(text, offset) + 1;
  return text.slice(0, lineEnd) + lines + text.slice(lineEnd);
}

/** `block` with every line but the empty ones (and the first unless `first`) moved right by `by` spaces. */
function indent(block: string, by: number, first: boolean): string {
  const pad = ' '.repeat(by);
  return block
    .split('\n')
    .map((line, i) => (line === '' || (i === 0 && !first) ? line : pad + line))
    .join('\n');
}

function isBlockValue(value: unknown): boolean {
  return value !== null && typeof value === 'object' && Object.keys(value).length > 0;
}

function column(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function endOfLine(text: string, offset: number): number {
  const at = text.indexOf('\n', offset);
  return at === -1 ? text.length : at;
}

function rangeOf(node: Node): [number, number, number] {
  if (!node.range) throw new YamlWriteError('the node has no position in the text');
  return node.range;
}

function parseEditable(text: string): Document {
  const doc = parseDocument(text, { uniqueKeys: true });
  const first = doc.errors[0];
  if (first) throw new YamlWriteError(`the file is not valid YAML (${first.message.split('\n')[0] ?? ''})`);
  return doc;
}

/** `data` (the document as read) with `path` set to `value`, as the written text must read back. */
function withSet(data: unknown, path: NodePath, value: unknown): unknown {
  const json: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
  if (path.length === 0) return json;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const copy: unknown[] = Array.isArray(data) ? [...data] : [];
    copy[head] = withSet(copy[head], rest, json);
    return copy;
  }
  const base = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  return { ...base, [head]: withSet(base[head], rest, json) };
}

/**
 * The edit reads back as the document with only `path` changed, or it is
 * not made: a splice that broke the file in a way no test foresaw fails
 * here, before anything is written.
 */
function checked(text: string, path: NodePath, expected: unknown): YamlWritten {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0 || !isDeepStrictEqual(doc.toJS(), expected))
    throw new YamlWriteError(`writing ${pathText(path)} would change more of the file than that; edit it by hand`);
  const node = doc.getIn(path, true) as Node | undefined;
  return { text, offset: node?.range?.[0] ?? 0 };
}

function pathText(path: NodePath): string {
  return path.length === 0 ? 'the document' : path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.');
}
