/** `slotwire schema`: prints the JSON Schema of actions.yml, for editors that cannot read it from the repo. */
import { readFile } from 'node:fs/promises';
import { schemaUrl } from '../config/index.js';
import type { Output } from './output.js';

/** Runs the command; returns the exit code. */
export async function schemaCommand(io: Output): Promise<number> {
  io.out((await readFile(schemaUrl, 'utf8')).trimEnd());
  return 0;
}
