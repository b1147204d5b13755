/**
 * MCP over Streamable HTTP at `/mcp` (`slotwire serve --mcp`), with the
 * SDK's web-standard transport, so the Hono app hands it the request as is.
 * Stateful: an `initialize` opens a session (its id in `Mcp-Session-Id`)
 * with its own server, which keeps a GET stream open for
 * `notifications/tools/list_changed` after a reload. Sessions are bounded:
 * past `maxSessions` the least recently used one closes, and one idle for
 * `idleMs` closes, so clients that never say goodbye cannot pile them up.
 */
import { randomUUID } from 'node:crypto';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { McpFront } from './front.js';

/** Options of {@link createMcpHttp}. */
export interface McpHttpOptions {
  /** Open sessions at most. Default: 256 */
  readonly maxSessions?: number;
  /** A session without requests for this long closes, in ms. Default: 30 minutes */
  readonly idleMs?: number;
  /** Largest request body, in bytes (413 past it). Default: 1 MiB */
  readonly maxBodyBytes?: number;
}

/** The `/mcp` endpoint. */
export interface McpHttp {
  handle(request: Request): Promise<Response>;
  /** Open sessions (for tests and status). */
  readonly sessions: number;
  /** Closes every session. */
  close(): Promise<void>;
}

interface Session {
  readonly transport: WebStandardStreamableHTTPServerTransport;
  lastUsed: number;
}

/** Serves `front` over Streamable HTTP. */
export function createMcpHttp(front: McpFront, options: McpHttpOptions = {}): McpHttp {
  const maxSessions = options.maxSessions ?? 256;
  const idleMs = options.idleMs ?? 30 * 60 * 1000;
  const maxRequestBodySize = options.maxBodyBytes ?? 1024 * 1024;
  const sessions = new Map<string, Session>();

  const end = (id: string): Promise<void> => {
    const session = sessions.get(id);
    sessions.delete(id);
    return session?.transport.close().catch(() => undefined) ?? Promise.resolve();
  };
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const [id, s] of sessions) if (now - s.lastUsed > idleMs) void end(id);
    },
    Math.min(idleMs, 60_000),
  );
  sweep.unref();

  const open = async (request: Request): Promise<Response> => {
    if (sessions.size >= maxSessions) {
      // A Map iterates in insertion order, and a used session is re-inserted: the first is the least recently used.
      const oldest = sessions.keys().next();
      if (oldest.done !== true) await end(oldest.value);
    }
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      maxRequestBodySize,
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, lastUsed: Date.now() });
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    const server = front.server();
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
      void server.close().catch(() => undefined);
    };
    await server.connect(transport);
    const response = await transport.handleRequest(request);
    // Not an initialize (the transport answered 400): nothing to keep.
    if (transport.sessionId === undefined || !sessions.has(transport.sessionId))
      await transport.close().catch(() => undefined);
    return response;
  };

  return {
    async handle(request) {
      const id = request.headers.get('mcp-session-id');
      if (id === null) {
        if (request.method === 'POST') return open(request);
        return rpcError(400, 'Bad Request: no Mcp-Session-Id header; start with an initialize request (POST)');
      }
      const session = sessions.get(id);
      // The spec's answer to an unknown or ended session: 404, and the client starts a new one.
      if (session === undefined) return rpcError(404, 'Session not found: initialize again');
      session.lastUsed = Date.now();
      sessions.delete(id);
      sessions.set(id, session);
      return session.transport.handleRequest(request);
    },
    get sessions() {
      return sessions.size;
    },
    async close() {
      clearInterval(sweep);
      await Promise.all([...sessions.keys()].map(end));
    },
  };
}

function rpcError(status: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }, { status });
}
