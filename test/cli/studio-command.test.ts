/** `slotwire studio` on the command line: usage errors, a missing file, ports. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { startServer } from '../http/helpers.js';
import { builtCli } from '../support/built-cli.js';
import { runCli } from './run-cli.js';

describe('slotwire studio', () => {
  it.each([
    [['studio', '--prot', '1'], 'unknown option --prot; did you mean --port?'],
    [['studio', '--port', 'http'], '--port must be a port number, not "http"'],
  ])('%j is one line and exit 2', async (args, line) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(`slotwire studio: ${line} (see: slotwire studio --help)`);
  });

  it('says how to start when the actions file is missing, exit 1', async () => {
    const r = await runCli(['studio', '--actions', '/nonexistent/actions.yml']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'slotwire studio: /nonexistent/actions.yml does not exist; write one with slotwire init, or give --actions FILE',
    );
  });

  it('says so in one line when the port asked for is taken, exit 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'studio-cli-'));
    await writeFile(join(dir, 'actions.yml'), 'version: 1\nactions: {}\n');
    const busy = await startServer(() => {});
    try {
      const r = await runCli(['studio', '--actions', join(dir, 'actions.yml'), '--port', String(busy.port)]);
      expect(r.code).toBe(1);
      expect(r.err).toBe(
        `slotwire studio: cannot listen on 127.0.0.1:${busy.port} (EADDRINUSE); choose another --port`,
      );
    } finally {
      await busy.close();
    }
  });

  it('prints one address with a token, new each start, and stops on SIGTERM with exit 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'studio-cli-'));
    await writeFile(join(dir, 'actions.yml'), 'version: 1\nactions: {}\n');
    const addresses: string[] = [];
    for (let i = 0; i < 2; i++) {
      const child = spawn(
        process.execPath,
        [builtCli(), 'studio', '--actions', join(dir, 'actions.yml'), '--port', '0'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const [first] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      addresses.push(first);
      const page = await fetch(new URL(first.replace('slotwire studio: ', '')), { redirect: 'manual' });
      expect(page.status).toBe(303);
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number];
      expect(code).toBe(0);
    }
    for (const a of addresses) expect(a).toMatch(/^slotwire studio: http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    expect(new URL(addresses[0].slice(17)).searchParams.get('token')).not.toBe(
      new URL(addresses[1].slice(17)).searchParams.get('token'),
    );
  });
});
