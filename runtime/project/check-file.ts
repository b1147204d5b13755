/**
 * Everything `slotwire validate` says about one actions file, with or
 * without the Rasa project: the compiler's diagnostics, and with a project
 * its cross-check. The authoring page shows the same list, so both call this.
 */
import { hasErrors, sortByPosition } from '../config/index.js';
import type { Diagnostic, LoadResult } from '../config/index.js';
import { compilePlan } from '../compile/index.js';
import type { CompileOptions, Plan } from '../compile/index.js';
import { crossCheck } from './cross-check.js';
import type { CrossCheck } from './cross-check.js';
import type { FlowCall, FlowCondition, ProjectDomain } from './domain.js';
import { unstreamedProgress } from './endpoints.js';
import type { ActionTransport } from './endpoints.js';

/**
 * A Rasa project read (--domain, --project), or why it could not be.
 * `transport`: how its endpoints.yml has Rasa call the actions; absent or null when not known.
 */
export type Project =
  | {
      readonly domain: ProjectDomain;
      readonly flows: FlowCondition[];
      readonly calls: FlowCall[];
      readonly transport?: ActionTransport | null;
    }
  | { readonly error: Diagnostic };

/** What validate reports of a file. */
export interface FileCheck {
  /** Every problem, in file order (the project's own read error included). */
  readonly diagnostics: readonly Diagnostic[];
  /** The plan, when nothing is an error. */
  readonly plan: Plan | null;
  /** The project cross-check, when a project was read and the file loaded. */
  readonly check: CrossCheck | null;
}

/**
 * Checks a loaded actions file, against `project` when one is given.
 * `options`: how files beside it are read, a cache of compiled actions (CompileOptions), and
 * `fallback`: the actions a fallback action server lists, counted as served by the cross-check.
 */
export function checkActionsFile(
  loaded: LoadResult,
  project: Project | null,
  options: Pick<CompileOptions, 'readText' | 'cache'> & { readonly fallback?: ReadonlySet<string> | null } = {},
): FileCheck {
  const read = project !== null && !('error' in project) ? project : null;
  const { fallback = null, ...compileOptions } = options;
  const compiled = compilePlan(loaded, {
    ...compileOptions,
    ...(read ? { slotTypes: new Map([...read.domain.slots].map(([name, slot]) => [name, slot.type])) } : {}),
  });
  const check =
    read && loaded.config && loaded.source
      ? crossCheck(loaded.config, loaded.source, read.domain, read.flows, read.calls, fallback, compiled.slotReads)
      : null;
  // With a project, its domain says which slots exist; the guess made without one (SW_WARN_SLOT_NEVER_SET) goes.
  const own = project ? compiled.diagnostics.filter((d) => d.code !== 'SW_WARN_SLOT_NEVER_SET') : compiled.diagnostics;
  const unstreamed =
    read?.transport === 'http' && loaded.config && loaded.source
      ? unstreamedProgress(loaded.config, loaded.source)
      : [];
  const diagnostics = sortByPosition([
    ...own,
    ...(check?.diagnostics ?? []),
    ...unstreamed,
    ...(project && 'error' in project ? [project.error] : []),
  ]);
  return { diagnostics, plan: hasErrors(diagnostics) ? null : compiled.plan, check };
}
