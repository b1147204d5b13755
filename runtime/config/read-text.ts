/** Reading a user's file: its text, or the SW_FILE_READ diagnostic. */
import { readFile } from 'node:fs/promises';
import { diagnostic } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';

/** The file's text, or why it could not be read (never a throw: it is the user's input). */
export async function readText(file: string): Promise<{ text: string } | { error: Diagnostic }> {
  try {
    return { text: await readFile(file, 'utf8') };
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    return { error: diagnostic('SW_FILE_READ', { file, line: 1, col: 1 }, [file, reason]) };
  }
}
