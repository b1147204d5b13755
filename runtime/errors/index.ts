/** The catalogue of runtime error codes: a leaf every other folder may import. */
export { runtimeErrors } from './catalogue.js';
export { ECHO_LIMIT, echoed } from './echo.js';
export type { ErrorArea, RuntimeErrorCode } from './catalogue.js';
