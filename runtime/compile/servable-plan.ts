/**
 * A plan as the engine serves it: per action, what front-ends need to know
 * without running it (description, footprint, deadline, sensitive slots),
 * and the compiled action on demand.
 *
 * Two ways to get one. From a compiled plan (the first load, `slotwire
 * test`): every action is compiled already. From a file checked in full
 * elsewhere (a reload: engine/reload.ts checks it on a worker thread): the
 * check hands over a `CheckedFile`, plain JSON, and each action is compiled
 * on the serving thread the first time it runs. Compiling all of a large
 * file there at once, even in slices, allocated a heap's worth of JSONata
 * trees whose garbage collection delayed webhook answers by up to ~100 ms
 * (bench/reload.mjs); JSONata's trees are closures, so they cannot be
 * built on the worker and passed over.
 */
import type { SlotwireActionsYml } from '../config/index.js';
import type { ConnectionPolicy } from '../http/index.js';
import { compileAction } from './action.js';
import { compileConnections, mcpOf } from './compile-plan.js';
import { readTextRelativeTo } from './read-file.js';
import type { CompileContext } from './context.js';
import type { ParsedExpressions } from './parsed-expressions.js';
import type { ActionFootprint, ActionPlan, Plan, ProgressPlan, ToolPlan } from './plan.js';

/** One served action. */
export interface ActionEntry {
  readonly name: string;
  readonly description: string | null;
  /** The action's deadline, ms. */
  readonly deadlineMs: number;
  /** Slots never shown (`sensitive:`). */
  readonly sensitive: readonly string[];
  readonly footprint: ActionFootprint;
  /** How it is served as an MCP tool; null when it is not one. */
  readonly tool: ToolPlan | null;
  /** `progress:`; empty when none. */
  readonly progress: readonly ProgressPlan[];
  /** The compiled action; compiled on the first call when it came from a CheckedFile, then kept. */
  plan(): ActionPlan;
}

/** A file's connections and actions, ready to serve. */
export interface ServablePlan {
  readonly connections: readonly ConnectionPolicy[];
  readonly actions: ReadonlyMap<string, ActionEntry>;
  /** The plan's secret values (Plan.secrets), for what the engine logs and lists. */
  readonly secrets: ReadonlySet<string>;
}

/** What a full check hands over: JSON-safe, so it can cross threads. */
export interface CheckedFile {
  readonly connections: SlotwireActionsYml['connections'];
  readonly secrets: readonly string[];
  readonly mcp: ReturnType<typeof mcpOf>;
  readonly actions: readonly CheckedAction[];
}

/** One checked action: what an ActionEntry knows, and its YAML as JSON text. */
export interface CheckedAction {
  readonly name: string;
  readonly description: string | null;
  readonly deadlineMs: number;
  readonly sensitive: readonly string[];
  readonly footprint: ActionFootprint;
  readonly tool: ToolPlan | null;
  readonly progress: readonly ProgressPlan[];
  /** `JSON.stringify` of the action as validated, parsed only when it first runs. */
  readonly source: string;
}

/** The entries of a compiled plan. */
export function servableOf(plan: Plan): ServablePlan {
  const actions = new Map<string, ActionEntry>();
  for (const [name, action] of plan.actions) actions.set(name, { ...infoOf(action), plan: () => action });
  return { connections: plan.connections, actions, secrets: plan.secrets };
}

/** What a full check of `config` (whose compiled plan is `plan`) hands over. */
export function checkedFileOf(config: SlotwireActionsYml, plan: Plan): CheckedFile {
  // The plan's connections, not the file's: one loaded for a single action (forAction) leaves out the rest.
  const callable = new Set(plan.connections.map((c) => c.name));
  return {
    connections: Object.fromEntries(Object.entries(config.connections ?? {}).filter(([name]) => callable.has(name))),
    secrets: [...plan.secrets],
    mcp: mcpOf(config),
    actions: [...plan.actions].map(([name, action]) => ({
      ...infoOf(action),
      source: JSON.stringify(config.actions[name]),
    })),
  };
}

/**
 * The entries of a checked file; each action compiles on its first call.
 * @param file - the actions file (TLS files are read relative to it)
 */
export function servableFromChecked(file: string, checked: CheckedFile): ServablePlan {
  // Nothing is reported: the check did that, with positions.
  const cx: CompileContext = { source: null, diagnostics: [] };
  const connections = compileConnections(
    cx,
    { version: 1, connections: checked.connections, actions: {} },
    readTextRelativeTo(file),
  );
  const actions = new Map<string, ActionEntry>();
  const expressions: ParsedExpressions = new Map();
  for (const { source, ...info } of checked.actions) {
    let compiled: ActionPlan | null = null;
    actions.set(info.name, {
      ...info,
      plan: () =>
        (compiled ??= compileAction({ source: null, diagnostics: [], expressions }, info.name, JSON.parse(source), {
          connections,
          mcp: checked.mcp,
        })),
    });
  }
  return { connections: [...connections.values()].map((c) => c.policy), actions, secrets: new Set(checked.secrets) };
}

function infoOf(action: ActionPlan): Omit<ActionEntry, 'plan'> {
  return {
    name: action.name,
    description: action.description,
    deadlineMs: action.deadlineMs,
    sensitive: [...action.sensitive],
    footprint: action.footprint,
    tool: action.tool,
    progress: action.progress,
  };
}
