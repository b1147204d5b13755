/**
 * The files the authoring page is a lens on: the actions file (with
 * validate's diagnostics), its test file (the fixtures) and the Rasa
 * project (slot types, the domain's slots). Each is re-read when it
 * changes on disk, so the page follows an editor; the files stay the
 * source of truth.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { locate, positionOfNode, readText } from '../config/index.js';
import type { Diagnostic, Env, SlotwireActionsYml, SourceFile, TestCase } from '../config/index.js';
import type { ActionPlan, Plan } from '../engine/index.js';
import { watchFile, watchFolder } from '../engine/index.js';
import { MASK, SAFE_METHODS } from '../engine/index.js';
import { slotTypesOf } from '../mcp/index.js';
import type { SlotTypes } from '../mcp/index.js';
import { checkActionsText } from '../project/index.js';
import type { FileText, Project } from '../project/index.js';
import { placeholderEnv } from '../testing/index.js';
import type { StudioAction, StudioDiagnostic, StudioSlotInput, StudioState } from './api.js';

/** Options of {@link openWorkspace}. */
export interface WorkspaceOptions {
  readonly actionsFile: string;
  /** Where fixtures are read and test cases saved (it may not exist yet). */
  readonly testFile: string;
  /**
   * The real environment: the file is checked with it, placeholders standing
   * in for what it does not set (as `validate --placeholder-env`), so the
   * page lists the actions whatever is set; a run says which variable its
   * connections miss.
   */
  readonly env: Env;
  /** The Rasa project (--project/--domain), or null. */
  readonly project: ProjectSource | null;
}

/** Where the Rasa project comes from: read at the start, and again after one of its files changed. */
export interface ProjectSource {
  /** The files and folders to watch (the domain's, the flows'); a folder is watched with everything in it. */
  readonly paths: readonly string[];
  /** Reads the project now; a project that cannot be read is a Project with its `error`. */
  read(): Promise<Project | null>;
}

/** The files, as they are on disk now. */
export interface Workspace {
  state(): StudioState;
  /** The Rasa project as last read, or null without one. */
  project(): Project | null;
  /** The test file's case at `index`, or undefined. */
  testCase(index: number): TestCase | undefined;
  /** Re-reads the files now (after the studio wrote one). */
  refresh(): Promise<void>;
  /**
   * The diagnostics the actions file would have with `actionsText` (a write
   * the studio is about to make). The check is kept: the refresh that
   * follows the write compiles nothing again.
   */
  check(actionsText: string): Promise<readonly StudioDiagnostic[]>;
  /** Calls `listener` with the new version after each change; returns a function that stops it. */
  onChange(listener: (version: number) => void): () => void;
  close(): void;
}

/** A read of both files. */
interface Snapshot {
  readonly hash: string;
  readonly diagnostics: readonly StudioDiagnostic[];
  /** The last version of the actions file without errors, and its source (for lines). */
  readonly good: { readonly plan: Plan; readonly config: SlotwireActionsYml; readonly source: SourceFile } | null;
  readonly ok: boolean;
  readonly tests: readonly TestCase[];
  readonly types: SlotTypes;
}

/** Reads the files, then watches them. */
export async function openWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const listeners = new Set<(version: number) => void>();
  let version = 1;
  let project = (await options.project?.read()) ?? null;
  let snapshot = snapshotOf(options, project, await readFiles(options, project), null);
  // A text checked before the studio wrote it: its snapshot, ready for the refresh after the write.
  let checked: Snapshot | null = null;
  // Reads are chained: a slow read never overtakes a later one.
  let reading: Promise<void> = Promise.resolve();
  const refresh = (projectChanged = false): Promise<void> => {
    reading = reading.then(async () => {
      if (projectChanged && options.project) project = await options.project.read();
      // A watch fires for saves that change nothing, too: compiled again only when the text changed.
      const files = await readFiles(options, project);
      if (files.hash === snapshot.hash) return;
      snapshot = checked?.hash === files.hash ? checked : snapshotOf(options, project, files, snapshot.good);
      checked = null;
      version += 1;
      for (const listener of listeners) listener(version);
    });
    return reading;
  };
  const check = async (actionsText: string): Promise<readonly StudioDiagnostic[]> => {
    await reading;
    const candidate = snapshotOf(options, project, await readFiles(options, project, actionsText), snapshot.good);
    checked = candidate;
    return candidate.diagnostics;
  };
  const watchers: FSWatcher[] = [
    ...[options.actionsFile, options.testFile].map((file) => watchFile(file, () => void refresh())),
    ...(options.project?.paths ?? []).flatMap((path) => watchPath(path, () => void refresh(true))),
  ];
  return {
    state: () => stateOf(project, snapshot, options, version),
    project: () => project,
    testCase: (index) => snapshot.tests[index],
    refresh: () => refresh(),
    check,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      for (const w of watchers) w.close();
      listeners.clear();
    },
  };
}

/**
 * Watches a path of the project: the path itself (made, replaced, removed),
 * and when it is a folder everything in it. A path that cannot be watched
 * (its folder is missing) is read at each other change only.
 */
function watchPath(path: string, changed: () => void): FSWatcher[] {
  const watchers: FSWatcher[] = [];
  try {
    watchers.push(watchFile(path, changed));
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) watchers.push(watchFolder(path, changed));
  } catch {
    // A --domain path in a folder that does not exist: the project read says so, as a diagnostic.
  }
  return watchers;
}

/** Both files' text, each read once, or why it could not be read. */
interface Files {
  /** Of both texts and the project as read: unchanged, nothing is compiled again. */
  readonly hash: string;
  readonly actions: FileText;
  readonly tests: FileText;
}

async function readFiles(options: WorkspaceOptions, project: Project | null, actionsText?: string): Promise<Files> {
  const [actions, tests] = await Promise.all([
    actionsText === undefined ? readText(options.actionsFile) : { text: actionsText },
    readText(options.testFile),
  ]);
  const hash = createHash('sha256')
    .update('text' in actions ? actions.text : '')
    .update('\0')
    .update('text' in tests ? tests.text : '')
    .update('\0')
    .update(
      JSON.stringify(project, (_key, value: unknown) =>
        value instanceof Map || value instanceof Set ? [...value] : value,
      ),
    )
    .digest('hex');
  return { hash, actions, tests };
}

function snapshotOf(
  options: WorkspaceOptions,
  project: Project | null,
  files: Files,
  lastGood: Snapshot['good'],
): Snapshot {
  const { diagnostics, plan, loaded, ...checked } = checkActionsText({
    actionsFile: options.actionsFile,
    actions: files.actions,
    testFile: options.testFile,
    tests: files.tests,
    env: placeholderEnv(options.env),
    project,
  });
  const good =
    plan && loaded.config && loaded.source ? { plan, config: loaded.config, source: loaded.source } : lastGood;
  const tests = checked.tests?.tests?.tests ?? [];
  const domain = project !== null && !('error' in project) ? project.domain : null;
  return {
    hash: files.hash,
    diagnostics: diagnostics.map(studioDiagnostic),
    good,
    ok: plan !== null,
    tests,
    types: slotTypesOf(domain, tests),
  };
}

function studioDiagnostic(d: Diagnostic): StudioDiagnostic {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    hint: d.hint,
    file: d.file,
    line: d.line,
    col: d.col,
  };
}

function stateOf(read: Project | null, s: Snapshot, options: WorkspaceOptions, version: number): StudioState {
  const project = read !== null && !('error' in read) ? read : null;
  return {
    file: options.actionsFile,
    testFile: options.testFile,
    version,
    ok: s.ok,
    diagnostics: s.diagnostics,
    actions: s.good ? [...s.good.plan.actions.values()].map((a) => actionOf(a, s)) : [],
    domainSlots: project ? [...project.domain.slots.keys()] : [],
  };
}

/** A request of the file as written: `path` keeps its `{{ }}`. */
interface WrittenRequest {
  readonly connection?: string;
  readonly method?: string;
  readonly path?: string;
}

function actionOf(a: ActionPlan, s: Snapshot): StudioAction {
  const good = s.good as NonNullable<Snapshot['good']>;
  const requests = writtenRequests(good.config.actions[a.name]);
  const located = locate(good.source, ['actions', a.name]);
  return {
    name: a.name,
    description: a.description,
    connections: [...new Set(requests.map((r) => r.connection ?? ''))].filter((c) => c !== ''),
    calls: requests.map((r) => `${r.method ?? 'GET'} ${r.path ?? '/'}`),
    changesData: requests.some((r) => !SAFE_METHODS.has((r.method ?? 'GET') as 'GET')),
    reads: a.footprint.slotsRead.map((name) => slotInput(name, a.sensitive.has(name), s.types)),
    sets: a.footprint.slotsSet,
    fixtures: s.tests.flatMap((c, index) =>
      c.action === a.name && (c.http?.length ?? 0) > 0
        ? [{ index, name: c.name, slots: maskSlots(c.slots ?? {}, a.sensitive) }]
        : [],
    ),
    line: positionOfNode(good.source, located.key ?? located.node).line,
  };
}

/** The action's requests as written, in order: `request:`, or each of its `steps:` (parallel groups flattened). */
function writtenRequests(action: unknown): WrittenRequest[] {
  const a = action as
    | {
        request?: WrittenRequest;
        steps?: readonly { request?: WrittenRequest; parallel?: readonly { request?: WrittenRequest }[] }[];
      }
    | undefined;
  if (a?.request) return [a.request];
  return (a?.steps ?? []).flatMap((step) =>
    step.parallel ? step.parallel.map((p) => p.request ?? {}) : [step.request ?? {}],
  );
}

function maskSlots(slots: Readonly<Record<string, unknown>>, sensitive: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(slots).map(([name, value]) => [name, sensitive.has(name) ? MASK : value]));
}

/** How the form asks for a slot: the JSON Schema the MCP tools use (domain, else tests), as an input type. */
function slotInput(name: string, sensitive: boolean, types: SlotTypes): StudioSlotInput {
  const known = types(name);
  const schema = known?.schema ?? {};
  const choices = Array.isArray(schema['enum']) ? (schema['enum'] as unknown[]).map(String) : [];
  const type =
    choices.length > 0
      ? 'choice'
      : schema['type'] === 'string'
        ? 'text'
        : schema['type'] === 'number' || schema['type'] === 'integer'
          ? 'number'
          : schema['type'] === 'boolean'
            ? 'boolean'
            : schema['type'] === 'array'
              ? 'list'
              : 'any';
  return { name, type, choices, from: known?.from ?? null, sensitive };
}
