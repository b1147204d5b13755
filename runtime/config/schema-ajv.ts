/**
 * The one ajv set-up for slotwire's schemas, shared by the validators
 * compiled at run time (schema.ts) and the one generated at build time
 * (scripts/build-schema-validator.mjs), so that both judge a file alike.
 * ajv is required here, when a validator is first made, rather than
 * imported: a valid actions file checked by the generated validator never
 * needs it (about 80 ms to load).
 */
import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type { Ajv, CodeOptions } from 'ajv';

const require = createRequire(import.meta.url);

/**
 * A new ajv with slotwire's options.
 * @param code - ajv's code options (the build asks for `{ source: true }`). Default: ajv's
 */
export function schemaAjv(code?: CodeOptions): Ajv {
  const { Ajv: AjvClass } = require('ajv') as typeof AjvModule;
  // strictRequired is off only because `not: { required: [a, b] }` (mutually
  // exclusive keys) names keys declared on the parent; everything else is strict.
  const ajv = new AjvClass({
    allErrors: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    discriminator: true,
    verbose: true,
    ...(code === undefined ? {} : { code }),
  });
  ajv.addVocabulary(['markdownDescription', 'tsType']);
  return ajv;
}
