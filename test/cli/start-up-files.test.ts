/**
 * Files a flag names and a command reads as it starts (the PEM files of
 * serve --ssl-*, a Rasa domain or project, run --fixtures): one that is
 * missing or broken stops the command with one line naming the flag, the
 * file and why, and exit 1, never a stack and exit 70. Run through the
 * built CLI, where a crash would show as exit 70. A PEM file that is read
 * but is not what its flag takes is checked too, before anything listens.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../support/built-cli.js';
import { needs } from '../support/services.js';

let dir: string;

/** Paths in the test's folder. */
const at = (name: string): string => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slotwire-start-up-'));
  await writeFile(
    at('actions.yml'),
    [
      'version: 1',
      'connections:',
      '  api: { base_url: "http://127.0.0.1:9" }',
      'actions:',
      '  check_order:',
      '    request: { connection: api, path: /orders }',
      '    slots: { order_status: "{{ response.body.status }}" }',
      '',
    ].join('\n'),
  );
  await writeFile(at('cert.pem'), 'not read past the missing key\n');
  // A duplicate key: YAML the parser refuses at a known place, line 3, column 3.
  await writeFile(at('duplicate.yml'), 'slots:\n  a: { type: text }\n  a: { type: bool }\n');
  await writeFile(at('scalar.yml'), 'just some text\n');
  await mkdir(at('domain'));
  await writeFile(at('domain/slots.yml'), 'slots:\n  a: { type: text }\n');
  await writeFile(at('domain/broken.yml'), 'responses:\n  utter_a: [\n');
  await mkdir(at('no-domain'));
});

/** Exit 1 and exactly `line` on stderr: nothing else, no stack. */
async function expectOneLine(args: readonly string[], line: string | RegExp): Promise<void> {
  const r = await runBuiltCli(args, { cwd: dir });
  expect(r.err).not.toMatch(/^\s+at /m);
  const lines = r.err.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(r.out).toBe('');
  expect(r.code).toBe(1);
}

describe('slotwire serve', () => {
  const serve = ['serve', '--actions', 'actions.yml', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent'];

  it.each([
    [
      ['--ssl-certificate', 'missing.pem', '--ssl-keyfile', 'cert.pem'],
      '--ssl-certificate missing.pem cannot be read: no such file',
    ],
    [
      ['--ssl-certificate', 'cert.pem', '--ssl-keyfile', 'key.pem'],
      '--ssl-keyfile key.pem cannot be read: no such file',
    ],
    [
      ['--ssl-certificate', 'cert.pem', '--ssl-keyfile', 'domain'],
      '--ssl-keyfile domain cannot be read: it is a folder',
    ],
    [
      ['--grpc', '--ssl-certificate', 'cert.pem', '--ssl-keyfile', 'cert.pem', '--ssl-ca-file', 'ca.pem'],
      '--ssl-ca-file ca.pem cannot be read: no such file',
    ],
    [
      ['--ssl-certificate', 'cert.pem', '--ssl-keyfile', 'cert.pem'],
      '--ssl-certificate cert.pem is not a PEM certificate',
    ],
    [['--mcp', '--domain', 'missing.yml'], '--domain missing.yml cannot be read: no such file'],
    [['--mcp', '--project', 'missing'], '--project missing cannot be read: no such folder'],
    [['--mcp', '--project', 'no-domain'], '--project no-domain has no domain.yml or domain/'],
    [['--mcp', '--project', 'actions.yml'], '--project actions.yml is not a folder'],
  ])('%j: one line, exit 1', async (flags, line) => {
    await expectOneLine([...serve, ...flags], `slotwire serve: ${line}`);
  });

  it('names the line and column of a --domain file that is not YAML', async () => {
    await expectOneLine(
      [...serve, '--mcp', '--domain', 'duplicate.yml'],
      /^slotwire serve: --domain duplicate\.yml is not YAML: line 3, column 3: \S/,
    );
  });

  it('names the file of a --domain folder that is not YAML', async () => {
    await expectOneLine(
      [...serve, '--mcp', '--domain', 'domain'],
      new RegExp(`^slotwire serve: --domain ${join('domain', 'broken.yml')} is not YAML: line 3, column 1: `),
    );
  });

  it('with --workers, says it once, from the primary, before any worker starts', async () => {
    await expectOneLine(
      [...serve, '--workers', '2', '--ssl-certificate', 'cert.pem', '--ssl-keyfile', 'key.pem'],
      'slotwire serve: --ssl-keyfile key.pem cannot be read: no such file',
    );
  });
});

needs('openssl').describe('slotwire serve with PEM files that do not go together', () => {
  const serve = ['serve', '--actions', 'actions.yml', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent'];

  beforeAll(() => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        at('own-key.pem'),
        '-out',
        at('real-cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(at('other-key.pem'), other.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const locked = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'open-sesame' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    writeFileSync(at('locked-key.pem'), locked.privateKey);
  });

  it.each([
    [
      ['--ssl-keyfile', 'other-key.pem'],
      '--ssl-keyfile other-key.pem is not the key of --ssl-certificate real-cert.pem',
    ],
    [['--ssl-keyfile', 'real-cert.pem'], '--ssl-keyfile real-cert.pem is not a PEM private key'],
    [
      ['--ssl-keyfile', 'locked-key.pem'],
      '--ssl-keyfile locked-key.pem is encrypted: give its passphrase with --ssl-password',
    ],
    [
      ['--ssl-keyfile', 'locked-key.pem', '--ssl-password', 'not-the-passphrase'],
      '--ssl-keyfile locked-key.pem cannot be decrypted with the --ssl-password given',
    ],
    [
      ['--ssl-keyfile', 'own-key.pem', '--grpc', '--ssl-ca-file', 'cert.pem'],
      '--ssl-ca-file cert.pem is not a PEM certificate',
    ],
  ])('%j: one line, exit 1, the passphrase never shown', async (flags, line) => {
    await expectOneLine([...serve, '--ssl-certificate', 'real-cert.pem', ...flags], `slotwire serve: ${line}`);
  });
});

describe('slotwire run', () => {
  const run = ['run', 'check_order', '--actions', 'actions.yml'];

  it.each([
    [['--domain', 'missing.yml'], '--domain missing.yml cannot be read: no such file'],
    [['--fixtures', 'missing.yml'], '--fixtures missing.yml cannot be read: no such file'],
    [['--fixtures', 'domain'], '--fixtures domain cannot be read: it is a folder'],
    [
      ['--fixtures', 'scalar.yml'],
      '--fixtures scalar.yml is not a list of fixtures, nor a mapping with http: (docs/testing.md)',
    ],
  ])('%j: one line, exit 1', async (flags, line) => {
    await expectOneLine([...run, ...flags], `slotwire run: ${line}`);
  });

  it.each(['--domain', '--fixtures'])('names where a %s file is not YAML', async (flag) => {
    await expectOneLine(
      [...run, flag, 'duplicate.yml'],
      new RegExp(`^slotwire run: ${flag} duplicate\\.yml is not YAML: line 3, column 3: \\S`),
    );
  });
});

describe('slotwire studio, mcp and validate', () => {
  it.each([
    [
      ['studio', '--actions', 'actions.yml', '--port', '0', '--domain', 'missing.yml'],
      'studio',
      '--domain missing.yml cannot be read: no such file',
    ],
    [
      ['studio', '--actions', 'actions.yml', '--port', '0', '--project', 'no-domain'],
      'studio',
      '--project no-domain has no domain.yml or domain/',
    ],
    [
      ['mcp', '--actions', 'actions.yml', '--domain', 'missing.yml'],
      'mcp',
      '--domain missing.yml cannot be read: no such file',
    ],
    [
      ['mcp', '--actions', 'actions.yml', '--project', 'missing'],
      'mcp',
      '--project missing cannot be read: no such folder',
    ],
    [
      ['validate', 'actions.yml', '--domain', 'missing.yml'],
      'validate',
      '--domain missing.yml cannot be read: no such file',
    ],
    [
      ['validate', 'actions.yml', '--project', 'no-domain'],
      'validate',
      '--project no-domain has no domain.yml or domain/',
    ],
  ])('%j: one line, exit 1', async (args, command, line) => {
    await expectOneLine(args, `slotwire ${command}: ${line}`);
  });

  it.each(['studio', 'mcp', 'validate'])('%s names where a --domain file is not YAML', async (command) => {
    const args = command === 'validate' ? ['validate', 'actions.yml'] : [command, '--actions', 'actions.yml'];
    await expectOneLine(
      [...args, ...(command === 'studio' ? ['--port', '0'] : []), '--domain', 'duplicate.yml'],
      new RegExp(`^slotwire ${command}: --domain duplicate\\.yml is not YAML: line 3, column 3: \\S`),
    );
  });

  it('validate --format json keeps the problem in its report, as SW_DOMAIN_FILE at its position', async () => {
    const r = await runBuiltCli(['validate', 'actions.yml', '--domain', 'duplicate.yml', '--format', 'json'], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({
      ok: false,
      diagnostics: [{ code: 'SW_DOMAIN_FILE', file: 'duplicate.yml', line: 3, col: 3 }],
    });
  });
});

describe('slotwire test', () => {
  it('reports an actions file it cannot read as a diagnostic, exit 1, no stack', async () => {
    await writeFile(at('cases.test.yml'), 'tests:\n  - name: a\n    action: check_order\n');
    const r = await runBuiltCli(['test', 'cases.test.yml', '--actions', 'missing.yml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(/^\s+at /m);
    expect(r.err).toMatch(/^missing\.yml:1:1: error SW_FILE_READ: /m);
  });
});
