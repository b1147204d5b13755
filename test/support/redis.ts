/**
 * A real Redis server on loopback for the tests of the shared state store:
 * Debian's redis-server (.ci/run installs it when missing), on a free port,
 * without persistence. It can be stopped and started again on the same
 * port, as an outage and its end.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { requireProgram } from './services.js';

/** The running server. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops it (SIGTERM) and waits until it is gone. */
  stop(): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open, nothing answers. */
  freeze(): void;
  /** Undoes freeze(). */
  thaw(): void;
  /** Starts it again on the same port (after stop()). */
  start(): Promise<void>;
  /** Runs a redis-cli command against it and returns its output. */
  cli(...args: string[]): string;
}

/** Starts redis-server; throws with how to install it when it is missing. */
export async function startRedis(): Promise<RedisServer> {
  const binary = requireProgram('redis-server');
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async (): Promise<void> => {
    const proc = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
      { stdio: 'ignore' },
    );
    child = proc;
    await waitFor(() => ping(port), 5000, `redis-server on ${port} did not answer`);
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const proc = child;
      if (proc === null || proc.exitCode !== null) return;
      const gone = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGCONT');
      proc.kill('SIGTERM');
      await gone;
      child = null;
    },
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
    start,
    cli: (...args) => spawnSync(redisCli(), ['-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim(),
  };
}

/** redis-cli, which comes with redis-server, beside it. */
function redisCli(): string {
  return join(dirname(requireProgram('redis-server')), 'redis-cli');
}

function ping(port: number): boolean {
  return (
    spawnSync(redisCli(), ['-p', String(port), 'ping'], {
      encoding: 'utf8',
      timeout: 1000,
    }).stdout?.trim() === 'PONG'
  );
}

async function waitFor(check: () => boolean, ms: number, message: string): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
