/**
 * The Hono app of the action server: `POST /webhook`, `GET /health`, `GET
 * /actions` (docs/protocol.md#one-url), and for operators `GET /ready` and
 * `GET /metrics` (docs/operations.md). Web-standard only, like hono's core:
 * the node adapter lives in listen.ts. Handlers translate between HTTP and
 * `runWebhook`; statuses come from `failureResponse` alone.
 */
import { errorMessage } from '../call-rules/index.js';
import type { ServerObserver } from '../call-rules/index.js';
import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEngine, ServerEnv } from './env.js';
import type { EventTarget } from '../rasa/index.js';
import type { Fallback } from '../fallback/index.js';
import { auth, authConfigured } from './auth.js';
import type { AuthOptions } from './auth.js';
import { cors } from './cors.js';
import { DEFAULT_MAX_BODY_VALUES } from './body-values.js';
import { CLOSE } from './failure-response.js';
import { json } from './json.js';
import { addMetricsRoute } from './metrics-route.js';
import { createReadiness } from './observer.js';
import type { MetricsSource, Readiness } from './observer.js';
import { webhookRoute } from './webhook-route.js';

/** Default body limit, on the wire and inflated: 32 MiB, room for long conversations; parsing blocks the event loop ≈4 ms per MB. */
export const DEFAULT_MAX_BODY_BYTES: number = 32 * 1024 * 1024;

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
  /** event types the Rasa in front accepts (docs/protocol.md#which-event-types-each-rasa-accepts). Default: `'classic'` */
  readonly eventTarget?: EventTarget;
  /** opt-in event types, `'export'` and/or `'stack'`, valid but not meant for an action (docs/protocol.md#events). Default: none */
  readonly allowEvents?: readonly string[];
  /** domains kept by digest (docs/protocol.md#where-slotwire-differs-and-why). Default: 4 */
  readonly domainCacheSize?: number;
  /** told of every request (metrics, traces). Default: none */
  readonly observer?: ServerObserver;
  /** serve `GET /metrics` from it. Default: no /metrics */
  readonly metrics?: MetricsSource;
  /** ask for the webhook's `auth` on /metrics too. Default: false (Prometheus scrapes without) */
  readonly metricsAuth?: boolean;
  /** `GET /ready` answers 503 once it is draining. Default: ready until the process ends */
  readonly readiness?: Readiness;
  /** forward calls for undeclared actions to this existing action server, and shadow moved ones (docs/migrating.md). Default: none */
  readonly fallback?: Fallback;
  /** serve MCP at `/mcp` (runtime/mcp), behind `auth` (its token also as `Authorization: Bearer`). Default: no /mcp */
  readonly mcp?: { handle(request: Request): Promise<Response> };
}

/** The routes a request is labelled with; any other path is '' (metric labels stay bounded). */
const ROUTES: ReadonlySet<string> = new Set(['/webhook', '/health', '/ready', '/actions', '/metrics', '/mcp']);

/**
 * Build the app.
 * @example
 * const app = createApp({ engine: await createEngine({ actionsFile: 'actions.yml' }), logger: createLogger() });
 * const handle = await listen(app, { port: 5055 });
 */
export function createApp(options: AppOptions): Hono<ServerEnv> {
  const { engine, logger } = options;
  const authOptions = authConfigured(options.auth) ? options.auth : null;
  const app = new Hono<ServerEnv>();
  if (options.observer !== undefined) app.use(observeRequests(options.observer));
  app.post(
    '/webhook',
    webhookRoute({
      engine,
      logger,
      auth: authOptions,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      maxBodyValues: options.maxBodyValues ?? DEFAULT_MAX_BODY_VALUES,
      eventTarget: options.eventTarget ?? 'classic',
      allowEvents: options.allowEvents ?? [],
      domainCacheSize: options.domainCacheSize,
      fallback: options.fallback ?? null,
    }),
  );
  addStatusRoutes(
    app,
    engine,
    options.readiness ?? createReadiness(),
    options.cors ?? [],
    authOptions,
    options.fallback ?? null,
  );
  if (options.metrics !== undefined)
    addMetricsRoute(app, options.metrics, options.metricsAuth === true ? authOptions : null);
  if (options.mcp !== undefined) addMcpRoute(app, options.mcp, authOptions);
  addFallbacks(app, logger);
  return app;
}

/** Tells `observer` of every request, labelled by route (any other path is '', so labels stay bounded). */
function observeRequests(observer: ServerObserver): MiddlewareHandler<ServerEnv> {
  return async function observe(c, next) {
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
  };
}

/** `/health`, `/actions` and `/ready`, with CORS for browsers and auth on `/actions`. */
function addStatusRoutes(
  app: Hono<ServerEnv>,
  engine: AppEngine,
  readiness: Readiness,
  origins: readonly string[],
  authOptions: AuthOptions | null,
  fallback: Fallback | null,
): void {
  if (origins.length > 0) {
    const corsMiddleware = cors({ origins });
    app.use('/health', corsMiddleware);
    app.use('/ready', corsMiddleware);
    app.use('/actions', corsMiddleware);
  }
  if (authOptions !== null) app.use('/actions', auth(authOptions));

  // rasa-sdk answers exactly {"status": "ok"} (docs/protocol.md#one-url); with an
  // actions file, what is served and why a reload was refused come beside it.
  app.get('/health', () => {
    const { actions, hash, lastReloadError } = engine.status();
    const body =
      hash === null
        ? { status: 'ok' }
        : { status: 'ok', actions, actions_hash: hash, last_reload_error: lastReloadError };
    if (fallback === null) return json(body);
    // A fallback that is down does not make slotwire unhealthy: its declared actions still answer.
    const { url, reachable, last_error } = fallback.status();
    return json({ ...body, fallback: { url, reachable, last_error } });
  });
  // rasa-sdk lists {name} (docs/protocol.md#one-url); Rasa itself never calls /actions,
  // so the description from actions.yml rides along for people and tools,
  // and only when there is one, so code actions keep rasa-sdk's exact shape.
  // With a fallback, the names only it serves follow, once each (docs/migrating.md).
  app.get('/actions', () => {
    const declared = engine.actions();
    const listed = declared.map((a): Readonly<Record<string, string>> =>
      a.description === null ? { name: a.name } : { name: a.name, description: a.description },
    );
    if (fallback !== null) {
      const ours = new Set(declared.map((a) => a.name));
      for (const name of fallback.names()) if (!ours.has(name)) listed.push({ name });
    }
    return json(listed);
  });
  // Readiness for orchestrators (docs/operations.md#probes-health-and-ready): /health stays rasa-sdk's liveness answer.
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
      ...(fallback === null ? {} : { fallback: fallback.status() }),
    };
    return json(body, draining ? 503 : 200);
  });
}

/** `/mcp`, behind the webhook's auth, whose token is also taken as `Authorization: Bearer`. */
function addMcpRoute(app: Hono<ServerEnv>, mcp: NonNullable<AppOptions['mcp']>, authOptions: AuthOptions | null): void {
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

/** JSON for a wrong method, an unknown path and an unhandled error: every answer is JSON. */
function addFallbacks(app: Hono<ServerEnv>, logger: Logger): void {
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
}
