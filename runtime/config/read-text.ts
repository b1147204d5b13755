/** Reading a user's file: its text, or the SW_FILE_READ / SW_FILE_TOO_LARGE diagnostic. */
import { createReadStream } from 'node:fs';
import { diagnostic } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';

/**
 * The largest actions or test file slotwire loads: 1 MiB. A file is parsed
 * whole, with positions, and the yaml parser's cost grows with the number
 * of nodes, faster than linearly in long collections: measured with
 * `loadPlan` on Node 20, a 1 MiB file of 4,000 actions takes 5 s and 230 MB,
 * a 1 MiB flow list of 500,000 numbers 8 s and 600 MB, and the same list at
 * 5 MiB 56 s and 2.5 GB. Without a bound one wrong file passed to `serve` or
 * written in place for a reload could stall or kill the server.
 * The example projects' files hold about 1 KB per action, so 1 MiB is room
 * for some 1,000 actions in one file.
 */
export const MAX_FILE_BYTES: number = 1024 * 1024; // 1 MiB

/** The SW_FILE_TOO_LARGE diagnostic for `file`. */
export function fileTooLarge(file: string): Diagnostic {
  return diagnostic('SW_FILE_TOO_LARGE', { file, line: 1, col: 1 }, [file, `${MAX_FILE_BYTES / 1024 / 1024} MiB`]);
}

/**
 * The file's text, or why it could not be read (never a throw: it is the
 * user's input). At most one byte past the limit is read, so a huge file
 * costs no more than a file at the limit; the size is learnt by reading
 * because stat() says 0 for a pipe or a /proc file.
 */
export async function readText(file: string): Promise<{ text: string } | { error: Diagnostic }> {
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    // `end` is inclusive: MAX_FILE_BYTES + 1 bytes at most.
    for await (const chunk of createReadStream(file, { start: 0, end: MAX_FILE_BYTES })) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    if (size > MAX_FILE_BYTES) return { error: fileTooLarge(file) };
    return { text: Buffer.concat(chunks, size).toString('utf8') };
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    return { error: diagnostic('SW_FILE_READ', { file, line: 1, col: 1 }, [file, reason]) };
  }
}
