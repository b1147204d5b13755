/**
 * The slotwire command line: dispatches to one module per command. Only cli/
 * touches process.argv, process.env, process.exit and stdout, so every other
 * module runs as well under a test, a library user or another front-end.
 * Arguments are parsed with node's own util.parseArgs: no dependency for a
 * solved problem the runtime already ships. Each command's module is
 * imported when it runs: `run` and `validate` do not load the server
 * (hono, pino) they never use, ~0.1 s of a one-shot command's start.
 */
import { closest } from '../config/index.js';
import { USAGE_EXIT, usageError } from './args.js';
import type { Output } from './output.js';

const usage = `Usage: slotwire <command> [options]

Commands:
  serve       serve actions.yml to Rasa (POST /webhook; --mcp: also as MCP tools at /mcp)
  mcp         serve actions.yml as MCP tools over stdio, for desktop clients and local agents
  validate    check actions.yml and report every problem with file:line:col
  test        run test cases against actions.yml with HTTP fixtures (no network)
  run         run one action outside Rasa and print the HTTP exchange and its result
  import      turn an OpenAPI description or a cURL command into a connection and actions
  studio      a local web page to run actions, see the exchange and map answers to slots
  lsp         the language server for editors: diagnostics as you type, completion, hover
  init        write a starter actions.yml, a test file and the Rasa endpoints snippet
  schema      print the JSON Schema of actions.yml

Run "slotwire <command> --help" (or "slotwire help <command>") for the options
of a command, "slotwire --version" (-v) for the version.

Exit codes: 0 done, 1 it could not be done (a broken file, a failed test, a port
in use), 2 a usage error (an unknown flag or command, a bad flag value), 3 run
did nothing: a call was held back (--dry-run, or a change without --yes).
Results go to stdout; diagnostics, usage errors and failures to stderr.`;

/** Runs a command line; returns the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'serve':
      return (await import('./serve.js')).serveCommand(args, env, io);
    case 'validate':
      return (await import('./validate.js')).validateCommand(args, env, io);
    case 'test':
      return (await import('./test.js')).testCommand(args, env, io);
    case 'run':
      return (await import('./run.js')).runCommand(args, env, io);
    case 'mcp':
      return (await import('./mcp.js')).mcpCommand(args, env, io);
    case 'import':
      return (await import('./import.js')).importCommand(args, io);
    case 'studio':
      return (await import('./studio.js')).studioCommand(args, env, io);
    case 'lsp':
      return (await import('./lsp.js')).lspCommand(args, env, io);
    case 'init':
      return (await import('./init.js')).initCommand(args, io);
    case 'schema':
      return (await import('./schema.js')).schemaCommand(args, io);
    case '--version':
    case '-v':
      io.out((await import('./project.js')).packageVersion());
      return 0;
    case 'help':
      // `slotwire help run` is `slotwire run --help`; a second word is a usage error.
      if (args.length > 1) return usageError(io, null, `help takes one command, not "${args.join(' ')}"`);
      return args[0] === undefined ? printUsage(io, 0) : main([args[0], '--help'], env, io);
    case '--help':
    case '-h':
      return printUsage(io, 0);
    case undefined:
      // A bare `slotwire` asks what there is: the usage, yet no command ran.
      return printUsage(io, USAGE_EXIT);
    default:
      return usageError(io, null, `unknown command "${command}"${suggestCommand(command)}`);
  }
}

function printUsage(io: Output, code: number): number {
  io.out(usage);
  return code;
}

const commands: readonly string[] = [
  'serve',
  'mcp',
  'validate',
  'test',
  'run',
  'import',
  'studio',
  'lsp',
  'init',
  'schema',
];

/** `; did you mean "serve"?` for a misspelt command, or nothing. */
function suggestCommand(command: string): string {
  const match = closest(command, commands);
  return match === null ? '' : `; did you mean "${match}"?`;
}
