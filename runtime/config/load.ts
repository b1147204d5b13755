/**
 * Loading an actions.yml: read, parse with positions, resolve `${VAR}`,
 * validate against the schema, check for literal secrets. Never throws on bad
 * user input; every problem comes back as a diagnostic, so one run shows them all.
 */
import { hasErrors } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { connectionsCalled } from './connections-called.js';
import { resolveEnv } from './env.js';
import type { ConnectionScope, Env } from './env.js';
import { parseYaml } from './parse-yaml.js';
import type { ParseCache } from './parse-chunks.js';
import { fileTooLarge, MAX_FILE_BYTES, readText } from './read-text.js';
import { validateSchema } from './schema.js';
import type { SlotwireActionsYml } from './schema-types.js';
import { checkLiteralSecrets } from './secrets.js';
import { locate } from './source.js';
import type { NodePath, SourceFile } from './source.js';

/** A loaded file: the validated config (null when it has errors) and where it came from. */
export interface LoadResult {
  readonly config: SlotwireActionsYml | null;
  /**
   * The document as plain data when the YAML parsed, even if it has other
   * errors: the compiler still checks the parts that are valid, so one run
   * reports every problem of the file.
   */
  readonly data: unknown;
  /** Positions for later stages (the compiler reports through it too). */
  readonly source: SourceFile | null;
  readonly diagnostics: readonly Diagnostic[];
  /**
   * The connections loaded to be called: all, or those the action of
   * `forAction` calls. Any other may hold a `${NAME}` left unresolved, so
   * the plan leaves it out of the connections its client is built from.
   * Default: 'all'
   */
  readonly scope?: ConnectionScope;
  /**
   * The values `${VAR}` put into what connections send as credentials (a
   * header's value, whatever its name; an auth field), for every output to
   * mask. Default: none
   */
  readonly secrets?: readonly string[];
}

/** Options of {@link loadConfigText} and {@link loadConfigFile}. */
export interface LoadOptions {
  /** Where `${VAR}` values come from. Default: an empty environment. */
  readonly env?: Env;
  /**
   * Load to run this one action (`slotwire run`, the studio's runs): only
   * the `${VAR}`s of the connections it calls (its `request:` and `steps:`,
   * their OAuth2 token endpoints included) must be set. A missing one of
   * another connection is no error: it keeps `${NAME}` as written, and
   * only the connections the action calls are fit to be called
   * (LoadResult.scope). An action the file does not have needs no
   * variable. Default: every connection's variables must be set
   */
  readonly forAction?: string;
  /**
   * The pieces of the last parse of the same file (an editor's): only the
   * actions whose text changed are parsed again. Default: parsed whole
   */
  readonly parseCache?: ParseCache;
}

/**
 * Loads actions.yml text; `file` is the name diagnostics print. Text over
 * MAX_FILE_BYTES is refused before parsing, as readText refuses such a file
 * (a reload hands the text in directly).
 */
export function loadConfigText(file: string, text: string, options: LoadOptions = {}): LoadResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES)
    return { config: null, data: null, source: null, diagnostics: [fileTooLarge(file)] };
  const parsed = parseYaml(file, text, options.parseCache);
  const { source } = parsed;
  if (hasErrors(parsed.diagnostics)) return { config: null, data: null, source, diagnostics: parsed.diagnostics };

  // The parser's warnings (SW_WARN_COMMENT_EXPR) go on with the rest.
  const scope: ConnectionScope =
    options.forAction === undefined
      ? 'all'
      : new Set(connectionsCalled(plainAt(source, ['actions', options.forAction])));
  const resolved = resolveEnv(source, options.env ?? {}, scope);
  const diagnostics = [...parsed.diagnostics, ...resolved.diagnostics, ...checkLiteralSecrets(source)];
  // Aliases were refused above, so maxAliasCount 0 only guards that promise.
  const data: unknown = source.doc.toJS({ maxAliasCount: 0 });
  diagnostics.push(...validateSchema(source, data));
  const ok = !hasErrors(diagnostics);
  return {
    config: ok ? (data as SlotwireActionsYml) : null,
    data,
    source,
    diagnostics: sortByPosition(diagnostics),
    scope,
    secrets: resolved.secrets,
  };
}

/** The value at `path` as plain data, as the file has it now; undefined when there is none. */
function plainAt(source: SourceFile, path: NodePath): unknown {
  const { node } = locate(source, path);
  return node === null ? undefined : node.toJS(source.doc, { maxAliasCount: 0 });
}

/** Diagnostics in file order, as an editor lists them. */
export function sortByPosition(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.line - b.line || a.col - b.col);
}

/** Reads and loads a file; an unreadable file is a diagnostic, not a throw. */
export async function loadConfigFile(file: string, options: LoadOptions = {}): Promise<LoadResult> {
  const read = await readText(file);
  if ('error' in read) return { config: null, data: null, source: null, diagnostics: [read.error] };
  return loadConfigText(file, read.text, options);
}
