/**
 * Test helpers: real loopback servers on port 0 (never the network), and
 * builders for connection policies and prepared requests.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { ServerOptions as HttpsOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connectionDefaults } from '../../runtime/http/index.js';
import type { ConnectionPolicy, PreparedRequest } from '../../runtime/http/index.js';

/** A request as the server saw it. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A running loopback server. */
export interface TestServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}

/** A handler that gets the request body already read. */
export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** Starts a server on 127.0.0.1, port 0. Pass `tls` for HTTPS. */
export async function startServer(handler: Handler, tls?: HttpsOptions): Promise<TestServer> {
  const seen: Seen[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  };
  const server: Server = tls == null ? createServer(listener) : createHttpsServer(tls, listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${tls == null ? 'http' : 'https'}://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Closes a test's client, then its server (either may not have been started). */
export async function closeAll(
  http: { close(): Promise<void> } | undefined,
  server: TestServer | undefined,
): Promise<void> {
  await http?.close();
  await server?.close();
}

/** Sends JSON. */
export function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

/** A connection policy with the defaults, pointing at `baseUrl`. */
export function connection(baseUrl: string, overrides: Partial<ConnectionPolicy> = {}): ConnectionPolicy {
  return { ...connectionDefaults, name: 'api', baseUrl, ...overrides };
}

/** A GET to `path` on connection 'api', overridable. */
export function prepared(path: string, overrides: Partial<PreparedRequest> = {}): PreparedRequest {
  return {
    connection: 'api',
    method: 'GET',
    path,
    query: [],
    headers: {},
    body: null,
    expect: 'auto',
    allowUnsafeRetry: false,
    idempotencyKey: null,
    cache: null,
    ...overrides,
  };
}

/** A signal that never fires, for calls bounded only by their own timeouts. */
export const noDeadline: AbortSignal = new AbortController().signal;
