/**
 * The Hono app of the action server: `POST /webhook`, `GET /health`,
 * `GET /actions` (PROTOCOL §1), and for operators `GET /ready` and
 * `GET /metrics` (docs/operations.md). Web-standard only, like hono's
 * core: the node adapter lives in listen.ts. Handlers translate between
 * HTTP and `runWebhook`; statuses come from `failureResponse` alone.
 */
import type { IncomingMessage } from 'node:http';
import { createDomainCache, errorMessage, fixedFieldLogger, logCallEnd, runWebhook } from '../call-rules/index.js';
import type { RequestWatch, ServerObserver, WebhookFailure, WebhookOutcome } from '../call-rules/index.js';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import { readsTrackerEvents } from '../engine/index.js';
import type { ActionInfo, Engine } from '../engine/index.js';
import type { EventTarget } from '../rasa/index.js';
import { auth, authConfigured, checkAuth } from './auth.js';
import type { AuthOptions } from './auth.js';
import { cors } from './cors.js';
import { DEFAULT_MAX_BODY_VALUES } from './body-values.js';
import { CLOSE, failureResponse } from './failure-response.js';
import { addMetricsRoute } from './metrics-route.js';
import { createReadiness } from './observer.js';
import type { MetricsSource, Readiness } from './observer.js';
import { parseCall } from './parse-call.js';
import type { EventsNeed } from './parse-call.js';
import { readBody } from './read-body.js';

/** Default body limit, on the wire and inflated: 32 MiB, room for long conversations (≈4 ms/MB to parse, LIBRARIES §7). */
export const DEFAULT_MAX_BODY_BYTES: number = 32 * 1024 * 1024;

/** Hono env: node's request when served by @hono/node-server (absent under `app.request()`), and the request's watch. */
export interface ServerEnv {
  Bindings: { incoming?: IncomingMessage };
  Variables: { watch?: RequestWatch };
}

/** Options of `createApp`. */
export interface AppOptions {
  /** what runs the actions; a reload inside it swaps them atomically */
  readonly engine: AppEngine;
  /** where the one line per webhook call goes */
  readonly logger: Logger;
  /** body limit in bytes, also applied to the inflated body (413). Default: 32 MiB */
  readonly maxBodyBytes?: number;
  /** objects and arrays a body may open, checked before it is parsed (413; body-values.ts). Default: 200 000 */
  readonly maxBodyValues?: number;
  /** required caller credentials, on `/webhook` and `/actions`. Default: none */
  readonly auth?: AuthOptions;
  /** CORS origins for `/health` and `/actions` (never `/webhook`). Default: none */
  readonly cors?: readonly string[];
  /** event types the Rasa in front accepts (PROTOCOL §2.5). Default: `'classic'` */
  readonly eventTarget?: EventTarget;
  /** opt-in event types, `'export'` and/or `'stack'` (checklist 10). Default: none */
  readonly allowEvents?: readonly string[];
  /** domains kept by digest (PROTOCOL §2.3). Default: 4 */
  readonly domainCacheSize?: number;
  /** told of every request (metrics, traces). Default: none */
  readonly observer?: ServerObserver;
  /** serve `GET /metrics` from it. Default: no /metrics */
  readonly metrics?: MetricsSource;
  /** ask for the webhook's `auth` on /metrics too. Default: false (Prometheus scrapes without) */
  readonly metricsAuth?: boolean;
  /** `GET /ready` answers 503 once it is draining. Default: ready until the process ends */
  readonly readiness?: Readiness;
  /** serve MCP at `/mcp` (runtime/mcp), behind `auth` (its token also as `Authorization: Bearer`). Default: no /mcp */
  readonly mcp?: { handle(request: Request): Promise<Response> };
}

/** The part of the engine the app uses. */
export type AppEngine = Pick<Engine, 'action' | 'actions' | 'run' | 'status'>;

const JSON_HEADERS = { 'content-type': 'application/json' };

/** The routes a request is labelled with; any other path is '' (metric labels stay bounded). */
const ROUTES: ReadonlySet<string> = new Set(['/webhook', '/health', '/ready', '/actions', '/metrics', '/mcp']);

// Every body is JSON with a JSON content type: Rasa treats any other 2xx
// as an empty result (checklist 19, 33).
function json(body: unknown, status = 200, headers: Readonly<Record<string, string>> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

function failureJson(failure: WebhookFailure): Response {
  const { status, body, headers } = failureResponse(failure);
  return json(body, status, headers);
}

/**
 * Build the app.
 * @example
 * const app = createApp({ engine: await createEngine({ actionsFile: 'actions.yml' }), logger: createLogger() });
 * const handle = await listen(app, { port: 5055 });
 */
export function createApp(options: AppOptions): Hono<ServerEnv> {
  const {
    engine,
    logger,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    maxBodyValues = DEFAULT_MAX_BODY_VALUES,
    eventTarget = 'classic',
    allowEvents = [],
  } = options;
  const domains = createDomainCache(options.domainCacheSize);
  const callLog = fixedFieldLogger(logger);
  // Which calls need the tracker's events (parse-call.ts). Whether any
  // served action can do without them is remembered per served list (a
  // reload makes a new one); parsing and running are in one synchronous
  // stretch, so both see the same list.
  let served: readonly ActionInfo[] | null = null;
  let skippable = false;
  const events: EventsNeed = {
    get skippable(): boolean {
      const list = engine.actions();
      if (list !== served) {
        served = list;
        skippable = !list.every(readsTrackerEvents);
      }
      return skippable;
    },
    readBy(nextAction) {
      const action = typeof nextAction === 'string' ? engine.action(nextAction) : undefined;
      return action !== undefined && readsTrackerEvents(action);
    },
  };

  const authOptions = authConfigured(options.auth) ? options.auth : null;
  const readiness = options.readiness ?? createReadiness();
  const app = new Hono<ServerEnv>();
  const { observer } = options;
  if (observer !== undefined) {
    app.use(async (c, next) => {
      const { path } = c.req;
      const route = ROUTES.has(path) ? path : '';
      const watch = observer.request(
        c.req.method,
        route,
        (name) => c.req.header(name),
        route === '/webhook' && c.req.method === 'POST',
      );
      c.set('watch', watch);
      await next();
      watch.end(c.res.status);
    });
  }

  async function handle(c: Context<ServerEnv>): Promise<WebhookOutcome> {
    // Checked inline rather than as middleware: /webhook is the hot path.
    if (
      authOptions !== null &&
      !checkAuth(authOptions, { query: (n) => c.req.query(n), header: (n) => c.req.header(n) })
    ) {
      return { ok: false, actionName: null, failure: { kind: 'unauthorized', basic: authOptions.basic !== undefined } };
    }
    const body = await readBody({ incoming: c.env?.incoming, request: c.req.raw }, maxBodyBytes);
    if (!body.ok) return { ok: false, actionName: null, failure: body.failure };
    const parsed = parseCall(body.bytes, events, maxBodyValues);
    if (!parsed.ok) return { ok: false, actionName: null, failure: parsed.failure };
    const watch = c.get('watch');
    watch?.call(parsed.call);
    // rasa-sdk's 500 echoes the request: rebuilt from the bytes (kept off
    // the heap), whole, even when the events were not parsed.
    const { bytes } = body;
    return runWebhook(
      parsed.call,
      { engine, domains, eventTarget, allowEvents },
      () => JSON.parse(bytes.toString('utf8')),
      watch?.trace,
    );
  }

  app.post('/webhook', async (c) => {
    const started = performance.now();
    let outcome: WebhookOutcome;
    try {
      outcome = await handle(c);
    } catch (err) {
      outcome = {
        ok: false,
        actionName: null,
        failure: { kind: 'crashed', message: errorMessage(err), requestBody: null },
        cause: err,
      };
    }
    let response: Response;
    if (outcome.ok) {
      try {
        response = json(outcome.body);
      } catch (err) {
        // e.g. a BigInt or a cycle in what the action returned
        outcome = {
          ok: false,
          actionName: outcome.actionName,
          failure: { kind: 'crashed', message: errorMessage(err), requestBody: null },
          cause: err,
        };
        response = failureJson(outcome.failure);
      }
    } else response = failureJson(outcome.failure);
    logCall(callLog, logger, outcome, response.status, performance.now() - started, c.get('watch')?.traceId);
    return response;
  });

  if (options.cors !== undefined && options.cors.length > 0) {
    const corsMiddleware = cors({ origins: options.cors });
    app.use('/health', corsMiddleware);
    app.use('/ready', corsMiddleware);
    app.use('/actions', corsMiddleware);
  }
  if (authOptions !== null) app.use('/actions', auth(authOptions));

  // rasa-sdk answers exactly {"status": "ok"} (PROTOCOL §7.1); with an
  // actions file, what is served and why a reload was refused come beside it.
  app.get('/health', () => {
    const { actions, hash, lastReloadError } = engine.status();
    return json(
      hash === null
        ? { status: 'ok' }
        : { status: 'ok', actions, actions_hash: hash, last_reload_error: lastReloadError },
    );
  });
  // rasa-sdk lists {name} (PROTOCOL §1); Rasa itself never calls /actions,
  // so the description from actions.yml rides along for people and tools,
  // and only when there is one, so code actions keep rasa-sdk's exact shape.
  app.get('/actions', () =>
    json(
      engine
        .actions()
        .map((a) => (a.description === null ? { name: a.name } : { name: a.name, description: a.description })),
    ),
  );
  // Readiness for orchestrators (DESIGN.md): /health stays rasa-sdk's liveness answer.
  app.get('/ready', () => {
    const { actions, hash, generation, loadedAt, lastReloadAt, lastReloadError, state } = engine.status();
    const { draining } = readiness;
    // A shared store that is down does not make the replica unready: every use of it has a fallback (docs/deploy.md).
    const body = {
      status: draining ? 'draining' : 'ready',
      actions,
      actions_hash: hash,
      generation,
      loaded_at: loadedAt,
      last_reload_at: lastReloadAt,
      last_reload_error: lastReloadError,
      state,
    };
    return json(body, draining ? 503 : 200);
  });
  if (options.metrics !== undefined)
    addMetricsRoute(app, options.metrics, options.metricsAuth === true ? authOptions : null);
  const { mcp } = options;
  if (mcp !== undefined) {
    if (authOptions !== null)
      app.use(
        '/mcp',
        auth({ ...authOptions, ...(authOptions.token ? { token: { ...authOptions.token, bearer: true } } : {}) }),
      );
    app.all('/mcp', async (c) => {
      const response = await mcp.handle(c.req.raw);
      // The MCP SDK refuses an oversized body (413) with the rest unread, as the webhook does: close after it.
      if (response.status === 413) response.headers.set('connection', CLOSE.connection);
      return response;
    });
  }

  for (const [path, allow] of [
    ['/webhook', 'POST'],
    ['/health', 'GET, HEAD'],
    ['/ready', 'GET, HEAD'],
    ['/actions', 'GET, HEAD'],
  ] as const) {
    app.all(path, () => json({ error: 'Method not allowed' }, 405, { allow }));
  }
  app.notFound(() => json({ error: 'Not found' }, 404));
  app.onError((err) => {
    logger.error({ err: { type: err.name, message: errorMessage(err) } }, 'unhandled error');
    return json({ error: 'Internal server error' }, 500);
  });
  return app;
}

/**
 * One log line per webhook call: action, status, duration (issue 3), and
 * the trace id when tracing (call-log.ts says where each part goes).
 */
function logCall(
  callLog: Logger,
  logger: Logger,
  outcome: WebhookOutcome,
  status: number,
  ms: number,
  traceId: string | undefined,
): void {
  const durationMs = Math.round(ms * 100) / 100;
  // With tracing, the trace id joins the line to the call's spans.
  const line =
    traceId === undefined
      ? { action: outcome.actionName, status, durationMs }
      : { action: outcome.actionName, status, durationMs, trace_id: traceId };
  logCallEnd(callLog, logger, line, outcome, 'webhook');
}
