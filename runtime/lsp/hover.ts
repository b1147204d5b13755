/**
 * Hover in an actions file: a JSONata function's signature and meaning, a
 * domain slot's type and mappings, an answer field's type and its values
 * in the fixtures, and the hint of a diagnostic under the cursor.
 */
import type { Diagnostic, Hover, Position } from 'vscode-languageserver';
import { responseFieldsOf } from '../engine/index.js';
import { cursorAt, dottedNameAt } from './cursor.js';
import type { DiagnosticData } from './diagnostics.js';
import { jsonataFunctions } from './jsonata-functions.js';
import { actionsOf, testCasesOf } from './view.js';
import type { FileView } from './view.js';

/** Most fixture values a hover shows. */
const VALUES_SHOWN = 3;

/** The hover at a position; null when there is nothing to say. */
export function hover(view: FileView, at: Position, diagnostics: readonly Diagnostic[]): Hover | null {
  const parts: string[] = [];
  const line = view.text.split('\n')[at.line] ?? '';
  const cursor = cursorAt(view.text, at.line, at.character);
  const action = cursor.path[0] === 'actions' && typeof cursor.path[1] === 'string' ? cursor.path[1] : null;
  const word = dottedNameAt(line, at.character);
  if (word !== null) {
    // Only the names up to the one under the cursor: hovering `body` of `response.body.name` is about `body`.
    const dot = word.name.indexOf('.', at.character - word.start);
    const names = (dot === -1 ? word.name : word.name.slice(0, dot)).split('.');
    const fn = /^\$(\w+)$/.exec(names.at(-1) ?? '');
    if (fn && jsonataFunctions[fn[1]]) {
      const f = jsonataFunctions[fn[1]];
      parts.push(`\`${f.signature}\`\n\n${f.meaning}`);
    } else if (names.length === 2 && names[0] === 'slots') parts.push(...slotHover(view, names[1]));
    else if (names[0] === 'response' && names[1] === 'body' && names.length > 2 && action !== null)
      parts.push(...fieldHover(view, action, names.slice(2)));
  }
  // A key under an action's `slots:` is a slot too.
  const key = /^\s*([\w.-]+)\s*:/.exec(line);
  if (
    key &&
    action !== null &&
    cursor.path.at(-1) === 'slots' &&
    at.character <= line.indexOf(key[1]) + key[1].length &&
    at.character >= line.indexOf(key[1])
  )
    parts.push(...slotHover(view, key[1]));
  for (const d of diagnostics) {
    if (!contains(d, at)) continue;
    const data = d.data as DiagnosticData | undefined;
    if (data?.hint) parts.push(`**${String(d.code)}**: ${data.hint}`);
  }
  return parts.length === 0 ? null : { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') } };
}

function slotHover(view: FileView, name: string): string[] {
  const slot = view.domain?.slots.get(name);
  if (slot === undefined) return [];
  const values = slot.type === 'categorical' ? ` (${slot.values.map((v) => JSON.stringify(v)).join(', ')})` : '';
  const mappings =
    slot.mappings === null
      ? 'no mappings declared'
      : `mappings: ${slot.mappings.map((m) => m || '(no type)').join(', ') || 'none'}`;
  return [`slot \`${name}\`: ${slot.type}${values}; ${mappings}`];
}

function fieldHover(view: FileView, action: string, names: readonly string[]): string[] {
  const a = actionsOf(view)[action];
  if (a === undefined) return [];
  const parent = responseFieldsOf(view.file, action, a, view.readText, names.slice(0, -1));
  const field = parent?.fields.find((f) => f.name === names.at(-1));
  const out: string[] = [];
  if (field && parent)
    out.push(
      `\`response.body.${names.join('.')}\`: ${field.types === null ? 'any' : field.types.join(' | ')} (from ${parent.source})`,
    );
  const values = fixtureValues(view, action, names);
  if (values.length > 0)
    out.push(
      `In the fixtures: ${values
        .slice(0, VALUES_SHOWN)
        .map((v) => `\`${JSON.stringify(v)}\``)
        .join(', ')}`,
    );
  return out;
}

/** The values the test cases' fixtures answer at a path of the body, as JSONata would read it (lists mapped over). */
function fixtureValues(view: FileView, action: string, names: readonly string[]): unknown[] {
  const out: unknown[] = [];
  for (const c of testCasesOf(view)) {
    if (c['action'] !== action || !Array.isArray(c['http'])) continue;
    for (const fixture of c['http'] as { reply?: { json?: unknown } }[]) {
      let values: unknown[] = fixture?.reply && 'json' in fixture.reply ? [fixture.reply.json] : [];
      for (const name of names)
        values = values
          .flatMap((v) => (Array.isArray(v) ? v : [v]))
          .map((v) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[name] : undefined))
          .filter((v) => v !== undefined);
      out.push(...values);
    }
  }
  return out;
}

function contains(d: Diagnostic, at: Position): boolean {
  const { start, end } = d.range;
  if (at.line < start.line || at.line > end.line) return false;
  if (at.line === start.line && at.character < start.character) return false;
  return !(at.line === end.line && at.character > end.character);
}
