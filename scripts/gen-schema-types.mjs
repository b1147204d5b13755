// Generates runtime/config/schema-types.ts from schemas/actions.schema.json, the single
// source of truth of the language. `--check` fails when the committed file is stale (CI).
import { readFile, writeFile } from 'node:fs/promises';
import { compile } from 'json-schema-to-typescript';

const root = new URL('../', import.meta.url);
const target = new URL('runtime/config/schema-types.ts', root);
const schema = JSON.parse(await readFile(new URL('schemas/actions.schema.json', root), 'utf8'));

const banner = '/* Generated from schemas/actions.schema.json by `npm run gen:types`. Do not edit. */';
const source = await compile(schema, 'ActionsFile', {
  bannerComment: banner,
  additionalProperties: false,
  unreachableDefinitions: false,
  strictIndexSignatures: false,
  style: { singleQuote: true, printWidth: 100 },
});

if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== source) {
    console.error('runtime/config/schema-types.ts is stale: run `npm run gen:types` and commit it.');
    process.exit(1);
  }
} else {
  await writeFile(target, source);
  console.log('wrote runtime/config/schema-types.ts');
}
