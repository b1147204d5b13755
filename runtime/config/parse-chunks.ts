/**
 * Parsing an actions file again after an edit without parsing all of it:
 * an editor checks a 1 000-action file at each keystroke, and the YAML
 * parse alone of such a file takes longer than the check may. The file is
 * cut where each action's key starts (`  name:` at the actions' indentation
 * under a top-level `actions:`); each piece is parsed on its own and kept,
 * by its text, and the pieces are put together under the head of the file.
 *
 * Only a file of that plain shape, whose every piece parses without an
 * error, is put together so; anything else (an error anywhere, a top-level
 * key after `actions:`, a duplicate action, flow style) returns null and is
 * parsed whole, so its diagnostics are exactly those of a whole parse.
 */
import { isMap, isScalar, LineCounter, parseDocument, visit, YAMLMap } from 'yaml';
import type { Document, DocumentOptions, Node, ParseOptions, Pair, SchemaOptions } from 'yaml';

/** The parsed pieces of one file, kept between its parses. */
export interface ParseCache {
  /** A piece's text → its action's key and value, and the offset its nodes' ranges are at now. */
  pieces: Map<string, { readonly pair: Pair<Node, Node | null>; base: number }>;
}

/** An empty cache. Nodes are shared with the documents parsed through it: each is valid until the next parse. */
export function createParseCache(): ParseCache {
  return { pieces: new Map() };
}

type Options = ParseOptions & DocumentOptions & SchemaOptions;

const ACTIONS_LINE = /^actions:[ \t]*(?:#.*)?$/;

/** The document of `text` put together from its pieces, with a line counter of the whole text; null to parse it whole. */
export function parseInPieces(
  text: string,
  cache: ParseCache,
  options: Options,
): { doc: Document.Parsed; lineCounter: LineCounter } | null {
  const cut = cutIntoPieces(text);
  if (cut === null) return null;
  const head = parseDocument(text.slice(0, cut.starts[0]), options);
  if (head.errors.length > 0 || !isMap(head.contents)) return null;
  const actions = head.contents.items.find((p) => isScalar(p.key) && p.key.value === 'actions');
  if (actions === undefined || (actions.value !== null && !(isScalar(actions.value) && actions.value.value === null)))
    return null;
  const used = new Map<string, { readonly pair: Pair<Node, Node | null>; base: number }>();
  const names = new Set<string>();
  const pairs: Pair<Node, Node | null>[] = [];
  for (let i = 0; i < cut.starts.length; i++) {
    const start = cut.starts[i];
    const piece = text.slice(start, cut.starts[i + 1] ?? text.length);
    // The same text twice is the same action name twice: the whole parse reports it.
    if (used.has(piece)) return null;
    let kept = cache.pieces.get(piece);
    if (kept === undefined) {
      const doc = parseDocument(piece, options);
      if (doc.errors.length > 0 || !isMap(doc.contents) || doc.contents.flow || doc.contents.items.length !== 1)
        return null;
      kept = { pair: doc.contents.items[0], base: 0 };
    }
    const name = isScalar(kept.pair.key) ? String(kept.pair.key.value) : null;
    if (name === null || names.has(name)) return null;
    names.add(name);
    if (kept.base !== start) shift(kept.pair, start - kept.base);
    kept.base = start;
    used.set(piece, kept);
    pairs.push(kept.pair);
  }
  cache.pieces = used;
  const map = new YAMLMap<Node, Node | null>(head.schema);
  map.items = pairs;
  const first = pairs[0].key.range?.[0] ?? cut.starts[0];
  map.range = [first, text.length, text.length];
  // The pieces were parsed, as the whole would have been: their nodes carry ranges, as parsed nodes do.
  actions.value = map as unknown as typeof actions.value;
  head.range = [0, text.length, text.length];
  head.contents.range = [head.contents.range?.[0] ?? 0, text.length, text.length];
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lineCounter.addNewLine(at + 1);
  return { doc: head, lineCounter };
}

/** Where each action's piece starts; null when the file is not of the plain shape. */
function cutIntoPieces(text: string): { starts: number[] } | null {
  const starts: number[] = [];
  let offset = 0;
  let inActions = false;
  let indent = -1;
  for (const line of text.split('\n')) {
    const at = offset;
    offset += line.length + 1;
    const content = line.trimStart();
    if (line.includes('\t') || line.startsWith('---') || line.startsWith('...')) return null;
    if (content === '' || content.startsWith('#')) continue;
    const lineIndent = line.length - content.length;
    if (!inActions) {
      if (ACTIONS_LINE.test(line)) inActions = true;
      continue;
    }
    // A top-level key after the actions: the whole parse puts it in its place.
    if (lineIndent === 0) return null;
    if (indent === -1) indent = lineIndent;
    if (lineIndent < indent) return null;
    if (lineIndent === indent) {
      if (/^[-{[?&*!|>]/.test(content)) return null;
      starts.push(at);
    }
  }
  return starts.length === 0 ? null : { starts };
}

/** Moves every range of a node by `delta` characters. */
function shift(pair: Pair<Node, Node | null>, delta: number): void {
  const move = (node: { range?: [number, number, number] | null }) => {
    if (node.range) node.range = [node.range[0] + delta, node.range[1] + delta, node.range[2] + delta];
  };
  move(pair.key);
  if (pair.value === null) return;
  visit(pair.value, {
    Node(_key, node) {
      move(node);
    },
  });
}
