/**
 * Human output of a diagnostic: `file:line:col: severity CODE message`, the
 * source line with a caret under the column, and the hint.
 */
import type { Diagnostic } from './diagnostics.js';

/** Formats one diagnostic; `text` is the file's content, for the code frame. */
export function formatDiagnostic(d: Diagnostic, text: string | null): string {
  const head = `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${d.message}`;
  const lines = [head];
  const sourceLine = text?.split(/\r?\n/)[d.line - 1];
  if (sourceLine !== undefined) {
    const gutter = String(d.line);
    lines.push(`  ${gutter} | ${sourceLine}`);
    lines.push(`  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, d.col - 1))}^`);
  }
  lines.push(`  hint: ${d.hint}`);
  return lines.join('\n');
}
