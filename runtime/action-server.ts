/**
 * The composition root: actions.yml → plan → executor → Hono app, plus code
 * actions (library mode, issue 3) and hot reload (`--auto-reload`). Both the
 * CLI and library users build their server here, so there is one wiring.
 */
import { createHash } from 'node:crypto';
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Diagnostic, Env } from './config/index.js';
import { compilePlan, loadPlan } from './compile/index.js';
import type { Plan } from './compile/index.js';
import { loadConfigText } from './config/index.js';
import { servePlan } from './execute/index.js';
import { createHttpClient } from './http/index.js';
import type { HttpClient, HttpClientOptions } from './http/index.js';
import { actionSet, serveCodeAction } from './rasa/index.js';
import type { ActionSet, CodeAction } from './rasa/index.js';
import { createApp, createLogger } from './server/index.js';
import type { AppOptions, ServerEnv } from './server/index.js';

/** An actions file that cannot be served; `diagnostics` say why, with positions. */
export class ActionsFileError extends Error {
  readonly code: 'SW_ACTIONS_FILE_INVALID' = 'SW_ACTIONS_FILE_INVALID';
  readonly diagnostics: readonly Diagnostic[];
  constructor(file: string, diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super(`${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors.map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`).join('; ')}`);
    this.name = 'ActionsFileError';
    this.diagnostics = diagnostics;
  }
}

/** Options of {@link createActionServer}. */
export interface ActionServerOptions extends Omit<AppOptions, 'actions' | 'logger' | 'health'> {
  /** The actions file. Default: none (code actions only). */
  readonly actionsFile?: string;
  /** TypeScript actions served beside the YAML ones; a name in both is a start-up error. Default: none */
  readonly codeActions?: readonly CodeAction[];
  /** Where `${VAR}` in connections comes from. Default: an empty environment */
  readonly env?: Env;
  /** Default: a pino logger at info level */
  readonly logger?: Logger;
  /** Watch the actions file and swap in each good version (`--auto-reload`). Default: false */
  readonly autoReload?: boolean;
  /** Options of the upstream HTTP client (tests inject clocks or dispatchers). Default: none */
  readonly http?: HttpClientOptions;
}

/** A running set of actions and the app that serves them. */
export interface ActionServer {
  readonly app: Hono<ServerEnv>;
  /** The actions served now. */
  readonly actions: () => ActionSet;
  /** Re-reads the actions file; a bad file keeps the current version and returns its diagnostics. */
  reload(): Promise<{ ok: boolean; diagnostics: readonly Diagnostic[] }>;
  /** Stops watching and closes the upstream pools (after their in-flight requests). */
  close(): Promise<void>;
}

/** One served version of the actions file: swapped as a whole, never edited. */
interface Generation {
  readonly set: ActionSet;
  readonly http: HttpClient | null;
  /** sha256 of the file text being served, for /health. */
  readonly hash: string | null;
}

/**
 * Loads, compiles and serves. Throws ActionsFileError when the actions file
 * has errors, and ActionNameClashError when a YAML and a code action share a name.
 * @example
 * const server = await createActionServer({ actionsFile: 'actions.yml', env: process.env, codeActions: [myAction] });
 * const handle = await listen(server.app, { port: 5055 });
 */
export async function createActionServer(options: ActionServerOptions = {}): Promise<ActionServer> {
  const { actionsFile, codeActions = [], env = {}, autoReload = false } = options;
  const logger = options.logger ?? createLogger();
  const code = codeActions.map(serveCodeAction);
  let lastReloadError: string | null = null;

  const build = (plan: Plan | null, hash: string | null): Generation => {
    const http = plan ? createHttpClient(plan.connections, options.http) : null;
    const yaml = plan && http ? servePlan(plan, { http, logger }) : [];
    return { set: actionSet(yaml, code), http, hash };
  };

  let current: Generation;
  if (actionsFile) {
    const { plan, diagnostics } = await loadPlan(actionsFile, { env });
    for (const d of diagnostics) if (d.severity === 'warning') logger.warn({ diagnostic: d }, `${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`);
    if (!plan) throw new ActionsFileError(actionsFile, diagnostics);
    current = build(plan, hashOf(await readFile(actionsFile, 'utf8')));
  } else {
    current = build(null, null);
  }

  async function reload(): Promise<{ ok: boolean; diagnostics: readonly Diagnostic[] }> {
    if (!actionsFile) return { ok: true, diagnostics: [] };
    const text = await readFile(actionsFile, 'utf8').catch(() => null);
    if (text !== null && hashOf(text) === current.hash) return { ok: true, diagnostics: [] };
    const { plan, diagnostics } = text === null ? await loadPlan(actionsFile, { env }) : compilePlan(loadConfigText(actionsFile, text, { env }));
    if (!plan || text === null) {
      const errors = diagnostics.filter((d) => d.severity === 'error');
      lastReloadError = errors.map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`).join('; ');
      for (const d of errors) logger.error({ diagnostic: d }, `reload refused: ${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`);
      return { ok: false, diagnostics };
    }
    let next: Generation;
    try {
      next = build(plan, hashOf(text));
    } catch (err) {
      lastReloadError = (err as Error).message;
      logger.error({ err: (err as Error).message }, 'reload refused');
      return { ok: false, diagnostics };
    }
    const previous = current;
    // One assignment: requests already running keep the old generation's
    // actions and pools; every new request sees the new one.
    current = next;
    lastReloadError = null;
    logger.info({ actions: next.set.list.length, hash: next.hash }, `reloaded ${actionsFile}`);
    void previous.http?.close();
    return { ok: true, diagnostics };
  }

  const watcher: FSWatcher | null = autoReload && actionsFile ? watchFile(actionsFile, reload, logger) : null;
  const app = createApp({
    ...options,
    logger,
    actions: () => current.set,
    health: () => ({ actions: current.set.list.length, actions_hash: current.hash, last_reload_error: lastReloadError }),
  });
  return {
    app,
    actions: () => current.set,
    reload,
    async close() {
      watcher?.close();
      await current.http?.close();
    },
  };
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Reloads on change. Editors save by writing a new file and renaming it over
 * the old one, which a watch on the file itself would lose, so the folder is
 * watched and events for the file are debounced.
 */
function watchFile(file: string, reload: () => Promise<unknown>, logger: Logger): FSWatcher {
  let timer: NodeJS.Timeout | null = null;
  const name = basename(file);
  const watcher = watch(dirname(resolve(file)), { persistent: false }, (_event, changed) => {
    if (changed !== null && changed !== name) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      reload().catch((err: unknown) => logger.error({ err: (err as Error).message }, 'reload failed'));
    }, 50);
  });
  return watcher;
}
