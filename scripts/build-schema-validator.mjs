// Generates dist/config/actions-schema-validator.cjs: ajv's standalone
// validation code for schemas/actions.schema.json, made with the set-up
// runtime/config/schema-ajv.ts gives the validator compiled at run time,
// so both judge a file alike. `slotwire serve` then checks a valid file
// without loading ajv or compiling the schema at start-up
// (runtime/config/schema.ts). Runs after tsc, from dist/.
import { readFile, writeFile } from 'node:fs/promises';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { schemaAjv } from '../dist/config/schema-ajv.js';

const schema = JSON.parse(await readFile(new URL('../schemas/actions.schema.json', import.meta.url), 'utf8'));
const ajv = schemaAjv({ source: true });
await writeFile(
  new URL('../dist/config/actions-schema-validator.cjs', import.meta.url),
  standaloneCode.default(ajv, ajv.compile(schema)),
);
