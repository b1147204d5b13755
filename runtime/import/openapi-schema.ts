/**
 * What an import reads from JSON Schemas of a dereferenced description: the
 * fields of an answer (for the mapping hint) and a request body skeleton
 * whose leaves are slot templates. Dereferenced schemas share objects and
 * may be circular, so every walk here is bounded in depth.
 */

type Schema = Readonly<Record<string, unknown>>;

/** The properties of an object schema, `allOf` parts merged. */
export interface ObjectShape {
  readonly properties: ReadonlyMap<string, Schema>;
  readonly required: ReadonlySet<string>;
  /** The schema offered alternatives (`oneOf`/`anyOf`). */
  readonly alternatives: boolean;
}

// allOf inside allOf inside … deeper than this is not a shape an author writes by hand.
const MAX_MERGE_DEPTH = 8;

/** A schema object, or null. */
export function asSchema(value: unknown): Schema | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Schema) : null;
}

function types(schema: Schema): string[] {
  const t = schema['type'];
  return Array.isArray(t) ? t.map(String) : typeof t === 'string' ? [t] : [];
}

/** True for `type: array` (3.1 also `[array, 'null']`), or an untyped schema with `items`. */
export function isArraySchema(schema: Schema): boolean {
  const t = types(schema);
  return t.includes('array') || (t.length === 0 && asSchema(schema['items']) !== null);
}

/**
 * The object shape of `schema`: its properties and `allOf` parts' merged.
 * `oneOf`/`anyOf` alternatives are merged too ('union', what an answer may
 * hold) or only the first is taken ('first', what a request sends).
 */
export function objectShape(schema: Schema, alternatives: 'union' | 'first'): ObjectShape {
  const properties = new Map<string, Schema>();
  const required = new Set<string>();
  let offered = false;
  const visit = (s: Schema, depth: number): void => {
    if (depth > MAX_MERGE_DEPTH) return;
    for (const [name, p] of Object.entries(asSchema(s['properties']) ?? {})) {
      const prop = asSchema(p);
      if (prop !== null && !properties.has(name)) properties.set(name, prop);
    }
    if (Array.isArray(s['required'])) for (const r of s['required']) if (typeof r === 'string') required.add(r);
    for (const part of Array.isArray(s['allOf']) ? s['allOf'] : []) {
      const sub = asSchema(part);
      if (sub !== null) visit(sub, depth + 1);
    }
    for (const key of ['oneOf', 'anyOf'] as const) {
      const options = Array.isArray(s[key])
        ? (s[key] as unknown[]).map(asSchema).filter((o): o is Schema => o !== null)
        : [];
      if (options.length === 0) continue;
      offered = true;
      for (const option of alternatives === 'union' ? options : options.slice(0, 1)) {
        // A property one alternative requires is not required of the answer.
        const before = new Set(required);
        visit(option, depth + 1);
        if (alternatives === 'union') for (const r of required) if (!before.has(r)) required.delete(r);
      }
    }
  };
  visit(schema, 0);
  return { properties, required, alternatives: offered };
}

/**
 * The top-level field names of an answer: an object's properties, or for
 * an array its items' properties written `[].name`.
 */
export function responseFields(schema: Schema): string[] {
  if (isArraySchema(schema)) {
    const items = asSchema(schema['items']);
    return items === null ? [] : [...objectShape(items, 'union').properties.keys()].map((k) => `[].${k}`);
  }
  return [...objectShape(schema, 'union').properties.keys()];
}

/** Names a slot for a body field; `where` tells it apart from a parameter of the same name. */
export type SlotNamer = (name: string, where: string) => string;

/** A request body skeleton and what it left out. */
export interface Skeleton {
  readonly value: unknown;
  /** Phrases for the notes: "optional body fields left out: a, b". */
  readonly notes: readonly string[];
}

/**
 * A JSON body for `schema`: the required properties (all of them when none
 * is required), readOnly ones skipped; a scalar becomes `{{ slots.<name> }}`,
 * an array `[]`, an object its own properties one level down (named
 * `<parent>_<field>`), deeper objects `{}`. A `const` is sent as written.
 * A body that is not an object is one slot.
 */
export function jsonSkeleton(schema: Schema, slot: SlotNamer): Skeleton {
  const notes: string[] = [];
  if (!isObjectLike(schema)) {
    return {
      value: isArraySchema(schema) ? `{{ slots.${slot('items', 'body')} }}` : `{{ slots.${slot('body', 'body')} }}`,
      notes: ['the request body is not an object: one slot holds all of it'],
    };
  }
  const value = objectSkeleton(schema, '', 0, slot, notes);
  return { value, notes };
}

function objectSkeleton(
  schema: Schema,
  prefix: string,
  depth: number,
  slot: SlotNamer,
  notes: string[],
): Record<string, unknown> {
  const shape = objectShape(schema, 'first');
  if (shape.alternatives)
    notes.push(
      `the ${prefix === '' ? 'request body' : `body field ${prefix.slice(0, -1)}`} has alternatives (oneOf/anyOf): the first is used`,
    );
  const { chosen, left } = chooseFields(shape);
  if (left.length > 0)
    notes.push(`optional ${prefix === '' ? 'body' : `${prefix.slice(0, -1)}`} fields left out: ${left.join(', ')}`);
  const out: Record<string, unknown> = {};
  for (const name of chosen) {
    const prop = shape.properties.get(name) ?? {};
    if ('const' in prop) out[name] = prop['const'];
    else if (isArraySchema(prop)) out[name] = [];
    else if (isObjectLike(prop))
      out[name] = depth === 0 ? objectSkeleton(prop, `${prefix}${name}.`, depth + 1, slot, notes) : {};
    else out[name] = `{{ slots.${slot(`${prefix.replace(/\./g, '_')}${name}`, 'body')} }}`;
  }
  return out;
}

/** Form fields for `schema` (application/x-www-form-urlencoded): the same choice of fields, each a slot. */
export function formSkeleton(schema: Schema, slot: SlotNamer): { fields: Record<string, string>; notes: string[] } {
  const shape = objectShape(schema, 'first');
  const { chosen, left } = chooseFields(shape);
  const notes = left.length > 0 ? [`optional form fields left out: ${left.join(', ')}`] : [];
  const fields: Record<string, string> = {};
  for (const name of chosen) {
    const prop = shape.properties.get(name) ?? {};
    // Nested objects have no standard form encoding (OpenAPI's deepObject is for query strings).
    if (isObjectLike(prop) && !isArraySchema(prop)) {
      notes.push(`form field ${name} is an object, which a form cannot carry: left out`);
      continue;
    }
    fields[name] = typeof prop['const'] === 'string' ? prop['const'] : `{{ slots.${slot(name, 'form')} }}`;
  }
  return { fields, notes };
}

/** Required, writable properties; when none is required, every writable one that is not deprecated. */
function chooseFields(shape: ObjectShape): { chosen: string[]; left: string[] } {
  const writable = [...shape.properties.entries()].filter(([, p]) => p['readOnly'] !== true).map(([n]) => n);
  const required = writable.filter((n) => shape.required.has(n));
  if (required.length > 0) return { chosen: required, left: writable.filter((n) => !shape.required.has(n)) };
  return { chosen: writable.filter((n) => shape.properties.get(n)?.['deprecated'] !== true), left: [] };
}

/** True for an object schema; an untyped one is an object when it has properties or its parts are objects. */
function isObjectLike(schema: Schema, depth = 0): boolean {
  const t = types(schema);
  if (t.includes('object')) return true;
  if (t.length > 0 || depth > MAX_MERGE_DEPTH) return false;
  if ('properties' in schema) return true;
  const parts = ['allOf', 'oneOf', 'anyOf'].flatMap((k) => (Array.isArray(schema[k]) ? (schema[k] as unknown[]) : []));
  return parts.some((p) => {
    const sub = asSchema(p);
    return sub !== null && isObjectLike(sub, depth + 1);
  });
}
