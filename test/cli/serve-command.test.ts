import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstLine } from '../support/server-process.js';
import { runCli } from './run-cli.js';
import { needs } from '../support/services.js';

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
    await writeFile(
      join(dir, 'actions.yml'),
      'version: 1\nactions:\n  a:\n    slots: { x: 1 }\n  b:\n    slots: { y: 2 }\n',
    );
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        bin,
        'serve',
        '--actions',
        join(dir, 'actions.yml'),
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--log-level',
        'silent',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const line = await firstLine(child);
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

  needs('openssl').it('serves HTTPS with --ssl-* flags and requires --auth-token on /webhook', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-serve-tls-'));
    await writeFile(join(dir, 'actions.yml'), 'version: 1\nactions:\n  a:\n    slots: { x: 1 }\n');
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-passout',
        'pass:s3cret',
      ],
      { stdio: 'ignore' },
    );
    const args = [
      '--import',
      'tsx',
      bin,
      'serve',
      '--actions',
      join(dir, 'actions.yml'),
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--log-level',
      'silent',
      '--ssl-certificate',
      cert,
      '--ssl-keyfile',
      key,
      '--ssl-password',
      's3cret',
      '--auth-token',
      'rasa-token',
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await firstLine(child);
      const port = Number(/https:\/\/127\.0\.0\.1:(\d+)\/webhook/.exec(line)?.[1]);
      expect(port).toBeGreaterThan(0);
      const ca = readFileSync(cert);
      const post = (path: string) =>
        new Promise<number>((resolve, reject) => {
          const req = request(
            { host: '127.0.0.1', port, path, method: 'POST', ca, headers: { 'content-type': 'application/json' } },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.once('error', reject);
          req.end(JSON.stringify({ next_action: 'a', sender_id: 's', tracker: { sender_id: 's' } }));
        });
      expect(await post('/webhook')).toBe(401);
      expect(await post('/webhook?token=rasa-token')).toBe(200);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
