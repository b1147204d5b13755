/**
 * Reads YAML text into a document that keeps source positions. Problems are
 * collected, never thrown, so one run shows them all.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node, Scalar, YAMLMap } from 'yaml';
import { diagnostic } from './diagnostics.js';
import { parseInPieces } from './parse-chunks.js';
import type { ParseCache } from './parse-chunks.js';
import type { Diagnostic, DiagnosticCode } from './diagnostics.js';
import { positionAt } from './source.js';
import type { SourceFile } from './source.js';

/** The yaml library's error codes that have a more precise code of ours. */
const yamlCodes: Partial<Record<string, DiagnosticCode>> = {
  DUPLICATE_KEY: 'SW_YAML_DUPLICATE_KEY',
  TAB_AS_INDENT: 'SW_YAML_TAB_INDENT',
};

/**
 * Parses `text`; the source is usable for positions even when there are
 * errors. With a `cache` (an editor's, for one file) only the actions that
 * changed since the last parse are parsed again (parse-chunks.ts).
 */
export function parseYaml(
  file: string,
  text: string,
  cache?: ParseCache,
): { source: SourceFile; diagnostics: Diagnostic[] } {
  // A duplicate key is an error, not a silent overwrite, but the yaml
  // library's own check (uniqueKeys) compares each key with every earlier
  // key of its mapping: half a million comparisons for a 1 000-action file,
  // and a mapping of 20 000 keys took 2 s instead of 0.2. walkDocument()
  // finds them in one pass. The core schema keeps `yes`/`no` as strings and
  // `<<` as a plain key (YAML 1.2).
  const options = { uniqueKeys: false, strict: true, prettyErrors: false, keepSourceTokens: false };
  const pieces = cache ? parseInPieces(text, cache, options) : null;
  const lineCounter = pieces?.lineCounter ?? new LineCounter();
  const doc = pieces?.doc ?? parseDocument(text, { lineCounter, ...options });
  const source: SourceFile = { file, text, lineCounter, doc };
  const diagnostics: Diagnostic[] = [];

  const found = walkDocument(source);
  // `key: {{ expr }}` parses as a flow mapping inside a flow mapping; text after
  // it (`{{ x }} degrees`) is then a syntax error on the same line, which this explains.
  const unquoted = found.unquoted;
  diagnostics.push(
    ...unquoted.map((offset) =>
      diagnostic('SW_YAML_UNQUOTED_EXPR', positionAt(source, offset), [], [], { kind: 'quote' }),
    ),
  );
  const unquotedLines = new Set(unquoted.map((offset) => positionAt(source, offset).line));

  // A syntax error (a tab among them) cascades into many; the first one is the one to fix.
  let syntaxReported = false;
  for (const err of withDuplicateKeys(doc.errors, found.duplicateKeys)) {
    const code = yamlCodes[err.code] ?? 'SW_YAML_SYNTAX';
    if (code === 'SW_YAML_DUPLICATE_KEY') {
      diagnostics.push(diagnostic(code, positionAt(source, err.pos[0]), [keyAt(text, err.pos[0])]));
      continue;
    }
    if (syntaxReported || unquotedLines.has(positionAt(source, err.pos[0]).line)) continue;
    syntaxReported = true;
    if (code === 'SW_YAML_TAB_INDENT') {
      diagnostics.push(diagnostic(code, positionAt(source, err.pos[0])));
      continue;
    }
    const at = positionAt(source, err.pos[0]);
    const line = text.split('\n')[at.line - 1] ?? '';
    // `{ token: ${X} }`: the `}` of ${X} ends the flow mapping; point at the `$`.
    const envAt = line.lastIndexOf('${', at.col - 1);
    if (envAt !== -1 && /\{[^}]*:\s*\$\{/.test(line)) {
      diagnostics.push(diagnostic('SW_YAML_UNQUOTED_ENV', { ...at, col: envAt + 1 }));
      continue;
    }
    const bracket = unclosedBracket(text, err);
    if (bracket) {
      diagnostics.push(
        diagnostic('SW_YAML_UNCLOSED_BRACKET', positionAt(source, bracket.offset), [bracket.open, bracket.close]),
      );
      continue;
    }
    diagnostics.push(diagnostic(code, positionAt(source, syntaxOffset(text, err)), [firstLine(err.message)]));
  }
  // Aliases are refused outright: they defeat positions (an error inside one
  // would point at the anchor) and are the vector of "billion laughs" files.
  // The two kinds are reported in document order, as the walk met them.
  for (const { code, offset } of found.aliasesAndComments)
    diagnostics.push(diagnostic(code, positionAt(source, offset)));
  if (diagnostics.length === 0 && (doc.contents === null || text.trim() === '')) {
    diagnostics.push(diagnostic('SW_YAML_EMPTY', positionAt(source, 0)));
  }
  return { source, diagnostics };
}

/** A problem as the yaml library reports it: its code, message and offsets. */
interface YamlProblem {
  readonly code: string;
  readonly message: string;
  readonly pos: [number, number];
}

/** What one walk over a parsed document finds for {@link parseYaml}. */
interface Walked {
  /** Offsets of every outermost unquoted `{{` flow mapping. */
  readonly unquoted: number[];
  /** Every key that repeats an earlier key of its mapping, by offset. */
  readonly duplicateKeys: YamlProblem[];
  /** Every alias, and every `#` of a comment with `{{` on a scalar's line, in document order. */
  readonly aliasesAndComments: { code: 'SW_YAML_ALIAS' | 'SW_WARN_COMMENT_EXPR'; offset: number }[];
}

/**
 * One walk over every node, in document order (a pair's key before its
 * value), for all that parseYaml looks for. The yaml library's visit()
 * would do, but it copies the path for every node it passes: two visits
 * and a walk of a 1 000-action file cost more than the rest of the checks.
 */
function walkDocument(source: SourceFile): Walked {
  const found: Walked = { unquoted: [], duplicateKeys: [], aliasesAndComments: [] };
  const { text } = source;
  const walk = (node: unknown, inUnquoted: boolean): void => {
    if (isMap(node)) {
      const at = node.range?.[0];
      // `{{` starts an expression, never a flow mapping; only the outermost is reported.
      const unquoted = !inUnquoted && node.flow === true && at !== undefined && text.startsWith('{{', at);
      if (unquoted) found.unquoted.push(at);
      checkKeys(node, found.duplicateKeys);
      for (const pair of node.items) {
        walk(pair.key, inUnquoted || unquoted);
        walk(pair.value, inUnquoted || unquoted);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item, inUnquoted);
    } else if (isScalar(node)) {
      const hash = commentedExpression(text, node);
      if (hash !== null) found.aliasesAndComments.push({ code: 'SW_WARN_COMMENT_EXPR', offset: hash });
    } else if (isAlias(node)) found.aliasesAndComments.push({ code: 'SW_YAML_ALIAS', offset: node.range?.[0] ?? 0 });
  };
  walk(source.doc.contents, false);
  // A mapping's keys are checked before the mappings nested in its values: document order is offset order.
  found.duplicateKeys.sort((a, b) => a.pos[0] - b.pos[0]);
  return found;
}

/**
 * The keys of `map` that repeat an earlier key, as the yaml library's
 * uniqueKeys would report them: scalar keys equal by `===` of their values
 * (so `1` and `"1"` differ, and NaN never repeats), missing keys equal to
 * each other, collection keys never equal.
 */
function checkKeys(map: YAMLMap, found: YamlProblem[]): void {
  const seen = new Set<unknown>();
  for (const { key } of map.items) {
    if (key !== null && !isScalar(key)) continue;
    const value = key === null ? MISSING_KEY : key.value;
    if (Number.isNaN(value)) continue;
    if (!seen.has(value)) {
      seen.add(value);
      continue;
    }
    const at = (key as Node | null)?.range?.[0] ?? map.range?.[0] ?? 0;
    found.push({ code: 'DUPLICATE_KEY', message: 'Map keys must be unique', pos: [at, at + 1] });
  }
}

/** Stands for a pair's missing key among a mapping's key values. */
const MISSING_KEY = Symbol('missing key');

/** The parse's errors with the duplicate keys merged in by offset, the parse's own order kept. */
function withDuplicateKeys(errors: readonly YamlProblem[], duplicates: readonly YamlProblem[]): readonly YamlProblem[] {
  if (duplicates.length === 0) return errors;
  const merged: YamlProblem[] = [];
  let next = 0;
  for (const err of errors) {
    while (next < duplicates.length && duplicates[next].pos[0] < err.pos[0]) merged.push(duplicates[next++]);
    merged.push(err);
  }
  return [...merged, ...duplicates.slice(next)];
}

/**
 * The offset of the ` #` that starts a comment on the same line as a value
 * when the comment holds `{{`: `text: Order #{{ slots.id }}`
 * sends "Order". Null when there is none.
 */
function commentedExpression(text: string, node: Scalar): number | null {
  const [, valueEnd, nodeEnd] = node.range ?? [0, 0, 0];
  if (!node.comment?.includes('{{')) return null;
  const hash = text.indexOf('#', valueEnd);
  if (hash === -1 || hash >= nodeEnd || text.slice(valueEnd, hash).includes('\n')) return null;
  return hash;
}

/**
 * An unclosed `[` or `{` is reported where the parser gives up, often lines
 * later or past the end of the file; the fix goes where it was opened: the
 * last bracket of that kind before the error that nothing closed. Brackets
 * inside quotes and comments are skipped.
 */
function unclosedBracket(
  text: string,
  err: { message: string; pos: [number, number] },
): { offset: number; open: string; close: string } | null {
  const close = /end with (?:an? )?([\]}])/.exec(err.message)?.[1];
  if (close === undefined) return null;
  const open = close === ']' ? '[' : '{';
  const stack: { char: string; offset: number }[] = [];
  let quote: string | null = null;
  for (let i = 0; i < Math.min(err.pos[0], text.length); i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote || c === '\n') quote = null;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? text.length : eol;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1]))) {
      quote = c;
    } else if (c === '[' || c === '{') {
      stack.push({ char: c, offset: i });
    } else if (c === ']' || c === '}') {
      const top = stack.findLastIndex((b) => b.char === (c === ']' ? '[' : '{'));
      if (top !== -1) stack.splice(top, 1);
    }
  }
  const opened = stack.findLast((b) => b.char === open);
  return opened ? { offset: opened.offset, open, close } : null;
}

/**
 * Where to point for a syntax error. An unclosed quote is reported at the end
 * of the file; the opening quote is where the fix goes.
 */
function syntaxOffset(text: string, err: { code: string; message: string; pos: [number, number] }): number {
  const quote = /Missing closing (["'])quote/.exec(err.message)?.[1];
  if (err.code === 'MISSING_CHAR' && quote) {
    const open = text.lastIndexOf(quote, err.pos[0] - 1);
    if (open !== -1) return open;
  }
  return err.pos[0];
}

/** The yaml library's messages repeat the position and a code frame; keep the sentence. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/** The key text at an offset, for the duplicate-key message. */
function keyAt(text: string, offset: number): string {
  const match = /^["']?([^:"'\n]*)/.exec(text.slice(offset));
  return (match?.[1] ?? '').trim();
}
