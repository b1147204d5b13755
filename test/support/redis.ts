/**
 * A real Redis server on loopback for the tests of the shared state store:
 * Debian's redis-server (.ci/run installs it when missing), without
 * persistence. It can be stopped and started again on the same port, as an
 * outage and its end.
 *
 * Its port: redis-server cannot bind port 0 and say which port it got
 * (`--port 0` turns TCP off), and a unix socket would not do either: the
 * store and `serve --redis` take only redis:// URLs, which name a TCP port.
 * Finding a free port first and starting Redis on it races with every other
 * process binding ports meanwhile. So a random port is tried, below the
 * kernel's ephemeral range (where port-0 binds and outgoing connections
 * land), and another one when Redis says the port is in use; Redis's own
 * "Ready to accept connections" line says when it answers.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
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

/** Ports tried: 20000–32767, below Linux's default ephemeral range (32768–60999). */
const FIRST_PORT = 20_000;
const PORTS = 12_768;
const ATTEMPTS = 20;
/** How long redis-server may take to say it is ready. */
const READY_MS = 10_000;

type RedisProcess = ChildProcessByStdio<null, Readable, Readable>;

/** Starts redis-server; throws with how to install it when it is missing. */
export async function startRedis(): Promise<RedisServer> {
  requireProgram('redis-server');
  let port = 0;
  let child: RedisProcess | null = null;
  for (let attempt = 1; child === null; attempt++) {
    port = FIRST_PORT + Math.floor(Math.random() * PORTS);
    const started = await launch(port);
    if (started !== 'in use') child = started;
    else if (attempt === ATTEMPTS) throw new Error(`redis-server: ${ATTEMPTS} random ports were all in use`);
  }
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
    async start() {
      // The clients under test point at this port: another one would not be a restart.
      const started = await launch(port);
      if (started === 'in use') throw new Error(`redis-server: port ${port} was taken while Redis was stopped`);
      child = started;
    },
    cli: (...args) => spawnSync(redisCli(), ['-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim(),
  };
}

/**
 * Starts redis-server on `port`; resolves once it is ready, or with 'in use'
 * when it exits for that (on 'close', not 'exit': its last line may still be
 * in the pipe when it exits).
 */
function launch(port: number): Promise<RedisProcess | 'in use'> {
  const proc = spawn(
    requireProgram('redis-server'),
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'notice'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      if (output.includes('Address already in use')) resolve('in use');
      else reject(new Error(`redis-server on ${port} exited ${code}:\n${output}`));
    };
    const timer = setTimeout(() => {
      proc.off('close', onExit);
      proc.kill('SIGKILL');
      reject(new Error(`redis-server on ${port} was not ready within ${READY_MS} ms:\n${output}`));
    }, READY_MS);
    proc.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('Ready to accept connections')) return;
      clearTimeout(timer);
      proc.off('close', onExit);
      // Keep draining what it logs later, so a full pipe never blocks it.
      proc.stdout.removeAllListeners('data').resume();
      resolve(proc);
    });
    proc.stderr.resume();
    proc.once('close', onExit);
  });
}

/** redis-cli, which comes with redis-server, beside it. */
function redisCli(): string {
  return join(dirname(requireProgram('redis-server')), 'redis-cli');
}
