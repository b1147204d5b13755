/**
 * createEngine: the core every front-end shares (DESIGN.md, "Shape of the
 * code"). It loads and compiles the actions file, serves its actions with
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
  const listeners = new Set<(event: ReloadEvent) => void>();
  let lastReloadError: string | null = null;
  let lastReloadAt: string | null = null;
  let loadedAt = new Date().toISOString();
  let generationCount = 1;
  let closed = false;

  const build = (plan: ServablePlan | null, hash: string | null): Generation =>
    createGeneration({ plan, hash, codeActions, upstreams, stores, logger });

  let current: Generation;
  if (actionsFile) {
    // The first load blocks nothing (nothing is served yet), so it stays on this thread.
    const read = await readText(actionsFile);
    if ('error' in read) throw new ActionsFileError(actionsFile, [read.error]);
    const { plan, diagnostics } = compilePlan(loadConfigText(actionsFile, read.text, load));
    warn(logger, diagnostics);
    if (!plan) throw new ActionsFileError(actionsFile, diagnostics);
    current = build(servableOf(plan), hashOf(read.text));
  } else {
    current = build(null, null);
  }

  // With auto-reload the worker starts now, so the first edit does not wait for it.
  const reloader = createReloader({ warm: autoReload && actionsFile !== undefined });
  const emit = (event: ReloadEvent): ReloadEvent => {
    for (const listener of listeners) listener(event);
    return event;
  };
  const refuse = (error: string, diagnostics: readonly Diagnostic[]): ReloadEvent => {
    lastReloadError = error;
    return emit({ ok: false, error, diagnostics });
  };

  async function reloadNow(): Promise<ReloadEvent> {
    if (!actionsFile || closed) return { ok: true, changed: false, hash: current.hash, actions: current.list.length };
    lastReloadAt = new Date().toISOString();
    const read = await readText(actionsFile);
    if ('error' in read) return refuse(describe([read.error]), [read.error]);
    const hash = hashOf(read.text);
    if (hash === current.hash) {
      // The file is back to what is served: an earlier refusal no longer holds.
      lastReloadError = null;
      return emit({ ok: true, changed: false, hash, actions: current.list.length });
    }
    const { plan, diagnostics } = await reloader.load(actionsFile, read.text, load);
    if (!plan) {
      for (const d of diagnostics)
        if (d.severity === 'error') logger.error({ diagnostic: d }, `reload refused: ${format(d)}`);
      return refuse(describe(diagnostics), diagnostics);
    }
    warn(logger, diagnostics);
    let next: Generation;
    try {
      next = build(plan, hash);
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'reload refused');
      return refuse((err as Error).message, diagnostics);
    }
    const previous = current;
    // One assignment: runs already going keep the old generation and its
    // pools; every new run sees the new one.
    current = next;
    previous.retire();
    lastReloadError = null;
    loadedAt = lastReloadAt;
    generationCount += 1;
    logger.info({ actions: next.list.length, hash }, `reloaded ${actionsFile}`);
    return emit({ ok: true, changed: true, hash, actions: next.list.length });
  }

  // Reloads run one at a time: two saves in a row must not swap out of order.
  let queue: Promise<unknown> = Promise.resolve();
  const reload = (): Promise<ReloadEvent> => {
    const next = queue.then(reloadNow);
    queue = next.catch(() => undefined);
    return next;
  };
  const watcher: FSWatcher | null =
    autoReload && actionsFile
      ? watchFile(actionsFile, () => {
          reload().catch((err: unknown) => logger.error({ err: (err as Error).message }, 'reload failed'));
        })
      : null;

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
    reload,
    onReload(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status: () => ({
      actions: current.list.length,
      hash: current.hash,
      lastReloadError,
      generation: generationCount,
      loadedAt,
      lastReloadAt,
      state: stores.health(),
    }),
    async close() {
      if (closed) return;
      closed = true;
      watcher?.close();
      await queue;
      await reloader.close();
      await current.close();
      await upstreams.close();
      await stores.close();
    },
  };
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
