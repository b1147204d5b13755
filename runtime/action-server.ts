/**
 * The action server for Rasa: an engine (runtime/engine) behind the Hono
 * app (runtime/server), with their telemetry (runtime/telemetry). Both the
 * CLI and library users build their server here, so there is one wiring;
 * everything about actions, reloads and state is the engine's.
 */
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { createEngine } from './engine/index.js';
import type { Engine, EngineOptions } from './engine/index.js';
import { createApp, createLogger, createReadiness } from './server/index.js';
import type { AppOptions, MetricsSource, Readiness, ServerEnv } from './server/index.js';
import type { ServerObserver } from './call-rules/index.js';
import { clusterMetricsSource, createTelemetry } from './telemetry/index.js';
import type { Tracing } from './telemetry/index.js';
import type { McpFront, McpHttp, SlotTypes } from './mcp/index.js';
import { createFallback } from './fallback/index.js';
import type { Fallback } from './fallback/index.js';

/** What the server keeps and serves of Prometheus metrics (docs/operations.md). */
export interface MetricsOptions {
  /** Keep metrics at all. Default: true */
  readonly enabled?: boolean;
  /** Serve them as `GET /metrics` on the app (false: the caller serves `metrics` elsewhere, e.g. `createMetricsApp`). Default: true */
  readonly route?: boolean;
  /** Ask for the webhook's `auth` on /metrics. Default: false */
  readonly auth?: boolean;
  /**
   * In a `slotwire serve --workers` worker: answer with the sum over all
   * workers, which the primary gathers (`answerClusterMetrics`). Default: false
   */
  readonly cluster?: boolean;
}

/** Options of {@link createActionServer}: the engine's and the app's, and telemetry. */
export interface ActionServerOptions
  extends
    Omit<EngineOptions, 'logger' | 'observer'>,
    Omit<AppOptions, 'engine' | 'logger' | 'observer' | 'metrics' | 'metricsAuth' | 'mcp' | 'fallback'> {
  /** Default: a pino logger at info level */
  readonly logger?: Logger;
  /** Default: kept and served on /metrics, open */
  readonly metrics?: MetricsOptions;
  /** OpenTelemetry tracing (`createTracing`; the CLI reads OTEL_* variables). Default: none */
  readonly tracing?: Tracing;
  /**
   * Also serve the actions as MCP tools at `/mcp` (docs/mcp.md), with these
   * parameter types (`slotTypesFrom`) and version. Default: no /mcp
   */
  readonly mcp?: { readonly slotTypes?: SlotTypes; readonly version: string };
  /**
   * An existing action server (rasa-sdk) behind this one
   * (docs/migrating.md): calls for actions not declared here go to `url`,
   * its webhook; `shadow` names moved actions whose calls it still answers
   * while slotwire's version is compared. Throws ShadowRefusedError for a
   * shadow action that is not declared or whose calls change data.
   * Default: none
   */
  readonly fallback?: {
    readonly url: URL;
    /** Default: 10 000 ms */
    readonly timeoutMs?: number;
    /** Default: none */
    readonly shadow?: readonly string[] | 'all';
    /** between reads of its `/actions`. Default: 30 000 ms */
    readonly refreshMs?: number;
  };
}

/** A running engine and the app that serves it. */
export interface ActionServer {
  readonly app: Hono<ServerEnv>;
  /** The engine: `actions()`, `reload()`, `onReload()`, `status()`, `run()`. */
  readonly engine: Engine;
  /** `/ready` answers 503 once drained (call `drain()` on SIGTERM). */
  readonly readiness: Readiness;
  /** The Prometheus text, whether or not the app serves it; null when metrics are off. */
  readonly metrics: MetricsSource | null;
  /** The fallback action server, for another front-end on the same engine (`listenGrpc`'s `fallback`); null when none. */
  readonly fallback: Fallback | null;
  /** What the app tells of its requests (metrics, traces), for another front-end on the same engine (`listenGrpc`'s `observer`); null when both are off. */
  readonly observer: ServerObserver | null;
  /** Stops watching, closes the upstream pools (after their in-flight requests), exports the last spans. */
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
  const { enabled = true, route = true, auth = false, cluster = false } = options.metrics ?? {};
  const telemetry = createTelemetry({ metrics: enabled, tracing: options.tracing ?? null });
  let engine: Engine;
  try {
    engine = await createEngine({
      ...options,
      logger,
      ...(telemetry.engine ? { observer: telemetry.engine } : {}),
      ...(telemetry.http ? { http: { ...options.http, observer: telemetry.http } } : {}),
    });
  } catch (err) {
    await telemetry.close();
    throw err;
  }
  telemetry.watch(engine);
  const metrics =
    telemetry.metrics === null ? null : cluster ? clusterMetricsSource(telemetry.metrics) : telemetry.metrics;
  const readiness = options.readiness ?? createReadiness();
  const { metrics: _metricsOptions, mcp: mcpOptions, fallback: fallbackOptions, ...appOptions } = options;
  let fallback: Fallback | null = null;
  if (fallbackOptions !== undefined) {
    try {
      fallback = await createFallback({
        ...fallbackOptions,
        engine,
        logger,
        ...(telemetry.fallback ? { observer: telemetry.fallback } : {}),
      });
    } catch (err) {
      await engine.close();
      await telemetry.close();
      throw err;
    }
  }
  const served = mcpOptions === undefined ? null : await mcpOf(engine, logger, mcpOptions);
  const mcp = served?.http ?? null;
  const app = createApp({
    ...appOptions,
    engine,
    logger,
    readiness,
    ...(mcp !== null ? { mcp } : {}),
    ...(fallback !== null ? { fallback } : {}),
    ...(telemetry.server ? { observer: telemetry.server } : {}),
    ...(metrics !== null && route ? { metrics, metricsAuth: auth } : {}),
  });
  return {
    app,
    engine,
    readiness,
    metrics,
    fallback,
    observer: telemetry.server ?? null,
    async close() {
      await fallback?.close();
      await mcp?.close();
      await served?.front.close();
      await engine.close();
      await telemetry.close();
    },
  };
}

/**
 * The MCP front and its HTTP transport. The MCP SDK (with zod) is loaded
 * only for a server that serves /mcp: about a quarter of a second of CPU
 * at start-up that every other server would pay.
 */
async function mcpOf(
  engine: Engine,
  logger: Logger,
  options: NonNullable<ActionServerOptions['mcp']>,
): Promise<{ readonly front: McpFront; readonly http: McpHttp }> {
  const { createMcpFront, createMcpHttp } = await import('./mcp/index.js');
  const front = createMcpFront({
    engine,
    version: options.version,
    logger,
    ...(options.slotTypes ? { slotTypes: options.slotTypes } : {}),
  });
  return { front, http: createMcpHttp(front) };
}
