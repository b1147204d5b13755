/**
 * slotwire's diagnostics as LSP diagnostics, and their fixes as code
 * actions. A diagnostic points at one character (1-based line:col, columns
 * in UTF-16 code units as JavaScript counts them, which is what LSP uses by
 * default); its range runs over the word there, or over the name a rename
 * fix replaces.
 */
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { CodeAction, Diagnostic as LspDiagnostic, Range, TextEdit } from 'vscode-languageserver';
import type { Diagnostic, Fix } from '../config/index.js';

/** What an LSP diagnostic carries besides its message, for hover and code actions. */
export interface DiagnosticData {
  readonly hint: string;
  readonly fix?: Fix;
}

/** The LSP diagnostic of a slotwire diagnostic in a file whose text is `text`. */
export function toLspDiagnostic(d: Diagnostic, text: string): LspDiagnostic {
  const data: DiagnosticData = { hint: d.hint, ...(d.fix ? { fix: d.fix } : {}) };
  return {
    range: rangeOf(d, text),
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: 'slotwire',
    message: d.message,
    data,
  };
}

/** The lines of a text, without their line ends. */
function lineOf(text: string, line: number): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', start);
    if (next === -1) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
}

function rangeOf(d: Diagnostic, text: string): Range {
  const line = Math.max(0, d.line - 1);
  const col = Math.max(0, d.col - 1);
  const content = lineOf(text, line);
  if (d.fix?.kind === 'rename') {
    const at = content.indexOf(d.fix.from, col);
    const found = at === -1 ? content.indexOf(d.fix.from) : at;
    if (found !== -1) return { start: { line, character: found }, end: { line, character: found + d.fix.from.length } };
  }
  let end = col;
  if (content[col] === '"' || content[col] === "'") {
    const close = content.indexOf(content[col], col + 1);
    end = close === -1 ? content.length : close + 1;
  } else {
    while (end < content.length && !/[\s:,"'\]}]/.test(content[end])) end++;
  }
  return {
    start: { line, character: col },
    end: { line, character: Math.max(end, Math.min(col + 1, content.length)) },
  };
}

/** The quick fix of an LSP diagnostic of ours in a file, or null when its hint names no single change the file can take. */
export function quickFix(uri: string, text: string, diagnostic: LspDiagnostic): CodeAction | null {
  const data = diagnostic.data as DiagnosticData | undefined;
  const fix = data?.fix;
  if (fix === undefined) return null;
  let edit: TextEdit;
  let title: string;
  if (fix.kind === 'rename') {
    edit = { range: diagnostic.range, newText: fix.to };
    title = `Change to "${fix.to}"`;
  } else if (fix.kind === 'quote') {
    const { line, character } = diagnostic.range.start;
    const content = lineOf(text, line);
    const value = content.slice(character).trimEnd();
    edit = {
      range: { start: { line, character }, end: { line, character: character + value.length } },
      newText: quoted(value),
    };
    title = 'Quote the value';
  } else return null;
  return {
    title,
    kind: 'quickfix',
    diagnostics: [diagnostic],
    isPreferred: true,
    edit: { changes: { [uri]: [edit] } },
  };
}

/** A YAML scalar of `value` as written: double quotes, or single quotes when it holds a double quote. */
export function quoted(value: string): string {
  if (!value.includes('"')) return `"${value.replace(/\\/g, '\\\\')}"`;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
