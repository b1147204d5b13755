/** Watching one file for changes, as editors and Kubernetes volumes make them. */
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/**
 * Calls `changed` after `file` changed (the engine's --auto-reload, the
 * authoring page's live diagnostics). Editors save by writing a new file
 * and renaming it over the old one, which a watch on the file itself would
 * lose, so the folder is watched and events for the file are debounced.
 *
 * A Kubernetes ConfigMap or Secret volume never touches the file's own name:
 * `actions.yml` links to `..data/actions.yml`, and an update renames a new
 * `..data_tmp` link over `..data` (the kubelet's AtomicWriter, which reserves
 * every name starting with `..`). Those names count as a change too; an
 * update of another key re-reads the file, and its unchanged hash stops the
 * reload there (reloadNow).
 */
export function watchFile(file: string, changed: () => void): FSWatcher {
  let timer: NodeJS.Timeout | null = null;
  const name = basename(file);
  return watch(dirname(resolve(file)), { persistent: false }, (_event, entry) => {
    if (entry !== null && entry !== name && !entry.startsWith('..')) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(changed, 50);
  });
}
