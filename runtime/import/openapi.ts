/**
 * `slotwire import openapi`: from an API description (Swagger 2.0, OpenAPI
 * 3.0 or 3.1; YAML or JSON; `$ref`s across files) to a Draft — one
 * connection and an action per chosen operation — that emit.ts writes as
 * actions.yml (docs/import.md). The work is split by concern:
 * openapi-load.ts reads and validates, openapi-connection.ts makes the base
 * URL and auth, openapi-action.ts one action, openapi-schema.ts reads
 * schemas, openapi-source.ts finds where a schema is written.
 */
import { closest } from '../config/index.js';
import { identifier } from './draft.js';
import type { Draft, DraftAction } from './draft.js';
import { actionFor } from './openapi-action.js';
import { connectionFor } from './openapi-connection.js';
import { loadDescription, OpenApiError } from './openapi-load.js';
import type { LoadedDescription } from './openapi-load.js';
import { objectAt, operationsOf, stringAt } from './openapi-operations.js';
import type { ApiOperation } from './openapi-operations.js';
import { SourceFiles } from './openapi-source.js';

export { OpenApiError } from './openapi-load.js';
export type { OpenApiErrorCode } from './openapi-load.js';

/** One operation of a description, for listing and choosing. */
export interface OperationSummary {
  /** As written, or `<method>_<path>` as an identifier (`get_pets_pet_id`) when the description gives none. */
  readonly operationId: string;
  /** Upper case: GET, POST, … */
  readonly method: string;
  /** As written under `paths:`, e.g. `/pets/{petId}`. */
  readonly path: string;
  readonly summary: string | null;
  readonly tags: readonly string[];
}

/**
 * Every operation of the description at `file` (a file, or a folder holding
 * the root description), in the order it lists them.
 * @throws OpenApiError for a file that is missing, not OpenAPI/Swagger, or invalid
 */
export async function listOperations(file: string): Promise<OperationSummary[]> {
  const loaded = await loadDescription(file);
  return operationsOf(loaded.document).map(summaryOf);
}

/** Options of {@link importOpenApi}. */
export interface OpenApiImportOptions {
  /** operationIds to import (the identifier form, `get_pet_by_id` for `getPetById`, is accepted too). */
  readonly operations: readonly string[];
  /** The connection's name. Default: the description's `info.title` as an identifier (`swagger_petstore`) */
  readonly connection?: string;
  /** Where the actions file is or will be: `response_schema` references are relative to its folder. */
  readonly actionsFile: string;
}

// Connection names as the language allows them (docs/actions-yml.md, Top level).
const connectionName = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// The methods a request can send (docs/actions-yml.md, Actions and requests).
const sendable = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);

/**
 * The chosen operations of the description at `file` as a Draft: one
 * connection (base URL from the first server, auth from the security
 * schemes they use) and one action each.
 * @throws OpenApiError for a file that cannot be imported, an unknown operationId (with a "did you mean"), or an operation no action can send
 * @example
 * const draft = await importOpenApi('petstore.yaml', { operations: ['showPetById'], actionsFile: 'actions.yml' });
 * await writeFile('actions.yml', draftToYaml(draft));
 */
export async function importOpenApi(file: string, options: OpenApiImportOptions): Promise<Draft> {
  if (options.connection !== undefined && !connectionName.test(options.connection)) {
    throw new OpenApiError(
      'SW_OPENAPI_BAD_CONNECTION_NAME',
      `--connection "${options.connection}" is not a valid name: start with a letter or _, then letters, digits, _, - or .`,
    );
  }
  const loaded = await loadDescription(file);
  const all = operationsOf(loaded.document);
  const chosen = choose(all, options.operations, loaded);
  for (const op of chosen) {
    if (!sendable.has(op.method.toUpperCase()))
      throw new OpenApiError(
        'SW_OPENAPI_UNSENDABLE_METHOD',
        `${loaded.shown}: operation "${op.operationId}" is ${op.method.toUpperCase()}, which an action cannot send (GET, POST, PUT, PATCH, DELETE, HEAD)`,
      );
  }
  const name = options.connection ?? defaultConnectionName(loaded.document);
  const connection = connectionFor(loaded.document, loaded.version, chosen, name);
  const sources = new SourceFiles(loaded.file, loaded.raw);
  const cx = {
    version: loaded.version,
    document: loaded.document,
    file: loaded.file,
    sources,
    actionsFile: options.actionsFile,
    connection,
  };
  const names = new Set<string>();
  const actions: DraftAction[] = [];
  for (const op of chosen) {
    // Two operationIds that differ only in case or punctuation make one identifier.
    const base = identifier(op.operationId);
    let action = base;
    for (let n = 2; names.has(action); n++) action = `${base}_${n}`;
    names.add(action);
    actions.push(await actionFor(op, action, cx));
  }
  return { connection: connection.connection, actions, variables: connection.variables };
}

/** The operations asked for, in the order asked, each once; unknown names are one error naming them all. */
function choose(all: readonly ApiOperation[], wanted: readonly string[], loaded: LoadedDescription): ApiOperation[] {
  if (wanted.length === 0)
    throw new OpenApiError(
      'SW_OPENAPI_NO_OPERATION',
      `${loaded.shown}: no operation chosen; run slotwire import openapi ${loaded.shown} without --operation to list them`,
    );
  const ids = all.map((o) => o.operationId);
  const chosen: ApiOperation[] = [];
  const unknown: string[] = [];
  for (const w of wanted) {
    const op = all.find((o) => o.operationId === w) ?? all.find((o) => identifier(o.operationId) === identifier(w));
    if (op === undefined) {
      const guess = closest(w, ids);
      unknown.push(`"${w}"${guess === null ? '' : ` (did you mean "${guess}"?)`}`);
    } else if (!chosen.includes(op)) chosen.push(op);
  }
  if (unknown.length > 0) {
    const what = unknown.length === 1 ? 'no operation' : 'no operations';
    throw new OpenApiError(
      'SW_OPENAPI_UNKNOWN_OPERATION',
      `${loaded.shown}: ${what} ${unknown.join(', ')}; run slotwire import openapi ${loaded.shown} without --operation to list them`,
    );
  }
  return chosen;
}

/**
 * `info.title` as an identifier, without a trailing "API" ("Uber API" →
 * `uber`), so variables read UBER_API_KEY rather than UBER_API_API_KEY.
 */
function defaultConnectionName(document: Readonly<Record<string, unknown>>): string {
  const title = identifier(stringAt(objectAt(document['info'])['title']) ?? 'api');
  const short = title.replace(/_(?:rest_)?api$/, '');
  return short === '' || short === title ? title : short;
}

function summaryOf(op: ApiOperation): OperationSummary {
  const summary = stringAt(op.operation['summary']);
  const tags = Array.isArray(op.operation['tags'])
    ? op.operation['tags'].filter((t): t is string => typeof t === 'string')
    : [];
  return {
    operationId: op.operationId,
    method: op.method.toUpperCase(),
    path: op.path,
    summary: summary?.replace(/\s+/g, ' ').trim() ?? null,
    tags,
  };
}
