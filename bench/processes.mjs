// Starting and stopping the benchmark's processes: each server, the upstream
// and every load run are separate processes, so a load generator
// never shares an event loop with what it measures.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Node's arguments for `slotwire serve` on the bench's actions.yml at `port`:
 * this build (or BENCH_SLOTWIRE_BIN, or `bin`), at slotwire's default log
 * level unless BENCH_LOG_LEVEL names another.
 */
export function serveArgs(port, bin = process.env.BENCH_SLOTWIRE_BIN ?? join(here, '../dist/cli/bin.js')) {
  return [
    bin,
    'serve',
    '--actions',
    join(here, 'actions.yml'),
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    ...(process.env.BENCH_LOG_LEVEL ? ['--log-level', process.env.BENCH_LOG_LEVEL] : []),
  ];
}

/** Node's arguments for the hand-written baseline (bench/baseline.ts) at `port`, calling `upstreamUrl`. */
export function baselineArgs(port, upstreamUrl) {
  return ['--import', 'tsx', join(here, 'baseline.ts'), String(port), upstreamUrl];
}

/** A free loopback port (listen on 0, read it, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Start a long-running process and resolve once its stdout matches `ready`.
 * Rejects if it exits first or is not ready within `timeoutMs`.
 */
export function startProcess(name, command, args, { env = {}, ready, timeoutMs = 20_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => fail(new Error(`${name} not ready after ${timeoutMs} ms:\n${out}${err}`)),
      timeoutMs,
    );
    const fail = (e) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    let started = false;
    child.stdout.on('data', (d) => {
      // Once ready, output is only drained: a server logging every call at
      // the default level would otherwise grow `out` and this regex's work
      // without bound, in the process that measures it.
      if (started) return;
      out += d;
      if (ready.test(out)) {
        started = true;
        clearTimeout(timer);
        resolve({ name, child, stop: () => stopProcess(child) });
      }
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.once('exit', (code, signal) =>
      fail(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${out}${err}`)),
    );
  });
}

/** SIGTERM, then SIGKILL after 5 s; resolves when it has exited. */
export function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Run a process to completion; resolves with its stdout (rejects on a non-zero exit). */
export function runProcess(command, args, { env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${err}`)),
    );
  });
}

/**
 * CPU time (user + system) a process has used so far, in ms, from
 * /proc/<pid>/stat; null where there is no /proc (not Linux). Server CPU per
 * request is far steadier than req/s on a shared machine.
 */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" of the command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
/** A process's resident set size now and at its peak, in MB, from /proc/<pid>/status; null where /proc cannot tell. */
export function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

// USER_HZ is 100 on every Linux the project runs on (getconf CLK_TCK).
const CLOCK_TICKS = 100;
