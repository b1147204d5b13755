/**
 * What the catalogue tests compare: the codes a docs page has a table row
 * for, and the code literals the source holds. A code is `SW_<AREA>_<WHAT>`;
 * a prefix such as `'SW_TOKEN_'` (matched with startsWith) is not one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A docs table row that starts with a code: `| \`SW_…\` | …`. */
const ROW = /^\| `(SW_[A-Z0-9_]+)` \|/gm;
/** A quoted code in TypeScript: `'SW_FILE_READ'`, `"SW_…"`, or a template literal without substitutions. */
const LITERAL = /['"`](SW_[A-Z0-9]+(?:_[A-Z0-9]+)+)['"`]/g;

/** The codes `page` (a path under docs/) has a table row for, in order, repeats kept. */
export function documentedCodes(page: string): string[] {
  return [...readFileSync(join(root, 'docs', page), 'utf8').matchAll(ROW)].map((m) => m[1] ?? '');
}

/** Every docs page (docs/**\/*.md), as paths under docs/. */
export function docsPages(): string[] {
  return (readdirSync(join(root, 'docs'), { recursive: true }) as string[]).filter((p) => p.endsWith('.md')).sort();
}

/** Each code quoted in the `.ts` files under `folder` (a path from the repo root), with the files it is in. */
export function codeLiterals(folder: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const files = (readdirSync(join(root, folder), { recursive: true }) as string[]).filter((p) => p.endsWith('.ts'));
  for (const file of files.sort()) {
    const path = join(folder, file);
    for (const m of readFileSync(join(root, path), 'utf8').matchAll(LITERAL)) {
      const code = m[1] ?? '';
      found.set(code, [...new Set([...(found.get(code) ?? []), path])]);
    }
  }
  return found;
}
