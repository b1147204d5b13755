/**
 * Completion in an actions file: the keys the schema allows at the cursor,
 * domain slots after `slots.` in `{{ }}` and as keys under `slots:`,
 * connection names after `connection:`, JSONata's functions after `$`,
 * the answer's fields after `response.body.` and step names after `steps.`.
 */
import { CompletionItemKind, InsertTextFormat } from 'vscode-languageserver';
import type { CompletionItem, Position } from 'vscode-languageserver';
import { responseFieldsOf } from '../engine/index.js';
import { cursorAt } from './cursor.js';
import { jsonataFunctions } from './jsonata-functions.js';
import { enumAt, keysAt } from './schema-keys.js';
import { actionsOf, namesUnder, stepNamesOf } from './view.js';
import type { FileView } from './view.js';

/** Root names an expression reads (docs/actions-yml.md#what-expressions-can-read). */
const roots = [
  'slots',
  'response',
  'steps',
  'error',
  'value',
  'tracker',
  'message',
  'entities',
  'sender_id',
  'action',
  'domain',
];

/** The completion items at a position. */
export function complete(view: FileView, at: Position): CompletionItem[] {
  const cursor = cursorAt(view.text, at.line, at.character);
  const action = cursor.path[0] === 'actions' && typeof cursor.path[1] === 'string' ? cursor.path[1] : null;
  if (cursor.expression !== null) return inExpression(view, cursor.expression, action, at);
  if (cursor.place === 'value') {
    const key = cursor.path.at(-1);
    if (key === 'connection')
      return namesUnder(view, 'connections').map((name) => item(name, CompletionItemKind.Reference));
    return enumAt(cursor.path).map((value) => item(value, CompletionItemKind.EnumMember));
  }
  // Slots an action sets are keys of its `slots:` (and of on_error's): the domain says which exist.
  if (action !== null && cursor.path.at(-1) === 'slots' && cursor.path.length <= 4) return slotItems(view, ': ');
  return keysAt(cursor.path).map((key) => ({
    label: key.name,
    kind: CompletionItemKind.Property,
    insertText: `${key.name}: `,
    ...(key.description ? { documentation: key.description } : {}),
  }));
}

function inExpression(view: FileView, expression: string, action: string | null, at: Position): CompletionItem[] {
  const fn = /\$([A-Za-z0-9_]*)$/.exec(expression);
  if (fn) {
    // The `$` stays: an item replaces the name typed after it.
    const start = { line: at.line, character: at.character - fn[1].length };
    return Object.entries(jsonataFunctions).map(([name, f]) => ({
      label: `$${name}`,
      kind: CompletionItemKind.Function,
      detail: f.signature,
      documentation: f.meaning,
      filterText: name,
      textEdit: { range: { start, end: at }, newText: `${name}($1)` },
      insertTextFormat: InsertTextFormat.Snippet,
    }));
  }
  if (/(?:^|[^\w.$])slots\.\w*$/.test(expression)) return slotItems(view, '');
  if (/(?:^|[^\w.$])steps\.\w*$/.test(expression))
    return stepNamesOf(action === null ? undefined : actionsOf(view)[action]).map((name) =>
      item(name, CompletionItemKind.Reference),
    );
  const body = /(?:^|[^\w.$])response\.body\.((?:\w+\.)*)\w*$/.exec(expression);
  if (body && action !== null) {
    const a = actionsOf(view)[action];
    const names = body[1].split('.').filter((n) => n !== '');
    const found = a ? responseFieldsOf(view.file, action, a, view.readText, names) : null;
    return (found?.fields ?? []).map((f) => ({
      label: f.name,
      kind: CompletionItemKind.Field,
      detail: f.types === null ? undefined : f.types.join(' | '),
      documentation: `from ${found?.source}`,
    }));
  }
  if (/(?:^|[^\w.$])\w*$/.test(expression)) return roots.map((name) => item(name, CompletionItemKind.Variable));
  return [];
}

/** The domain's slots, with their types; without a domain, the slots the file's actions set. */
function slotItems(view: FileView, suffix: string): CompletionItem[] {
  if (view.domain !== null)
    return [...view.domain.slots].map(([name, slot]) => ({
      label: name,
      kind: CompletionItemKind.Variable,
      detail: slot.type,
      ...(suffix ? { insertText: `${name}${suffix}` } : {}),
    }));
  const set = new Set<string>();
  for (const a of Object.values(actionsOf(view))) {
    for (const name of Object.keys((a as { slots?: object } | null)?.slots ?? {})) set.add(name);
    for (const name of Object.keys(a?.on_error?.slots ?? {})) set.add(name);
  }
  return [...set].map((name) => ({
    label: name,
    kind: CompletionItemKind.Variable,
    ...(suffix ? { insertText: `${name}${suffix}` } : {}),
  }));
}

function item(label: string, kind: CompletionItemKind): CompletionItem {
  return { label, kind };
}
