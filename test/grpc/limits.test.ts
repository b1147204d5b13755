// What a hostile gRPC client can hold of the server (runtime/grpc/call-limits.ts,
// listen.ts, call.ts; docs/grpc.md#6-limits), through raw HTTP/2 frames as such
// a client sends them: a request never finished, more streams than allowed,
// a message declared over the limit, millions of tiny events. Each gets a
// status in time, its stream is reset, and the server goes on answering.
import type { ClientHttp2Session } from 'node:http2';
import { createConnection } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Client, credentials, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_EVENTS } from '../../runtime/grpc/defaults.js';
import { writeStruct } from '../../runtime/grpc/struct-wire.js';
import { delimitedField } from '../../runtime/grpc/wire.js';
import { createEngine } from '../../runtime/engine/index.js';
import { slotSet } from '../../runtime/rasa/index.js';
import { writeActionsFile } from '../support/actions-file.js';
import { codeActions, codeEngine } from '../server/fixture-actions.js';
import { plain, rawCall, rawSession, request, startGrpc } from './helpers.js';
import type { TestGrpc } from './helpers.js';

const WEBHOOK = '/action_server_webhook.ActionService/Webhook';
const MIB = 1024 * 1024;

let grpc: TestGrpc | null = null;
const sessions: ClientHttp2Session[] = [];

afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  await grpc?.stop();
  grpc = null;
});

async function start(...args: Parameters<typeof startGrpc>): Promise<TestGrpc> {
  grpc = await startGrpc(...args);
  return grpc;
}

async function session(server: TestGrpc): Promise<ClientHttp2Session> {
  const s = await rawSession(server.handle.port);
  sessions.push(s);
  return s;
}

/** The status a unary call failed with (null: it succeeded). */
async function failure(call: Promise<unknown>): Promise<ServiceError | null> {
  return call.then(
    () => null,
    (e: ServiceError) => e,
  );
}

describe('the time to receive a request', () => {
  it('ends a call whose message is incomplete at the deadline with DEADLINE_EXCEEDED, resets its stream, and answers others meanwhile', async () => {
    const server = await start({}, { requestTimeoutMs: 500 });
    const s = await session(server);
    const hostile = rawCall(s, WEBHOOK, { declared: 1000, sent: 10 });
    expect(await server.check('ActionServer')).toBe('SERVING');
    expect(plain(await server.webhook(request('action_set_slot'))).events).toHaveLength(1);
    const end = await hostile.ended;
    expect(end).toMatchObject({ status: status.DEADLINE_EXCEEDED, rstCode: 0 });
    expect(end.ms).toBeGreaterThanOrEqual(480);
    expect(end.ms).toBeLessThan(500 + 1000);
    // The connection itself is left alone: the next call on it is served.
    expect(s.closed).toBe(false);
    const next = await rawCall(s, WEBHOOK, { declared: MIB, sent: 0 }).ended;
    expect(next.status).toBe(status.DEADLINE_EXCEEDED);
  });

  it('ends a call that sent its whole message but never ended its side', async () => {
    const server = await start({}, { requestTimeoutMs: 300 });
    const end = await rawCall(await session(server), WEBHOOK, { declared: 0, sent: 0 }).ended;
    expect(end).toMatchObject({ status: status.DEADLINE_EXCEEDED, rstCode: 0 });
  });

  it("does not count the action's run time", async () => {
    const slow = { name: 'action_slow', run: async () => [slotSet('x', await delay(600, 1))] };
    const server = await start({ engine: await codeEngine([...codeActions, slow]) }, { requestTimeoutMs: 200 });
    expect(plain(await server.webhook(request('action_slow'))).events).toEqual([
      { event: 'slot', timestamp: null, name: 'x', value: 1 },
    ]);
  });
});

describe('streams', () => {
  it('serves at most maxStreamsPerConnection calls at once on one connection, and says so in its settings', async () => {
    const server = await start({}, { requestTimeoutMs: 400, maxStreamsPerConnection: 3 });
    const s = await session(server);
    expect(s.remoteSettings.maxConcurrentStreams).toBe(3);
    const ends = await Promise.all(
      Array.from({ length: 5 }, () => rawCall(s, WEBHOOK, { declared: 1000, sent: 10 }).ended),
    );
    const ms = ends.map((e) => e.ms).sort((a, b) => a - b);
    expect(ends.every((e) => e.status === status.DEADLINE_EXCEEDED)).toBe(true);
    // The last two could only start once the first three had ended.
    expect(ms[3]).toBeGreaterThanOrEqual(2 * 380);
    expect(ms[4]).toBeGreaterThanOrEqual(2 * 380);
  });

  it('refuses the streams over maxStreamsPerConnection of a client that ignores the limit (REFUSED_STREAM), and answers the rest', async () => {
    const server = await start({}, { requestTimeoutMs: 300, maxStreamsPerConnection: 3 });
    const frames = await hostileStreams(server.handle.port, 6, false);
    const resets = frames.filter((f) => f.type === RST_STREAM);
    expect(resets.filter((f) => f.code === REFUSED_STREAM).map((f) => f.stream)).toEqual([7, 9, 11]);
    // 1, 3 and 5 get their status (a HEADERS that ends the stream) at the deadline, then a reset.
    const answered = frames.filter((f) => f.type === HEADERS && (f.flags & END_STREAM) !== 0).map((f) => f.stream);
    expect(answered.sort((a, b) => a - b)).toEqual([1, 3, 5]);
  });

  it('closes the connection of a client that opens more than maxStreamsPerConnection after acknowledging the limit, and serves others', async () => {
    const server = await start({}, { requestTimeoutMs: 300, maxStreamsPerConnection: 3 });
    const frames = await hostileStreams(server.handle.port, 6, true);
    expect(frames.some((f) => f.type === GOAWAY)).toBe(true);
    expect(frames.filter((f) => f.type === HEADERS)).toEqual([]);
    expect(plain(await server.webhook(request('action_set_slot'))).events).toHaveLength(1);
  });

  it('refuses calls past maxCalls over all connections with RESOURCE_EXHAUSTED at once, health included, and serves again once they end', async () => {
    const server = await start({}, { requestTimeoutMs: 800, maxCalls: 3 });
    const held = await Promise.all([session(server), session(server), session(server)]);
    const holding = held.map((s) => rawCall(s, WEBHOOK, { declared: 1000, sent: 10 }).ended);
    // A ping's answer comes after the server read what was sent before it: the three calls are in.
    await Promise.all(held.map((s) => new Promise((resolve) => s.ping(resolve))));
    const refused = await rawCall(await session(server), WEBHOOK, { declared: 1000, sent: 10 }).ended;
    expect(refused).toMatchObject({ status: status.RESOURCE_EXHAUSTED, rstCode: 0 });
    expect(refused.ms).toBeLessThan(400);
    expect((await failure(server.check('ActionServer')))?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect((await Promise.all(holding)).map((e) => e.status)).toEqual(Array(3).fill(status.DEADLINE_EXCEEDED));
    expect(await server.check('ActionServer')).toBe('SERVING');
    expect(plain(await server.webhook(request('action_set_slot'))).events).toHaveLength(1);
  });
});

describe('the size of a request message', () => {
  it('refuses a message declared at 32 MiB with RESOURCE_EXHAUSTED as its length arrives, and resets the stream', async () => {
    const server = await start();
    const end = await rawCall(await session(server), WEBHOOK, { declared: 32 * MIB, sent: 64 * 1024 }).ended;
    // Long before the request timeout (30 s): the 32 MiB are never waited for.
    expect(end).toMatchObject({ status: status.RESOURCE_EXHAUSTED, rstCode: 0 });
    expect(end.ms).toBeLessThan(2000);
  });

  it('refuses a grpc-js call over 4 MiB and goes on serving the channel', async () => {
    const server = await start();
    const big = request('action_set_slot', { tracker: { slots: { text: 'x'.repeat(5 * MIB) } } });
    expect((await failure(server.webhook(big)))?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(plain(await server.webhook(request('action_set_slot'))).events).toHaveLength(1);
  });

  it('takes its limit from maxMessageBytes', async () => {
    const server = await start({}, { maxMessageBytes: 64 * 1024 });
    const end = await rawCall(await session(server), WEBHOOK, { declared: 64 * 1024 + 1, sent: 0 }).ended;
    expect(end.status).toBe(status.RESOURCE_EXHAUSTED);
    const fits = request('action_set_slot', { tracker: { slots: { text: 'x'.repeat(32 * 1024) } } });
    expect(plain(await server.webhook(fits)).events).toHaveLength(1);
  });
});

describe('the number of events', () => {
  it(`refuses a call with more than ${MAX_EVENTS} events with RESOURCE_EXHAUSTED, and takes one with ${MAX_EVENTS}`, async () => {
    const server = await start();
    // 16 bytes: 100 000 of them fit in a 4 MiB message.
    const event = eventField({ event: 'x' });
    expect((await send(server, callWithEvents('action_set_slot', event, MAX_EVENTS + 1))).code).toBe(
      status.RESOURCE_EXHAUSTED,
    );
    expect((await send(server, callWithEvents('action_set_slot', event, MAX_EVENTS))).code).toBe(status.OK);
  });

  it('counts the events of an action that does not read them too, though they are skipped', async () => {
    const actionsFile = writeActionsFile('version: 1\nactions:\n  a:\n    slots: { x: 1 }\n');
    const server = await start({ engine: await createEngine({ actionsFile }) });
    const event = eventField({ event: 'x' });
    expect((await send(server, callWithEvents('a', event, MAX_EVENTS + 1))).code).toBe(status.RESOURCE_EXHAUSTED);
    expect((await send(server, callWithEvents('a', event, MAX_EVENTS))).code).toBe(status.OK);
  });

  it('a 4 MiB request of empty events is refused without holding the server for more than a few hundred ms', async () => {
    const server = await start();
    const event = eventField({});
    const bytes = callWithEvents('action_set_slot', event, Math.floor((4 * MIB - 100) / event.length));
    // The server runs in this process: while its event loop is blocked, no other call or health check is answered.
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    const [answer, health] = await Promise.all([send(server, bytes), server.check('ActionServer')]);
    stalls.disable();
    // Building 2 million events blocked it for about 0.9 s on a 2-core machine.
    expect(stalls.max / 1e6).toBeLessThan(400);
    expect(answer.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(health).toBe('SERVING');
  });
});

const HEADERS = 1;
const RST_STREAM = 3;
const SETTINGS = 4;
const GOAWAY = 7;
const END_STREAM = 0x1;
const REFUSED_STREAM = 7;

/** A frame the server sent: its type, flags, stream and, for RST_STREAM, its error code. */
interface Frame {
  readonly type: number;
  readonly flags: number;
  readonly stream: number;
  readonly code?: number;
}

/** One HTTP/2 frame's bytes (RFC 9113, 4.1). */
function frame(type: number, flags: number, stream: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(stream, 5);
  return Buffer.concat([head, payload]);
}

/** An HPACK literal header field without indexing, with a new name (RFC 7541, 6.2.2); names and values under 128 bytes. */
function literal(name: string, value: string): Buffer {
  return Buffer.concat([
    Buffer.from([0, name.length]),
    Buffer.from(name),
    Buffer.from([value.length]),
    Buffer.from(value),
  ]);
}

/**
 * A client that ignores the server's SETTINGS_MAX_CONCURRENT_STREAMS, as
 * node's client cannot be made to: over a bare socket, `count` Webhook
 * calls opened at once, each declaring 1 000 bytes and sending 10, after
 * acknowledging the server's settings or not (the limit binds a client
 * once it has). Resolves with every frame the server sent within a second.
 */
async function hostileStreams(port: number, count: number, ack: boolean): Promise<Frame[]> {
  const socket = createConnection(port, '127.0.0.1');
  const frames: Frame[] = [];
  let buffered = Buffer.alloc(0);
  let settled = false;
  const gotSettings = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 9 && buffered.length >= 9 + buffered.readUIntBE(0, 3)) {
        const length = buffered.readUIntBE(0, 3);
        const f = { type: buffered[3], flags: buffered[4], stream: buffered.readUInt32BE(5) & 0x7fffffff };
        frames.push(f.type === RST_STREAM ? { ...f, code: buffered.readUInt32BE(9) } : f);
        if (f.type === SETTINGS && (f.flags & 1) === 0 && !settled) {
          settled = true;
          resolve();
        }
        buffered = buffered.subarray(9 + length);
      }
    });
  });
  socket.write(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), frame(SETTINGS, 0, 0)]));
  await gotSettings;
  const headerBlock = Buffer.concat([
    literal(':method', 'POST'),
    literal(':scheme', 'http'),
    literal(':path', WEBHOOK),
    literal(':authority', `127.0.0.1:${port}`),
    literal('content-type', 'application/grpc'),
    literal('te', 'trailers'),
  ]);
  const prefix = Buffer.alloc(5 + 10);
  prefix.writeUInt32BE(1000, 1);
  const sent = ack ? [frame(SETTINGS, 1 /* ACK */, 0)] : [];
  for (let i = 0; i < count; i++) {
    const stream = 1 + 2 * i;
    sent.push(frame(HEADERS, 0x4 /* END_HEADERS */, stream, headerBlock), frame(0 /* DATA */, 0, stream, prefix));
  }
  socket.write(Buffer.concat(sent));
  await delay(1000, null);
  socket.destroy();
  return frames;
}

function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

/** Tracker.events' field (4) holding one event. */
function eventField(event: Record<string, unknown>): Buffer {
  return delimitedField(4, writeStruct(event));
}

/** A WebhookRequest (next_action = 1, sender_id = 2, tracker = 3) whose tracker has `count` copies of `event`. */
function callWithEvents(action: string, event: Buffer, count: number): Buffer {
  const tracker = Buffer.concat([delimitedField(1, Buffer.from('1')), ...Array<Buffer>(count).fill(event)]);
  return Buffer.concat([
    delimitedField(1, Buffer.from(action)),
    delimitedField(2, Buffer.from('1')),
    delimitedField(3, tracker),
  ]);
}

/** Sends `bytes` as a Webhook request over a grpc-js channel; its status code (OK: a result). */
function send(server: TestGrpc, bytes: Buffer): Promise<{ code: status }> {
  const client = new Client(`127.0.0.1:${server.handle.port}`, credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      WEBHOOK,
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      (err) => {
        client.close();
        resolve({ code: err === null ? status.OK : err.code });
      },
    );
  });
}
