/**
 * createEngine: the core every front-end shares (docs/engine.md). It loads
 * and compiles the actions file, serves its actions with
 * the code actions beside them, owns reloads, and holds the long-lived
 * parts: the upstream registry (pools by connection declaration) and the
 * state store. Front-ends translate a protocol to `run` and back.
 */
import { createHash } from 'node:crypto';
import type { FSWatcher } from 'node:fs';
import { compilePlan, servableOf } from '../compile/index.js';
import type { ServablePlan } from '../compile/index.js';
import type { Diagnostic, LoadOptions } from '../config/index.js';
import { loadConfigText, readText } from '../config/index.js';
import { createUpstreams } from '../http/index.js';
import { ActionsFileError, EngineError } from './errors.js';
import { createGeneration } from './generation.js';
import type { Generation } from './generation.js';
import { actionInput } from './input.js';
import { watchFile } from './watch-file.js';
import { createReloader } from './reload.js';
import type { Loaded, Reloader } from './reload.js';
import { engineStores } from './stores.js';
import type { Engine, EngineLogger, EngineOptions, ReloadEvent, RunInput, RunOptions, RunResult } from './types.js';

const silent: EngineLogger = { info() {}, warn() {}, error() {} };

/**
 * Loads, compiles and serves. Throws ActionsFileError when the actions file
 * has errors, and ActionNameClashError when a YAML and a code action share a name.
 * @example
 * const engine = await createEngine({ actionsFile: 'actions.yml', env: process.env });
 * const { events, outcome } = await engine.run('check_order', { slots: { order_id: '007' } });
 * if (outcome.status === 'error') console.log(outcome.error.kind, outcome.error.reason);
 * await engine.close();
 */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const { actionsFile, env = {}, codeActions = [], autoReload = false, logger = silent, observer } = options;
  const load: LoadOptions = { env, ...(options.forAction === undefined ? {} : { forAction: options.forAction }) };
  const stores = engineStores(options.state, options.http?.now, logger, observer);
  const upstreams = createUpstreams({ ...options.http, state: stores.http });
  const build = (plan: ServablePlan | null, hash: string | null): Generation =>
    createGeneration({ plan, hash, codeActions, upstreams, stores, logger });

  let current = build(...(await firstVersion(options, load, logger)));
  const reloads = createReloads({
    actionsFile,
    load,
    logger,
    // With auto-reload the worker starts now, so the first edit does not wait for it.
    reloader: createReloader({ warm: autoReload && actionsFile !== undefined }),
    served: () => current,
    swap(plan, hash) {
      const next = build(plan, hash);
      const previous = current;
      // One assignment: runs already going keep the old generation and its
      // pools; every new run sees the new one.
      current = next;
      previous.retire();
      return next;
    },
  });
  const watcher: FSWatcher | null =
    autoReload && actionsFile
      ? watchFile(actionsFile, () => {
          reloads.reload().catch((err: unknown) => logger.error({ err: (err as Error).message }, 'reload failed'));
        })
      : null;
  let closed = false;

  return {
    async run(name: string, input: RunInput, runOptions: RunOptions = {}): Promise<RunResult> {
      if (closed) throw new EngineError('SW_ENGINE_CLOSED', 'the engine is closed');
      const generation = current;
      const action = generation.actions.get(name);
      if (action === undefined) throw new EngineError('SW_ENGINE_UNKNOWN_ACTION', `no action named "${name}"`);
      generation.enter();
      const given = actionInput(name, input);
      const watch = observer?.run(action.info, given, runOptions.trace);
      try {
        const result = await action.run(
          given,
          watch?.trace === undefined ? runOptions : { ...runOptions, trace: watch.trace },
        );
        watch?.end(result);
        return result;
      } catch (err) {
        watch?.end(null, err);
        throw err;
      } finally {
        generation.leave();
      }
    },
    action: (name) => current.actions.get(name)?.info,
    actions: () => current.list,
    reload: () => (closed ? Promise.resolve(unchanged(current)) : reloads.reload()),
    onReload: reloads.onReload,
    connections: () => current.connections,
    secretValues: () => current.secrets,
    status: () => ({ actions: current.list.length, hash: current.hash, ...reloads.status(), state: stores.health() }),
    async close() {
      if (closed) return;
      closed = true;
      watcher?.close();
      await reloads.close();
      await current.close();
      await upstreams.close();
      await stores.close();
    },
  };
}

/**
 * The first version served: the plan given, or the actions file read and
 * checked on this thread (nothing is served yet, so nothing waits), or
 * none. Throws ActionsFileError when the file has errors.
 */
async function firstVersion(
  options: EngineOptions,
  load: LoadOptions,
  logger: EngineLogger,
): Promise<[ServablePlan | null, string | null]> {
  if (options.compiled !== undefined) {
    warn(logger, options.compiled.diagnostics);
    return [servableOf(options.compiled.plan), null];
  }
  if (!options.actionsFile) return [null, null];
  // Nothing is served yet, so no hash can match: a version is a plan or a refusal.
  const version = await readVersion(options.actionsFile, load, null, checkHere);
  if (!('plan' in version))
    throw new ActionsFileError(options.actionsFile, 'refused' in version ? version.diagnostics : []);
  warn(logger, version.diagnostics);
  return [version.plan, version.hash];
}

/** A version of the actions file, checked and ready to serve; or the diagnostics that refuse it. */
type Version =
  | { readonly plan: ServablePlan; readonly hash: string; readonly diagnostics: readonly Diagnostic[] }
  | { readonly refused: true; readonly diagnostics: readonly Diagnostic[] }
  | { readonly unchanged: true; readonly hash: string };

/** How a file's text becomes a servable plan: on this thread, or in the reload worker. */
type Check = (file: string, text: string, load: LoadOptions) => Promise<Loaded> | Loaded;

/**
 * The one way a version is made, at start and on every reload: read the
 * file, hash it, stop if it is what is served, check it with `check`.
 */
async function readVersion(file: string, load: LoadOptions, servedHash: string | null, check: Check): Promise<Version> {
  const read = await readText(file);
  if ('error' in read) return { refused: true, diagnostics: [read.error] };
  const hash = hashOf(read.text);
  if (hash === servedHash) return { unchanged: true, hash };
  const { plan, diagnostics } = await check(file, read.text, load);
  return plan ? { plan, hash, diagnostics } : { refused: true, diagnostics };
}

/** The whole file compiled on this thread, each action ready before the first call. */
function checkHere(file: string, text: string, load: LoadOptions): Loaded {
  const { plan, diagnostics } = compilePlan(loadConfigText(file, text, load));
  return { plan: plan ? servableOf(plan) : null, diagnostics };
}

/** What reloads need of the engine around them. */
interface ReloadsSource {
  readonly actionsFile: string | undefined;
  readonly load: LoadOptions;
  readonly logger: EngineLogger;
  readonly reloader: Reloader;
  /** The generation served now. */
  served(): Generation;
  /** Serves a new version; returns its generation. Throws when its actions cannot be served (a name clash). */
  swap(plan: ServablePlan, hash: string): Generation;
}

/** Reloads of the actions file: one at a time, told to listeners, and what `status()` says of them. */
function createReloads(source: ReloadsSource) {
  const { actionsFile, load, logger, reloader } = source;
  const listeners = new Set<(event: ReloadEvent) => void>();
  let lastReloadError: string | null = null;
  let lastReloadAt: string | null = null;
  let loadedAt = new Date().toISOString();
  let generation = 1;
  const emit = (event: ReloadEvent): ReloadEvent => {
    for (const listener of listeners) listener(event);
    return event;
  };
  const refuse = (error: string, diagnostics: readonly Diagnostic[]): ReloadEvent => {
    lastReloadError = error;
    return emit({ ok: false, error, diagnostics });
  };

  async function reloadNow(): Promise<ReloadEvent> {
    if (!actionsFile) return unchanged(source.served());
    lastReloadAt = new Date().toISOString();
    const version = await readVersion(actionsFile, load, source.served().hash, (f, text, l) =>
      reloader.load(f, text, l),
    );
    if ('unchanged' in version) {
      // The file is back to what is served: an earlier refusal no longer holds.
      lastReloadError = null;
      return emit({ ok: true, changed: false, hash: version.hash, actions: source.served().list.length });
    }
    if ('refused' in version) {
      for (const d of version.diagnostics)
        if (d.severity === 'error') logger.error({ diagnostic: d }, `reload refused: ${format(d)}`);
      return refuse(describe(version.diagnostics), version.diagnostics);
    }
    warn(logger, version.diagnostics);
    let next: Generation;
    try {
      next = source.swap(version.plan, version.hash);
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'reload refused');
      return refuse((err as Error).message, version.diagnostics);
    }
    lastReloadError = null;
    loadedAt = lastReloadAt;
    generation += 1;
    logger.info({ actions: next.list.length, hash: version.hash }, `reloaded ${actionsFile}`);
    return emit({ ok: true, changed: true, hash: version.hash, actions: next.list.length });
  }

  // Reloads run one at a time: two saves in a row must not swap out of order.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    reload: (): Promise<ReloadEvent> => {
      const next = queue.then(reloadNow);
      queue = next.catch(() => undefined);
      return next;
    },
    onReload: (listener: (event: ReloadEvent) => void): (() => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status: () => ({ lastReloadError, generation, loadedAt, lastReloadAt }),
    async close(): Promise<void> {
      await queue;
      await reloader.close();
    },
  };
}

/** A reload that changed nothing. */
function unchanged(served: Generation): ReloadEvent {
  return { ok: true, changed: false, hash: served.hash, actions: served.list.length };
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function format(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`;
}

/** The errors of a refused file, one line; diagnostics never quote secret values (config/). */
function describe(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map(format)
    .join('; ');
}

function warn(logger: EngineLogger, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) if (d.severity === 'warning') logger.warn({ diagnostic: d }, format(d));
}
