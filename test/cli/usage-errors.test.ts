// Usage errors are one line naming the problem and where the usage is, with
// exit 2; every command has --help (also as `slotwire help <command>`);
// --version reads package.json; a port in use is one line; and a reader that
// goes away (| head) does not crash the command.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { streamOutput } from '../../runtime/cli/output.js';
import { startServer } from '../http/helpers.js';
import { builtCli } from '../support/built-cli.js';
import { runCli } from './run-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const commands = ['serve', 'mcp', 'validate', 'test', 'run', 'import', 'studio', 'lsp', 'init', 'schema'];

describe('a usage error', () => {
  it.each([
    [['run', 'check_order', '--slott', 'a=1'], 'run', 'unknown option --slott; did you mean --slot?'],
    [['validate', '--fromat', 'json'], 'validate', 'unknown option --fromat; did you mean --format?'],
    [['test', '--recrod'], 'test', 'unknown option --recrod; did you mean --record?'],
    [['serve', '--prot', '80'], 'serve', 'unknown option --prot; did you mean --port?'],
    [['validate', '--actions', 'x.yml'], 'validate', 'unknown option --actions'],
    [['serve', '--port', 'abc'], 'serve', '--port must be a port number, not "abc"'],
    [['run'], 'run', 'name the action to run'],
    [['run', 'a', 'b'], 'run', 'one action at a time, not 2'],
    [['run', 'a', '--slot', 'novalue'], 'run', '--slot takes NAME=VALUE, not "novalue"'],
  ])('%j is one line, the problem and where the usage is, exit 2', async (args, command, problem) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`slotwire ${command}: ${problem} (see: slotwire ${command} --help)`);
    expect(r.out).toBe('');
  });

  it.each(commands)('of %s (an unknown flag) is one line', async (command) => {
    const r = await runCli([command, '--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toEqual([
      `slotwire ${command}: unknown option --no-such-flag (see: slotwire ${command} --help)`,
    ]);
  });

  it('reports a flag without its value in one line', async () => {
    const r = await runCli(['run', 'a', '--actions']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^slotwire run: .*--actions.* \(see: slotwire run --help\)$/);
  });

  it('of an unknown command names the closest one and points to slotwire --help', async () => {
    const r = await runCli(['srve']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('slotwire: unknown command "srve"; did you mean "serve"? (see: slotwire --help)');
  });
});

describe('--help', () => {
  it.each(commands)('slotwire %s --help prints its usage and exits 0', async (command) => {
    const r = await runCli([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^Usage: slotwire ${command}`));
  });

  it.each(commands)('slotwire help %s prints what slotwire %s --help does', async (command) => {
    const help = await runCli(['help', command]);
    expect(help).toEqual(await runCli([command, '--help']));
    expect(help.code).toBe(0);
  });

  it('slotwire help prints the usage, exit 0; help of an unknown command is a usage error', async () => {
    const r = await runCli(['help']);
    expect(r.code).toBe(0);
    expect(r).toEqual(await runCli(['--help']));
    expect(r.out).toMatch(/^Usage: slotwire <command>/);
    const unknown = await runCli(['help', 'srve']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe('slotwire: unknown command "srve"; did you mean "serve"? (see: slotwire --help)');
  });

  it('schema --help does not print the schema', async () => {
    const r = await runCli(['schema', '--help']);
    expect(() => JSON.parse(r.out)).toThrow(SyntaxError);
  });
});

describe('slotwire --version', () => {
  it.each(['--version', '-v'])('%s prints the version of package.json, exit 0', async (flag) => {
    const r = await runCli([flag]);
    expect(r).toEqual({ code: 0, out: version, err: '' });
  });

  it('reads package.json at run time, from dist/ and from the files npm packs', () => {
    expect(execFileSync(process.execPath, [builtCli(), '--version'], { encoding: 'utf8' })).toBe(`${version}\n`);
    // The package as npm packs it, with another version: what is printed is read, not built in.
    const listed = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
    ) as [{ files: { path: string }[] }];
    const pkg = join(mkdtempSync(join(tmpdir(), 'slotwire-packed-')), 'package');
    for (const { path } of listed[0].files) {
      mkdirSync(dirname(join(pkg, path)), { recursive: true });
      cpSync(join(root, path), join(pkg, path));
    }
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ ...manifest, version: '9.8.7-packed' }));
    symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
    const bin = join(pkg, (manifest['bin'] as { slotwire: string }).slotwire);
    expect(execFileSync(process.execPath, [bin, '-v'], { encoding: 'utf8' })).toBe('9.8.7-packed\n');
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
