import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const bin = fileURLToPath(new URL('../../runtime/cli/bin.ts', import.meta.url));

describe('slotwire serve', () => {
  it('stops start-up with the positioned errors and exit code 1 on a broken actions file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-serve-'));
    await writeFile(join(dir, 'actions.yml'), 'version: 1\nactions:\n  a:\n    slotz: {}\n');
    const r = await runCli(['serve', '--actions', join(dir, 'actions.yml'), '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(dir, 'actions.yml')}:4:5: error SW_SCHEMA_UNKNOWN_KEY`);
  });

  it('prints where it listens and how many actions it serves, answers, and exits 0 on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-serve-'));
    await writeFile(join(dir, 'actions.yml'), 'version: 1\nactions:\n  a:\n    slots: { x: 1 }\n  b:\n    slots: { y: 2 }\n');
    const child = spawn(process.execPath, ['--import', 'tsx', bin, 'serve', '--actions', join(dir, 'actions.yml'), '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0] as string);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(line).toMatch(/^slotwire: serving 2 actions from .*actions\.yml on http:\/\/127\.0\.0\.1:\d+\/webhook$/);
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      expect((await (await fetch(`${url}/health`)).json()) as object).toMatchObject({ status: 'ok', actions: 2 });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
