/**
 * Writing a user's file that others may be watching or reading (the
 * studio's writes, `test --record`): the new text goes to a temporary file
 * beside it, which is renamed over the old one, so a reader (the studio,
 * `serve --auto-reload`, an editor) sees the old text or the new, never a
 * half-written one, and an interrupted write leaves the old file whole.
 * The file keeps its mode; a symbolic link keeps pointing where it did (the
 * target is replaced).
 */
import { randomBytes } from 'node:crypto';
import { chmod, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Replaces `file`'s text with `text` in one step; makes the file when missing. */
export async function replaceFile(file: string, text: string): Promise<void> {
  const target = await realpath(file).catch(() => file);
  const mode = await stat(target).then(
    (s) => s.mode & 0o7777,
    () => null,
  );
  // A dot name the watchers ignore (watch-file.ts listens for the file's own name).
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, text, { flag: 'wx' });
    if (mode !== null) await chmod(temporary, mode);
    await rename(temporary, target);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}
