/** The operations of a dereferenced description, in the order it lists them. */
import { identifier } from './draft.js';

/** One operation, with the objects it was read from (dereferenced). */
export interface ApiOperation {
  /** As written, or `<method>_<path>` made an identifier when the description has none. */
  readonly operationId: string;
  /** True when operationId was made up here. */
  readonly synthesized: boolean;
  /** Lower case, as the key in the path item. */
  readonly method: string;
  /** The key under `paths:`, e.g. `/pets/{petId}`. */
  readonly path: string;
  readonly pathItem: Readonly<Record<string, unknown>>;
  readonly operation: Readonly<Record<string, unknown>>;
}

// The HTTP methods a path item can hold (OpenAPI 3.1 §4.8.9; 2.0 has no trace).
const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Every operation under `paths:`; webhooks and callbacks are calls to the API's clients, not to the API. */
export function operationsOf(document: Readonly<Record<string, unknown>>): ApiOperation[] {
  const out: ApiOperation[] = [];
  const paths = objectAt(document['paths']);
  for (const [path, item] of Object.entries(paths)) {
    const pathItem = objectAt(item);
    for (const [method, op] of Object.entries(pathItem)) {
      if (!methods.has(method)) continue;
      const operation = objectAt(op);
      const written =
        typeof operation['operationId'] === 'string' && operation['operationId'] !== ''
          ? operation['operationId']
          : null;
      out.push({
        operationId: written ?? identifier(`${method} ${path}`),
        synthesized: written === null,
        method,
        path,
        pathItem,
        operation,
      });
    }
  }
  // A made-up id never takes a written one's name (validation already refuses duplicate written ids).
  const taken = new Set(out.filter((o) => !o.synthesized).map((o) => o.operationId));
  return out.map((o) => {
    if (!o.synthesized) return o;
    let id = o.operationId;
    for (let n = 2; taken.has(id); n++) id = `${o.operationId}_${n}`;
    taken.add(id);
    return { ...o, operationId: id };
  });
}

/** The value as an object, or an empty one. */
export function objectAt(value: unknown): Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The value as an array, or an empty one. */
export function arrayAt(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value if it is a non-empty string, else null. */
export function stringAt(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
