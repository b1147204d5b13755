/** The types the app's routes share. */
import type { IncomingMessage } from 'node:http';
import type { RequestWatch } from '../call-rules/index.js';
import type { Engine } from '../engine/index.js';

/** Hono env: node's request when served by @hono/node-server (absent under `app.request()`), and the request's watch. */
export interface ServerEnv {
  Bindings: { incoming?: IncomingMessage };
  Variables: { watch?: RequestWatch };
}

/** The part of the engine the app uses. */
export type AppEngine = Pick<Engine, 'action' | 'actions' | 'run' | 'status'>;
