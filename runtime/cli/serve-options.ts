/**
 * `slotwire serve`'s command line: its usage, its flags and their checks.
 * Every usage error of the command is found here, before anything is read,
 * connected or listened on, and serve.ts gets values in the units it needs
 * (ms, bytes, ports). Each check returns what it read, or the problem as
 * the text of a usage error (args.ts prints it).
 */
import {
  compileOrigins,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_BODY_VALUES,
  DEFAULT_MAX_CONNECTIONS,
} from '../server/index.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../call-rules/index.js';
import { DEFAULT_FALLBACK_TIMEOUT_MS } from '../fallback/index.js';
import type { AuthOptions } from '../server/index.js';
import { tracingFromEnv } from '../telemetry/index.js';
import type { TracingChoice } from '../telemetry/index.js';
// Only the defaults: grpc-js itself is loaded by serve.ts, and only with --grpc.
import {
  DEFAULT_BARGE_IN_TIMEOUT_MS,
  DEFAULT_MAX_CALLS,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_MAX_STREAMS_PER_CONNECTION,
} from '../grpc/defaults.js';
import type { GrpcListenOptions } from '../grpc/index.js';
import { parseCommandArgs, USAGE_EXIT, usageError } from './args.js';
import type { Output } from './output.js';
import { logLevelOf } from './log-level.js';
import type { LogLevel } from './log-level.js';

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
  --host ADDR             address to listen on (default: 0.0.0.0; env SANIC_HOST, as rasa-sdk)
  --auto-reload, --watch  reload the actions file when it changes; a broken
                          version is refused and the last good one keeps serving
  --cors ORIGIN…          allow browser origins on /health, /ready and /actions: exact
                          (https://app.example.com), * globs (https://*.example.com,
                          http://localhost:*) or * for all; repeatable, or several
                          after one --cors, as rasa-sdk
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
  --log-level LEVEL       trace, debug, info, warn, error or silent (default: info);
                          rasa-sdk's -v/--verbose (info), -vv/--debug, --quiet (warn) too
  --workers N             serve from N processes sharing the port (default: 1;
                          env ACTION_SERVER_SANIC_WORKERS, as rasa-sdk)
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
  --fallback URL          the existing action server's webhook (rasa-sdk, e.g.
                          http://actions:5055/webhook): calls for actions not declared
                          here are forwarded to it, its answers returned unchanged
                          (env SLOTWIRE_FALLBACK_URL; docs/migrating.md)
  --fallback-timeout S    seconds the fallback has for one call; then a 504 naming the
                          action (default: ${DEFAULT_FALLBACK_TIMEOUT_MS / 1000})
  --shadow A[,B…]|all     with --fallback: for these moved actions the fallback still
                          answers, and slotwire's version runs on the same call and is
                          compared (GET/HEAD-only actions)
  --domain PATH           with --mcp: the Rasa domain, for the tools' parameter types (repeatable)
  --project DIR           with --mcp: a Rasa project folder, for the same

Environment: \${VAR} references in connections are read from the environment.
Tracing: OpenTelemetry, off unless OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_TRACES_EXPORTER)
is set; the other OTEL_* variables apply (docs/operations.md).`;

/** The flags as parseArgs reads them: text, with their defaults (serveFlags) applied. */
interface ServeFlags {
  readonly actions: string;
  readonly port: string;
  readonly host?: string | undefined;
  readonly 'auto-reload': boolean;
  readonly watch: boolean;
  readonly cors?: string[] | undefined;
  readonly 'ssl-certificate'?: string | undefined;
  readonly 'ssl-keyfile'?: string | undefined;
  readonly 'ssl-password'?: string | undefined;
  readonly grpc: boolean;
  readonly 'ssl-ca-file'?: string | undefined;
  readonly 'grpc-max-streams'?: string | undefined;
  readonly 'grpc-max-calls'?: string | undefined;
  readonly 'grpc-max-message'?: string | undefined;
  readonly 'barge-in-timeout': string;
  readonly 'auth-token'?: string | undefined;
  readonly 'auth-token-name': string;
  readonly 'log-level'?: string | undefined;
  readonly verbose?: boolean[] | undefined;
  readonly debug: boolean;
  readonly quiet: boolean;
  readonly workers?: string | undefined;
  readonly 'headers-timeout': string;
  readonly 'request-timeout': string;
  readonly 'max-connections': string;
  readonly 'max-body-values': string;
  readonly metrics: string;
  readonly 'metrics-port'?: string | undefined;
  readonly 'drain-delay': string;
  readonly redis?: string | undefined;
  readonly 'redis-prefix': string;
  readonly mcp: boolean;
  readonly domain?: string[] | undefined;
  readonly project?: string | undefined;
  readonly fallback?: string | undefined;
  readonly 'fallback-timeout': string;
  readonly shadow?: string[] | undefined;
}

/** The --grpc-max-* limits, as listenGrpc takes them. */
export type GrpcLimits = Pick<GrpcListenOptions, 'maxStreamsPerConnection' | 'maxCalls' | 'maxMessageBytes'>;

/** The PEM files of --ssl-*: paths, read at start-up (serve.ts). */
export interface TlsFlags {
  readonly certificate: string;
  readonly keyfile: string;
  readonly passphrase: string | undefined;
  /** --ssl-ca-file: with --grpc, the CA whose client certificates are required */
  readonly caFile: string | undefined;
}

/** The command line, checked. */
export interface ServeOptions {
  readonly actionsFile: string;
  readonly port: number;
  readonly host: string;
  readonly autoReload: boolean;
  readonly cors: readonly string[] | undefined;
  readonly logLevel: LogLevel;
  /** null: plain HTTP (or gRPC) */
  readonly tls: TlsFlags | null;
  /** null: the HTTP server; else gRPC, with how long a run may take to end after a barge-in and the limits */
  readonly grpc: { readonly bargeInTimeoutMs: number; readonly limits: GrpcLimits } | null;
  readonly auth: AuthOptions | null;
  readonly workers: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxConnections: number;
  readonly maxBodyValues: number;
  /** `port`: --metrics-port, null to serve /metrics beside the webhook */
  readonly metrics: { readonly mode: 'on' | 'off' | 'auth'; readonly port: number | null };
  readonly drainDelayMs: number;
  /** null: this process's memory */
  readonly redis: { readonly url: string; readonly prefix: string } | null;
  readonly tracing: Extract<TracingChoice, { ok: true }>;
  /** null: no /mcp; else the Rasa project that types the tools' parameters */
  readonly mcp: { readonly domain: readonly string[]; readonly project: string | undefined } | null;
  /** null: no fallback action server */
  readonly fallback: {
    readonly url: URL;
    readonly timeoutMs: number;
    readonly shadow: readonly string[] | 'all';
  } | null;
}

/** The checked options, or the exit code when it was --help or a usage error (printed). */
export function readServeOptions(args: readonly string[], env: NodeJS.ProcessEnv, io: Output): ServeOptions | number {
  const parsed = parseCommandArgs('serve', { args: spreadCors(args), options: serveFlags(env) }, io);
  if (!parsed) return USAGE_EXIT;
  if (parsed.values.help) {
    io.out(serveUsage);
    return 0;
  }
  const checked = checkServeOptions(parsed.values, env);
  if ('problem' in checked) return usageError(io, 'serve', checked.problem);
  if ('env' in checked) {
    io.err(`slotwire serve: ${checked.env}`);
    return USAGE_EXIT;
  }
  return checked;
}

/**
 * rasa-sdk's `--cors` takes every origin up to the next flag (`--cors A B`,
 * argparse's `nargs="*"`), and none at all when a flag follows; parseArgs
 * takes one value per flag, so each origin gets a `--cors` of its own.
 */
function spreadCors(args: readonly string[]): string[] {
  const out: string[] = [];
  let afterCors = false;
  for (const arg of args) {
    if (afterCors && !arg.startsWith('-')) {
      out.push('--cors', arg);
      continue;
    }
    afterCors = arg === '--cors';
    if (!afterCors) out.push(arg);
  }
  return out;
}

/**
 * parseArgs's options: the flags and their defaults, some from the
 * environment. rasa-sdk's SANIC_HOST and ACTION_SERVER_SANIC_WORKERS are
 * read by the checks instead, which know whether it is --grpc.
 */
function serveFlags(env: NodeJS.ProcessEnv) {
  return {
    actions: { type: 'string', default: 'actions.yml' },
    port: { type: 'string', short: 'p', default: env['PORT'] ?? '5055' },
    host: { type: 'string' },
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
    'log-level': { type: 'string' },
    verbose: { type: 'boolean', short: 'v', multiple: true },
    debug: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    workers: { type: 'string' },
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
    fallback: { type: 'string', ...(env['SLOTWIRE_FALLBACK_URL'] ? { default: env['SLOTWIRE_FALLBACK_URL'] } : {}) },
    'fallback-timeout': { type: 'string', default: String(DEFAULT_FALLBACK_TIMEOUT_MS / 1000) },
    shadow: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  } as const;
}

/** A usage error's text ("--port must be a port number, not \"x\""), or the values read. */
type Checked<T> = T | { readonly problem: string };

/**
 * Checks the flags, always in the same order; the first problem found is
 * the one reported. An unsupported OTEL_* setting is not a flag's problem,
 * so it comes back as `env` (printed without the usage hint).
 */
function checkServeOptions(flags: ServeFlags, env: NodeJS.ProcessEnv): Checked<ServeOptions> | { env: string } {
  const listen = checkListen(flags, env);
  if ('problem' in listen) return listen;
  const transport = checkTransport(flags, env);
  if ('problem' in transport) return transport;
  const limits = checkLimits(flags, transport.grpc !== null);
  if ('problem' in limits) return limits;
  const metrics = checkMetrics(flags, listen.port);
  if ('problem' in metrics) return metrics;
  const state = checkState(flags);
  if ('problem' in state) return state;
  const fallback = checkFallback(flags);
  if ('problem' in fallback) return fallback;
  const tracing = tracingFromEnv(env);
  if (!tracing.ok) return { env: tracing.error };
  return {
    ...listen,
    ...transport,
    ...limits,
    ...metrics,
    ...state,
    ...fallback,
    grpc: transport.grpc && { ...transport.grpc, limits: limits.grpcLimits },
    tracing,
  };
}

function checkListen(
  flags: ServeFlags,
  env: NodeJS.ProcessEnv,
): Checked<Pick<ServeOptions, 'port' | 'host' | 'logLevel' | 'actionsFile'>> {
  const port = portNumber(flags.port);
  if (port === null) return { problem: `--port must be a port number, not "${flags.port}"` };
  const level = logLevelOf(flags['log-level'] ?? rasaSdkLogLevel(flags));
  if (typeof level !== 'string') return level;
  // rasa-sdk's HTTP server reads SANIC_HOST; its gRPC server listens on every address whatever it says.
  const host = flags.host ?? ((!flags.grpc && env['SANIC_HOST']) || '0.0.0.0');
  return { port, host, logLevel: level, actionsFile: flags.actions };
}

/** The level rasa-sdk's flags ask for: `-vv`/`--debug` debug, `--quiet` warn, else info (`-v`/`--verbose`, its default). */
function rasaSdkLogLevel(flags: ServeFlags): string {
  if (flags.debug || (flags.verbose?.length ?? 0) > 1) return 'debug';
  return flags.quiet ? 'warn' : 'info';
}

/** TLS, gRPC or HTTP, and how many processes. */
function checkTransport(
  flags: ServeFlags,
  env: NodeJS.ProcessEnv,
): Checked<
  Pick<ServeOptions, 'tls' | 'workers' | 'auth' | 'cors' | 'autoReload'> & {
    grpc: { bargeInTimeoutMs: number } | null;
  }
> {
  const cert = flags['ssl-certificate'];
  const key = flags['ssl-keyfile'];
  if (Boolean(cert) !== Boolean(key)) return { problem: '--ssl-certificate and --ssl-keyfile go together' };
  const caFile = flags['ssl-ca-file'];
  if (caFile !== undefined && !flags.grpc)
    return { problem: '--ssl-ca-file (client certificates) applies to --grpc, as in rasa-sdk' };
  if (caFile !== undefined && !cert) return { problem: '--ssl-ca-file needs --ssl-certificate and --ssl-keyfile' };
  const httpOnly = flags.grpc
    ? (['cors', 'auth-token', 'mcp'] as const).find((flag) => flags[flag] !== undefined && flags[flag] !== false)
    : undefined;
  if (httpOnly !== undefined) return { problem: `--${httpOnly} applies to the HTTP server, not to --grpc` };
  const bargeInTimeoutMs = secondsToMs(flags['barge-in-timeout']);
  if (bargeInTimeoutMs === null || bargeInTimeoutMs === 0)
    return {
      problem: `--barge-in-timeout (or ACTION_SERVER_STREAM_BARGE_IN_TIMEOUT_SECONDS) must be a positive number of seconds, not "${flags['barge-in-timeout']}"`,
    };
  // rasa-sdk's gRPC server runs one process whatever ACTION_SERVER_SANIC_WORKERS says, so the variable is not read with --grpc.
  const workersText = flags.workers ?? ((!flags.grpc && env['ACTION_SERVER_SANIC_WORKERS']) || '1');
  const workers = Number(workersText);
  if (!Number.isInteger(workers) || workers < 1)
    return {
      problem: `--workers (or ACTION_SERVER_SANIC_WORKERS) must be a whole number of at least 1, not "${workersText}"`,
    };
  const origins = compileOrigins(flags.cors ?? []);
  if (!origins.ok) return { problem: `--cors "${origins.pattern}" ${origins.problem}` };
  if (flags.grpc && workers > 1) return { problem: '--workers applies to the HTTP server, not to --grpc' };
  const token = flags['auth-token'];
  return {
    tls:
      cert && key ? { certificate: cert, keyfile: key, passphrase: flags['ssl-password'] || undefined, caFile } : null,
    grpc: flags.grpc ? { bargeInTimeoutMs } : null,
    workers,
    auth: token ? { token: { value: token, name: flags['auth-token-name'] } } : null,
    cors: flags.cors,
    autoReload: flags['auto-reload'] || flags.watch,
  };
}

/** What a client may take and send: timeouts, connections, body values, and gRPC's own limits. */
function checkLimits(
  flags: ServeFlags,
  grpc: boolean,
): Checked<
  Pick<ServeOptions, 'headersTimeoutMs' | 'requestTimeoutMs' | 'maxConnections' | 'maxBodyValues'> & {
    grpcLimits: GrpcLimits;
  }
> {
  const headersTimeoutMs = secondsToMs(flags['headers-timeout']);
  const requestTimeoutMs = secondsToMs(flags['request-timeout']);
  if (headersTimeoutMs === null)
    return { problem: `--headers-timeout must be a number of seconds, not "${flags['headers-timeout']}"` };
  if (requestTimeoutMs === null)
    return { problem: `--request-timeout must be a number of seconds, not "${flags['request-timeout']}"` };
  // node refuses a headers timeout longer than the request it is part of; gRPC has no headers timeout.
  if (!grpc && requestTimeoutMs > 0 && headersTimeoutMs > requestTimeoutMs)
    return { problem: '--headers-timeout must not be longer than --request-timeout' };
  const grpcLimits = grpcLimitsOf(flags, grpc);
  if (typeof grpcLimits === 'string') return { problem: grpcLimits };
  const maxConnections = Number(flags['max-connections']);
  if (!Number.isInteger(maxConnections) || maxConnections < 0)
    return { problem: `--max-connections must be a whole number, not "${flags['max-connections']}"` };
  const maxBodyValues = Number(flags['max-body-values']);
  if (!Number.isInteger(maxBodyValues) || maxBodyValues < 1)
    return { problem: `--max-body-values must be a whole number above 0, not "${flags['max-body-values']}"` };
  return { headersTimeoutMs, requestTimeoutMs, maxConnections, maxBodyValues, grpcLimits };
}

function checkMetrics(flags: ServeFlags, port: number): Checked<Pick<ServeOptions, 'metrics'>> {
  const mode = flags.metrics;
  if (mode !== 'on' && mode !== 'off' && mode !== 'auth')
    return { problem: `--metrics must be on, off or auth, not "${mode}"` };
  if (mode === 'auth' && !flags['auth-token'])
    return { problem: "--metrics auth asks for the webhook's credentials: give --auth-token too" };
  const given = flags['metrics-port'];
  const metricsPort = given === undefined ? null : portNumber(given);
  if (given !== undefined && metricsPort === null)
    return { problem: `--metrics-port must be a port number, not "${given}"` };
  if (metricsPort !== null && metricsPort === port && port !== 0)
    return { problem: '--metrics-port must differ from --port' };
  if (metricsPort !== null && mode === 'off')
    return { problem: '--metrics-port has nothing to serve with --metrics off' };
  return { metrics: { mode, port: metricsPort } };
}

/** What outlives one call (drain, Redis) and what else is served (MCP). */
function checkState(flags: ServeFlags): Checked<Pick<ServeOptions, 'drainDelayMs' | 'redis' | 'mcp'>> {
  const drainDelayMs = secondsToMs(flags['drain-delay']);
  if (drainDelayMs === null)
    return { problem: `--drain-delay must be a number of seconds, not "${flags['drain-delay']}"` };
  const url = flags.redis;
  // Never echo the URL: it may carry a password.
  if (url !== undefined && !/^rediss?:\/\/[^/]/.test(url))
    return { problem: '--redis (or SLOTWIRE_REDIS_URL) must be a redis:// or rediss:// URL' };
  if (!flags.mcp && (flags.domain !== undefined || flags.project !== undefined))
    return { problem: '--domain and --project give the MCP tools their types: add --mcp' };
  return {
    drainDelayMs,
    redis: url === undefined ? null : { url, prefix: flags['redis-prefix'] },
    mcp: flags.mcp ? { domain: flags.domain ?? [], project: flags.project } : null,
  };
}

/** --fallback, its timeout and --shadow. */
function checkFallback(flags: ServeFlags): Checked<Pick<ServeOptions, 'fallback'>> {
  const given = flags.fallback;
  const shadow = (flags.shadow ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (given === undefined) {
    if (flags.shadow !== undefined)
      return { problem: '--shadow compares with the fallback action server: add --fallback URL' };
    return { fallback: null };
  }
  let url: URL | null = null;
  try {
    url = new URL(given);
  } catch {
    // reported below
  }
  // Never echo the URL: it may carry a token.
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    return {
      problem:
        '--fallback (or SLOTWIRE_FALLBACK_URL) must be an http:// or https:// URL, e.g. http://actions:5055/webhook',
    };
  const timeoutMs = secondsToMs(flags['fallback-timeout']);
  if (timeoutMs === null || timeoutMs === 0)
    return { problem: `--fallback-timeout must be a positive number of seconds, not "${flags['fallback-timeout']}"` };
  if (flags.shadow !== undefined && shadow.length === 0) return { problem: '--shadow needs action names, or all' };
  if (shadow.includes('all') && shadow.length > 1) return { problem: '--shadow all stands alone, without names' };
  return { fallback: { url, timeoutMs, shadow: shadow.includes('all') ? 'all' : shadow } };
}

/** The values of the --grpc-max-* flags as listenGrpc's options, or the usage error they make. */
function grpcLimitsOf(flags: ServeFlags, grpc: boolean): GrpcLimits | string {
  const given = (['grpc-max-streams', 'grpc-max-calls', 'grpc-max-message'] as const).find(
    (f) => flags[f] !== undefined,
  );
  if (!grpc) return given === undefined ? {} : `--${given} applies to --grpc`;
  const streams = wholeNumber(flags['grpc-max-streams'], DEFAULT_MAX_STREAMS_PER_CONNECTION);
  if (streams === null) return `--grpc-max-streams must be a whole number, not "${flags['grpc-max-streams']}"`;
  const calls = wholeNumber(flags['grpc-max-calls'], DEFAULT_MAX_CALLS);
  if (calls === null) return `--grpc-max-calls must be a whole number, not "${flags['grpc-max-calls']}"`;
  const mib =
    flags['grpc-max-message'] === undefined ? DEFAULT_MAX_MESSAGE_BYTES / MIB : Number(flags['grpc-max-message']);
  // At least one byte: grpc-js reads 0 as "every message is too large".
  if (!Number.isFinite(mib) || Math.round(mib * MIB) < 1)
    return `--grpc-max-message must be a positive number of MiB, not "${flags['grpc-max-message']}"`;
  return { maxStreamsPerConnection: streams, maxCalls: calls, maxMessageBytes: Math.round(mib * MIB) };
}

/** A port number 0–65535; null for anything else. */
function portNumber(text: string): number | null {
  const port = Number(text);
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : null;
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
