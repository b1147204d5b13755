/**
 * `compilePlan(loaded) → { plan, diagnostics }`: the whole file, compiled
 * once. The plan is null when any error was found; warnings pass through.
 */
import { closest, conformsTo, hasErrors, loadConfigFile, sortByPosition, withoutUnknownKeys } from '../config/index.js';
import type { Action, Diagnostic, Env, LoadResult, SlotwireActionsYml } from '../config/index.js';
import { compileAction } from './action.js';
import { compileConnection, readTextRelativeTo } from './connection.js';
import type { CompiledConnection, ReadText } from './connection.js';
import { keyPositionOf, report } from './context.js';
import type { CompileContext } from './context.js';
import type { ActionPlan, Plan } from './plan.js';

/** Options of {@link compilePlan}. */
export interface CompileOptions {
  /** Reads TLS files. Default: from disk, relative to the actions file. */
  readonly readText?: ReadText;
}

/** The outcome of compiling: a plan when there were no errors, and every diagnostic. */
export interface CompileResult {
  readonly plan: Plan | null;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Compiles a loaded file. A file with schema or `${VAR}` errors still has
 * its valid actions and connections compiled, so expression errors are
 * reported in the same run; the plan is then null.
 */
export function compilePlan(loaded: LoadResult, options: CompileOptions = {}): CompileResult {
  const { source } = loaded;
  const config = loaded.config ?? validParts(loaded.data);
  if (!config || !source) return { plan: null, diagnostics: loaded.diagnostics };
  const cx: CompileContext = { source, diagnostics: [...loaded.diagnostics] };
  const readText = options.readText ?? readTextRelativeTo(source.file);

  const connections = new Map<string, CompiledConnection>();
  for (const [name, c] of Object.entries(config.connections ?? {})) connections.set(name, compileConnection(cx, name, c, readText));

  const actions = new Map<string, ActionPlan>();
  for (const [name, a] of Object.entries(config.actions)) actions.set(name, compileAction(cx, name, a, { connections }));

  const used = new Set([...actions.values()].flatMap((a) => a.groups.flat().map((s) => s.request.connection)));
  for (const name of connections.keys()) {
    if (!used.has(name)) report(cx, 'SW_WARN_UNUSED_CONNECTION', keyPositionOf(cx, ['connections', name]), [name]);
  }
  const diagnostics = sortByPosition(cx.diagnostics);
  if (hasErrors(diagnostics) || !loaded.config) return { plan: null, diagnostics };
  return { plan: { actions, connections: [...connections.values()].map((c) => c.policy) }, diagnostics };
}

/**
 * The actions and connections of a broken file that are valid on their own;
 * an action is kept only when every connection it calls was kept too, so no
 * reference error is invented.
 */
function validParts(data: unknown): SlotwireActionsYml | null {
  if (data === null || typeof data !== 'object') return null;
  const { connections, actions } = data as { connections?: unknown; actions?: unknown };
  const keep = (map: unknown, kind: 'action' | 'connection') =>
    Object.fromEntries(
      Object.entries(map && typeof map === 'object' ? map : {}).flatMap(([name, v]) => {
        // A misspelt key is the commonest schema error; without it the rest
        // may be checkable. Not when the key was the action's calls (`reqest`):
        // its mappings would then be reported as reading a missing response.
        const known = withoutUnknownKeys(kind, v);
        const lostCalls = kind === 'action' && Object.keys(v as object).some((k) => !(k in (known as object)) && closest(k, ['request', 'steps']) !== null);
        return !lostCalls && conformsTo(kind, known) ? [[name, known]] : [];
      }),
    );
  const validConnections = keep(connections, 'connection');
  const declared = new Set(Object.keys(connections && typeof connections === 'object' ? connections : {}));
  const calls = (a: Action): string[] => [a.request?.connection, ...(a.steps ?? []).flatMap((s) => ('parallel' in s ? s.parallel.map((p) => p.request.connection) : [s.request.connection]))].filter((c): c is string => c !== undefined);
  const validActions = Object.fromEntries(
    Object.entries(keep(actions, 'action') as Record<string, Action>).filter(([, a]) => calls(a).every((c) => c in validConnections || !declared.has(c))),
  );
  return { version: 1, connections: validConnections as SlotwireActionsYml['connections'], actions: validActions };
}

/** Options of {@link loadPlan}. */
export interface LoadPlanOptions extends CompileOptions {
  /** Where `${VAR}` values come from. Default: an empty environment. */
  readonly env?: Env;
}

/** Reads, validates and compiles an actions file in one call. */
export async function loadPlan(file: string, options: LoadPlanOptions = {}): Promise<CompileResult> {
  const loaded = await loadConfigFile(file, options.env ? { env: options.env } : {});
  return compilePlan(loaded, options);
}
