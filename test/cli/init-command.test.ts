import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('slotwire init', () => {
  it('writes a starter that validates and whose tests pass', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-init-'));
    const r = await runCli(['init', dir]);
    expect(r.code).toBe(0);
    expect(await readFile(join(dir, 'actions.yml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\/actions\.schema\.json/);
    expect(JSON.parse(await readFile(join(dir, 'actions.schema.json'), 'utf8')).title).toBe('slotwire actions.yml');
    expect(await readFile(join(dir, 'endpoints.snippet.yml'), 'utf8')).toContain('url: http://localhost:5055/webhook');
    expect((await runCli(['validate', join(dir, 'actions.yml')])).code).toBe(0);
    const tested = await runCli(['test', join(dir, 'actions.test.yml')]);
    expect(tested.out.trim().split('\n').at(-1)).toBe('2 passed, 0 failed');
  });

  it('never overwrites a file that is already there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-init-'));
    await writeFile(join(dir, 'actions.yml'), 'mine');
    const r = await runCli(['init', dir]);
    expect(r.out).toContain('kept');
    expect(await readFile(join(dir, 'actions.yml'), 'utf8')).toBe('mine');
  });
});
