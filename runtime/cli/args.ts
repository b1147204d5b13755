/**
 * A command's arguments through node's util.parseArgs, and the one shape of
 * every usage error. parseArgs's errors (an unknown or misspelt flag, a
 * missing value) are the user's input, not a bug: one line naming the flag
 * and the closest known one, and exit code 2 (EX_USAGE-like), never a stack
 * trace and exit 70. The usage itself is not repeated under the line: a
 * screenful of options buries the one thing that is wrong, so the line ends
 * with the command that prints it.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { closest } from '../config/index.js';
import type { Output } from './output.js';

/** The exit code of every usage error: unknown flag, bad flag value, wrong arguments. */
export const USAGE_EXIT = 2;

/**
 * Prints a usage error, `slotwire serve: <problem> (see: slotwire serve --help)`,
 * on one line of stderr and returns {@link USAGE_EXIT}.
 * @param command - the command's name ("run"), or null for `slotwire` itself
 */
export function usageError(io: Output, command: string | null, problem: string): number {
  const name = command === null ? 'slotwire' : `slotwire ${command}`;
  io.err(`${name}: ${problem} (see: ${name} --help)`);
  return USAGE_EXIT;
}

/**
 * Parses `config.args`; on a usage error prints it ({@link usageError}) and
 * returns null (the command then returns {@link USAGE_EXIT}).
 * @param command - the command's name, for the message ("run")
 */
export function parseCommandArgs<T extends ParseArgsConfig>(
  command: string,
  config: T,
  io: Output,
): ReturnType<typeof parseArgs<T>> | null {
  try {
    return parseArgs(config);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw err;
    const problem = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? unknownOption(config) : null;
    usageError(io, command, problem ?? (err as Error).message);
    return null;
  }
}

/** "unknown option --slott; did you mean --slot?", found again from the tokens rather than node's wording. */
function unknownOption(config: ParseArgsConfig): string | null {
  const options = config.options ?? {};
  const { tokens } = parseArgs({ ...config, strict: false, tokens: true });
  const known = new Set([
    ...Object.keys(options),
    ...Object.values(options).flatMap((o) => (o.short ? [o.short] : [])),
  ]);
  const token = tokens.find((t) => t.kind === 'option' && !known.has(t.name));
  if (token?.kind !== 'option') return null;
  const flags = Object.keys(options).map((name) => `--${name}`);
  const suggestion = closest(token.rawName, flags);
  return `unknown option ${token.rawName}${suggestion ? `; did you mean ${suggestion}?` : ''}`;
}
