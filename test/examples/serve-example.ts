/**
 * Serving an actions file the way `slotwire serve` does (createActionServer
 * + listen on a loopback port 0) and calling it the way Rasa does, for the
 * examples' tests.
 */
import { pino } from 'pino';
import type { Logger } from 'pino';
import { expect } from 'vitest';
import { createActionServer, listen } from '../../runtime/index.js';
import type { ActionServer, CodeAction, ServerHandle } from '../../runtime/index.js';
import { expectOk, post } from '../server/helpers.js';
import { rasaCall, slotsOf } from './rasa-call.js';
import type { CallOptions, WireDomain } from './rasa-call.js';

/** A logger that writes nothing. */
export const silent: Logger = pino({ level: 'silent' });

/** What one webhook call answered, with its slot events as `{ name: value }`. */
export interface Answer {
  readonly slots: Record<string, unknown>;
  readonly events: Record<string, unknown>[];
  readonly responses: Record<string, unknown>[];
}

/** An actions file served by the real slotwire server. */
export interface Served {
  readonly server: ActionServer;
  readonly handle: ServerHandle;
  /** POST /webhook with a Rasa-shaped body; asserts a 200 that passes Rasa's response schema. */
  call(action: string, options?: CallOptions): Promise<Answer>;
  close(): Promise<void>;
}

/** Options of {@link serveActions}. */
export interface ServeOptions {
  readonly env: Record<string, string>;
  readonly codeActions?: CodeAction[];
  /** sent with every call; each slot event must then name a domain slot. Default: none */
  readonly domain?: WireDomain;
}

/** Serves `actionsFile` on 127.0.0.1, port 0. */
export async function serveActions(actionsFile: string, options: ServeOptions): Promise<Served> {
  const server = await createActionServer({
    actionsFile,
    env: options.env,
    logger: silent,
    ...(options.codeActions ? { codeActions: options.codeActions } : {}),
  });
  const handle = await listen(server.app, { port: 0, hostname: '127.0.0.1', gracePeriodMs: 500 });
  return {
    server,
    handle,
    async call(action, callOptions = {}) {
      const domain = callOptions.domain ?? options.domain;
      const body = await expectOk(
        await post(handle.url, rasaCall(action, { ...(domain ? { domain } : {}), ...callOptions })),
      );
      // Rasa stores any slot an action sends; a slot missing from the domain is a bug in the example.
      if (domain)
        for (const e of body.events)
          if (e['event'] === 'slot')
            expect(Object.keys(domain.slots), `slot ${String(e['name'])}`).toContain(e['name']);
      return { slots: slotsOf(body.events), ...body };
    },
    async close() {
      await handle.close();
      await server.close();
    },
  };
}
