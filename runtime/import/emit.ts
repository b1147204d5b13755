/**
 * A Draft as actions.yml text: alone (a new file, or a snippet to paste), or
 * added into an existing file with the yaml library's document API, so the
 * file's comments, order and layout stay as the author left them.
 */
import { Document, isMap, isScalar, parseDocument, YAMLMap } from 'yaml';
import type { Pair } from 'yaml';
import type { Draft, DraftAction, DraftConnection } from './draft.js';
import type { ImportErrorCode } from './errors.js';
import { ImportError } from './import-error.js';

/** Why a draft cannot go into a file (`SW_IMPORT_*` in docs/import.md); nothing was written. */
export class ImportConflictError extends ImportError<Extract<ImportErrorCode, `SW_IMPORT_${string}`>> {
  override readonly name = 'ImportConflictError';
}

/** A new actions.yml holding the draft, with a header saying which variables to set. */
export function draftToYaml(draft: Draft): string {
  const doc = new Document({ version: 1, connections: {}, actions: {} });
  addDraft(doc, draft);
  doc.commentBefore = header(draft);
  return doc.toString({ lineWidth: 0 });
}

/**
 * `text` (an actions.yml) with the draft's connection and actions added.
 * An existing connection of the same name is kept when it points at the
 * same base URL; another base URL, or an action name already taken, is an
 * ImportConflictError naming it (nothing is written).
 */
export function mergeIntoYaml(text: string, draft: Draft): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new ImportConflictError(
      'SW_IMPORT_FILE_NOT_YAML',
      `the file is not valid YAML: ${doc.errors[0]?.message.split('\n')[0] ?? ''}; fix it first (slotwire validate)`,
    );
  if (!isMap(doc.contents))
    throw new ImportConflictError(
      'SW_IMPORT_FILE_NOT_MAPPING',
      'the file is not a mapping with connections: and actions:',
    );
  const existing = doc.getIn(['connections', draft.connection.name]);
  if (existing !== undefined) {
    const base = isMap(existing) ? existing.get('base_url') : undefined;
    if (base !== draft.connection.baseUrl)
      throw new ImportConflictError(
        'SW_IMPORT_CONNECTION_EXISTS',
        `connection "${draft.connection.name}" already exists with another base_url; pass --connection with a new name`,
      );
  }
  for (const action of draft.actions) {
    if (doc.getIn(['actions', action.name]) !== undefined)
      throw new ImportConflictError(
        'SW_IMPORT_ACTION_EXISTS',
        `action "${action.name}" already exists; rename or remove it first`,
      );
  }
  if (!doc.has('connections')) doc.set('connections', new YAMLMap());
  if (!doc.has('actions')) doc.set('actions', new YAMLMap());
  addDraft(doc, draft, existing !== undefined);
  return doc.toString({ lineWidth: 0 });
}

/** The variables to set, as the lines of a comment. */
function header(draft: Draft): string {
  const lines = [' Imported by slotwire import: check each action, then map the answers to slots (docs/import.md).'];
  if (draft.variables.length > 0) {
    lines.push(' Set these variables where slotwire runs:');
    for (const v of draft.variables) lines.push(`   ${v.name}: ${v.why}`);
  }
  return lines.join('\n');
}

function addDraft(doc: Document, draft: Draft, connectionExists = false): void {
  const connections = doc.get('connections') as YAMLMap;
  if (!connectionExists) connections.add(doc.createPair(draft.connection.name, connectionNode(draft.connection)));
  const actions = doc.get('actions') as YAMLMap;
  for (const action of draft.actions) {
    const pair = doc.createPair(action.name, actionNode(action, draft.connection.name)) as Pair<unknown, YAMLMap>;
    const notes = action.notes ?? [];
    if (notes.length > 0 && isScalar(pair.key)) pair.key.commentBefore = notes.map((n) => ` ${n}`).join('\n');
    const slots = pair.value?.get('slots', true);
    if (isMap(slots)) slots.commentBefore = mappingHint(action);
    actions.add(pair);
  }
}

function connectionNode(c: DraftConnection): Record<string, unknown> {
  return {
    base_url: c.baseUrl,
    ...(c.auth ? { auth: c.auth } : {}),
    ...(c.headers && Object.keys(c.headers).length > 0 ? { headers: c.headers } : {}),
  };
}

/** The outcome slot every imported action sets, so a flow can branch on it. */
export function outcomeSlot(action: Pick<DraftAction, 'name'>): string {
  return `${action.name}_status`;
}

function actionNode(a: DraftAction, connection: string): Record<string, unknown> {
  const changes = !['GET', 'HEAD', 'OPTIONS'].includes(a.method);
  const request: Record<string, unknown> = { connection, method: a.method, path: a.path };
  if (Object.keys(a.query).length > 0) request['query'] = a.query;
  if (Object.keys(a.headers).length > 0) request['headers'] = a.headers;
  if (a.body?.kind === 'json') request['body'] = a.body.value;
  else if (a.body?.kind === 'form') request['form'] = a.body.fields;
  else if (a.body?.kind === 'text') request['text'] = a.body.value;
  if (a.responseSchema !== null) request['response_schema'] = a.responseSchema;
  const status = outcomeSlot(a);
  return {
    ...(a.description ? { description: a.description } : {}),
    // A re-run of one user turn must not change data twice (SW_WARN_NO_DEDUPE).
    ...(changes ? { dedupe: '2m' } : {}),
    request,
    slots: { [status]: 'ok' },
    on_error: { slots: { [status]: '{{ error.reason ? error.reason : error.kind }}' } },
  };
}

function mappingHint(a: DraftAction): string {
  const fields = a.responseFields ?? [];
  const lines = [' Map the answer to slots, e.g. my_slot: "{{ response.body.<field> }}"'];
  if (fields.length > 0) lines.push(` response.body has: ${fields.join(', ')}`);
  return lines.join('\n');
}
