/** Importers: an API description (OpenAPI, cURL) as a connection and actions (docs/import.md). */
export { identifier } from './draft.js';
export type { Draft, DraftAction, DraftAuth, DraftBody, DraftConnection, DraftVariable } from './draft.js';
export { draftToYaml, ImportConflictError, mergeIntoYaml, outcomeSlot } from './emit.js';
