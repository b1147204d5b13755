/**
 * Mappings checked against the answer's shape: a typo in
 * `response.body.availabel` silently maps null, and the author finds out in
 * a conversation. Where the shape is known, from a JSON Schema (an OpenAPI
 * response schema named by `response_schema:`), each response path an
 * expression reads is walked through it and the first field that cannot be
 * there is reported, with the field names that can.
 *
 * The walk follows JSONata's path semantics: an array's items are mapped
 * over, so `times.time` reads `time` of each item. Where the schema says
 * nothing definite (no `properties`, `additionalProperties: true`, a
 * composition that allows anything) the walk stops: silence, never a guess.
 * What a whole mapping yields, one value or a list, is read from the same
 * nodes (fieldOf, itemsOf, typesOf) by mapping-result.ts.
 */
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { ReadText } from './read-file.js';

/** A schema node; `$ref`s are followed as they are met. */
type Schema = Readonly<Record<string, unknown>>;

/** A known answer shape: its schema, and what to call it in messages. */
export interface Shape {
  /** `petstore.yaml#/paths/…`, as written in `response_schema:`. */
  readonly source: string;
  /** The schema node at `source`, within its document. */
  readonly node: SchemaAt;
}

/** A schema node, the file it is in (its `$ref`s are relative to that file) and how to read others. */
interface SchemaAt {
  readonly schema: Schema;
  /** Relative to the actions file's folder, as ReadText takes it. */
  readonly file: string;
  readonly reader: ShapeReader;
}

/** Reads schema nodes out of documents, each document parsed once. */
interface ShapeReader {
  at(file: string, pointer: string): Schema;
}

/** A field of a path that the shape says cannot be there. */
export interface ShapeProblem {
  /** Index into the names walked. */
  readonly index: number;
  /** What can be there instead; empty when the value there has no fields at all. */
  readonly known: readonly string[];
  /** Set when the value there is not an object: its JSON type. */
  readonly scalar: string | null;
}

/** Parsed schema documents by reader: a compile has one reader, so they live as long as it does. */
const parsedDocs = new WeakMap<ReadText, Map<string, unknown>>();

/** Most `$ref`s followed for one node (a cycle of refs ends here). */
const MAX_REF_HOPS = 32;

/** Where an inline `response_schema:` stands: the actions file (as ReadText takes it) and its path there, for messages. */
export interface InlineSchemaPlace {
  readonly file: string;
  readonly name: string;
}

/**
 * Loads a `response_schema:`: `file#/json/pointer` (the file relative to
 * the actions file), or a schema written inline, which is part of the
 * actions file: its `$ref`s are relative to that file, as a file's are.
 * Throws an Error with a one-line message when a file cannot be read.
 */
export function loadShape(ref: string | Schema, readText: ReadText, inline: InlineSchemaPlace): Shape {
  const reader = readerOf(readText);
  if (typeof ref !== 'string') return { source: inline.name, node: { schema: ref, file: inline.file, reader } };
  const hash = ref.indexOf('#');
  const file = hash === -1 ? ref : ref.slice(0, hash);
  const pointer = hash === -1 ? '' : ref.slice(hash + 1);
  return { source: ref, node: { schema: reader.at(file, pointer), file, reader } };
}

/** Reads schema nodes through `readText`, each document parsed once per compile. */
function readerOf(readText: ReadText): ShapeReader {
  // One parse per document per compile, however many actions point into it (an imported API: dozens).
  let docs = parsedDocs.get(readText);
  if (docs === undefined) {
    docs = new Map<string, unknown>();
    parsedDocs.set(readText, docs);
  }
  const cache = docs;
  const read = (path: string): unknown => {
    let doc = cache.get(path);
    if (doc === undefined) {
      let text: string;
      try {
        text = readText(path);
      } catch (err) {
        throw new Error(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      try {
        doc = parse(text, { maxAliasCount: 100 }) as unknown;
      } catch (err) {
        throw new Error(`${path} is not YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
      }
      cache.set(path, doc);
    }
    return doc;
  };
  return {
    at(path: string, ptr: string): Schema {
      const value = resolvePointer(read(path), ptr);
      if (value === undefined) throw new Error(`${path} has nothing at #${ptr}`);
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new Error(`${path}#${ptr} is not a schema (an object)`);
      return value as Schema;
    },
  };
}

/** The node at `$ref` (followed repeatedly), or the node itself. */
function deref(node: SchemaAt): SchemaAt {
  let current = node;
  for (let hops = 0; typeof current.schema['$ref'] === 'string'; hops++) {
    if (hops === MAX_REF_HOPS) return { ...current, schema: {} };
    const ref = current.schema['$ref'];
    const hash = ref.indexOf('#');
    // A ref's file is relative to the document it is in (`#/…` is that document).
    const file = hash === 0 ? current.file : join(dirname(current.file), hash === -1 ? ref : ref.slice(0, hash));
    let schema: Schema;
    try {
      schema = current.reader.at(file, hash === -1 ? '' : ref.slice(hash + 1));
    } catch {
      // A ref that cannot be followed says nothing definite.
      return { ...current, schema: {} };
    }
    current = { schema, file, reader: current.reader };
  }
  return current;
}

/** A JSON pointer (`/paths/~1pet~1{petId}/get`) into a document. */
function resolvePointer(doc: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return doc;
  let value = doc;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** What a schema node says of an object's fields: the known names and their nodes, or null for "anything". */
function fieldsOf(node: SchemaAt, depth = 0): Map<string, SchemaAt> | null | { scalar: string } {
  if (depth > 8) return null;
  const n = deref(node);
  const s = n.schema;
  const sub = (schema: unknown): SchemaAt => ({ schema: (schema ?? {}) as Schema, file: n.file, reader: n.reader });
  // OpenAPI 3.1 writes a nullable type as a list: ['string', 'null'].
  const types = (Array.isArray(s['type']) ? s['type'] : [s['type']]).filter(
    (t): t is string => typeof t === 'string' && t !== 'null',
  );
  // JSONata maps a path over an array's items. A value that may be a list or an object has the fields of either: nothing definite.
  if (types.includes('array') || (s['items'] !== undefined && s['properties'] === undefined))
    return types.includes('object') ? null : fieldsOf(sub(s['items']), depth + 1);
  const parts = [...asList(s['allOf']), ...asList(s['oneOf']), ...asList(s['anyOf'])];
  const fields = new Map<string, SchemaAt>();
  let definite = false;
  if (s['properties'] !== undefined && typeof s['properties'] === 'object') {
    definite = true;
    for (const [k, v] of Object.entries(s['properties'] as Record<string, unknown>)) fields.set(k, sub(v));
  }
  for (const part of parts) {
    const more = fieldsOf(sub(part), depth + 1);
    if (more === null) return null;
    if (more instanceof Map) {
      definite = true;
      for (const [k, v] of more) if (!fields.has(k)) fields.set(k, v);
    }
  }
  if (
    s['additionalProperties'] === true ||
    (typeof s['additionalProperties'] === 'object' && s['additionalProperties'] !== null)
  )
    return null;
  if (definite) return fields;
  if (types.length > 0 && !types.includes('object')) return { scalar: types.join(' or ') };
  return null;
}

/** A schema node where a walk through the shape stands: read it with fieldOf, itemsOf and typesOf. */
export type ShapeNode = SchemaAt;

/**
 * The JSON types (never `null`: a nullable value is still one value) a
 * node says its value has, `object` for `properties` without `type` and
 * `array` for `items`; an `allOf` takes its first part that says, a
 * `oneOf`/`anyOf` the types of all its parts when each says. Null when the
 * schema does not say.
 */
export function typesOf(node: ShapeNode, depth = 0): readonly string[] | null {
  if (depth > 8) return null;
  const n = deref(node);
  const s = n.schema;
  const listed = (Array.isArray(s['type']) ? s['type'] : [s['type']]).filter((t): t is string => typeof t === 'string');
  if (listed.length > 0) return listed.every((t) => t === 'null') ? ['null'] : listed.filter((t) => t !== 'null');
  if (s['properties'] !== null && typeof s['properties'] === 'object') return ['object'];
  if (s['items'] !== undefined) return ['array'];
  const sub = (schema: unknown): SchemaAt => ({ schema: (schema ?? {}) as Schema, file: n.file, reader: n.reader });
  for (const part of asList(s['allOf'])) {
    const types = typesOf(sub(part), depth + 1);
    if (types !== null) return types;
  }
  const alternatives = [...asList(s['oneOf']), ...asList(s['anyOf'])].map((part) => typesOf(sub(part), depth + 1));
  if (alternatives.length === 0 || alternatives.some((t) => t === null)) return null;
  return [...new Set(alternatives.flatMap((t) => t ?? []))];
}

/** The node of a list's items (`{}`, which says nothing, when it has no `items`). */
export function itemsOf(node: ShapeNode): ShapeNode {
  const n = deref(node);
  return { schema: (n.schema['items'] ?? {}) as Schema, file: n.file, reader: n.reader };
}

/** The node of an object's field; null when the shape does not say the field is there. */
export function fieldOf(node: ShapeNode, name: string): ShapeNode | null {
  const fields = fieldsOf(node);
  return fields instanceof Map ? (fields.get(name) ?? null) : null;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Walks `names` (the fields after `response.body`) through the shape; the
 * first that cannot be there, or null when the walk found none (or the
 * shape stopped saying).
 */
export function checkFields(shape: Shape, names: readonly string[]): ShapeProblem | null {
  let node: SchemaAt = shape.node;
  for (let i = 0; i < names.length; i++) {
    const fields = fieldsOf(node);
    if (fields === null) return null;
    if (!(fields instanceof Map)) return { index: i, known: [], scalar: fields.scalar };
    const next = fields.get(names[i]);
    if (next === undefined) return { index: i, known: [...fields.keys()], scalar: null };
    node = next;
  }
  return null;
}

/**
 * The shape of answers seen (the test fixtures' bodies): every field any of
 * them has, typed as seen, arrays by the union of their items. Only what was
 * seen, so a mapping of a field no fixture shows is reported.
 */
export function shapeFromExamples(values: readonly unknown[], source: string): Shape {
  const reader: ShapeReader = {
    at() {
      throw new Error('no refs in examples');
    },
  };
  return { source, node: { schema: inferSchema(values), file: source, reader } };
}

function inferSchema(values: readonly unknown[]): Schema {
  const types = new Set<string>();
  const fields = new Map<string, unknown[]>();
  const items: unknown[] = [];
  let objects = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) {
      types.add('array');
      items.push(...v);
    } else if (typeof v === 'object') {
      types.add('object');
      objects++;
      for (const [k, x] of Object.entries(v)) fields.set(k, [...(fields.get(k) ?? []), x]);
    } else types.add(typeof v === 'number' ? 'number' : typeof v);
  }
  // Seen both as a list and as something else: nothing definite to say.
  if (types.size !== 1) return {};
  if (types.has('array')) return { type: 'array', items: inferSchema(items) };
  if (types.has('object') && objects > 0)
    return { type: 'object', properties: Object.fromEntries([...fields].map(([k, xs]) => [k, inferSchema(xs)])) };
  return { type: [...types][0] };
}

/** A field an answer's shape names: its name and JSON types (null when the schema does not say). */
export interface ShapeField {
  readonly name: string;
  readonly types: readonly string[] | null;
}

/**
 * The fields the shape says the value at `names` (after `response.body`)
 * has, for an editor's completion and hover; null when the walk leaves what
 * the shape says.
 */
export function fieldsAt(shape: Shape, names: readonly string[]): ShapeField[] | null {
  let node: SchemaAt = shape.node;
  for (const name of names) {
    const next = fieldOf(node, name);
    if (next === null) return null;
    node = next;
  }
  const fields = fieldsOf(node);
  return fields instanceof Map ? [...fields].map(([name, at]) => ({ name, types: typesOf(at) })) : null;
}
