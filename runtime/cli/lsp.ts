/**
 * `slotwire lsp`: the language server for editors (docs/editors.md), the
 * Language Server Protocol 3.17 over stdio. stdout carries the protocol,
 * so nothing else is written there; a usage error goes to stderr before the
 * protocol starts. The process exits 0 after `shutdown` and `exit`, 1 on
 * `exit` without `shutdown` and when stdin closes first (the protocol's rule).
 */
import { createConnection } from 'vscode-languageserver/node.js';
import { serveLanguage } from '../lsp/index.js';
import { placeholderEnv } from '../testing/index.js';
import { parseCommandArgs, USAGE_EXIT } from './args.js';
import type { Output } from './output.js';
import { packageVersion, readProject } from './project.js';

export const lspUsage: string = `Usage: slotwire lsp [--stdio] [--project DIR] [--domain PATH]…

The language server for editors: the Language Server Protocol over stdin and
stdout. An editor starts it; it checks each open actions file as slotwire
validate does (at open and as you type), and offers completion, hover, go to
definition and quick fixes. Setting up an editor: docs/editors.md.

Options:
  --stdio          talk over stdin/stdout (the only transport; accepted
                   because language clients pass it)
  --project DIR    the Rasa project for every file (default: the nearest
                   folder with domain.yml or domain/, from each actions
                   file's folder up)
  --domain PATH    domain.yml or a domain folder, instead (repeatable)
  -h, --help       this text

The client's initializationOptions { "project": DIR, "domain": [PATH…] }
take the place of the flags. \${VAR}s the environment does not set get a
placeholder, as validate --placeholder-env does.`;

/** Serves until the client exits it; returns the exit code of a usage error or --help. */
export async function lspCommand(args: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const parsed = parseCommandArgs(
    'lsp',
    {
      args: [...args],
      options: {
        stdio: { type: 'boolean', default: false },
        // vscode-languageclient passes the editor's pid; the connection watches it and exits when the editor is gone.
        clientProcessId: { type: 'string' },
        project: { type: 'string' },
        domain: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    },
    io,
  );
  if (!parsed) return USAGE_EXIT;
  const { values } = parsed;
  if (values.help) {
    io.out(lspUsage);
    return 0;
  }
  const connection = createConnection(process.stdin, process.stdout);
  serveLanguage(connection, {
    env: placeholderEnv(env),
    readProject,
    setting: {
      ...(values.project === undefined ? {} : { project: values.project }),
      ...(values.domain === undefined ? {} : { domain: values.domain }),
    },
    version: packageVersion(),
  });
  // The connection ends the process (exit, stdin closed); until then the command runs.
  return new Promise<number>(() => {});
}
