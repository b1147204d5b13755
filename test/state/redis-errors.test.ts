/**
 * How the Redis store tells a timeout from Redis's other failures: by the
 * error's type, never by its words. A server on loopback that speaks just
 * enough of Redis's protocol answers every GET with an error whose text says
 * "timed out": a reply came, so Redis answers, and the store must stay up.
 */
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRedisState, StateStoreUnavailable } from '../../runtime/index.js';
import type { RedisState } from '../../runtime/index.js';

/** A loopback server answering RESP commands with `answer`, and the commands it got. */
async function fakeRedis(
  answer: (command: readonly string[]) => string,
): Promise<{ url: string; commands: string[][]; close(): Promise<void> }> {
  const commands: string[][] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let command = takeCommand(); command !== null; command = takeCommand()) {
        commands.push(command);
        socket.write(answer(command));
      }
    });
    // One `*N` array of `$len` bulk strings (how clients send commands), or null until it has all arrived.
    function takeCommand(): string[] | null {
      const lines = pending.split('\r\n');
      const count = Number(lines[0]?.slice(1));
      if (!lines[0]?.startsWith('*') || lines.length < 2 * count + 2) return null;
      const args = Array.from({ length: count }, (_, i) => lines[2 + 2 * i] ?? '');
      pending = lines.slice(2 * count + 1).join('\r\n');
      return args;
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    commands,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

describe('Redis store errors', () => {
  it('takes an error reply that says "timed out" for an answer, not for a timeout: Redis stays up', async () => {
    const redis = await fakeRedis(([name]) => {
      switch (name?.toUpperCase()) {
        case 'GET':
          return '-ERR upstream timed out\r\n';
        case 'PING':
          return '+PONG\r\n';
        case 'INFO':
          return '$0\r\n\r\n';
        default:
          return '+OK\r\n';
      }
    });
    closing.push(() => redis.close());
    const events: string[] = [];
    const store: RedisState = await connectRedisState({
      url: redis.url,
      timeoutMs: 300,
      onConnection: (up, reason) => events.push(`${up ? 'up' : 'down'}: ${reason}`),
    });
    closing.push(() => store.close());
    expect(store.connected()).toBe(true);

    await expect(store.get('k')).rejects.toBeInstanceOf(StateStoreUnavailable);
    // Still answering: the next GET is sent, not refused at once.
    expect(store.connected()).toBe(true);
    await expect(store.get('k')).rejects.toThrow(/upstream timed out/);
    expect(redis.commands.filter(([name]) => name?.toUpperCase() === 'GET')).toHaveLength(2);
    expect(events).toEqual(['up: connected']);
  });
});
