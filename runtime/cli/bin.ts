#!/usr/bin/env node
/** The `slotwire` executable: runs main() with the process's arguments, env and streams. */
import { main } from './main.js';
import { processOutput } from './output.js';

main(process.argv.slice(2), process.env, processOutput).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`slotwire: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 70; // EX_SOFTWARE: a bug of ours, not the user's input
  },
);
