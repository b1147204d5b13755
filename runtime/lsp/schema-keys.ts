/**
 * What the JSON Schema of actions.yml allows at a path: the keys of the
 * mapping there (with their descriptions) and the values of an enum. The
 * schema is the one `validate` checks against, so completion offers
 * nothing validate would refuse.
 */
import { readFileSync } from 'node:fs';
import { schemaUrl } from '../config/index.js';

type Schema = Readonly<Record<string, unknown>>;

/** A key the schema allows, and what it is for. */
export interface SchemaKey {
  readonly name: string;
  readonly description: string;
}

let root: Schema | null = null;

function schema(): Schema {
  root ??= JSON.parse(readFileSync(schemaUrl, 'utf8')) as Schema;
  return root;
}

/** The node a local `$ref` (`#/definitions/x`) points at. */
function deref(node: Schema, depth = 0): Schema {
  const ref = node['$ref'];
  if (typeof ref !== 'string' || !ref.startsWith('#/') || depth > 16) return node;
  let at: unknown = schema();
  for (const part of ref.slice(2).split('/')) at = (at as Record<string, unknown> | undefined)?.[part];
  return deref((at ?? {}) as Schema, depth + 1);
}

/** The node and its alternatives (`oneOf`, `anyOf`, `allOf`), each dereferenced. */
function variants(node: Schema, depth = 0): Schema[] {
  const n = deref(node);
  if (depth > 8) return [n];
  const parts = ['oneOf', 'anyOf', 'allOf'].flatMap((k) => (Array.isArray(n[k]) ? (n[k] as Schema[]) : []));
  return [n, ...parts.flatMap((p) => variants(p, depth + 1))];
}

/** A value that is a schema node, as a list of it; none for `true`, `false` or nothing. */
function schemaIn(value: unknown): Schema[] {
  return value !== null && typeof value === 'object' ? [value as Schema] : [];
}

/** The schema nodes a path can lead to (a key of a mapping, 0 for a list item). */
function nodesAt(path: readonly (string | number)[]): Schema[] {
  let nodes = [schema()];
  for (const step of path) {
    nodes = nodes.flatMap(variants).flatMap((n): Schema[] => {
      if (typeof step === 'number') return schemaIn(n['items']);
      const props = n['properties'] as Record<string, Schema> | undefined;
      if (props?.[step]) return [props[step]];
      return schemaIn(n['additionalProperties']);
    });
  }
  return nodes.flatMap(variants);
}

/** The keys the mapping at `path` may have. */
export function keysAt(path: readonly (string | number)[]): SchemaKey[] {
  const keys = new Map<string, string>();
  for (const node of nodesAt(path)) {
    const props = node['properties'] as Record<string, Schema> | undefined;
    for (const [name, sub] of Object.entries(props ?? {})) {
      if (keys.has(name)) continue;
      const description = sub['description'] ?? deref(sub)['description'];
      keys.set(name, typeof description === 'string' ? description : '');
    }
  }
  return [...keys].map(([name, description]) => ({ name, description }));
}

/** The values an enum at `path` allows; empty when it is no enum. */
export function enumAt(path: readonly (string | number)[]): string[] {
  return [
    ...new Set(
      nodesAt(path).flatMap((n) => (Array.isArray(n['enum']) ? (n['enum'] as unknown[]).map((v) => String(v)) : [])),
    ),
  ];
}
