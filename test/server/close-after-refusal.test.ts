// An answer sent before the request was read whole (413, 408) leaves the
// rest of the request on the connection: the answer says `Connection: close`
// and the server closes the socket after it, rather than answering
// keep-alive and resetting the socket under the client's next request.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createActionServer, listen, slotTypesFrom } from '../../runtime/index.js';
import type { ActionServer, ServerHandle } from '../../runtime/index.js';
import { writeActionsFile } from '../support/actions-file.js';
import { startServer } from './helpers.js';

interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** true when the server closed the socket cleanly (FIN) after its answer, false when it reset it */
  readonly closedCleanly: boolean;
}

/** Writes `head` and `body` on a new connection and reads until the server closes it. */
function rawRequest(url: string, head: string, body: Buffer): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    let reset = false;
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') reset = true;
      else reject(err);
    });
    socket.on('close', () => {
      const [statusLine = '', ...lines] = text.split('\r\n\r\n')[0].split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, closedCleanly: !reset });
    });
    socket.write(head);
    // Part of the body only: the server answers before the rest would come.
    socket.write(body);
  });
}

const overLimit = (path: string, length: number) =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: keep-alive\r\nContent-Length: ${length}\r\n\r\n`;

describe('answers before the whole request was read', () => {
  let webhook: ServerHandle;
  let mcpServer: ActionServer;
  let mcp: ServerHandle;

  beforeAll(async () => {
    webhook = await startServer({ maxBodyBytes: 1024 });
    const file = writeActionsFile('version: 1\nactions:\n  hello:\n    slots: { greeted: true }\n');
    mcpServer = await createActionServer({
      actionsFile: file,
      env: {},
      logger: pino({ level: 'silent' }),
      mcp: { slotTypes: await slotTypesFrom(null, null), version: '0.0.0-test' },
    });
    mcp = await listen(mcpServer.app, { port: 0, hostname: '127.0.0.1' });
  });
  afterAll(async () => {
    await webhook.close();
    await mcp.close();
    await mcpServer.close();
  });

  it('/webhook: a Content-Length over the limit gets 413 with Connection: close, then a clean close', async () => {
    const answer = await rawRequest(webhook.url, overLimit('/webhook', 64 * 1024), Buffer.alloc(4096, 0x20));
    expect(answer).toMatchObject({ status: 413, headers: { connection: 'close' }, closedCleanly: true });
  });

  it('/webhook: a chunked body that grows over the limit gets the same', async () => {
    const head = 'POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n';
    const chunk = Buffer.concat([Buffer.from('800\r\n'), Buffer.alloc(0x800, 0x20), Buffer.from('\r\n')]);
    const answer = await rawRequest(webhook.url, head, chunk);
    expect(answer).toMatchObject({ status: 413, headers: { connection: 'close' }, closedCleanly: true });
  });

  it('/mcp: a body over its limit gets 413 with Connection: close', async () => {
    const head =
      overLimit('/mcp', 4 * 1024 * 1024).replace('\r\n\r\n', '\r\n') +
      'Accept: application/json, text/event-stream\r\n\r\n';
    const answer = await rawRequest(mcp.url, head, Buffer.alloc(4096, 0x20));
    expect(answer).toMatchObject({ status: 413, headers: { connection: 'close' }, closedCleanly: true });
  });
});
