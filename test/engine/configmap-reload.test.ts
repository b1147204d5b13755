// Auto-reload of a Kubernetes ConfigMap volume. The kubelet
// never writes actions.yml itself: the folder holds
//   actions.yml -> ..data/actions.yml
//   ..data      -> ..2026_11_30_12_00_00.123456789
// and an update writes a new timestamped folder, points a `..data_tmp`
// symlink at it, renames that over `..data` and removes the old folder
// (AtomicWriter.Write in kubernetes/pkg/volume/util/atomic_writer.go). This
// test builds that layout and performs that swap step by step.
import { mkdir, mkdtemp, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../runtime/index.js';
import type { Engine } from '../../runtime/index.js';
import { waitFor } from '../support/wait-for.js';

const version = (n: number) => `version: 1\nactions:\n  which_version:\n    slots:\n      served_version: ${n}\n`;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const done of cleanup.splice(0).reverse()) await done();
});

let stamp = 0;
/** A fresh `..YYYY_MM_DD_HH_MM_SS.N` folder holding `files`, as AtomicWriter's steps 5 and 6 make it. */
async function timestampedFolder(dir: string, files: Record<string, string>): Promise<string> {
  stamp += 1;
  const name = `..2026_11_30_12_00_${String(stamp).padStart(2, '0')}.${123456789 + stamp}`;
  await mkdir(join(dir, name), { mode: 0o755 });
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, name, file), text, { mode: 0o644 });
  return name;
}

/** The volume as the kubelet first mounts it. */
async function mountConfigMap(dir: string, files: Record<string, string>): Promise<void> {
  await symlink(await timestampedFolder(dir, files), join(dir, '..data'));
  for (const file of Object.keys(files)) await symlink(join('..data', file), join(dir, file));
}

/** An update, in AtomicWriter's order: new folder, visible links, `..data_tmp`, rename over `..data`, old folder removed. */
async function updateConfigMap(dir: string, files: Record<string, string>): Promise<void> {
  const old = await readlink(join(dir, '..data'));
  const next = await timestampedFolder(dir, files);
  for (const file of Object.keys(files))
    await symlink(join('..data', file), join(dir, file)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  await symlink(next, join(dir, '..data_tmp'));
  await rename(join(dir, '..data_tmp'), join(dir, '..data'));
  await rm(join(dir, old), { recursive: true });
}

async function servedVersion(engine: Engine): Promise<unknown> {
  const { events } = await engine.run('which_version', { slots: {} });
  return (events[0] as { value?: unknown } | undefined)?.value;
}

/** How long until `engine` serves `expected`, at most `limitMs`. */
async function servedWithin(engine: Engine, expected: number, limitMs: number): Promise<number> {
  const started = Date.now();
  await waitFor(async () => (await servedVersion(engine)) === expected, {
    timeoutMs: limitMs,
    what: `version ${expected} served`,
  });
  return Date.now() - started;
}

describe('auto-reload on a ConfigMap volume', () => {
  it('serves the new actions after the kubelet swaps ..data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-configmap-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await mountConfigMap(dir, { 'actions.yml': version(1) });
    const engine = await createEngine({ actionsFile: join(dir, 'actions.yml'), autoReload: true });
    cleanup.push(() => engine.close());
    expect(await servedVersion(engine)).toBe(1);

    // The first reload also waits for the checker thread to boot from the
    // TypeScript sources (a second or two); a real update comes much later.
    await updateConfigMap(dir, { 'actions.yml': version(2) });
    await servedWithin(engine, 2, 15_000);

    await updateConfigMap(dir, { 'actions.yml': version(3) });
    expect(await servedWithin(engine, 3, 2_000)).toBeLessThan(2_000);
    expect(engine.status()).toMatchObject({ generation: 3, lastReloadError: null });
  });

  it('re-reads but does not swap when another key of the ConfigMap changed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-configmap-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await mountConfigMap(dir, { 'actions.yml': version(1), 'notes.txt': 'a' });
    const engine = await createEngine({ actionsFile: join(dir, 'actions.yml'), autoReload: true });
    cleanup.push(() => engine.close());
    const reloads: boolean[] = [];
    engine.onReload((event) => reloads.push(event.ok && event.changed));

    await updateConfigMap(dir, { 'actions.yml': version(1), 'notes.txt': 'b' });
    await waitFor(() => reloads.length > 0, { timeoutMs: 5_000, what: 'a reload after the swap' });
    // The folder changed, so the file is read again; its hash is the same,
    // so nothing is compiled and the generation stays.
    expect(reloads).toEqual([false]);
    expect(engine.status()).toMatchObject({ generation: 1, lastReloadError: null });
    expect(await servedVersion(engine)).toBe(1);
  });
});
