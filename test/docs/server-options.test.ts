// docs/server.md's table of createApp's options names every option AppOptions
// declares (runtime/server/app.ts), and nothing else, so a new option gets its row.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The option names of `export interface AppOptions { … }`. */
function declaredOptions(): string[] {
  const source = readFileSync(join(root, 'runtime/server/app.ts'), 'utf8');
  const body = /export interface AppOptions \{([\s\S]*?)\n\}/.exec(source)?.[1] ?? '';
  return [...body.matchAll(/^\s+readonly (\w+)\??:/gm)].map((m) => m[1]);
}

/** The first cell of each row of the table under "## Options (`createApp(options)`)": `cors: string[]` → cors. */
function documentedOptions(): string[] {
  const doc = readFileSync(join(root, 'docs/server.md'), 'utf8');
  const section = doc.split('## Options (`createApp(options)`)')[1]?.split('\n\n')[1] ?? '';
  return section
    .split('\n')
    .slice(2)
    .map((row) => /^\| `(\w+)/.exec(row)?.[1] ?? row);
}

describe('docs/server.md, createApp options', () => {
  it('has a row for every option of AppOptions, and none for another', () => {
    const declared = declaredOptions();
    expect(declared.length).toBeGreaterThan(10);
    expect(documentedOptions().sort()).toEqual([...declared].sort());
  });
});
