/**
 * A scripted upstream API on loopback for the engine's case files: routes
 * matched in order by method, path and query subset, each answering with a
 * status and JSON or text, after a delay, by hanging, or by resetting the
 * socket. It records every request it saw.
 */
import type { ServerResponse } from 'node:http';
import { startServer } from '../http/helpers.js';
import type { Seen, TestServer } from '../http/helpers.js';

/** One scripted answer. */
export interface Route {
  readonly match: { readonly method?: string; readonly path: string; readonly query?: Record<string, string> };
  readonly reply: {
    readonly status?: number;
    readonly headers?: Record<string, string>;
    readonly json?: unknown;
    readonly text?: string;
    readonly delay_ms?: number;
    /** never answer (the client's deadline must fire) */
    readonly hang?: boolean;
    /** destroy the socket before answering */
    readonly reset?: boolean;
    /** answer with this many bytes of JSON-ish filler */
    readonly bytes?: number;
  };
  /** how many requests this route answers. Default: unlimited */
  readonly times?: number;
}

/** The running upstream. */
export interface Upstream extends TestServer {
  readonly seen: Seen[];
}

/** Starts the upstream with its routes; unmatched requests get a 599 that names them. */
export async function startUpstream(routes: readonly Route[]): Promise<Upstream> {
  const used = routes.map(() => 0);
  return startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    const index = routes.findIndex(
      (r, i) => matches(r, req.method ?? 'GET', url) && (r.times === undefined || used[i] < r.times),
    );
    if (index === -1) {
      res.writeHead(599, { 'content-type': 'text/plain' });
      res.end(`no route for ${req.method} ${req.url}`);
      return;
    }
    used[index]++;
    const { reply } = routes[index];
    if (reply.hang) return;
    if (reply.reset) {
      req.socket.destroy();
      return;
    }
    const send = () => answer(res, reply);
    // A slow upstream, as the route declares: the delay is the behaviour under test.
    if (reply.delay_ms) setTimeout(send, reply.delay_ms);
    else send();
  });
}

function matches(route: Route, method: string, url: URL): boolean {
  const m = route.match;
  if ((m.method ?? 'GET') !== method || m.path !== url.pathname) return false;
  return Object.entries(m.query ?? {}).every(([k, v]) => url.searchParams.getAll(k).includes(v));
}

function answer(res: ServerResponse, reply: Route['reply']): void {
  const status = reply.status ?? 200;
  if (reply.bytes !== undefined) {
    res.writeHead(status, { 'content-type': 'application/json', ...reply.headers });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let left = reply.bytes;
    const pump = (): void => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    res.on('error', () => {});
    pump();
    return;
  }
  if (reply.text !== undefined) {
    res.writeHead(status, { 'content-type': 'text/plain', ...reply.headers });
    res.end(reply.text);
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...reply.headers });
  res.end(reply.json === undefined ? '' : JSON.stringify(reply.json));
}
