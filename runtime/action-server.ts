/**
 * The action server for Rasa: an engine (runtime/engine) behind the Hono
 * app (runtime/server). Both the CLI and library users build their server
 * here, so there is one wiring; everything about actions, reloads and state
 * is the engine's.
 */
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { createEngine } from './engine/index.js';
import type { Engine, EngineOptions } from './engine/index.js';
import { createApp, createLogger } from './server/index.js';
import type { AppOptions, ServerEnv } from './server/index.js';

/** Options of {@link createActionServer}: the engine's and the app's. */
export interface ActionServerOptions extends Omit<EngineOptions, 'logger'>, Omit<AppOptions, 'engine' | 'logger'> {
  /** Default: a pino logger at info level */
  readonly logger?: Logger;
}

/** A running engine and the app that serves it. */
export interface ActionServer {
  readonly app: Hono<ServerEnv>;
  /** The engine: `actions()`, `reload()`, `onReload()`, `status()`, `run()`. */
  readonly engine: Engine;
  /** Stops watching and closes the upstream pools (after their in-flight requests). */
  close(): Promise<void>;
}

/**
 * Loads, compiles and serves. Throws ActionsFileError when the actions file
 * has errors, and ActionNameClashError when a YAML and a code action share a name.
 * @example
 * const server = await createActionServer({ actionsFile: 'actions.yml', env: process.env, codeActions: [myAction] });
 * const handle = await listen(server.app, { port: 5055 });
 */
export async function createActionServer(options: ActionServerOptions = {}): Promise<ActionServer> {
  const logger = options.logger ?? createLogger();
  const engine = await createEngine({ ...options, logger });
  const app = createApp({ ...options, engine, logger });
  return { app, engine, close: () => engine.close() };
}
