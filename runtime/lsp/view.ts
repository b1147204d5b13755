/**
 * What the editor features (completion, hover, definition) read of an
 * actions file: its text now, and what the last check found (the file as
 * data, the Rasa project, the test file).
 */
import type { Action, SourceFile, TestFileResult } from '../config/index.js';
import type { ReadText } from '../engine/index.js';
import type { ProjectDomain } from '../project/index.js';

/** An open actions file as the features see it. */
export interface FileView {
  readonly file: string;
  readonly uri: string;
  /** The text as the editor has it now (completion runs before the next check). */
  readonly text: string;
  /** The last parse that gave a mapping: names (connections, actions, steps) stay known while a line is mid-edit. */
  readonly data: Readonly<Record<string, unknown>>;
  /** The source of the last check, for positions; null when it did not parse. */
  readonly source: SourceFile | null;
  readonly domain: ProjectDomain | null;
  readonly testFile: string;
  /** The test file as the last check loaded it, with positions; null when there is none. */
  readonly tests: TestFileResult | null;
  /** Reads a file relative to the actions file, open editors first. */
  readonly readText: ReadText;
}

/** The file's actions as written, by name. */
export function actionsOf(view: FileView): Readonly<Record<string, Action>> {
  const actions = view.data['actions'];
  return actions && typeof actions === 'object' ? (actions as Record<string, Action>) : {};
}

/** The names under a top-level mapping (`connections`, `actions`). */
export function namesUnder(view: FileView, key: string): string[] {
  const map = view.data[key];
  return map && typeof map === 'object' && !Array.isArray(map) ? Object.keys(map) : [];
}

/** The step names of an action with `steps:`, parallel groups included. */
export function stepNamesOf(action: Action | undefined): string[] {
  const steps = (action as { steps?: unknown } | undefined)?.steps;
  if (!Array.isArray(steps)) return [];
  return steps.flatMap((s: unknown) => {
    const item = s as { name?: unknown; parallel?: unknown } | null;
    if (Array.isArray(item?.parallel)) return (item.parallel as { name?: unknown }[]).map((p) => String(p?.name ?? ''));
    return typeof item?.name === 'string' ? [item.name] : [];
  });
}

/** The test cases of the test file, as data; none without one. */
export function testCasesOf(view: FileView): readonly Readonly<Record<string, unknown>>[] {
  const data = view.tests?.source?.doc.toJS({ maxAliasCount: 0 }) as { tests?: unknown } | null | undefined;
  return Array.isArray(data?.tests) ? (data.tests as Record<string, unknown>[]) : [];
}
