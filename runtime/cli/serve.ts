/**
 * `slotwire serve`: the action server, with rasa-sdk's flag names where they
 * make sense (`--port`, `--actions`, `--cors`, `--ssl-*`, `--auto-reload`,
 * `--grpc`). As in rasa-sdk, `--grpc` serves gRPC instead of HTTP on the
 * same port: Rasa calls one `action_endpoint` over one transport
 * (docs/server.md, "gRPC").
 */
import type { Logger } from 'pino';
import { createActionServer } from '../action-server.js';
import type { ActionServer, ActionServerOptions } from '../action-server.js';
import { ActionsFileError } from '../engine/index.js';
import { ShadowRefusedError } from '../fallback/index.js';
import { usageError } from './args.js';
import { closeOnSignals, createLogger, createMetricsApp, listen } from '../server/index.js';
import type { ServerHandle } from '../server/index.js';
import { connectRedisState, describeRedis } from '../state/index.js';
import type { RedisState } from '../state/index.js';
import { tracingFor } from '../telemetry/index.js';
import type { Tracing } from '../telemetry/index.js';
// gRPC (grpc-js, protobufjs: ~10 MB and ~70 ms of start-up) is loaded only with --grpc.
import type { GrpcServerHandle, GrpcTlsOptions } from '../grpc/index.js';
import type { Fallback } from '../fallback/index.js';
import type { SlotTypes } from '../mcp/index.js';
import { disconnectWorker, isWorker, superviseWorkers } from './cluster.js';
import { reportActionsFileError } from './actions-file-error.js';
import { reportFlagFile } from './flag-file.js';
import type { Output } from './output.js';
import { readPems } from './pem-files.js';
import { packageVersion, toolSlotTypes } from './project.js';
import { readServeOptions } from './serve-options.js';
import type { ServeOptions } from './serve-options.js';

/** Runs the server until SIGTERM/SIGINT; returns the exit code. */
export async function serveCommand(args: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const code = await serve(args, env, io);
  // A cluster worker's IPC channel keeps it alive after its server closed;
  // letting go of it lets the worker exit with its code, and the primary with it.
  if (isWorker()) disconnectWorker();
  return code;
}

/** The files the flags name, read before anything is started. */
interface StartUpFiles {
  /** The PEM contents of --ssl-certificate, --ssl-keyfile and --ssl-ca-file; undefined without TLS. */
  readonly tls: GrpcTlsOptions | undefined;
  /** With --mcp: the tools' parameter types, from --domain/--project or the test file. */
  readonly slotTypes: SlotTypes | null;
}

/** What runs once started, and what is closed at the end. */
interface Running {
  readonly logger: Logger;
  readonly state: RedisState | null;
  readonly server: ActionServer;
  /** The webhook's listener, or gRPC's. */
  readonly main: Pick<ServerHandle, 'url' | 'close'>;
  readonly grpc: GrpcServerHandle | null;
  /** --metrics-port's listener. */
  readonly metrics: ServerHandle | null;
}

async function serve(args: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const options = readServeOptions(args, env, io);
  if (typeof options === 'number') return options;
  let files: StartUpFiles;
  try {
    files = await readStartUpFiles(options);
  } catch (err) {
    return reportFlagFile(err, 'serve', io);
  }
  // Read by the primary too: a wrong file is then one line, not one per worker that failed to start.
  if (options.workers > 1 && !isWorker())
    return superviseWorkers(options.workers, io, {
      metrics: options.metrics.mode !== 'off',
      scheme: options.tls === null ? 'http' : 'https',
    });
  const running = await startServing(options, files, env, io);
  if (typeof running === 'number') return running;
  await printServing(running, options, io);
  await serveUntilSignal(running, options.drainDelayMs);
  return 0;
}

/** Reads the PEM files and the MCP tools' project. Throws FlagFileError for one that cannot be used. */
async function readStartUpFiles(options: ServeOptions): Promise<StartUpFiles> {
  const { tls, mcp } = options;
  return {
    tls: tls === null ? undefined : await readPems(tls),
    slotTypes: mcp === null ? null : await toolSlotTypes(mcp.domain, mcp.project, options.actionsFile),
  };
}

/** Connects the state store, builds the action server and listens; the exit code when one of them fails (printed). */
async function startServing(
  options: ServeOptions,
  files: StartUpFiles,
  env: NodeJS.ProcessEnv,
  io: Output,
): Promise<Running | number> {
  const logger = createLogger({ level: options.logLevel });
  const tracing = await tracingFor(options.tracing, {
    version: packageVersion(),
    onError: (message) => logger.warn({ message }, 'tracing: export failed'),
  });
  const state = await openState(options.redis, logger);
  let server: ActionServer;
  try {
    server = await createActionServer(actionServerOptions(options, files, { state, env, logger, tracing }));
  } catch (err) {
    await state?.close();
    // A usage error found once the actions are known: one line, exit 2.
    if (err instanceof ShadowRefusedError) return usageError(io, 'serve', err.message);
    if (!(err instanceof ActionsFileError)) throw err;
    await reportActionsFileError(err, options.actionsFile, 'serve', io);
    return 1;
  }
  const listeners = await openListeners(options, files.tls, server, logger);
  if ('failed' in listeners) {
    await server.close();
    await state?.close();
    return listenFailed(listeners.failed, io, options.host, listeners.port);
  }
  return { logger, state, server, ...listeners };
}

/** --redis: the shared store, which says in the log when Redis goes and comes back; null for this process's memory. */
async function openState(redis: ServeOptions['redis'], logger: Logger): Promise<RedisState | null> {
  if (redis === null) return null;
  const where = describeRedis(redis.url);
  return connectRedisState({
    url: redis.url,
    prefix: redis.prefix,
    onConnection: (up, reason) =>
      up
        ? logger.info({ redis: where }, 'state store: redis connected')
        : logger.warn({ redis: where, reason }, 'state store: redis unreachable; reconnecting'),
  });
}

/** What the action server is built with: the engine's, the app's, telemetry's and MCP's options. */
function actionServerOptions(
  options: ServeOptions,
  files: StartUpFiles,
  {
    state,
    env,
    logger,
    tracing,
  }: { state: RedisState | null; env: NodeJS.ProcessEnv; logger: Logger; tracing: Tracing | null },
): ActionServerOptions {
  return {
    ...(state ? { state } : {}),
    ...(files.slotTypes !== null ? { mcp: { slotTypes: files.slotTypes, version: packageVersion() } } : {}),
    actionsFile: options.actionsFile,
    env,
    logger,
    autoReload: options.autoReload,
    ...(options.cors ? { cors: options.cors } : {}),
    ...(options.auth ? { auth: options.auth } : {}),
    maxBodyValues: options.maxBodyValues,
    ...(options.fallback === null ? {} : { fallback: options.fallback }),
    // The gRPC server has no /metrics route: only --metrics-port serves them.
    metrics: {
      enabled: options.metrics.mode !== 'off' && (options.grpc === null || options.metrics.port !== null),
      route: options.metrics.port === null,
      auth: options.metrics.mode === 'auth',
      cluster: isWorker(),
    },
    ...(tracing === null ? {} : { tracing }),
  };
}

/**
 * Listens on --port (HTTP or gRPC), then on --metrics-port; when one
 * fails, closes what was opened and answers the error and its port.
 */
async function openListeners(
  options: ServeOptions,
  tls: GrpcTlsOptions | undefined,
  server: ActionServer,
  logger: Logger,
): Promise<Pick<Running, 'main' | 'grpc' | 'metrics'> | { readonly failed: unknown; readonly port: number }> {
  let opened: Pick<Running, 'main' | 'grpc'>;
  try {
    opened = await listenMain(options, tls, server, logger);
  } catch (err) {
    return { failed: err, port: options.port };
  }
  const metricsPort = options.metrics.port;
  if (metricsPort === null || server.metrics === null) return { ...opened, metrics: null };
  try {
    const metricsApp = createMetricsApp(server.metrics, options.metrics.mode === 'auth' ? options.auth : null);
    const tlsOption = tls ? { tls } : {};
    return {
      ...opened,
      metrics: await listen(metricsApp, { port: metricsPort, hostname: options.host, ...tlsOption, logger }),
    };
  } catch (err) {
    await opened.main.close();
    return { failed: err, port: metricsPort };
  }
}

/** The webhook's HTTP server, or with --grpc the ActionService. */
async function listenMain(
  options: ServeOptions,
  tls: GrpcTlsOptions | undefined,
  server: ActionServer,
  logger: Logger,
): Promise<Pick<Running, 'main' | 'grpc'>> {
  const { port, host: hostname, requestTimeoutMs } = options;
  const tlsOption = tls ? { tls } : {};
  if (options.grpc === null) {
    const { headersTimeoutMs, maxConnections } = options;
    const main = await listen(server.app, {
      port,
      hostname,
      ...tlsOption,
      headersTimeoutMs,
      requestTimeoutMs,
      maxConnections,
      logger,
    });
    return { main, grpc: null };
  }
  const observer = server.observer === null ? {} : { observer: server.observer };
  const fallback = server.fallback === null ? {} : { fallback: server.fallback };
  const { listenGrpc } = await import('../grpc/index.js');
  const grpc = await listenGrpc(
    { engine: server.engine, logger, bargeInTimeoutMs: options.grpc.bargeInTimeoutMs, ...observer, ...fallback },
    { port, hostname, ...tlsOption, requestTimeoutMs, ...options.grpc.limits },
  );
  return { main: grpc, grpc };
}

/** The start-up lines on stdout: what is served where, metrics, MCP, tracing, state. */
async function printServing(running: Running, options: ServeOptions, io: Output): Promise<void> {
  const { server, main } = running;
  const who = isWorker() ? `worker ${process.pid}: ` : '';
  const actions = server.engine.actions();
  if (options.grpc === null) noteUnstreamedProgress(actions, running.logger);
  // Log lines are buffered (logger.ts): the file's warnings go out before the line that says it is served.
  await new Promise<void>((done) => running.logger.flush(() => done()));
  const where = options.grpc === null ? `${main.url}/webhook` : `${main.url} (gRPC)`;
  io.out(
    `slotwire: ${who}serving ${plural(actions.length, 'action')} from ${options.actionsFile} on ${where}${options.autoReload ? ' (auto-reload on)' : ''}`,
  );
  if (server.fallback !== null) printFallback(server.fallback, who, io);
  if (running.metrics !== null) io.out(`slotwire: ${who}metrics on ${running.metrics.url}/metrics`);
  if (options.mcp !== null)
    io.out(`slotwire: ${who}MCP: ${plural(actions.filter((a) => a.tool !== null).length, 'tool')} on ${main.url}/mcp`);
  const tracedTo = [
    ...(options.tracing.otlp === null ? [] : [`OTLP over ${options.tracing.otlp}`]),
    ...(options.tracing.console ? ['the console'] : []),
  ];
  if (tracedTo.length > 0) io.out(`slotwire: ${who}tracing on (${tracedTo.join(' and ')})`);
  const { state } = running;
  if (state !== null)
    io.out(
      `slotwire: ${who}state in ${state.where} under ${options.redis?.prefix}${state.connected() ? '' : " (unreachable now; serving with this process's memory until it answers)"}`,
    );
}

/**
 * Said where the transport is known, not by validate: a note, once, that
 * the HTTP server runs actions with `progress:` messages without them.
 */
function noteUnstreamedProgress(actions: ReturnType<ActionServer['engine']['actions']>, logger: Logger): void {
  const streamed = actions.filter((a) => a.progress.length > 0).length;
  if (streamed > 0)
    logger.info(
      { actions: streamed },
      'progress: messages are only sent over gRPC streaming (serve --grpc); the HTTP webhook runs these actions without them',
    );
}

/** Where undeclared actions go, and which declared ones it also serves (slotwire answers them) or shadows. */
function printFallback(fallback: Fallback, who: string, io: Output): void {
  const { url, reachable, last_error, actions, shadowed, shadow } = fallback.status();
  io.out(
    `slotwire: ${who}fallback ${url}: ${reachable === true ? `${plural(actions, 'action')} listed` : `unreachable now (${last_error ?? 'no answer'}); undeclared actions get a 502 until it answers`}`,
  );
  const answered = shadowed.filter((name) => !shadow.includes(name));
  if (answered.length > 0) io.out(`slotwire: ${who}answered here, not by the fallback: ${answered.join(', ')}`);
  if (shadow.length > 0)
    io.out(`slotwire: ${who}shadowed (the fallback answers, slotwire compares): ${shadow.join(', ')}`);
}

/** "1 action", "3 actions". */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * Serves until SIGTERM/SIGINT: then /ready (and gRPC health) say draining,
 * the listeners close after --drain-delay and their calls in flight, and
 * the action server and the state store close last.
 */
async function serveUntilSignal(running: Running, drainDelayMs: number): Promise<void> {
  const { main, metrics, grpc, server } = running;
  await new Promise<void>((done) => {
    closeOnSignals(
      { close: () => Promise.all([main.close(), metrics?.close()]).then(() => undefined) },
      {
        logger: running.logger,
        drainDelayMs,
        onSignal: () => {
          server.readiness.drain();
          grpc?.drain();
        },
        onClosed: () => done(),
      },
    );
  });
  await server.close();
  await running.state?.close();
}

/** Exit 1 with one line for a listen() error that is the machine's state; rethrows others. */
function listenFailed(err: unknown, io: Output, host: string, port: number): number {
  const why = listenProblem((err as { code?: unknown }).code, host, port);
  if (why === null) throw err;
  // Exit 1, not 2: the command line was right, the machine is not ready for it (docs: README, Commands).
  io.err(`slotwire serve: ${why}`);
  return 1;
}

/** One line for the errors of listen() that are the machine's state, not a bug; null for others. */
function listenProblem(code: unknown, host: string, port: number): string | null {
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is in use by another process; stop it or pick another with --port`;
    case 'EACCES':
      return `no permission to listen on port ${port} on ${host}; ports below 1024 need privileges, pick another with --port`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine; pick another with --host`;
    default:
      return null;
  }
}
