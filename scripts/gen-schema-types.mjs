// Generates TypeScript types from the JSON Schemas, the single source of truth
// of each file format. `--check` fails when a committed file is stale (a test runs it).
import { readFile, writeFile } from 'node:fs/promises';
import { compile } from 'json-schema-to-typescript';

const root = new URL('../', import.meta.url);
const targets = [
  { schema: 'schemas/actions.schema.json', out: 'runtime/config/schema-types.ts', name: 'ActionsFile' },
  { schema: 'schemas/actions-test.schema.json', out: 'runtime/config/test-schema-types.ts', name: 'TestFile' },
];

let stale = false;
for (const t of targets) {
  const schema = JSON.parse(await readFile(new URL(t.schema, root), 'utf8'));
  const source = await compile(schema, t.name, {
    bannerComment: `/* Generated from ${t.schema} by \`npm run gen:types\`. Do not edit. */`,
    additionalProperties: false,
    unreachableDefinitions: false,
    strictIndexSignatures: false,
    style: { singleQuote: true, printWidth: 100 },
  });
  const target = new URL(t.out, root);
  if (process.argv.includes('--check')) {
    const current = await readFile(target, 'utf8').catch(() => '');
    if (current !== source) {
      console.error(`${t.out} is stale: run \`npm run gen:types\` and commit it.`);
      stale = true;
    }
  } else {
    await writeFile(target, source);
    console.log(`wrote ${t.out}`);
  }
}
if (stale) process.exit(1);
