/**
 * Reads YAML text into a document that keeps source positions. Problems are
 * collected, never thrown (STYLE.md, config/), so one run shows them all.
 */
import { LineCounter, parseDocument, visit } from 'yaml';
import { diagnostic } from './diagnostics.js';
import type { Diagnostic, DiagnosticCode } from './diagnostics.js';
import { positionAt, positionOfNode } from './source.js';
import type { SourceFile } from './source.js';

/** The yaml library's error codes that have a more precise code of ours. */
const yamlCodes: Partial<Record<string, DiagnosticCode>> = {
  DUPLICATE_KEY: 'SW_YAML_DUPLICATE_KEY',
  TAB_AS_INDENT: 'SW_YAML_TAB_INDENT',
};

/** Parses `text`; the source is usable for positions even when there are errors. */
export function parseYaml(file: string, text: string): { source: SourceFile; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  // uniqueKeys: a duplicate key is an error, not a silent overwrite. The core
  // schema keeps `yes`/`no` as strings and `<<` as a plain key (YAML 1.2).
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, strict: true, prettyErrors: false, keepSourceTokens: false });
  const source: SourceFile = { file, text, lineCounter, doc };
  const diagnostics: Diagnostic[] = [];

  // A syntax error (a tab among them) cascades into many; the first one is the one to fix.
  let syntaxReported = false;
  for (const err of doc.errors) {
    const code = yamlCodes[err.code] ?? 'SW_YAML_SYNTAX';
    if (code === 'SW_YAML_DUPLICATE_KEY') {
      diagnostics.push(diagnostic(code, positionAt(source, err.pos[0]), [keyAt(text, err.pos[0])]));
      continue;
    }
    if (syntaxReported) continue;
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
    diagnostics.push(diagnostic(code, positionAt(source, syntaxOffset(text, err)), [firstLine(err.message)]));
  }
  // Aliases are refused outright: they defeat positions (an error inside one
  // would point at the anchor) and are the vector of "billion laughs" files.
  visit(doc, {
    Alias(_key, node) {
      diagnostics.push(diagnostic('SW_YAML_ALIAS', positionOfNode(source, node)));
    },
  });
  if (diagnostics.length === 0 && (doc.contents === null || text.trim() === '')) {
    diagnostics.push(diagnostic('SW_YAML_EMPTY', positionAt(source, 0)));
  }
  return { source, diagnostics };
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
