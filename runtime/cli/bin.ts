#!/usr/bin/env node
/** The `slotwire` executable: runs main() with the process's arguments, env and streams. */
import { main } from './main.js';
import { streamOutput } from './output.js';

const args = process.argv.slice(2);
// Every command but serve is done when main() returns.
const oneShot = args[0] !== 'serve';

main(args, process.env, streamOutput(process.stdout, process.stderr)).then(
  async (code) => {
    process.exitCode = code;
    if (!oneShot) return;
    // Node would wait another 0.2–0.35 s for V8 to finish optimising
    // undici's WASM HTTP parser after a call (with --no-wasm-tier-up the
    // wait is gone), so `slotwire run` seemed to hang after its answer
    // (issue 13). Nothing else is pending: flush the output and leave.
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
