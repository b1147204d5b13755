/** A CLI server started in a process of its own (serve, serve --grpc), for tests that wait on its output and its exit. */
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

/** A spawned server with piped stdout and stderr. */
export type ServerProcess = ChildProcessByStdio<null, Readable, Readable>;

/** The first line a started server prints (where it listens), or a rejection if it exits first. */
export function firstLine(child: ServerProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}`)));
  });
}

/** Sends `signal` and waits for the process to exit; returns its exit code (null when a signal ended it). */
export async function stopProcess(child: ServerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  return exited;
}
