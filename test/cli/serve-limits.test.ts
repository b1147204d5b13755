// `slotwire serve --headers-timeout / --request-timeout / --max-connections`
// (docs/server.md#limits): refused values are usage errors, and the values reach the
// listening server.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../runtime/cli/main.js';
import { runCli } from './run-cli.js';

describe('slotwire serve limits', () => {
  it.each([
    [['--headers-timeout', 'soon'], '--headers-timeout'],
    [['--request-timeout=-1'], '--request-timeout'],
    [['--headers-timeout', '40', '--request-timeout', '30'], '--headers-timeout'],
    [['--max-connections', '1.5'], '--max-connections'],
    [['--max-connections=-2'], '--max-connections'],
  ])('refuses %j with a usage error', async (flags, named) => {
    const r = await runCli(['serve', '--actions', 'never-read.yml', ...flags]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(named);
  });

  it('documents the three flags and their defaults in --help', async () => {
    const r = await runCli(['serve', '--help']);
    expect(r.out).toMatch(/--headers-timeout S[\s\S]*default: 10\)/);
    expect(r.out).toMatch(/--request-timeout S[\s\S]*default: 30\)/);
    expect(r.out).toMatch(/--max-connections N[\s\S]*default: 512\)/);
  });

  it('passes --headers-timeout to the server: a silent client is cut after it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-serve-limits-'));
    await writeFile(join(dir, 'actions.yml'), 'version: 1\nactions:\n  a:\n    slots: { x: 1 }\n');
    let announce = (_line: string): void => {};
    const listening = new Promise<string>((resolve) => {
      announce = resolve;
    });
    const args = [
      'serve',
      '--actions',
      join(dir, 'actions.yml'),
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--log-level',
      'silent',
      '--headers-timeout',
      '0.3',
    ];
    const exited = main(args, {}, { out: (line) => announce(line), err: () => {} });
    try {
      const port = Number(/:(\d+)\/webhook/.exec(await listening)?.[1]);
      const started = performance.now();
      const seen = await new Promise<string>((resolve) => {
        let text = '';
        const socket = connect(port, '127.0.0.1');
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          text += chunk;
        });
        socket.on('close', () => resolve(text));
      });
      expect(seen).toMatch(/^HTTP\/1\.1 408/);
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      // Emitting runs serve's handler without delivering a real signal to the test runner.
      process.emit('SIGTERM', 'SIGTERM');
      expect(await exited).toBe(0);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
