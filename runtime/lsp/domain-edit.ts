/**
 * The edit that lists an action in the Rasa domain (the fix of
 * SW_WARN_ACTION_NOT_IN_DOMAIN): a `- name` line after the last entry of
 * the domain's `actions:` list, in its indentation; a new `actions:` list
 * at the end of the file when the domain has none.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { TextEdit } from 'vscode-languageserver';

/** A domain file's text and the edit to it. */
export interface DomainEdit {
  readonly file: string;
  readonly edit: TextEdit;
}

/**
 * Where to list `action`: in the first file that has an `actions:` list,
 * else at the end of the first file. Null without a domain file.
 */
export function listActionEdit(files: readonly { file: string; text: string }[], action: string): DomainEdit | null {
  for (const { file, text } of files) {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    if (!isMap(doc.contents)) continue;
    const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'actions');
    if (!pair || !isSeq(pair.value) || pair.value.items.length === 0) continue;
    const last = pair.value.items.at(-1) as { range?: [number, number, number] } | undefined;
    const first = pair.value.items[0] as { range?: [number, number, number] } | undefined;
    if (!last?.range || !first?.range) continue;
    // The dash stands two columns before the item's value.
    const dashColumn = Math.max(0, lineCounter.linePos(first.range[0]).col - 3);
    const end = lineCounter.linePos(last.range[1]);
    const position = { line: end.line - 1, character: end.col - 1 };
    return {
      file,
      edit: { range: { start: position, end: position }, newText: `\n${' '.repeat(dashColumn)}- ${action}` },
    };
  }
  const first = files[0];
  if (first === undefined) return null;
  const lines = first.text.split('\n');
  const lastLine = lines.length - 1;
  const end = { line: lastLine, character: lines[lastLine].length };
  const gap = first.text === '' || first.text.endsWith('\n') ? '' : '\n';
  return {
    file: first.file,
    edit: { range: { start: end, end }, newText: `${gap}actions:\n  - ${action}\n` },
  };
}
