/** How the compiler reads the files an actions file names (TLS files, response schemas), relative to it. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Reads a file the actions file names; injectable so compile stays testable. */
export type ReadText = (path: string) => string;

/** Reads files relative to the actions file's folder. */
export function readTextRelativeTo(file: string): ReadText {
  const base = dirname(resolve(file));
  return (path) => readFileSync(resolve(base, path), 'utf8');
}
