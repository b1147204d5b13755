#!/usr/bin/env node
/** The `slotwire` executable: runs main() with the process's arguments, env and streams. */
import { main } from './main.js';
import { streamOutput } from './output.js';

const args = process.argv.slice(2);

main(args, process.env, streamOutput(process.stdout, process.stderr)).then(
  async (code) => {
    process.exitCode = code;
    // A command is done when main() returns (serve: once it closed what it
    // opened), yet Node would wait on stragglers: another 0.2–0.35 s for V8
    // to finish optimising undici's WASM HTTP parser after a call, so
    // `slotwire run` seemed to hang after its answer; the OTLP
    // exporter's retry timers after serve gave up on a dead collector.
    // Flush the output (pino flushes its own buffer at exit) and leave.
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`slotwire: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 70; // EX_SOFTWARE: a bug of ours, not the user's input
  },
);

/** Resolves once what was written to `stream` before has been handed on (or the stream failed). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    stream.write('', () => resolve());
  });
}
