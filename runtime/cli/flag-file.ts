/**
 * Files a flag names and a command reads as it starts: the PEM files of
 * `serve --ssl-*`, a Rasa domain or project (`--domain`, `--project`),
 * `run --fixtures`. One that cannot be used stops the command with one
 * line that names the flag, the file and the reason, and exit code 1:
 * `slotwire serve: --ssl-keyfile key.pem cannot be read: no such file`.
 * Not 2, since the command line was well formed; not 70 with a stack, since
 * a missing or broken file is the user's input, not a bug
 * (docs/testing.md#output-and-exit-codes).
 */
import { readFile } from 'node:fs/promises';
import { parsePlainYaml } from '../config/index.js';
import type { YamlProblem } from '../config/index.js';
import type { Output } from './output.js';

/** The exit code of a file named by a flag that cannot be used. */
const FLAG_FILE_EXIT = 1;

/** A file named by a flag that cannot be used: which flag, which file, why, and where in it when that is known. */
export class FlagFileError extends Error {
  readonly flag: string;
  readonly file: string;
  /** e.g. `cannot be read: no such file`, `is not YAML: line 2, column 1: …` */
  readonly problem: string;
  /** Where in the file, for a file that does not parse; null when the whole file is the problem. */
  readonly at: { readonly line: number; readonly col: number } | null;

  constructor(flag: string, file: string, problem: string, at: FlagFileError['at'] = null) {
    super(`${flag} ${file} ${problem}`);
    this.name = 'FlagFileError';
    this.flag = flag;
    this.file = file;
    this.problem = problem;
    this.at = at;
  }
}

/** The text of `file`, named by `flag`. Throws FlagFileError when it cannot be read. */
export async function readFlagFile(flag: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw asFlagFileError(flag, file, err);
  }
}

/** YAML `text` of `file`, named by `flag`, as a plain value. Throws FlagFileError when it does not parse. */
export function parseFlagYaml(flag: string, file: string, text: string): unknown {
  const parsed = parsePlainYaml(text);
  if ('error' in parsed) throw notYaml(flag, file, parsed.error);
  return parsed.value;
}

/** The FlagFileError of a YAML file that does not parse, at the parser's first complaint. */
export function notYaml(flag: string, file: string, problem: YamlProblem): FlagFileError {
  return new FlagFileError(flag, file, `is not YAML: line ${problem.line}, column ${problem.col}: ${problem.message}`, {
    line: problem.line,
    col: problem.col,
  });
}

/**
 * The FlagFileError of a file system error (told by its `code` and
 * `syscall`: ENOENT, EACCES, EISDIR…); any other error is returned as it
 * is, a bug to be reported as one.
 * @param file - the file named by the flag; the error's own path, when it has one, is more precise (a file in a folder)
 */
export function asFlagFileError(flag: string, file: string, err: unknown): unknown {
  const { code, syscall, path } = (err ?? {}) as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof syscall !== 'string') return err;
  return new FlagFileError(flag, path ?? file, `cannot be read: ${REASONS[code] ?? code}`);
}

/** Prints a FlagFileError as its one line and returns {@link FLAG_FILE_EXIT}; rethrows any other error. */
export function reportFlagFile(err: unknown, command: string, io: Output): number {
  if (!(err instanceof FlagFileError)) throw err;
  io.err(`slotwire ${command}: ${err.message}`);
  return FLAG_FILE_EXIT;
}

/** What the common codes mean, said plainly; another code is shown as it is (EIO, EMFILE). */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  // A part of the path is a file, not a folder: for the user, the file is not there.
  ENOTDIR: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
};
