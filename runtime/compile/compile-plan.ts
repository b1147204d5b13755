/**
 * `compilePlan(loaded) → { plan, diagnostics }`: the whole file, compiled
 * once. The plan is null when any error was found; warnings pass through.
 */
import { hasErrors, loadConfigFile, sortByPosition } from '../config/index.js';
import type { Diagnostic, Env, LoadResult } from '../config/index.js';
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

/** Compiles a loaded file. */
export function compilePlan(loaded: LoadResult, options: CompileOptions = {}): CompileResult {
  const { config, source } = loaded;
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
  if (hasErrors(diagnostics)) return { plan: null, diagnostics };
  return { plan: { actions, connections: [...connections.values()].map((c) => c.policy) }, diagnostics };
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
