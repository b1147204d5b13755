/** Watching one file for changes, as editors and Kubernetes volumes make them. */
import { watch } from 'node:fs';
import type { FSWatcher, WatchListener } from 'node:fs';
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
  const name = basename(file);
  return watch(
    dirname(resolve(file)),
    { persistent: false },
    debounced(changed, (entry) => entry === null || entry === name || entry.startsWith('..')),
  );
}

/**
 * Calls `changed` after anything in `folder` or below it changed (a Rasa
 * domain split into files, the authoring page's project), debounced as
 * {@link watchFile}. Watch the folder's own path with `watchFile` too: this
 * watch ends when the folder is replaced.
 */
export function watchFolder(folder: string, changed: () => void): FSWatcher {
  return watch(
    resolve(folder),
    { persistent: false, recursive: true },
    debounced(changed, () => true),
  );
}

/** An editor's save is several events (write, rename, chmod): `changed` runs once, 50 ms after the last of them. */
function debounced(changed: () => void, counts: (entry: string | null) => boolean): WatchListener<string> {
  let timer: NodeJS.Timeout | null = null;
  return (_event, entry) => {
    if (!counts(entry)) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(changed, 50);
  };
}
