/**
 * Go to definition in an actions file: a `connection:` to the connection's
 * declaration, a slot (`slots.x` in `{{ }}`, a key under `slots:`) to its
 * declaration in the domain, an action's name to its test cases.
 */
import { pathToFileURL } from 'node:url';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Location, Position } from 'vscode-languageserver';
import { locate, positionAt } from '../config/index.js';
import type { SourceFile } from '../config/index.js';
import { cursorAt, dottedNameAt } from './cursor.js';
import { testCasesOf } from './view.js';
import type { FileView } from './view.js';

/** The definitions of what is under the cursor; empty when it names nothing declared. */
export function definition(view: FileView, at: Position, readFile: (file: string) => string | null): Location[] {
  const line = view.text.split('\n')[at.line] ?? '';
  const cursor = cursorAt(view.text, at.line, at.character);
  const connection = /^\s*(?:-\s+)?connection:\s*["']?([\w.-]+)/.exec(line);
  if (connection && view.source) {
    const found = locate(view.source, ['connections', connection[1]]);
    return found.key ? [locationOf(view.source, view.uri, found.key.range?.[0] ?? 0)] : [];
  }
  const word = dottedNameAt(line, at.character);
  const names = word?.name.split('.') ?? [];
  const key = /^\s*([\w.-]+)\s*:/.exec(line)?.[1];
  const slot =
    cursor.expression !== null && names[0] === 'slots' && names.length === 2
      ? names[1]
      : cursor.path.at(-1) === 'slots' && cursor.path[0] === 'actions' && key !== undefined && word?.name === key
        ? key
        : null;
  if (slot !== null) return slotDeclarations(view, slot, readFile);
  // An action's own key: `  name:` right under `actions:`.
  if (cursor.path.length === 1 && cursor.path[0] === 'actions' && key !== undefined && word?.name === key)
    return testCasesFor(view, key);
  return [];
}

function locationOf(source: SourceFile, uri: string, offset: number): Location {
  const { line, col } = positionAt(source, offset);
  const position = { line: line - 1, character: col - 1 };
  return { uri, range: { start: position, end: position } };
}

/** Where the domain files declare `slot` under `slots:`. */
function slotDeclarations(view: FileView, slot: string, readFile: (file: string) => string | null): Location[] {
  const out: Location[] = [];
  for (const file of view.domain?.files ?? []) {
    const text = readFile(file);
    if (text === null) continue;
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    if (!isMap(doc.contents)) continue;
    const slots = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'slots')?.value;
    if (!isMap(slots)) continue;
    const pair = slots.items.find((p) => isScalar(p.key) && p.key.value === slot);
    const offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
    if (offset === undefined) continue;
    const { line, col } = lineCounter.linePos(offset);
    const position = { line: line - 1, character: col - 1 };
    out.push({ uri: pathToFileURL(file).href, range: { start: position, end: position } });
  }
  return out;
}

/** The test cases of the test file that run `action`. */
function testCasesFor(view: FileView, action: string): Location[] {
  const source = view.tests?.source;
  if (!source) return [];
  const uri = pathToFileURL(view.testFile).href;
  return testCasesOf(view).flatMap((c, i) => {
    if (c['action'] !== action) return [];
    const found = locate(source, ['tests', i]);
    return found.node ? [locationOf(source, uri, found.node.range?.[0] ?? 0)] : [];
  });
}
