/**
 * `slotwire import openapi|curl`: an API description (docs/import.md) as a
 * connection and actions, printed, or added to actions.yml with its
 * comments and layout kept (--write). The importers make a Draft
 * (runtime/import); this command only reads arguments and says what it did.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import {
  draftToYaml,
  importCurl,
  ImportConflictError,
  ImportError,
  importOpenApi,
  listOperations,
  mergeIntoYaml,
} from '../import/index.js';
import type { Draft } from '../import/index.js';
import { parseCommandArgs, USAGE_EXIT, usageError } from './args.js';
import type { Output } from './output.js';

export const importUsage: string = `Usage: slotwire import openapi <file|dir> [--operation ID]… [--connection NAME] [--write] [--actions FILE]
       slotwire import curl '<curl command>' [--name ACTION] [--connection NAME] [--write] [--actions FILE]
       slotwire import curl [options] -- curl …    (the command unquoted, after --)

Turns an API description into a connection and actions (docs/import.md):

  openapi   an OpenAPI 3.0/3.1 or Swagger 2.0 description (YAML or JSON; a folder:
            its root description). Without --operation, lists the operations.
  curl      a cURL command as API docs show it (quote it whole). Credentials in it
            become \${VAR}s and are never written.

Options:
  --operation ID      an operationId to import (repeatable)
  --connection NAME   the connection's name (default: from the API's title or host)
  --name ACTION       curl: the action's name (default: from the method and path)
  --write             add them to the actions file (comments and layout kept)
                      instead of printing them
  --actions FILE      the actions file to write to, and where response_schema
                      references are relative to (default: actions.yml)

Then map each answer to slots and run slotwire validate: it checks the
mappings against the response schema.`;

/** Runs the command; returns the exit code. */
export async function importCommand(args: readonly string[], io: Output): Promise<number> {
  // A cURL command pasted unquoted carries curl's flags (-H, -d…), which are not ours.
  if (args[0] === 'curl' && !args.includes('--') && args[1] === 'curl' && args.length > 2) {
    return usageError(io, 'import', "quote the cURL command whole ('curl …'), or put it after --");
  }
  const parsed = parseCommandArgs(
    'import',
    {
      args: [...args],
      allowPositionals: true,
      options: {
        operation: { type: 'string', multiple: true },
        connection: { type: 'string' },
        name: { type: 'string' },
        write: { type: 'boolean', default: false },
        actions: { type: 'string', default: 'actions.yml' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    io,
  );
  if (!parsed) return USAGE_EXIT;
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(importUsage);
    return 0;
  }
  const [kind, ...rest] = positionals;
  if (kind !== 'openapi' && kind !== 'curl')
    return usageError(
      io,
      'import',
      kind === undefined ? 'say what to import: openapi or curl' : `unknown kind "${kind}": openapi or curl`,
    );
  if (rest.length === 0)
    return usageError(
      io,
      'import',
      kind === 'openapi' ? 'give the OpenAPI file or folder' : 'give the cURL command, quoted',
    );
  if (kind === 'openapi' && values.name !== undefined)
    return usageError(io, 'import', '--name is for curl; an OpenAPI action is named by its operationId');
  if (kind === 'curl' && values.operation !== undefined) return usageError(io, 'import', '--operation is for openapi');
  let draft: Draft;
  try {
    if (kind === 'openapi') {
      if (rest.length > 1) return usageError(io, 'import', 'give one OpenAPI file or folder');
      const file = rest[0];
      if (values.operation === undefined) return await list(file, io);
      draft = await importOpenApi(file, {
        operations: values.operation,
        actionsFile: values.actions,
        ...(values.connection ? { connection: values.connection } : {}),
      });
    } else {
      // Pasted unquoted, the shell split it: put the words back as one command the importer splits the same way.
      const command = rest.length === 1 ? rest[0] : rest.map(shellQuote).join(' ');
      draft = importCurl(command, {
        ...(values.name ? { name: values.name } : {}),
        ...(values.connection ? { connection: values.connection } : {}),
      });
    }
  } catch (err) {
    if (err instanceof ImportError) return refused(io, err);
    throw err;
  }
  if (!values.write) {
    io.out(draftToYaml(draft));
    return 0;
  }
  return write(values.actions, draft, io);
}

async function list(file: string, io: Output): Promise<number> {
  const operations = await listOperations(file);
  for (const op of operations)
    io.out(`${op.method.padEnd(7)} ${op.path}  ${op.operationId}${op.summary ? `  ${op.summary}` : ''}`);
  io.out(
    `\n${operations.length} operation${operations.length === 1 ? '' : 's'}; import some with --operation ID (repeatable).`,
  );
  return 0;
}

async function write(file: string, draft: Draft, io: Output): Promise<number> {
  let text: string;
  try {
    text = existsSync(file) ? mergeIntoYaml(await readFile(file, 'utf8'), draft) : draftToYaml(draft);
  } catch (err) {
    if (!(err instanceof ImportConflictError)) throw err;
    return refused(io, err, `${file}: `);
  }
  await writeFile(file, text);
  const names = draft.actions.map((a) => a.name);
  io.out(
    `${file}: added ${names.length} action${names.length === 1 ? '' : 's'} (${names.join(', ')}) with connection ${draft.connection.name}.`,
  );
  // A variable with a default (`${NAME:-…}`) works unset: asking for it would send the user to set what needs nothing.
  const toSet = draft.variables.filter((v) => v.default === undefined);
  if (toSet.length > 0) io.out(`Set: ${toSet.map((v) => v.name).join(', ')}.`);
  io.out(`Next: map each answer to slots (see the comments), then: slotwire validate ${file}`);
  return 0;
}

/** One line, as validate prints a problem: the code (docs/import.md says what to do about it), then what was found. */
function refused(io: Output, err: ImportError, where = ''): number {
  io.err(`slotwire import: error ${err.code}: ${where}${err.message}`);
  return 1;
}

/** A word in single quotes, for a POSIX shell (and the cURL importer's tokenizer). */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
