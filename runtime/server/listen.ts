/**
 * Serving the app on node: the only file that imports @hono/node-server
 * (hono's adapter split, STYLE "server/"). HTTP or HTTPS, keep-alive, and a
 * graceful close that lets in-flight webhook calls finish (issue 3).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Logger } from 'pino';

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
  const { port, hostname = '0.0.0.0', tls, keepAliveTimeoutMs = 120_000, gracePeriodMs = 10_000 } = options;
  // createAdaptorServer types the result as a union with Http2Server; we
  // never ask for HTTP/2, so it is an http(s).Server (LIBRARIES §5).
  const server = createAdaptorServer({
    fetch: app.fetch as (request: Request) => Response | Promise<Response>,
    hostname,
    ...(tls === undefined ? {} : { createServer: createHttpsServer, serverOptions: { cert: tls.cert, key: tls.key, passphrase: tls.passphrase } }),
  }) as Server;
  server.keepAliveTimeout = keepAliveTimeoutMs;
  // Node must not cut a keep-alive socket while the client starts a request on it.
  server.headersTimeout = keepAliveTimeoutMs + 1_000;
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

/** Options of `closeOnSignals`. */
export interface SignalOptions {
  /** Default: `['SIGTERM', 'SIGINT']` */
  readonly signals?: readonly NodeJS.Signals[];
  /** logs the signal and the outcome. Default: none */
  readonly logger?: Logger;
  /** called once closed (error null) or when close failed; the CLI sets the exit code here */
  readonly onClosed?: (error: unknown) => void;
}

/**
 * Close the server gracefully on SIGTERM/SIGINT (what Kubernetes and
 * Ctrl-C send). Returns a function that removes the handlers. The process
 * is not exited here: only the CLI owns `process.exit` (STYLE "cli/").
 * @example
 * closeOnSignals(handle, { logger, onClosed: (err) => { process.exitCode = err ? 1 : 0; } });
 */
export function closeOnSignals(handle: Pick<ServerHandle, 'close'>, options: SignalOptions = {}): () => void {
  const { signals = ['SIGTERM', 'SIGINT'], logger, onClosed } = options;
  const onSignal = (signal: NodeJS.Signals): void => {
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
  for (const signal of signals) process.once(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
