/**
 * One operation of a dereferenced description as a DraftAction: its path
 * with slot templates, the required query and header parameters, a body
 * skeleton, and where its success answer is described. What is left out
 * (optional parameters, bodies slotwire cannot send) is said in the notes,
 * so the author sees it above the action.
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { identifier } from './draft.js';
import type { DraftAction, DraftBody } from './draft.js';
import type { ConnectionPlan } from './openapi-connection.js';
import type { OpenApiVersion } from './openapi-load.js';
import { arrayAt, objectAt, stringAt } from './openapi-operations.js';
import type { ApiOperation } from './openapi-operations.js';
import { asSchema, formSkeleton, jsonSkeleton, responseFields } from './openapi-schema.js';
import type { SlotNamer } from './openapi-schema.js';
import type { SourceFiles } from './openapi-source.js';

type Obj = Readonly<Record<string, unknown>>;

/** What every action of one import shares. */
export interface ActionContext {
  readonly version: OpenApiVersion;
  readonly document: Obj;
  /** The root description (absolute path) and its raw files, for response_schema. */
  readonly file: string;
  readonly sources: SourceFiles;
  /** response_schema is relative to this file's folder. */
  readonly actionsFile: string;
  readonly connection: ConnectionPlan;
}

// OpenAPI 3.x §4.8.12.1: header parameters by these names are ignored (the
// media types and the security scheme set them).
const ignoredHeaders = new Set(['accept', 'content-type', 'authorization']);

/** The action for `op`, named `name`. */
export async function actionFor(op: ApiOperation, name: string, cx: ActionContext): Promise<DraftAction> {
  const method = op.method.toUpperCase();
  const notes: string[] = [`${method} ${op.path}`];
  if (op.operation['deprecated'] === true) notes.push('the description marks this operation deprecated');
  notes.push(...(cx.connection.notes.get(op.operationId) ?? []));
  const slot = slotNamer();
  const params = parametersOf(op);

  const path = op.path.replace(/\{([^}]+)\}/g, (_whole, p: string) => `{{ slots.${slot(p, 'path')} }}`);
  const query = sendRequired(params, 'query', slot, cx, notes);
  const headers = sendRequired(params, 'header', slot, cx, notes);
  const cookies = params.filter((p) => p['in'] === 'cookie').map((p) => String(p['name']));
  if (cookies.length > 0) notes.push(`cookie parameters are not sent: ${cookies.join(', ')}`);

  const body = cx.version === '2.0' ? body2(op, params, slot, cx.document, notes) : body3(op, slot, notes);
  const response = await successAnswer(op, cx);
  if (response.note !== null) notes.push(response.note);

  return {
    name,
    description: descriptionOf(op.operation),
    method,
    path,
    query,
    headers,
    body,
    responseSchema: response.reference,
    responseFields: response.fields,
    notes,
  };
}

/** Slot names from parameter names; a second use of a name gets the parameter's place as suffix (`id_query`). */
function slotNamer(): SlotNamer {
  const used = new Set<string>();
  return (text, where) => {
    const base = identifier(text);
    let slot = used.has(base) ? `${base}_${where}` : base;
    for (let n = 2; used.has(slot); n++) slot = `${base}_${where}_${n}`;
    used.add(slot);
    return slot;
  };
}

/** Path item parameters, overridden by the operation's of the same name and place (OpenAPI 3.x §4.8.9, 2.0 likewise). */
function parametersOf(op: ApiOperation): Obj[] {
  const byKey = new Map<string, Obj>();
  for (const p of [...arrayAt(op.pathItem['parameters']), ...arrayAt(op.operation['parameters'])].map(objectAt)) {
    byKey.set(`${String(p['in'])}:${String(p['name'])}`, p);
  }
  return [...byKey.values()];
}

/** Required parameters in `place` as `name: "{{ slots.x }}"`; the optional ones are named in a note. */
function sendRequired(
  params: readonly Obj[],
  place: 'query' | 'header',
  slot: SlotNamer,
  cx: ActionContext,
  notes: string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  const optional: string[] = [];
  const auth = cx.connection.authParameter;
  for (const p of params) {
    const name = String(p['name']);
    if (p['in'] !== place) continue;
    if (place === 'header' && ignoredHeaders.has(name.toLowerCase())) continue;
    // The connection's auth sends the API key; the description often lists it as a parameter too.
    if (
      auth !== null &&
      auth.in === place &&
      (place === 'header' ? auth.name.toLowerCase() === name.toLowerCase() : auth.name === name)
    )
      continue;
    if (p['required'] === true) out[name] = `{{ slots.${slot(name, place)} }}`;
    else optional.push(name);
  }
  if (optional.length > 0) notes.push(`optional ${place} parameters left out: ${optional.join(', ')}`);
  return out;
}

/** OpenAPI 3.x: `requestBody`, JSON first, then a form, then text. */
function body3(op: ApiOperation, slot: SlotNamer, notes: string[]): DraftBody | null {
  const requestBody = objectAt(op.operation['requestBody']);
  const content = objectAt(requestBody['content']);
  const types = Object.keys(content);
  if (types.length === 0) return null;
  // A body whose schema requires fields is required in effect, whatever `required` says (Twilio leaves it out).
  const requiresFields = types.some((t) => arrayAt(asSchema(objectAt(content[t])['schema'])?.['required']).length > 0);
  if (requestBody['required'] !== true && !requiresFields) notes.push('the request body is optional');
  const json = jsonMediaType(types);
  if (json !== null) {
    if (mediaType(json) !== 'application/json')
      notes.push(`the API takes ${json}; slotwire sends the body as application/json`);
    const schema = asSchema(objectAt(content[json])['schema']);
    if (schema === null) {
      notes.push('the description gives no schema for the body: write it');
      return { kind: 'json', value: {} };
    }
    const skeleton = jsonSkeleton(schema, slot);
    notes.push(...skeleton.notes);
    return { kind: 'json', value: skeleton.value };
  }
  const form = types.find((t) => mediaType(t) === 'application/x-www-form-urlencoded');
  if (form !== undefined) {
    const { fields, notes: left } = formSkeleton(asSchema(objectAt(content[form])['schema']) ?? {}, slot);
    notes.push(...left);
    return { kind: 'form', fields };
  }
  if (types.some((t) => mediaType(t) === 'text/plain'))
    return { kind: 'text', value: `{{ slots.${slot('text', 'body')} }}` };
  notes.push(`the request body (${types.join(', ')}) is left out: slotwire sends JSON, a URL-encoded form or text`);
  return null;
}

/** Swagger 2.0: an `in: body` parameter, or `in: formData` parameters. */
function body2(
  op: ApiOperation,
  params: readonly Obj[],
  slot: SlotNamer,
  document: Obj,
  notes: string[],
): DraftBody | null {
  const consumes = arrayAt(op.operation['consumes'] ?? document['consumes']).map(String);
  const bodyParam = params.find((p) => p['in'] === 'body');
  if (bodyParam !== undefined) {
    if (consumes.length > 0 && jsonMediaType(consumes) === null) {
      notes.push(
        `the request body (${consumes.join(', ')}) is left out: slotwire sends JSON, a URL-encoded form or text`,
      );
      return null;
    }
    if (bodyParam['required'] !== true) notes.push('the request body is optional');
    const skeleton = jsonSkeleton(asSchema(bodyParam['schema']) ?? {}, slot);
    notes.push(...skeleton.notes);
    return { kind: 'json', value: skeleton.value };
  }
  const formParams = params.filter((p) => p['in'] === 'formData');
  if (formParams.length === 0) return null;
  const files = formParams.filter((p) => p['type'] === 'file').map((p) => String(p['name']));
  const urlEncoded =
    consumes.length === 0 || consumes.some((c) => mediaType(c) === 'application/x-www-form-urlencoded');
  if (files.length > 0 || !urlEncoded) {
    notes.push(
      `the form (multipart/form-data${files.length > 0 ? `, files ${files.join(', ')}` : ''}) is left out: slotwire sends URL-encoded forms only`,
    );
    return null;
  }
  // The same choice as for a schema's properties: the required fields, or all when none is.
  const required = formParams.filter((p) => p['required'] === true);
  const chosen = required.length > 0 ? required : formParams;
  const left = formParams.filter((p) => !chosen.includes(p)).map((p) => String(p['name']));
  if (left.length > 0) notes.push(`optional form fields left out: ${left.join(', ')}`);
  const fields: Record<string, string> = {};
  for (const p of chosen) fields[String(p['name'])] = `{{ slots.${slot(String(p['name']), 'form')} }}`;
  return { kind: 'form', fields };
}

/** The success answer's schema: where it is written (for response_schema) and its top-level fields. */
async function successAnswer(
  op: ApiOperation,
  cx: ActionContext,
): Promise<{ reference: string | null; fields: string[]; note: string | null }> {
  const responses = objectAt(op.operation['responses']);
  const code = successCode(Object.keys(responses));
  if (code === null) return { reference: null, fields: [], note: 'the description gives no success response' };
  const response = objectAt(responses[code]);
  let tokens: string[];
  let schema: Obj | null;
  if (cx.version === '2.0') {
    tokens = ['paths', op.path, op.method, 'responses', code, 'schema'];
    schema = asSchema(response['schema']);
  } else {
    const content = objectAt(response['content']);
    const json = jsonMediaType(Object.keys(content));
    tokens = ['paths', op.path, op.method, 'responses', code, 'content', json ?? '', 'schema'];
    schema = json === null ? null : asSchema(objectAt(content[json])['schema']);
  }
  // 204 No Content has no body by definition: nothing to say.
  if (schema === null)
    return { reference: null, fields: [], note: code === '204' ? null : `the ${code} answer has no JSON schema` };
  const fields = responseFields(schema);
  const place = await cx.sources.locate(cx.file, tokens);
  if (place === null)
    return {
      reference: null,
      fields,
      note: `the ${code} answer's schema is behind a $ref slotwire cannot follow (a remote one): response_schema left out`,
    };
  const file = relative(dirname(resolve(cx.actionsFile)), place.file)
    .split(sep)
    .join('/');
  return { reference: `${file}#${place.pointer}`, fields, note: null };
}

/** 200, else 201, else the first other 2xx (a `2XX` range last), else `default` when there is no 2xx at all. */
function successCode(codes: readonly string[]): string | null {
  const ok = codes.filter((c) => /^2\d\d$/.test(c)).sort();
  for (const c of ['200', '201', ...ok, ...codes.filter((c) => /^2XX$/i.test(c))]) if (codes.includes(c)) return c;
  return codes.includes('default') ? 'default' : null;
}

/** `application/json` (parameters ignored), else a `+json` type, else `*\/*` (code generators write it for JSON). */
function jsonMediaType(types: readonly string[]): string | null {
  return (
    types.find((t) => mediaType(t) === 'application/json') ??
    types.find((t) => /^application\/[^/]*\+json$/.test(mediaType(t))) ??
    types.find((t) => mediaType(t) === '*/*' || mediaType(t) === 'application/*') ??
    null
  );
}

function mediaType(type: string): string {
  return (type.split(';')[0] ?? '').trim().toLowerCase();
}

/** The summary, else the description's first sentence, on one line. */
function descriptionOf(operation: Obj): string | null {
  const summary = stringAt(operation['summary']);
  if (summary !== null) return summary.replace(/\s+/g, ' ').trim();
  const description = stringAt(operation['description']);
  if (description === null) return null;
  const paragraph = description.trim().split(/\n\s*\n/)[0] ?? '';
  const text = paragraph.replace(/\s+/g, ' ').trim();
  return /^(.*?[.!?])(\s|$)/.exec(text)?.[1] ?? text;
}
