/**
 * Resolves `${VAR}` and `${VAR:-default}` references from an env object at
 * load time. They are allowed only under `connections:`: secrets enter
 * only through connections, and expressions never see the environment.
 * Resolution rewrites scalar values in place on the YAML document, so later
 * steps keep the node positions; messages quote the source text, never a
 * resolved value, so no secret reaches a diagnostic. The values that came
 * from the environment into what a connection sends as a credential are
 * collected, for every output to mask (docs/actions-yml.md, "Secrets").
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

/** What resolution found: the problems, and the secret values it put into the file. */
export interface Resolution {
  readonly diagnostics: Diagnostic[];
  /**
   * Values from the environment in a connection's `headers:` or `auth:`
   * (but its `type`, `in`, `name` and `token_url`), whatever the header is
   * called: what a request sends as a header, a query parameter or a token
   * request's body. At least {@link MIN_SECRET_CHARS} long.
   */
  readonly secrets: string[];
}

/**
 * Secret values shorter than this are not collected: masking every `eu` or
 * `v1` a region or version header holds would blank unrelated text
 * wherever it appears, and so short a value guards nothing.
 */
export const MIN_SECRET_CHARS = 4;

/** Auth fields that say how or where to send a credential, not the credential: shown as they are. */
const AUTH_NOT_SECRET: ReadonlySet<string> = new Set(['type', 'in', 'name', 'token_url']);

// `$${` is an escaped literal `${`; `${...}` is a reference, checked below.
const reference = /\$\$\{|\$\{([^}]*)\}|\$\{[^}]*/g;
const nameAndDefault = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * Replaces references in every string scalar; returns the problems found
 * and the secret values put in. A variable that is not set is an error in
 * a connection of `scope`; in another it is left as written (`${NAME}`)
 * without a word, and that connection is then fit for nothing but being
 * skipped.
 * @param scope - the connections whose variables must be set. Default: all
 */
export function resolveEnv(source: SourceFile, env: Env, scope: ConnectionScope = 'all'): Resolution {
  const out: Resolution = { diagnostics: [], secrets: [] };
  visit(source.doc, {
    Scalar(key, node, path) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const place: Place = {
        inConnections: isUnderTopLevelKey(path, 'connections'),
        connection: connectionOf(path),
        secret: holdsSecret(path),
      };
      node.value = substitute(source, node as Scalar<string>, env, place, scope, out);
    },
  });
  return out;
}

/**
 * Where a scalar sits: under `connections:`, in which connection (null when
 * not inside one), and whether a connection sends it as a credential.
 */
interface Place {
  readonly inConnections: boolean;
  readonly connection: string | null;
  readonly secret: boolean;
}

function substitute(
  source: SourceFile,
  node: Scalar<string>,
  env: Env,
  place: Place,
  scope: ConnectionScope,
  out: Resolution,
): string {
  const at = (index: number) => positionAt(source, offsetInScalar(source, node, index));
  const { connection } = place;
  return node.value.replace(reference, (match: string, inner: string | undefined, index: number) => {
    if (match === '$${') return '${';
    const parsed = inner === undefined ? null : nameAndDefault.exec(inner);
    if (!parsed) {
      out.diagnostics.push(diagnostic('SW_ENV_SYNTAX', at(index), [match]));
      return match;
    }
    const name = parsed[1];
    if (!place.inConnections) {
      out.diagnostics.push(diagnostic('SW_ENV_OUTSIDE_CONNECTION', at(index), [name]));
      return match;
    }
    const value = env[name];
    const fallback = parsed[2];
    // Shell semantics: `:-` also replaces a variable that is set but empty.
    if (value !== undefined && (value !== '' || fallback === undefined)) {
      // A default is typed into the file: only what the environment holds is a secret by where it came from.
      if (place.secret && value.length >= MIN_SECRET_CHARS) out.secrets.push(value);
      return value;
    }
    if (fallback !== undefined) return fallback;
    if (scope !== 'all' && connection !== null && !scope.has(connection)) return match;
    const where = connection === null ? 'connections:' : `connection "${connection}"`;
    out.diagnostics.push(diagnostic('SW_ENV_MISSING', at(index), [name, where], [name]));
    // Left as written: later checks recognise it as already reported.
    return match;
  });
}

/**
 * How a diagnostic may quote the string value at `path`. A scalar whose
 * text in the file holds `${` went through resolution above, and its value
 * may now hold a secret that would reach logs, `validate` output and
 * `/health`: it is quoted as written (`${API_KEY}`,
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
  return keyOf(path[4]);
}

/**
 * True for a value a connection sends as a credential: a header's, or an
 * auth field's (path = [Document, rootMap, Pair(connections), Map,
 * Pair(name), Map, Pair(field), Map, Pair(subfield), …]).
 */
function holdsSecret(path: readonly unknown[]): boolean {
  const field = keyOf(path[6]);
  const sub = keyOf(path[8]);
  return field === 'headers' || (field === 'auth' && sub !== null && !AUTH_NOT_SECRET.has(sub));
}

function keyOf(pair: unknown): string | null {
  const key = (pair as { key?: Node } | undefined)?.key;
  return isScalar(key) ? String(key.value) : null;
}

/** True when the visited node sits under the given key of the root mapping. */
function isUnderTopLevelKey(path: readonly unknown[], topKey: string): boolean {
  // path = [Document, rootMap, Pair, ...]; the third entry is the top-level pair.
  return keyOf(path[2]) === topKey;
}
