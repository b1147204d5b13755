/**
 * `compilePlan(loaded) → { plan, diagnostics }`: the whole file, compiled
 * once. The plan is null when any error was found; warnings pass through.
 */
import {
  closest,
  conformsTo,
  connectionsCalled,
  hasErrors,
  loadConfigFile,
  sortByPosition,
  withoutUnknownKeys,
} from '../config/index.js';
import type { Action, Diagnostic, LoadOptions, LoadResult, SlotwireActionsYml } from '../config/index.js';
import { compileAction } from './action.js';
import { openSession } from './action-cache.js';
import type { ActionCache, CacheSession, CompiledAction } from './action-cache.js';
import { compileConnection } from './connection.js';
import type { CompiledConnection } from './connection.js';
import { readTextRelativeTo } from './read-file.js';
import type { ReadText } from './read-file.js';
import { keyPositionOf, positionOf, report } from './context.js';
import type { CompileContext } from './context.js';
import type { ActionPlan, Plan } from './plan.js';
import { warnSlotsNeverSet } from './slot-reads.js';
import type { SlotReadSite } from './slot-reads.js';

/** Options of {@link compilePlan}. */
export interface CompileOptions {
  /** Reads TLS files and the test file beside the actions file. Default: from disk, relative to the actions file. */
  readonly readText?: ReadText;
  /** The Rasa domain's slot types (`bool`, `float`, `text`, …), to check mapped response paths against (validate --project). Default: none */
  readonly slotTypes?: ReadonlyMap<string, string>;
  /**
   * Answers to check each action's response paths against instead of its
   * `response_schema:` or fixtures (`slotwire test --live`), by action, and
   * what to call them in messages. Default: none
   */
  readonly answers?: { readonly bodies: ReadonlyMap<string, readonly unknown[]>; readonly source: string };
  /**
   * Compiled actions kept from the last compile of the same file: an
   * action whose text and surroundings are unchanged is taken from it
   * (`slotwire lsp` compiles at every edit). Not used with `answers`.
   * Default: none, every action is compiled
   */
  readonly cache?: ActionCache;
}

/** The outcome of compiling: a plan when there were no errors, and every diagnostic. */
export interface CompileResult {
  readonly plan: Plan | null;
  readonly diagnostics: readonly Diagnostic[];
  /** Every `slots.<name>` the compiled actions read, placed (the project cross-check checks them against the domain). */
  readonly slotReads: readonly SlotReadSite[];
}

/**
 * Compiles a loaded file. A file with schema or `${VAR}` errors still has
 * its valid actions and connections compiled, so expression errors are
 * reported in the same run; the plan is then null.
 */
export function compilePlan(loaded: LoadResult, options: CompileOptions = {}): CompileResult {
  const { source } = loaded;
  const parts = loaded.config ? { config: loaded.config, callsMisspelt: new Set<string>() } : validParts(loaded.data);
  if (!parts || !source) return { plan: null, diagnostics: loaded.diagnostics, slotReads: [] };
  const { config, callsMisspelt } = parts;
  const cx: CompileContext = { source, diagnostics: [...loaded.diagnostics], slotReads: [], expressions: new Map() };
  const declaredConnections = namesUnder(loaded.data, 'connections');
  const mcp = mcpOf(config);
  const session: CacheSession | null =
    options.cache && !options.answers
      ? openSession(options.cache, source, options.readText ?? readTextRelativeTo(source.file), {
          connections: config.connections,
          declaredConnections,
          mcp,
          slotTypes: options.slotTypes ? [...options.slotTypes] : null,
          callsMisspelt: [...callsMisspelt],
        })
      : null;
  const readText = session?.readText ?? options.readText ?? readTextRelativeTo(source.file);
  const connections = compileConnections(cx, config, readText);

  const actions = new Map<string, ActionPlan>();
  for (const [name, a] of Object.entries(config.actions)) {
    let compiled = session?.get(name) ?? null;
    if (compiled === null) {
      const own: CompileContext = { source, diagnostics: [], slotReads: [], expressions: cx.expressions };
      const answers = options.answers?.bodies.get(name);
      const plan = compileAction(own, name, a, {
        connections,
        declaredConnections,
        mcp,
        readText,
        ...(options.slotTypes ? { slotTypes: options.slotTypes } : {}),
        ...(answers && options.answers ? { answers: { bodies: answers, source: options.answers.source } } : {}),
      });
      if (callsMisspelt.has(name)) dropMissingCallFollowOns(own.diagnostics, 0);
      compiled = { plan, diagnostics: own.diagnostics, slotReads: own.slotReads ?? [] } satisfies CompiledAction;
      session?.set(name, compiled);
    }
    actions.set(name, compiled.plan);
    cx.diagnostics.push(...compiled.diagnostics);
    cx.slotReads?.push(...compiled.slotReads);
  }
  session?.done();

  if (loaded.config) warnSlotsNeverSet(cx, cx.slotReads ?? [], actions.values(), readText);
  reportToolClashes(cx, actions.values());
  const used = usedConnections(loaded.data, declaredConnections);
  for (const name of connections.keys()) {
    if (!used.has(name)) report(cx, 'SW_WARN_UNUSED_CONNECTION', keyPositionOf(cx, ['connections', name]), [name]);
  }
  const diagnostics = sortByPosition(cx.diagnostics);
  const slotReads = (cx.slotReads ?? []).map((r) => ({
    slot: r.slot,
    action: String(r.path[1]),
    at: positionOf(cx, r.path, r.index),
  }));
  if (hasErrors(diagnostics) || !loaded.config) return { plan: null, diagnostics, slotReads };
  // Loaded for one action (forAction), only its connections are resolved, and only they get a client.
  const { scope = 'all' } = loaded;
  const callable = [...connections.values()].filter((c) => scope === 'all' || scope.has(c.policy.name));
  return {
    plan: { actions, connections: callable.map((c) => c.policy), secrets: new Set(loaded.secrets) },
    diagnostics,
    slotReads,
  };
}

/** Every connection of a file, compiled. */
export function compileConnections(
  cx: CompileContext,
  config: SlotwireActionsYml,
  readText: ReadText,
): Map<string, CompiledConnection> {
  const connections = new Map<string, CompiledConnection>();
  for (const [name, c] of Object.entries(config.connections ?? {}))
    connections.set(name, compileConnection(cx, name, c, readText));
  return connections;
}

/**
 * The actions and connections of a broken file that are valid on their own,
 * and the actions whose `request`/`steps` key was misspelt (and so dropped);
 * an action is kept only when every connection it calls was kept too, so no
 * reference error is invented.
 */
function validParts(data: unknown): { config: SlotwireActionsYml; callsMisspelt: Set<string> } | null {
  if (data === null || typeof data !== 'object') return null;
  const { connections, actions } = data as { connections?: unknown; actions?: unknown };
  const callsMisspelt = new Set<string>();
  const keep = (map: unknown, kind: 'action' | 'connection') =>
    Object.fromEntries(
      Object.entries(map && typeof map === 'object' ? map : {}).flatMap(([name, v]) => {
        // A misspelt key is the commonest schema error; without it the rest may be checkable.
        const known = withoutUnknownKeys(kind, v);
        if (
          kind === 'action' &&
          Object.keys(v as object).some((k) => !(k in (known as object)) && closest(k, ['request', 'steps']) !== null)
        )
          callsMisspelt.add(name);
        return conformsTo(kind, known) ? [[name, known]] : [];
      }),
    );
  const validConnections = keep(connections, 'connection');
  const declared = new Set(namesUnder(data, 'connections'));
  const validActions = Object.fromEntries(
    Object.entries(keep(actions, 'action') as Record<string, Action>).filter(([, a]) =>
      connectionsCalled(a).every((c) => c in validConnections || !declared.has(c)),
    ),
  );
  return {
    config: { version: 1, connections: validConnections as SlotwireActionsYml['connections'], actions: validActions },
    callsMisspelt,
  };
}

/** The names of the mapping under `key` of the file as written, valid or not; none when it is not a mapping. */
function namesUnder(data: unknown, key: 'connections'): string[] {
  const map = data && typeof data === 'object' ? (data as Record<string, unknown>)[key] : undefined;
  return map && typeof map === 'object' && !Array.isArray(map) ? Object.keys(map) : [];
}

/**
 * Connections some action calls, from the file as written: an
 * action dropped for an error in its request still uses its connection,
 * and a misspelt name uses the connection it was meant to, so neither adds
 * an "unused connection" warning to the error that says what to fix.
 */
function usedConnections(data: unknown, declared: readonly string[]): Set<string> {
  const actions =
    data && typeof data === 'object' && 'actions' in data && data.actions && typeof data.actions === 'object'
      ? Object.values(data.actions)
      : [];
  return new Set(
    actions
      .flatMap(connectionsCalled)
      .map((name) => (declared.includes(name) ? name : (closest(name, declared) ?? name))),
  );
}

/**
 * An action checked without its misspelt `request`/`steps` would report
 * every read of `response` or `steps` as unreadable; the unknown-key error
 * already says what to fix, so those follow-ons (from index `from`) go.
 */
function dropMissingCallFollowOns(diagnostics: Diagnostic[], from: number): void {
  const followOn = (d: Diagnostic) =>
    d.code === 'SW_REF_NO_STEPS' || (d.code === 'SW_EXPR_NOT_HERE' && /^"(response|steps)"/.test(d.message));
  const kept = diagnostics.slice(from).filter((d) => !followOn(d));
  diagnostics.splice(from, diagnostics.length - from, ...kept);
}

/** Options of {@link loadPlan}: how the file is loaded (LoadOptions), then compiled. */
export interface LoadPlanOptions extends CompileOptions, LoadOptions {}

/** Reads, validates and compiles an actions file in one call. */
export async function loadPlan(file: string, options: LoadPlanOptions = {}): Promise<CompileResult> {
  const { env, forAction } = options;
  const loaded = await loadConfigFile(file, {
    ...(env ? { env } : {}),
    ...(forAction === undefined ? {} : { forAction }),
  });
  return compilePlan(loaded, options);
}

/** The file's `mcp:` section, for compileAction. */
export function mcpOf(config: SlotwireActionsYml): { readonly tools: 'all' | 'marked'; readonly declared: boolean } {
  return { tools: config.mcp?.tools ?? 'all', declared: config.mcp !== undefined };
}

/** Two actions served as one tool name: an MCP client could reach only one of them. */
function reportToolClashes(cx: CompileContext, actions: Iterable<ActionPlan>): void {
  const byTool = new Map<string, string>();
  for (const action of actions) {
    if (action.tool === null) continue;
    const first = byTool.get(action.tool.name);
    if (first === undefined) byTool.set(action.tool.name, action.name);
    else
      report(cx, 'SW_TOOL_NAME_CLASH', keyPositionOf(cx, ['actions', action.name]), [
        first,
        action.name,
        action.tool.name,
      ]);
  }
}
