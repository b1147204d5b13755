/**
 * Loading a changed actions file while serving (docs/engine.md#reloads): a
 * 5 000-action file took about 2 s to load on the serving thread, and every webhook
 * answer waited. The work is split in two:
 *
 * - a worker thread reads the text as `slotwire validate` would (YAML with
 *   positions, schema, `${VAR}`, a full compile for diagnostics): all of it
 *   monolithic, none of it needed on the serving thread afterwards;
 * - the serving thread then takes the checked file and compiles each action
 *   the first time it runs (servableFromChecked): compiled JSONata is
 *   closures, which cannot cross threads, and compiling all of a large file
 *   at once on the serving thread, even in slices, made enough garbage for
 *   the collector's pauses to delay answers by up to ~100 ms.
 *
 * A worker rather than slices alone: the YAML parser cannot be paused (it
 * alone took ~0.5 s for 0.8 MB), so slicing could never bound it. The worker
 * is started once and kept (it costs the memory of the loader's modules, a
 * few tens of MB), so a reload does not wait for a thread to boot.
 */
import { Worker } from 'node:worker_threads';
import { servableFromChecked } from '../compile/index.js';
import type { CheckedFile, ServablePlan } from '../compile/index.js';
import type { Diagnostic, LoadOptions } from '../config/index.js';
import { hasErrors } from '../config/index.js';

/** What the worker is asked. */
export interface CheckRequest {
  readonly id: number;
  readonly file: string;
  readonly text: string;
  /** How to load it, the env as a plain copy (a Proxy cannot cross threads). */
  readonly options: LoadOptions;
}

/**
 * What the worker answers: every diagnostic and, when the file has no
 * errors, the CheckedFile as JSON text. Text rather than objects:
 * deserialising a structured clone of 5 000 actions' data blocked the
 * serving thread ~60 ms; JSON.parse of the same takes a few, and each
 * action's own YAML stays a string until it first runs.
 */
export interface CheckAnswer {
  readonly id: number;
  readonly diagnostics: readonly Diagnostic[];
  readonly checkedJson: string | null;
}

/** A checked file ready to serve, or its diagnostics. */
export interface Loaded {
  readonly plan: ServablePlan | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** Loads files without stalling the thread that calls it. */
export interface Reloader {
  /**
   * Checks `text` off-thread; its actions then compile on this thread as they first run.
   * @param file - the name diagnostics print, and where TLS files are relative to
   */
  load(file: string, text: string, options: LoadOptions): Promise<Loaded>;
  /** Stops the worker. */
  close(): Promise<void>;
}

/** A reloader whose worker starts now (`warm`) or on the first load. */
export function createReloader(options: { readonly warm: boolean }): Reloader {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (answer: CheckAnswer) => void; reject: (err: Error) => void }>();

  const failAll = (err: Error): void => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker = null;
  };
  const start = (): Worker => {
    const w = startWorker();
    // Kept for the next reload, but never what keeps the process alive.
    w.unref();
    w.on('message', (answer: CheckAnswer) => {
      pending.get(answer.id)?.resolve(answer);
      pending.delete(answer.id);
    });
    w.on('error', failAll);
    w.on('exit', (code) => failAll(new Error(`the reload worker stopped (exit code ${code})`)));
    return w;
  };
  if (options.warm) worker = start();

  const check = (file: string, text: string, options: LoadOptions): Promise<CheckAnswer> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker ??= start();
      const request: CheckRequest = { id, file, text, options: { ...options, env: { ...options.env } } };
      worker.postMessage(request);
    });

  return {
    async load(file, text, options) {
      const answer = await check(file, text, options);
      if (answer.checkedJson === null || hasErrors(answer.diagnostics))
        return { plan: null, diagnostics: answer.diagnostics };
      return {
        plan: servableFromChecked(file, JSON.parse(answer.checkedJson) as CheckedFile),
        diagnostics: answer.diagnostics,
      };
    },
    async close() {
      const w = worker;
      worker = null;
      if (w !== null) {
        w.removeAllListeners('exit');
        await w.terminate();
      }
    },
  };
}

/**
 * From dist/ the worker is plain JS, named from the engine's folder so the
 * executable's bundle (dist/cli/, scripts/build-bundle.mjs) finds it too.
 * From the TypeScript sources (the test suite) it needs tsx, as node 20
 * cannot run .ts: `--import tsx` in a worker's execArgv does not reach its
 * module loader there, so a two-line bootstrap registers tsx's loader in
 * the worker first.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('../engine/check-worker.js', import.meta.url));
  const entry = new URL('./check-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true });
}
