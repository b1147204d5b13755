// listen()'s limits (docs/server.md#limits), against a real server over raw
// sockets: a slow client is cut off by the headers and request timeouts, the
// connection cap refuses what is over it, and the answers node and the adapter
// give by themselves (431, 408, 400) are JSON like the app's.
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slotSet } from '../../runtime/rasa/index.js';
import type { CodeAction } from '../../runtime/rasa/index.js';
import { createApp, createLogger, listen } from '../../runtime/server/index.js';
import type { ListenOptions, ServerHandle } from '../../runtime/server/index.js';
import { codeEngine } from './fixture-actions.js';
import { waitFor } from '../support/wait-for.js';
import { silent } from './helpers.js';

const HEADERS_TIMEOUT_MS = 300;
const REQUEST_TIMEOUT_MS = 600;
// Node checks deadlines every quarter of the shortest timeout (here 75 ms);
// the rest is room for a loaded test machine.
const SLACK_MS = 1_500;

const slowAction: CodeAction = {
  name: 'action_slow',
  run: async () => {
    // The behaviour under test: a run longer than the request timeout.
    await new Promise((resolve) => setTimeout(resolve, REQUEST_TIMEOUT_MS * 2));
    return [slotSet('slow', true)];
  },
};

interface Address {
  readonly host: string;
  readonly port: number;
  /** Connections the server holds open now. */
  connections(): Promise<number>;
}

const servers: ServerHandle[] = [];
async function start(options: Partial<ListenOptions> = {}, logger = silent): Promise<Address> {
  const app = createApp({
    engine: await codeEngine([slowAction, { name: 'action_fast', run: () => [slotSet('fast', true)] }]),
    logger,
  });
  const handle = await listen(app, {
    port: 0,
    hostname: '127.0.0.1',
    headersTimeoutMs: HEADERS_TIMEOUT_MS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    ...options,
  });
  servers.push(handle);
  const { port } = new URL(handle.url);
  const connections = (): Promise<number> =>
    new Promise((resolve, reject) =>
      handle.server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
    );
  return { host: '127.0.0.1', port: Number(port), connections };
}
afterAll(() => Promise.all(servers.map((s) => s.close())));

/** What a raw client saw: every byte until the server closed, and when it closed. */
interface Exchange {
  readonly text: string;
  readonly ms: number;
}

/** Connects, runs `talk`, and resolves once the server closes the socket. */
function exchange(address: Address, talk: (socket: Socket) => void): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(address.port, address.host);
    const started = performance.now();
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err);
    });
    socket.on('close', () => resolve({ text, ms: performance.now() - started }));
    socket.on('connect', () => talk(socket));
  });
}

/** Writes `text` one byte every `everyMs` until the socket closes. */
function trickle(socket: Socket, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) {
      clearInterval(timer);
      return;
    }
    socket.write(text.charAt(i));
    i += 1;
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}

/** Status and parsed JSON body of a raw HTTP answer; asserts the JSON content type. */
function answer(raw: string): { status: number; body: Record<string, unknown> } {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  expect(head).toMatch(/\r\ncontent-type: application\/json/i);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body: JSON.parse(body) as Record<string, unknown> };
}

const webhook = (body: string, extra = ''): string =>
  `POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
const callBody = (action: string): string => JSON.stringify({ next_action: action, tracker: { sender_id: 'u' } });

describe('timeouts', () => {
  let address: Address;
  beforeAll(async () => {
    address = await start();
  });

  it('cuts a client that sends its headers byte by byte, with a JSON 408', async () => {
    const seen = await exchange(address, (socket) => trickle(socket, webhook(callBody('action_fast')), 50));
    expect(answer(seen.text)).toMatchObject({ status: 408, body: { error: expect.any(String) } });
    expect(seen.ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(seen.ms).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
  });

  it('cuts a client that connects and sends nothing', async () => {
    const seen = await exchange(address, () => {});
    expect(answer(seen.text).status).toBe(408);
    expect(seen.ms).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
  });

  it('cuts a client that never finishes its body, at the request timeout', async () => {
    const body = callBody('action_fast');
    const seen = await exchange(address, (socket) => {
      socket.write(webhook(body).slice(0, -10));
      trickle(socket, ' '.repeat(1_000), 100); // never reaches Content-Length in time
    });
    expect(answer(seen.text).status).toBe(408);
    expect(seen.ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(seen.ms).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
  });

  it("does not count the action's run time once the request is in", async () => {
    const seen = await exchange(address, (socket) =>
      socket.write(webhook(callBody('action_slow'), 'Connection: close\r\n')),
    );
    expect(answer(seen.text)).toMatchObject({ status: 200, body: { events: [slotSet('slow', true)] } });
  });

  it('keeps an idle keep-alive socket past the headers timeout, for the next request', async () => {
    const seen = await exchange(address, (socket) => {
      socket.write(webhook(callBody('action_fast')));
      // Once the first answer is in, the socket idles: that idle time is what is tested.
      socket.once('data', () =>
        setTimeout(
          () => socket.write(webhook(callBody('action_fast'), 'Connection: close\r\n')),
          HEADERS_TIMEOUT_MS * 3,
        ),
      );
    });
    expect(seen.text.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
  });

  it("logs a body cut off mid-way as the caller's 400, not a 500", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      level: 'info',
      destination: {
        write: (line: string) => {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        },
      },
    });
    const logged = await start({}, logger);
    await exchange(logged, (socket) => {
      // Hang up once the headers and part of the body have left: the server reads the body mid-way.
      socket.write(webhook(callBody('action_fast')).slice(0, -5), () => socket.destroy());
    });
    await waitFor(() => lines.some((l) => l.msg === 'webhook'), { timeoutMs: 5_000, what: 'the webhook log line' });
    expect(lines.filter((l) => l.msg === 'webhook')).toEqual([
      expect.objectContaining({ status: 400, code: 'SW_WEBHOOK_INCOMPLETE_BODY' }),
    ]);
  });
});

describe('answers node and the adapter give by themselves are JSON', () => {
  let address: Address;
  beforeAll(async () => {
    address = await start();
  });

  it("431 for headers over node's 16 KiB", async () => {
    const seen = await exchange(address, (socket) =>
      socket.write(webhook(callBody('action_fast'), `X-Big: ${'a'.repeat(20_000)}\r\n`)),
    );
    expect(answer(seen.text)).toMatchObject({ status: 431, body: { error: expect.any(String) } });
  });

  it('400 for a request node cannot parse', async () => {
    const seen = await exchange(address, (socket) => socket.write('NOT HTTP AT ALL\r\n\r\n'));
    expect(answer(seen.text).status).toBe(400);
  });

  it.each([
    ['a backslash in the path', 'GET /web\\hook HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['a Host that is no host name', 'GET /health HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n'],
  ])('400 for a request the adapter refuses: %s', async (_name, request) => {
    const seen = await exchange(address, (socket) => socket.write(request));
    expect(answer(seen.text).status).toBe(400);
  });

  it('415 for an unknown Content-Encoding stays JSON', async () => {
    const seen = await exchange(address, (socket) =>
      socket.write(webhook(callBody('action_fast'), 'Content-Encoding: br\r\nConnection: close\r\n')),
    );
    expect(answer(seen.text).status).toBe(415);
  });
});

describe('connection cap', () => {
  it('closes connections over maxConnections unanswered, and logs it', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      level: 'info',
      destination: {
        write: (line: string) => {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        },
      },
    });
    const address = await start({ maxConnections: 2, headersTimeoutMs: 10_000, requestTimeoutMs: 10_000, logger });
    const held = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<Socket>((resolve) => {
            const socket = connect(address.port, address.host, () => resolve(socket));
          }),
      ),
    );
    // The cap counts the connections the server accepted, which a client's connect does not wait for.
    await waitFor(async () => (await address.connections()) === 2, {
      timeoutMs: 5_000,
      what: 'both held connections accepted',
    });
    const refused = await exchange(address, (socket) => socket.write(webhook(callBody('action_fast'))));
    expect(refused.text).toBe('');
    expect(lines).toContainEqual(expect.objectContaining({ maxConnections: 2, dropped: 1 }));
    for (const socket of held) socket.destroy();
    await waitFor(async () => (await address.connections()) === 0, {
      timeoutMs: 5_000,
      what: 'the held connections closed',
    });
    const served = await exchange(address, (socket) =>
      socket.write(webhook(callBody('action_fast'), 'Connection: close\r\n')),
    );
    expect(answer(served.text).status).toBe(200);
  });
});
