/**
 * Serving the app on node: the only file that imports @hono/node-server
 * (hono's adapter split: app.ts stays web-standard). HTTP or HTTPS,
 * keep-alive, a graceful close that lets in-flight webhook calls finish, and
 * the limits a client cannot stretch (docs/server.md#limits): time for the
 * headers, time for the whole request, open connections; every answer node or
 * the adapter gives on its own (431, 408, 400) is JSON like the app's.
 */
import { createServer as createHttpServer, STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { getRequestListener, RequestError } from '@hono/node-server';
import type { Logger } from 'pino';
import { checkingIntervalMs, DEFAULT_REQUEST_TIMEOUT_MS } from '../call-rules/index.js';
import type { WebhookFailure } from '../call-rules/index.js';
import { failureResponse } from './failure-response.js';

/** Default time a client has to send its request headers: 10 s (Rasa sends them at once). */
export const DEFAULT_HEADERS_TIMEOUT_MS: number = 10 * 1000;
/** Default cap on open connections per process: 512, far above Rasa's in-flight calls, under a 1 024 file limit. */
export const DEFAULT_MAX_CONNECTIONS: number = 512;

/** TLS material: PEM contents, not paths (the CLI reads the files). */
export interface TlsOptions {
  /** certificate chain (rasa-sdk `--ssl-certificate`) */
  readonly cert: string | Buffer;
  /** private key (`--ssl-keyfile`) */
  readonly key: string | Buffer;
  /** key passphrase (`--ssl-password`) */
  readonly passphrase?: string;
}

/** Options of `listen`. */
export interface ListenOptions {
  /** TCP port; 0 picks a free one */
  readonly port: number;
  /** interface to bind. Default: `'0.0.0.0'` (rasa-sdk's SANIC_HOST) */
  readonly hostname?: string;
  /** serve HTTPS. Default: plain HTTP */
  readonly tls?: TlsOptions;
  /** idle keep-alive before a socket closes. Default: 120 000 ms (rasa-sdk's 120 s) */
  readonly keepAliveTimeoutMs?: number;
  /** how long `close()` waits for in-flight requests before cutting them. Default: 10 000 ms */
  readonly gracePeriodMs?: number;
  /**
   * time a client has, from connecting or from the first byte of a request,
   * to send all its headers; then it gets a JSON 408 and the socket closes.
   * Idle keep-alive sockets are not affected. 0: no limit. Default: 10 000 ms
   */
  readonly headersTimeoutMs?: number;
  /**
   * time a client has to send the whole request, headers and body; the
   * action's run time does not count. At least `headersTimeoutMs`. 0: no
   * limit. Default: 30 000 ms
   */
  readonly requestTimeoutMs?: number;
  /** open connections at most; further connections are closed unanswered. 0: no limit. Default: 512 */
  readonly maxConnections?: number;
  /** where dropped connections are reported, at most one line per 10 s. Default: nowhere */
  readonly logger?: Logger;
}

/** Anything with a web-standard `fetch` handler, e.g. a Hono app. */
export interface FetchApp {
  fetch(request: Request, env: never): Response | Promise<Response>;
}

/** A running server. */
export interface ServerHandle {
  /** base URL, e.g. `http://127.0.0.1:5055` (the bound port when 0 was asked) */
  readonly url: string;
  /** the node server */
  readonly server: Server;
  /**
   * Stop accepting connections, close idle keep-alive sockets now, let
   * in-flight requests finish, and cut what is left after the grace
   * period. Resolves once the server is closed; calling it again returns
   * the same promise.
   */
  close(): Promise<void>;
}

/**
 * Serve an app. Resolves once the socket is listening.
 * @example
 * const handle = await listen(app, { port: 5055 });
 * console.log(`listening on ${handle.url}/webhook`);
 */
export function listen(app: FetchApp, options: ListenOptions): Promise<ServerHandle> {
  const {
    port,
    hostname = '0.0.0.0',
    tls,
    keepAliveTimeoutMs = 120_000,
    gracePeriodMs = 10_000,
    headersTimeoutMs = DEFAULT_HEADERS_TIMEOUT_MS,
    requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
    maxConnections = DEFAULT_MAX_CONNECTIONS,
    logger,
  } = options;
  // The adapter's own errors (no Host header, a backslash in the path…)
  // would be empty 400s: its error handler makes them JSON.
  // oxlint-disable-next-line typescript/unbound-method -- Hono's fetch is an arrow function property, bound to its app
  const listener = getRequestListener(app.fetch as (request: Request) => Response | Promise<Response>, {
    hostname,
    errorHandler: (err) =>
      rawFailure(err instanceof RequestError ? { kind: 'bad_request' } : { kind: 'internal_error' }),
  });
  const serverOptions: ServerOptions = {
    keepAliveTimeout: keepAliveTimeoutMs,
    // Node measures these from a request's first byte (or the connection's
    // start), never over an idle keep-alive socket (checked on node 20), so
    // they need no margin over keepAliveTimeout.
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    connectionsCheckingInterval: checkingIntervalMs([headersTimeoutMs, requestTimeoutMs]),
  };
  const server: Server =
    tls === undefined
      ? createHttpServer(serverOptions, listener) // oxlint-disable-line typescript/no-misused-promises -- the adapter's listener answers its own errors; node ignores the promise
      : createHttpsServer({ ...serverOptions, cert: tls.cert, key: tls.key, passphrase: tls.passphrase }, listener); // oxlint-disable-line typescript/no-misused-promises -- as above
  if (maxConnections > 0) server.maxConnections = maxConnections;
  server.on('clientError', answerClientError);
  if (logger !== undefined) server.on('drop', reportDrops(logger, maxConnections));
  let closing: Promise<void> | null = null;

  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve, reject) => {
      // Node's close() drops idle sockets once, but a keep-alive socket whose
      // request finishes later stays open until the client hangs up. So:
      // late requests get `Connection: close`, and idle sockets are swept
      // until the server is closed. Nothing of this runs before close().
      server.on('request', (_req: IncomingMessage, res: ServerResponse) => res.setHeader('connection', 'close'));
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const force = setTimeout(() => server.closeAllConnections(), gracePeriodMs);
      sweep.unref();
      force.unref();
      server.close((err) => {
        clearInterval(sweep);
        clearTimeout(force);
        if (err) reject(err);
        else resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({ url: `${tls === undefined ? 'http' : 'https'}://${host}:${address.port}`, server, close });
    });
  });
}

/** A failure as a web `Response` (the adapter's error handler). */
function rawFailure(failure: WebhookFailure): Response {
  const { status, body, headers } = failureResponse(failure);
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** What node's HTTP parser reported, as a failure; null when there is nobody left to answer. */
function clientFailure(code: string | undefined): WebhookFailure | null {
  switch (code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return null;
    case 'HPE_HEADER_OVERFLOW':
      return { kind: 'headers_too_large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { kind: 'request_timeout' };
    default:
      return { kind: 'bad_request' };
  }
}

/**
 * node's 'clientError': the parser refused the request, or a timeout above
 * expired, before the app could answer. Node would write a bodiless 431 /
 * 408 / 400; this writes the same statuses with a JSON body (every answer
 * is JSON: docs/server.md#endpoints), then closes the socket as node does.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  const failure = clientFailure(err.code);
  // Node's own rule (socketOnError in lib/_http_server.js): answer only if
  // no response on this socket has started, so a JSON error never lands
  // inside another answer. `_httpMessage` is node's in-flight response; no
  // public API tells this.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (failure !== null && socket.writable && inFlight?.headersSent !== true) {
    const { status, body } = failureResponse(failure);
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}

/** Logs connections refused at `maxConnections`: a count, at most once per 10 s. */
function reportDrops(logger: Logger, maxConnections: number): () => void {
  const everyMs = 10_000;
  let dropped = 0;
  let lastReport = Number.NEGATIVE_INFINITY;
  return () => {
    dropped += 1;
    const now = performance.now();
    if (now - lastReport < everyMs) return;
    logger.warn({ dropped, maxConnections }, 'connection limit reached: new connections are closed unanswered');
    dropped = 0;
    lastReport = now;
  };
}

/** Options of `closeOnSignals`. */
export interface SignalOptions {
  /** Default: `['SIGTERM', 'SIGINT']` */
  readonly signals?: readonly NodeJS.Signals[];
  /** logs the signal and the outcome. Default: none */
  readonly logger?: Logger;
  /** called once closed (error null) or when close failed; the CLI sets the exit code here */
  readonly onClosed?: (error: unknown) => void;
  /** called first, when the signal arrives: the place to turn `/ready` to 503 (`readiness.drain`). Default: none */
  readonly onSignal?: (signal: NodeJS.Signals) => void;
  /**
   * how long to keep accepting requests after the signal, with `/ready`
   * answering 503, before the listener closes: the time a load balancer
   * needs to see the pod is going. Default: 0 ms
   */
  readonly drainDelayMs?: number;
}

/**
 * Close the server gracefully on SIGTERM/SIGINT (what Kubernetes and
 * Ctrl-C send). Returns a function that removes the handlers. The process
 * is not exited here: only the CLI owns `process.exit`, so a program that
 * embeds the server decides when it ends.
 * @example
 * closeOnSignals(handle, { logger, onClosed: (err) => { process.exitCode = err ? 1 : 0; } });
 */
export function closeOnSignals(handle: Pick<ServerHandle, 'close'>, options: SignalOptions = {}): () => void {
  const { signals = ['SIGTERM', 'SIGINT'], logger, onClosed, drainDelayMs = 0 } = options;
  const onSignal = async (signal: NodeJS.Signals): Promise<void> => {
    options.onSignal?.(signal);
    if (drainDelayMs > 0) {
      logger?.info({ signal, drainDelayMs }, 'draining: /ready answers 503, still serving');
      await new Promise((done) => setTimeout(done, drainDelayMs));
    }
    logger?.info({ signal }, 'shutting down: finishing in-flight requests');
    handle.close().then(
      () => {
        logger?.info('server closed');
        onClosed?.(null);
      },
      (err: unknown) => {
        logger?.error({ err }, 'server close failed');
        onClosed?.(err);
      },
    );
  };
  const listener = (signal: NodeJS.Signals): void => void onSignal(signal);
  for (const signal of signals) process.once(signal, listener);
  return () => {
    for (const signal of signals) process.off(signal, listener);
  };
}
