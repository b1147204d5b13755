// issue 13, item 13: usage errors are one line and exit 2, every command has
// --help, a port in use is one line, and a reader that goes away (| head)
// does not crash the command.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { streamOutput } from '../../runtime/cli/output.js';
import { startServer } from '../http/helpers.js';
import { runCli } from './run-cli.js';

describe('an unknown or misspelt flag', () => {
  it.each([
    [['run', 'check_order', '--slott', 'a=1'], '--slott', '--slot'],
    [['validate', '--fromat', 'json'], '--fromat', '--format'],
    [['test', '--recrod'], '--recrod', '--record'],
    [['serve', '--prot', '80'], '--prot', '--port'],
  ])('%j names the flag and the closest one, prints the usage and exits 2', async (args, flag, suggestion) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    const [first] = r.err.split('\n');
    expect(first).toContain(flag);
    expect(first).toContain(`did you mean ${suggestion}?`);
    expect(r.err).toContain(`Usage: slotwire ${args[0]}`);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('names a flag the command does not have (validate --actions), without a suggestion', async () => {
    const r = await runCli(['validate', '--actions', 'x.yml']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('slotwire validate: unknown option --actions');
  });

  it('reports a flag without its value in one line', async () => {
    const r = await runCli(['run', 'a', '--actions']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toContain('--actions');
  });
});

describe('--help', () => {
  it.each(['serve', 'validate', 'test', 'run', 'studio', 'schema'])(
    'slotwire %s --help prints its usage and exits 0',
    async (command) => {
      const r = await runCli([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: slotwire ${command}`));
    },
  );

  it('schema --help does not print the schema', async () => {
    const r = await runCli(['schema', '--help']);
    expect(() => JSON.parse(r.out)).toThrow(SyntaxError);
  });
});

describe('slotwire serve on a port in use', () => {
  it('says so in one line and exits 1', async () => {
    const busy = await startServer(() => {});
    try {
      const r = await runCli(
        [
          'serve',
          '--actions',
          'actions.yml',
          '--port',
          String(busy.port),
          '--host',
          '127.0.0.1',
          '--log-level',
          'silent',
        ],
        { OPEN_METEO_URL: 'http://x.test' },
      );
      expect(r.code).toBe(1);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(`port ${busy.port}`);
      expect(r.err).toContain('in use');
    } finally {
      await busy.close();
    }
  });
});

describe('output to a reader that went away', () => {
  it('stops writing on EPIPE instead of throwing', () => {
    const stdout = new PassThrough();
    const io = streamOutput(stdout, new PassThrough());
    io.out('first');
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    expect(() => stdout.emit('error', epipe)).not.toThrow();
    expect(() => io.out('second')).not.toThrow();
    expect(stdout.read()?.toString()).toBe('first\n');
  });
});

describe('slotwire validate', () => {
  it('puts warnings and errors on stderr, in order, and the summary on stdout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-streams-'));
    const file = join(dir, 'actions.yml');
    await writeFile(
      file,
      'version: 1\nconnections:\n  unused: { base_url: "http://a.test" }\nactions:\n  a:\n    slots: { x: "{{ slot.city }}" }\n',
    );
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('SW_WARN_UNUSED_CONNECTION');
    expect(r.err).toContain('SW_EXPR_UNKNOWN_NAME');
    expect(r.out).not.toContain('SW_');
    expect(r.out).toContain(`${file}: 1 error, 1 warning`);
  });

  it('--placeholder-env checks a file whose secrets are not set', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-placeholder-'));
    const file = join(dir, 'actions.yml');
    await writeFile(
      file,
      'version: 1\nconnections:\n  api:\n    base_url: ${API_URL}\n    auth: { type: bearer, token: "${API_TOKEN}" }\nactions:\n  a:\n    request: { connection: api, path: /x }\n    slots: { x: "{{ response.body.x }}" }\n',
    );
    const without = await runCli(['validate', file, '--format', 'json']);
    expect(without.code).toBe(1);
    expect(JSON.parse(without.out)).toMatchObject({
      diagnostics: [{ code: 'SW_ENV_MISSING' }, { code: 'SW_ENV_MISSING' }],
    });
    const placeholder = await runCli(['validate', file, '--placeholder-env']);
    expect(placeholder.code).toBe(0);
  });
});
