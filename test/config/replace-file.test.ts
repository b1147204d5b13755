/** Writes (the studio's, test --record's) replace a file in one step, keeping its mode and its links. */
import { lstat, mkdtemp, readdir, readFile, stat, symlink, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceFile } from '../../runtime/config/index.js';

describe('replaceFile', () => {
  it('replaces the text, keeps the mode, and leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'replace-'));
    const file = join(dir, 'actions.yml');
    await writeFile(file, 'old\n');
    await chmod(file, 0o640);
    await replaceFile(file, 'new\n');
    expect(await readFile(file, 'utf8')).toBe('new\n');
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(await readdir(dir)).toEqual(['actions.yml']);
  });

  it('writes through a symbolic link: the link stays, its target changes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'replace-'));
    await writeFile(join(dir, 'real.yml'), 'old\n');
    await symlink(join(dir, 'real.yml'), join(dir, 'actions.yml'));
    await replaceFile(join(dir, 'actions.yml'), 'new\n');
    expect((await lstat(join(dir, 'actions.yml'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'real.yml'), 'utf8')).toBe('new\n');
  });

  it('makes a file that does not exist yet', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'replace-'));
    await replaceFile(join(dir, 'actions.test.yml'), 'tests: []\n');
    expect(await readFile(join(dir, 'actions.test.yml'), 'utf8')).toBe('tests: []\n');
  });
});
