// Shared by the tests: ajv validators compiled from schemas/rasa-response.schema.json.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';

const schema: unknown = JSON.parse(
  readFileSync(new URL('../../schemas/rasa-response.schema.json', import.meta.url), 'utf8'),
);
const ajv = new Ajv({ strict: true, allErrors: true });
ajv.addSchema(schema as object, 'rasa-response');

/** Validates a 200 body for the classic target (the default). */
export const validateClassic: ValidateFunction = ajv.getSchema('rasa-response') as ValidateFunction;
/** Validates a 200 body for the pro target. */
export const validatePro: ValidateFunction = ajv.getSchema(
  'rasa-response#/definitions/proResponse',
) as ValidateFunction;
