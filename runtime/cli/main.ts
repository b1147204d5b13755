/**
 * The slotwire command line: dispatches to one module per command. Only cli/
 * touches process.argv, process.env, process.exit and stdout (STYLE.md).
 * Arguments are parsed with node's own util.parseArgs: no dependency for a
 * solved problem the runtime already ships.
 */
import type { Output } from './output.js';
import { schemaCommand } from './schema.js';
import { initCommand } from './init.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { testCommand } from './test.js';
import { validateCommand } from './validate.js';

const usage = `Usage: slotwire <command> [options]

Commands:
  serve       serve actions.yml to Rasa (POST /webhook)
  validate    check actions.yml and report every problem with file:line:col
  test        run test cases against actions.yml with HTTP fixtures (no network)
  run         run one action outside Rasa and print the HTTP exchange and its result
  init        write a starter actions.yml, a test file and the Rasa endpoints snippet
  schema      print the JSON Schema of actions.yml

Run "slotwire <command> --help" for the options of a command.`;

/** Runs a command line; returns the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'serve':
      return serveCommand(args, env, io);
    case 'validate':
      return validateCommand(args, env, io);
    case 'test':
      return testCommand(args, env, io);
    case 'run':
      return runCommand(args, env, io);
    case 'init':
      return initCommand(args, io);
    case 'schema':
      return schemaCommand(io);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.out(usage);
      return command === undefined ? 2 : 0;
    default:
      io.err(`slotwire: unknown command "${command}"\n\n${usage}`);
      return 2;
  }
}
