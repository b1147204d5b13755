/** Importers: an API description (OpenAPI, cURL) as a connection and actions (docs/import.md). */
export { identifier } from './draft.js';
export type { Draft, DraftAction, DraftAuth, DraftBody, DraftConnection, DraftVariable } from './draft.js';
export { draftToYaml, ImportConflictError, mergeIntoYaml, outcomeSlot } from './emit.js';
export { importErrors } from './errors.js';
export type { ImportArea, ImportErrorCode } from './errors.js';
export { ImportError } from './import-error.js';
export { CurlImportError, importCurl } from './curl.js';
export type { CurlImportOptions } from './curl.js';
export { importOpenApi, listOperations, OpenApiError } from './openapi.js';
export type { OpenApiImportOptions, OperationSummary } from './openapi.js';
