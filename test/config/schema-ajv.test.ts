// The actions schema's validator generated at build time (into dist/) judges
// every file as the one ajv compiles at run time from the same set-up:
// serve checks a valid file with it alone (runtime/config/schema.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { schemaAjv } from '../../runtime/config/schema-ajv.js';

const root = new URL('../../', import.meta.url);
const under = (dir: string): string[] =>
  readdirSync(new URL(dir, root))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => `${dir}${f}`);
const files = [
  ...under('test/cases/good/'),
  ...under('test/cases/broken/'),
  'actions.yml',
  ...readdirSync(new URL('examples/', root), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => under(`examples/${d.name}/`).filter((f) => f.endsWith('/actions.yml'))),
];
/** Each file's document, when it parses as YAML at all. */
const documents = files.flatMap((file) => {
  try {
    return [[file, parse(readFileSync(new URL(file, root), 'utf8')) as unknown] as const];
  } catch {
    return [];
  }
});

describe('the validator generated at build time', () => {
  const generated = createRequire(import.meta.url)(
    fileURLToPath(new URL('dist/config/actions-schema-validator.cjs', root)),
  ) as (data: unknown) => boolean;
  const compiled = schemaAjv().compile(JSON.parse(readFileSync(new URL('schemas/actions.schema.json', root), 'utf8')));

  it('has valid and invalid files to judge', () => {
    expect(documents.filter(([, data]) => compiled(data)).length).toBeGreaterThan(5);
    expect(documents.filter(([, data]) => !compiled(data)).length).toBeGreaterThan(20);
  });

  it.each(documents)('judges %s as ajv compiled at run time does', (_file, data) => {
    expect(generated(data)).toBe(compiled(data));
  });
});
