// rasa-sdk's spellings of serve's flags work as a migrating user types them
// (docs/server.md#rasa-sdk-flags-and-slotwires): several origins after one
// --cors, -v/-vv/--debug/--quiet, SANIC_HOST and ACTION_SERVER_SANIC_WORKERS;
// a --cors pattern slotwire does not take is a one-line usage error.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readServeOptions } from '../../runtime/cli/serve-options.js';
import type { ServeOptions } from '../../runtime/cli/serve-options.js';
import { builtCli } from '../support/built-cli.js';
import { firstLine, stopProcess } from '../support/server-process.js';
import { runCli } from './run-cli.js';

/** The options `slotwire serve <args>` reads, failing the test on a usage error. */
function options(args: readonly string[], env: NodeJS.ProcessEnv = {}): ServeOptions {
  const err: string[] = [];
  const read = readServeOptions(args, env, { out: () => {}, err: (t) => err.push(t) });
  expect(err).toEqual([]);
  if (typeof read === 'number') throw new Error(`exit ${read}`);
  return read;
}

describe("rasa-sdk's --cors", () => {
  it('takes every origin up to the next flag, as argparse does, and repeats as before', () => {
    expect(options(['--cors', 'https://a.example.com', 'https://*.example.org', '--port', '0']).cors).toEqual([
      'https://a.example.com',
      'https://*.example.org',
    ]);
    expect(options(['--cors', '*']).cors).toEqual(['*']);
    expect(options(['--cors', 'https://a.test', '--cors', 'https://b.test']).cors).toEqual([
      'https://a.test',
      'https://b.test',
    ]);
    expect(options(['--cors=https://a.test']).cors).toEqual(['https://a.test']);
  });

  it('allows no origin when none follows it, as rasa-sdk', () => {
    expect(options(['--cors', '--port', '0']).cors).toBeUndefined();
    expect(options(['--cors']).cors).toBeUndefined();
  });

  it.each([
    ['https://.*\\.example\\.com', 'looks like a regular expression'],
    ['https://a.example.com/', 'is not an origin'],
  ])('refuses %s in one line naming --cors, exit 2', async (pattern, problem) => {
    const r = await runCli(['serve', '--cors', 'https://ok.example.com', pattern]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err.startsWith(`slotwire serve: --cors "${pattern}" ${problem}`)).toBe(true);
  });
});

describe("rasa-sdk's log flags", () => {
  it.each([
    [[], 'info'],
    [['-v'], 'info'],
    [['--verbose'], 'info'],
    [['-vv'], 'debug'],
    [['--debug'], 'debug'],
    [['--quiet'], 'warn'],
    [['--quiet', '--log-level', 'error'], 'error'],
  ])('%j logs at %s', (args, level) => {
    expect(options(args).logLevel).toBe(level);
  });
});

describe("rasa-sdk's environment", () => {
  it('SANIC_HOST is the default --host and ACTION_SERVER_SANIC_WORKERS the default --workers', () => {
    const env = { SANIC_HOST: '127.0.0.1', ACTION_SERVER_SANIC_WORKERS: '2' };
    expect(options([], env)).toMatchObject({ host: '127.0.0.1', workers: 2 });
    expect(options(['--host', '::1', '--workers', '3'], env)).toMatchObject({ host: '::1', workers: 3 });
    expect(options([])).toMatchObject({ host: '0.0.0.0', workers: 1, port: 5055, autoReload: false });
  });

  it('neither is read with --grpc, where rasa-sdk runs one process on every address', () => {
    const env = { SANIC_HOST: '127.0.0.1', ACTION_SERVER_SANIC_WORKERS: '4' };
    expect(options(['--grpc'], env)).toMatchObject({ host: '0.0.0.0', workers: 1 });
  });

  it('a bad ACTION_SERVER_SANIC_WORKERS is a usage error naming it', async () => {
    const r = await runCli(['serve'], { ACTION_SERVER_SANIC_WORKERS: 'many' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('ACTION_SERVER_SANIC_WORKERS');
  });
});

describe('a server started as rasa-sdk is', () => {
  it('serves CORS to each origin given after one --cors, on the host SANIC_HOST names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-rasa-sdk-flags-'));
    await writeFile(join(dir, 'actions.yml'), 'version: 1\nactions:\n  a:\n    slots: { x: 1 }\n');
    const child = spawn(
      process.execPath,
      [
        builtCli(),
        'serve',
        '--actions',
        join(dir, 'actions.yml'),
        '-p',
        '0',
        '--auto-reload',
        '--cors',
        'https://ops.example.com',
        'https://*.staging.example.com',
        '--quiet',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SANIC_HOST: '127.0.0.1' } },
    );
    try {
      const line = await firstLine(child);
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      expect(url).toBeDefined();
      const allowed = async (origin: string) =>
        (await fetch(`${url}/actions`, { headers: { origin } })).headers.get('access-control-allow-origin');
      expect(await allowed('https://ops.example.com')).toBe('https://ops.example.com');
      expect(await allowed('https://eu.staging.example.com')).toBe('https://eu.staging.example.com');
      expect(await allowed('https://staging.example.com.evil.com')).toBeNull();
    } finally {
      expect(await stopProcess(child)).toBe(0);
    }
  });
});
