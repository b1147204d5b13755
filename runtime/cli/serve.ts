/**
 * `slotwire serve`: the action server, with rasa-sdk's flag names where they
 * make sense (`--port`, `--actions`, `--cors`, `--ssl-*`, `--auto-reload`,
 * `--grpc`). As in rasa-sdk, `--grpc` serves gRPC instead of HTTP on the
 * same port: Rasa calls one `action_endpoint` over one transport
 * (docs/server.md, "gRPC").
 */
import { readFile } from 'node:fs/promises';
import { createActionServer } from '../action-server.js';
import { ActionsFileError } from '../engine/index.js';
import {
  closeOnSignals,
  createLogger,
  createMetricsApp,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_BODY_VALUES,
  DEFAULT_MAX_CONNECTIONS,
  listen,
} from '../server/index.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../call-rules/index.js';
import type { AuthOptions, ServerHandle } from '../server/index.js';
import { connectRedisState, describeRedis } from '../state/index.js';
import { createTracing, exportersFor, tracingFromEnv } from '../telemetry/index.js';
// gRPC (grpc-js, protobufjs: ~10 MB and ~70 ms of start-up) is loaded only with --grpc.
import {
  DEFAULT_BARGE_IN_TIMEOUT_MS,
  DEFAULT_MAX_CALLS,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_MAX_STREAMS_PER_CONNECTION,
} from '../grpc/defaults.js';
import type { GrpcListenOptions, GrpcServerHandle, GrpcTlsOptions } from '../grpc/index.js';
import { disconnectWorker, isWorker, superviseWorkers } from './cluster.js';
import { parseCommandArgs, USAGE_EXIT, usageError } from './args.js';
import { reportActionsFileError } from './actions-file-error.js';
import type { Output } from './output.js';
import { packageVersion, toolSlotTypes } from './project.js';

const MIB = 1024 * 1024;

export const serveUsage: string = `Usage: slotwire serve [options]

Serves an actions file to Rasa. Point Rasa's endpoints.yml at it:
  action_endpoint:
    url: http://localhost:5055/webhook
or, with --grpc (Rasa Pro 3.9+; streaming of progress: messages 3.17+):
    url: grpc://localhost:5055

Options:
  --actions FILE          actions file (default: ./actions.yml)
  -p, --port N            port (default: 5055; 0 picks a free one, named on the serving line)
  --host ADDR             address to listen on (default: 0.0.0.0)
  --auto-reload, --watch  reload the actions file when it changes; a broken
                          version is refused and the last good one keeps serving
  --cors ORIGIN           allow a browser origin on /health and /actions (repeatable, * for all)
  --ssl-certificate FILE  serve HTTPS with this certificate (PEM)
  --ssl-keyfile FILE      its private key (PEM)
  --ssl-password PASS     the key's passphrase
  --grpc                  serve Rasa's gRPC ActionService (and the gRPC health
                          service) on --port instead of HTTP, as rasa-sdk's --grpc;
                          --cors, --auth-token, --mcp and --workers are HTTP-only,
                          /metrics needs --metrics-port
  --ssl-ca-file FILE      with --grpc: require client certificates from this CA (mutual TLS)
  --barge-in-timeout S    with --grpc: seconds a run may take to end after a barge-in
                          before the stream ends with an empty result (default: 30;
                          env ACTION_SERVER_STREAM_BARGE_IN_TIMEOUT_SECONDS)
  --grpc-max-streams N    with --grpc: calls open at once on one connection; a client
                          waits for a free one; 0: no limit (default: ${DEFAULT_MAX_STREAMS_PER_CONNECTION})
  --grpc-max-calls N      with --grpc: calls in flight at once over all connections; one
                          more ends with RESOURCE_EXHAUSTED; 0: no limit (default: ${DEFAULT_MAX_CALLS})
  --grpc-max-message MIB  with --grpc: largest request message in MiB; a larger one ends
                          with RESOURCE_EXHAUSTED before it is read (default: ${DEFAULT_MAX_MESSAGE_BYTES / MIB})
  --auth-token TOKEN      require ?token=TOKEN on /webhook and /actions (Rasa's
                          action_endpoint token), and on /metrics with --metrics auth
  --auth-token-name NAME  query parameter of the token (default: token)
  --log-level LEVEL       trace, debug, info, warn, error or silent (default: info)
  --workers N             serve from N processes sharing the port (default: 1)
  --headers-timeout S     seconds a client has to send its request headers; then a
                          JSON 408 and the socket closes; 0: no limit (default: ${DEFAULT_HEADERS_TIMEOUT_MS / 1000})
  --request-timeout S     seconds a client has to send the whole request; the action's
                          run time does not count; with --grpc, a call's whole request
                          message, then DEADLINE_EXCEEDED; 0: no limit (default: ${DEFAULT_REQUEST_TIMEOUT_MS / 1000})
  --max-connections N     open connections per process; more are closed unanswered;
                          0: no limit (default: ${DEFAULT_MAX_CONNECTIONS})
  --max-body-values N     objects and arrays a webhook body may open, counted before
                          it is parsed; more get a 413 (default: ${DEFAULT_MAX_BODY_VALUES})
  --metrics MODE          GET /metrics (Prometheus): on, off, or auth to ask for the
                          webhook's --auth-token (default: on; env SLOTWIRE_METRICS)
  --metrics-port N        serve /metrics on this port instead (bound to --host; env
                          SLOTWIRE_METRICS_PORT)
  --drain-delay S         on SIGTERM, keep serving for S seconds with /ready answering
                          503 before closing, so load balancers stop sending (default: 0)
  --redis URL             share OAuth2 tokens, dedupe: records and cache: { shared: true }
                          responses between replicas in Redis: redis://[:password@]host:port[/db]
                          or rediss:// (env SLOTWIRE_REDIS_URL; the URL is a secret)
  --redis-prefix P        put P before every Redis key, so deployments can share one Redis
                          (default: slotwire:; env SLOTWIRE_REDIS_PREFIX)
  --mcp                   also serve the actions as MCP tools at /mcp (Streamable HTTP;
                          --auth-token applies, also as Authorization: Bearer)
  --domain PATH           with --mcp: the Rasa domain, for the tools' parameter types (repeatable)
  --project DIR           with --mcp: a Rasa project folder, for the same

Environment: \${VAR} references in connections are read from the environment.
Tracing: OpenTelemetry, off unless OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_TRACES_EXPORTER)
is set; the other OTEL_* variables apply (docs/operations.md).`;

const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** Runs the server until SIGTERM/SIGINT; returns the exit code. */
export async function serveCommand(args: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const code = await serve(args, env, io);
  // A cluster worker's IPC channel keeps it alive after its server closed;
  // letting go of it lets the worker exit with its code, and the primary with it.
  if (isWorker()) disconnectWorker();
  return code;
}

async function serve(args: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const parsed = parseCommandArgs(
    'serve',
    {
      args: [...args],
      options: {
        actions: { type: 'string', default: 'actions.yml' },
        port: { type: 'string', short: 'p', default: env['PORT'] ?? '5055' },
        host: { type: 'string', default: '0.0.0.0' },
        'auto-reload': { type: 'boolean', default: false },
        watch: { type: 'boolean', default: false },
        cors: { type: 'string', multiple: true },
        'ssl-certificate': { type: 'string' },
        'ssl-keyfile': { type: 'string' },
        'ssl-password': { type: 'string' },
        grpc: { type: 'boolean', default: false },
        'ssl-ca-file': { type: 'string' },
        'grpc-max-streams': { type: 'string' },
        'grpc-max-calls': { type: 'string' },
        'grpc-max-message': { type: 'string' },
        'barge-in-timeout': {
          type: 'string',
          default: env['ACTION_SERVER_STREAM_BARGE_IN_TIMEOUT_SECONDS'] ?? String(DEFAULT_BARGE_IN_TIMEOUT_MS / 1000),
        },
        'auth-token': { type: 'string' },
        'auth-token-name': { type: 'string', default: 'token' },
        'log-level': { type: 'string', default: 'info' },
        workers: { type: 'string', default: '1' },
        'headers-timeout': { type: 'string', default: String(DEFAULT_HEADERS_TIMEOUT_MS / 1000) },
        'request-timeout': { type: 'string', default: String(DEFAULT_REQUEST_TIMEOUT_MS / 1000) },
        'max-connections': { type: 'string', default: String(DEFAULT_MAX_CONNECTIONS) },
        'max-body-values': { type: 'string', default: String(DEFAULT_MAX_BODY_VALUES) },
        metrics: { type: 'string', default: env['SLOTWIRE_METRICS'] ?? 'on' },
        'metrics-port': {
          type: 'string',
          ...(env['SLOTWIRE_METRICS_PORT'] ? { default: env['SLOTWIRE_METRICS_PORT'] } : {}),
        },
        'drain-delay': { type: 'string', default: '0' },
        redis: { type: 'string', ...(env['SLOTWIRE_REDIS_URL'] ? { default: env['SLOTWIRE_REDIS_URL'] } : {}) },
        'redis-prefix': { type: 'string', default: env['SLOTWIRE_REDIS_PREFIX'] ?? 'slotwire:' },
        mcp: { type: 'boolean', default: false },
        domain: { type: 'string', multiple: true },
        project: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    io,
  );
  if (!parsed) return USAGE_EXIT;
  const { values } = parsed;
  if (values.help) {
    io.out(serveUsage);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return usageError(io, 'serve', `--port must be a port number, not "${values.port}"`);
  const level = values['log-level'] as (typeof levels)[number];
  if (!levels.includes(level)) return usageError(io, 'serve', `--log-level must be one of ${levels.join(', ')}`);
  if (Boolean(values['ssl-certificate']) !== Boolean(values['ssl-keyfile']))
    return usageError(io, 'serve', '--ssl-certificate and --ssl-keyfile go together');
  const grpc = values.grpc;
  if (values['ssl-ca-file'] !== undefined && !grpc)
    return usageError(io, 'serve', '--ssl-ca-file (client certificates) applies to --grpc, as in rasa-sdk');
  if (values['ssl-ca-file'] !== undefined && !values['ssl-certificate'])
    return usageError(io, 'serve', '--ssl-ca-file needs --ssl-certificate and --ssl-keyfile');
  const httpOnly = grpc
    ? (['cors', 'auth-token', 'mcp'] as const).find((flag) => values[flag] !== undefined && values[flag] !== false)
    : undefined;
  if (httpOnly !== undefined) return usageError(io, 'serve', `--${httpOnly} applies to the HTTP server, not to --grpc`);
  const bargeInTimeoutMs = secondsToMs(values['barge-in-timeout']);
  if (bargeInTimeoutMs === null || bargeInTimeoutMs === 0)
    return usageError(
      io,
      'serve',
      `--barge-in-timeout (or ACTION_SERVER_STREAM_BARGE_IN_TIMEOUT_SECONDS) must be a positive number of seconds, not "${values['barge-in-timeout']}"`,
    );
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1)
    return usageError(io, 'serve', `--workers must be a whole number of at least 1, not "${values.workers}"`);
  if (grpc && workers > 1) return usageError(io, 'serve', '--workers applies to the HTTP server, not to --grpc');
  const headersTimeoutMs = secondsToMs(values['headers-timeout']);
  const requestTimeoutMs = secondsToMs(values['request-timeout']);
  if (headersTimeoutMs === null)
    return usageError(io, 'serve', `--headers-timeout must be a number of seconds, not "${values['headers-timeout']}"`);
  if (requestTimeoutMs === null)
    return usageError(io, 'serve', `--request-timeout must be a number of seconds, not "${values['request-timeout']}"`);
  // node refuses a headers timeout longer than the request it is part of; gRPC has no headers timeout.
  if (!grpc && requestTimeoutMs > 0 && headersTimeoutMs > requestTimeoutMs)
    return usageError(io, 'serve', '--headers-timeout must not be longer than --request-timeout');
  const grpcLimits = grpcLimitsOf(values, grpc);
  if (typeof grpcLimits === 'string') return usageError(io, 'serve', grpcLimits);
  const maxConnections = Number(values['max-connections']);
  if (!Number.isInteger(maxConnections) || maxConnections < 0)
    return usageError(io, 'serve', `--max-connections must be a whole number, not "${values['max-connections']}"`);
  const maxBodyValues = Number(values['max-body-values']);
  if (!Number.isInteger(maxBodyValues) || maxBodyValues < 1)
    return usageError(
      io,
      'serve',
      `--max-body-values must be a whole number above 0, not "${values['max-body-values']}"`,
    );
  const metricsMode = values.metrics;
  if (metricsMode !== 'on' && metricsMode !== 'off' && metricsMode !== 'auth')
    return usageError(io, 'serve', `--metrics must be on, off or auth, not "${metricsMode}"`);
  if (metricsMode === 'auth' && !values['auth-token'])
    return usageError(io, 'serve', "--metrics auth asks for the webhook's credentials: give --auth-token too");
  const metricsPort = values['metrics-port'] === undefined ? null : Number(values['metrics-port']);
  if (metricsPort !== null && (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535))
    return usageError(io, 'serve', `--metrics-port must be a port number, not "${values['metrics-port']}"`);
  if (metricsPort !== null && metricsPort === port && port !== 0)
    return usageError(io, 'serve', '--metrics-port must differ from --port');
  if (metricsPort !== null && metricsMode === 'off')
    return usageError(io, 'serve', '--metrics-port has nothing to serve with --metrics off');
  const drainDelayMs = secondsToMs(values['drain-delay']);
  if (drainDelayMs === null)
    return usageError(io, 'serve', `--drain-delay must be a number of seconds, not "${values['drain-delay']}"`);
  const redisUrl = values.redis;
  // Never echo the URL: it may carry a password.
  if (redisUrl !== undefined && !/^rediss?:\/\/[^/]/.test(redisUrl))
    return usageError(io, 'serve', '--redis (or SLOTWIRE_REDIS_URL) must be a redis:// or rediss:// URL');
  const tracingChoice = tracingFromEnv(env);
  if (!tracingChoice.ok) {
    io.err(`slotwire serve: ${tracingChoice.error}`);
    return USAGE_EXIT;
  }
  if (!values.mcp && (values.domain !== undefined || values.project !== undefined))
    return usageError(io, 'serve', '--domain and --project give the MCP tools their types: add --mcp');
  const metricsOn = metricsMode !== 'off';
  if (workers > 1 && !isWorker()) {
    const scheme = values['ssl-certificate'] && values['ssl-keyfile'] ? 'https' : 'http';
    return superviseWorkers(workers, io, { metrics: metricsOn, scheme });
  }
  const slotTypes = values.mcp
    ? await toolSlotTypes(values.domain ?? [], values.project, values.actions, io, 'serve')
    : null;
  if (values.mcp && slotTypes === null) return 1;

  const logger = createLogger({ level });
  const auth: AuthOptions | undefined = values['auth-token']
    ? { token: { value: values['auth-token'], name: values['auth-token-name'] } }
    : undefined;
  const exporters = exportersFor(tracingChoice);
  const state =
    redisUrl === undefined
      ? null
      : await connectRedisState({
          url: redisUrl,
          prefix: values['redis-prefix'],
          onConnection: (up, reason) =>
            up
              ? logger.info({ redis: describeRedis(redisUrl) }, 'state store: redis connected')
              : logger.warn({ redis: describeRedis(redisUrl), reason }, 'state store: redis unreachable; reconnecting'),
        });
  let server;
  try {
    server = await createActionServer({
      ...(state ? { state } : {}),
      ...(slotTypes !== null ? { mcp: { slotTypes, version: packageVersion() } } : {}),
      actionsFile: values.actions,
      env,
      logger,
      autoReload: values['auto-reload'] || values.watch,
      ...(values.cors ? { cors: values.cors } : {}),
      ...(auth ? { auth } : {}),
      maxBodyValues,
      // The gRPC server has no /metrics route: only --metrics-port serves them.
      metrics: {
        enabled: metricsOn && (!grpc || metricsPort !== null),
        route: metricsPort === null,
        auth: metricsMode === 'auth',
        cluster: isWorker(),
      },
      ...(exporters.length > 0
        ? {
            tracing: createTracing({
              exporters,
              version: packageVersion(),
              onError: (message) => logger.warn({ message }, 'tracing: export failed'),
            }),
          }
        : {}),
    });
  } catch (err) {
    await state?.close();
    if (!(err instanceof ActionsFileError)) throw err;
    await reportActionsFileError(err, values.actions, 'serve', io);
    return 1;
  }
  const tls =
    values['ssl-certificate'] && values['ssl-keyfile']
      ? {
          cert: await readFile(values['ssl-certificate'], 'utf8'),
          key: await readFile(values['ssl-keyfile'], 'utf8'),
          ...(values['ssl-password'] ? { passphrase: values['ssl-password'] } : {}),
        }
      : undefined;
  let handle: Pick<ServerHandle, 'url' | 'close'>;
  let grpcHandle: GrpcServerHandle | null = null;
  let metricsHandle: ServerHandle | null = null;
  try {
    if (grpc) {
      const grpcTls: GrpcTlsOptions | undefined = tls && {
        ...tls,
        ...(values['ssl-ca-file'] ? { clientCa: await readFile(values['ssl-ca-file'], 'utf8') } : {}),
      };
      const observer = server.observer === null ? {} : { observer: server.observer };
      const { listenGrpc } = await import('../grpc/index.js');
      handle = grpcHandle = await listenGrpc(
        { engine: server.engine, logger, bargeInTimeoutMs, ...observer },
        { port, hostname: values.host, ...(grpcTls ? { tls: grpcTls } : {}), requestTimeoutMs, ...grpcLimits },
      );
    } else
      handle = await listen(server.app, {
        port,
        hostname: values.host,
        ...(tls ? { tls } : {}),
        headersTimeoutMs,
        requestTimeoutMs,
        maxConnections,
        logger,
      });
  } catch (err) {
    await server.close();
    await state?.close();
    return listenFailed(err, io, values.host, port);
  }
  if (metricsPort !== null && server.metrics !== null) {
    try {
      const metricsApp = createMetricsApp(server.metrics, metricsMode === 'auth' && auth ? auth : null);
      metricsHandle = await listen(metricsApp, {
        port: metricsPort,
        hostname: values.host,
        ...(tls ? { tls } : {}),
        logger,
      });
    } catch (err) {
      await handle.close();
      await server.close();
      await state?.close();
      return listenFailed(err, io, values.host, metricsPort);
    }
  }
  const count = server.engine.actions().length;
  const who = isWorker() ? `worker ${process.pid}: ` : '';
  // Said where the transport is known, not by validate: a note, once, for the HTTP server only.
  const streamed = grpc ? 0 : server.engine.actions().filter((a) => a.progress.length > 0).length;
  if (streamed > 0)
    logger.info(
      { actions: streamed },
      'progress: messages are only sent over gRPC streaming (serve --grpc); the HTTP webhook runs these actions without them',
    );
  // Log lines are buffered (logger.ts): the file's warnings go out before the line that says it is served.
  await new Promise<void>((done) => logger.flush(() => done()));
  io.out(
    `slotwire: ${who}serving ${count} action${count === 1 ? '' : 's'} from ${values.actions} on ${grpc ? `${handle.url} (gRPC)` : `${handle.url}/webhook`}${values['auto-reload'] || values.watch ? ' (auto-reload on)' : ''}`,
  );
  if (metricsHandle !== null) io.out(`slotwire: ${who}metrics on ${metricsHandle.url}/metrics`);
  if (slotTypes !== null) {
    const tools = server.engine.actions().filter((a) => a.tool !== null).length;
    io.out(`slotwire: ${who}MCP: ${tools} tool${tools === 1 ? '' : 's'} on ${handle.url}/mcp`);
  }
  if (exporters.length > 0) {
    const to = [
      ...(tracingChoice.otlp === null ? [] : [`OTLP over ${tracingChoice.otlp}`]),
      ...(tracingChoice.console ? ['the console'] : []),
    ];
    io.out(`slotwire: ${who}tracing on (${to.join(' and ')})`);
  }
  if (state !== null)
    io.out(
      `slotwire: ${who}state in ${state.where} under ${values['redis-prefix']}${state.connected() ? '' : " (unreachable now; serving with this process's memory until it answers)"}`,
    );
  const { readiness } = server;
  const closing = metricsHandle;
  await new Promise<void>((done) => {
    closeOnSignals(
      { close: () => Promise.all([handle.close(), closing?.close()]).then(() => undefined) },
      {
        logger,
        drainDelayMs,
        onSignal: () => {
          readiness.drain();
          grpcHandle?.drain();
        },
        onClosed: () => done(),
      },
    );
  });
  await server.close();
  await state?.close();
  return 0;
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

/** The values of the --grpc-max-* flags as listenGrpc's options, or the usage error they make. */
function grpcLimitsOf(
  values: Partial<Record<'grpc-max-streams' | 'grpc-max-calls' | 'grpc-max-message', string>>,
  grpc: boolean,
): Pick<GrpcListenOptions, 'maxStreamsPerConnection' | 'maxCalls' | 'maxMessageBytes'> | string {
  const given = (['grpc-max-streams', 'grpc-max-calls', 'grpc-max-message'] as const).find(
    (f) => values[f] !== undefined,
  );
  if (!grpc) return given === undefined ? {} : `--${given} applies to --grpc`;
  const streams = wholeNumber(values['grpc-max-streams'], DEFAULT_MAX_STREAMS_PER_CONNECTION);
  if (streams === null) return `--grpc-max-streams must be a whole number, not "${values['grpc-max-streams']}"`;
  const calls = wholeNumber(values['grpc-max-calls'], DEFAULT_MAX_CALLS);
  if (calls === null) return `--grpc-max-calls must be a whole number, not "${values['grpc-max-calls']}"`;
  const mib =
    values['grpc-max-message'] === undefined ? DEFAULT_MAX_MESSAGE_BYTES / MIB : Number(values['grpc-max-message']);
  // At least one byte: grpc-js reads 0 as "every message is too large".
  if (!Number.isFinite(mib) || Math.round(mib * MIB) < 1)
    return `--grpc-max-message must be a positive number of MiB, not "${values['grpc-max-message']}"`;
  return { maxStreamsPerConnection: streams, maxCalls: calls, maxMessageBytes: Math.round(mib * MIB) };
}

/** A flag's whole number (`fallback` when not given); null for anything but a whole number of at least 0. */
function wholeNumber(text: string | undefined, fallback: number): number | null {
  if (text === undefined) return fallback;
  const n = text.trim() === '' ? Number.NaN : Number(text);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/** `2.5` → 2500; null for anything but a non-negative number. */
function secondsToMs(text: string): number | null {
  const seconds = text.trim() === '' ? Number.NaN : Number(text);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : null;
}
