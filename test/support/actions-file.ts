/** An actions file with `text` in a fresh temporary folder; returns its path. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function writeActionsFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'slotwire-actions-')), 'actions.yml');
  writeFileSync(file, text);
  return file;
}
