/** `slotwire schema`: prints the JSON Schema of actions.yml, for editors that cannot read it from the repo. */
import { readFile } from 'node:fs/promises';
import { schemaUrl } from '../config/index.js';
import { parseCommandArgs, USAGE_EXIT } from './args.js';
import type { Output } from './output.js';

export const schemaUsage: string = `Usage: slotwire schema

Prints the JSON Schema of actions.yml on stdout, e.g. for an editor:
  slotwire schema > actions.schema.json

  -h, --help  this text`;

/** Runs the command; returns the exit code. */
export async function schemaCommand(args: readonly string[], io: Output): Promise<number> {
  const parsed = parseCommandArgs(
    'schema',
    { args: [...args], options: { help: { type: 'boolean', short: 'h' } } },
    io,
  );
  if (!parsed) return USAGE_EXIT;
  if (parsed.values.help) {
    io.out(schemaUsage);
    return 0;
  }
  io.out((await readFile(schemaUrl, 'utf8')).trimEnd());
  return 0;
}
