/** What `serve` and `mcp` say when the actions file cannot be served: every diagnostic with its code frame, then one line. */
import { readFile } from 'node:fs/promises';
import { formatDiagnostic } from '../config/index.js';
import type { ActionsFileError } from '../engine/index.js';
import type { Output } from './output.js';

/**
 * @param command - the command's name, for the last line ("serve")
 * @param file - the actions file, read again for the code frames
 */
export async function reportActionsFileError(
  err: ActionsFileError,
  file: string,
  command: string,
  io: Output,
): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => null);
  for (const d of err.diagnostics) io.err(`${formatDiagnostic(d, text)}\n`);
  io.err(`slotwire ${command}: ${file} cannot be served; fix the errors above (slotwire validate ${file}).`);
}
