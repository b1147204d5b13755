/**
 * Resolves `${VAR}` and `${VAR:-default}` references from an env object at
 * load time. They are allowed only under `connections:` (DESIGN.md: secrets
 * enter only through connections; expressions never see the environment).
 * Resolution rewrites scalar values in place on the YAML document, so later
 * steps keep the node positions; messages quote the source text, never a
 * resolved value, so no secret reaches a diagnostic.
 */
import { isScalar, visit } from 'yaml';
import type { Node, Scalar } from 'yaml';
import { diagnostic } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { locate, offsetInScalar, positionAt, writtenText } from './source.js';
import type { NodePath, SourceFile } from './source.js';

/** Environment variables by name, as `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The connections whose variables must be set: all of them (serving the
 * file), or the ones a run calls (`slotwire run`, the studio's runs), so
 * running one action of a file that imports three APIs does not need the
 * other two's secrets.
 */
export type ConnectionScope = 'all' | ReadonlySet<string>;

// `$${` is an escaped literal `${`; `${...}` is a reference, checked below.
const reference = /\$\$\{|\$\{([^}]*)\}|\$\{[^}]*/g;
const nameAndDefault = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * Replaces references in every string scalar; returns the problems found.
 * A variable that is not set is an error in a connection of `scope`; in
 * another it is left as written (`${NAME}`) without a word, and that
 * connection is then fit for nothing but being skipped.
 * @param scope - the connections whose variables must be set. Default: all
 */
export function resolveEnv(source: SourceFile, env: Env, scope: ConnectionScope = 'all'): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  visit(source.doc, {
    Scalar(key, node, path) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const place: Place = { inConnections: isUnderTopLevelKey(path, 'connections'), connection: connectionOf(path) };
      node.value = substitute(source, node as Scalar<string>, env, place, scope, diagnostics);
    },
  });
  return diagnostics;
}

/** Where a scalar sits: under `connections:`, and in which connection (null when not inside one). */
interface Place {
  readonly inConnections: boolean;
  readonly connection: string | null;
}

function substitute(
  source: SourceFile,
  node: Scalar<string>,
  env: Env,
  place: Place,
  scope: ConnectionScope,
  out: Diagnostic[],
): string {
  const at = (index: number) => positionAt(source, offsetInScalar(source, node, index));
  const { connection } = place;
  return node.value.replace(reference, (match: string, inner: string | undefined, index: number) => {
    if (match === '$${') return '${';
    const parsed = inner === undefined ? null : nameAndDefault.exec(inner);
    if (!parsed) {
      out.push(diagnostic('SW_ENV_SYNTAX', at(index), [match]));
      return match;
    }
    const name = parsed[1];
    if (!place.inConnections) {
      out.push(diagnostic('SW_ENV_OUTSIDE_CONNECTION', at(index), [name]));
      return match;
    }
    const value = env[name];
    const fallback = parsed[2];
    // Shell semantics: `:-` also replaces a variable that is set but empty.
    if (value !== undefined && (value !== '' || fallback === undefined)) return value;
    if (fallback !== undefined) return fallback;
    if (scope !== 'all' && connection !== null && !scope.has(connection)) return match;
    const where = connection === null ? 'connections:' : `connection "${connection}"`;
    out.push(diagnostic('SW_ENV_MISSING', at(index), [name, where], [name]));
    // Left as written: later checks recognise it as already reported.
    return match;
  });
}

/**
 * How a diagnostic may quote the string value at `path`. A scalar whose
 * text in the file holds `${` went through resolution above, and its value
 * may now hold a secret that would reach logs, `validate` output and
 * `/health` (issue 12): it is quoted as written (`${API_KEY}`,
 * `http://bot:${PASS}@host`). Any other value is quoted as it is. A value
 * whose node cannot be found (or with no source) is not shown at all, so a
 * miss never leaks.
 */
export function asWritten(source: SourceFile | null, path: NodePath, value: string): string {
  const node = source === null ? null : locate(source, path).node;
  if (source === null || !isScalar(node)) return '(value not shown)';
  const written = writtenText(source, node);
  return written.includes('${') ? written : value;
}

/** The name of the connection the visited node sits in: path = [Document, rootMap, Pair(connections), Map, Pair(name), …]. */
function connectionOf(path: readonly unknown[]): string | null {
  const pair = path[4] as { key?: Node } | undefined;
  return isScalar(pair?.key) ? String(pair.key.value) : null;
}

/** True when the visited node sits under the given key of the root mapping. */
function isUnderTopLevelKey(path: readonly unknown[], topKey: string): boolean {
  // path = [Document, rootMap, Pair, ...]; the third entry is the top-level pair.
  const pair = path[2] as { key?: Node } | undefined;
  return isScalar(pair?.key) && pair.key.value === topKey;
}
