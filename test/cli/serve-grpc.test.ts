// slotwire serve --grpc through the built CLI, as users run it: gRPC on
// --port instead of HTTP, health SERVING, a Webhook call, TLS with a client
// certificate, exit 0 on SIGTERM; HTTP-only flags are usage errors.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { clients, plain, rawCall, rawSession, request } from '../grpc/helpers.js';
import { builtCli } from '../support/built-cli.js';
import { firstLine, stopProcess } from '../support/server-process.js';
import { runCli } from './run-cli.js';
import { needs } from '../support/services.js';

const WEBHOOK = '/action_server_webhook.ActionService/Webhook';
const MIB = 1024 * 1024;

/** Runs `serve --grpc` with `flags` on a free loopback port, gives `use` the port, then stops it with SIGTERM (exit 0). */
async function withServer(flags: string[], use: (port: number) => Promise<void>): Promise<void> {
  const dir = await actionsDir();
  const child = spawn(
    process.execPath,
    [
      builtCli(),
      'serve',
      '--grpc',
      '--actions',
      join(dir, 'actions.yml'),
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      ...flags,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const port = Number(/grpc:\/\/127\.0\.0\.1:(\d+)/.exec(await firstLine(child))?.[1]);
    await use(port);
    expect(await stopProcess(child)).toBe(0);
  } finally {
    // After a failed test: the server must not outlive it.
    await stopProcess(child, 'SIGKILL');
  }
}

async function actionsDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'slotwire-serve-grpc-'));
  await writeFile(join(dir, 'actions.yml'), 'version: 1\nactions:\n  a:\n    slots: { x: 1 }\n');
  return dir;
}

describe('slotwire serve --grpc', () => {
  it('serves the ActionService and health on --port, and exits 0 on SIGTERM', async () => {
    const dir = await actionsDir();
    const child = spawn(
      process.execPath,
      [
        builtCli(),
        'serve',
        '--grpc',
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
      expect(line).toMatch(/^slotwire: serving 1 action from .*actions\.yml on grpc:\/\/127\.0\.0\.1:\d+ \(gRPC\)$/);
      const address = /grpc:\/\/(127\.0\.0\.1:\d+)/.exec(line)?.[1] as string;
      const c = clients(address);
      try {
        expect(await c.check('ActionServer')).toBe('SERVING');
        expect(plain(await c.webhook(request('a'))).events).toEqual([
          { event: 'slot', timestamp: null, name: 'x', value: 1 },
        ]);
      } finally {
        c.close();
      }
      expect(await stopProcess(child)).toBe(0);
    } finally {
      // After a failed test: the server must not outlive it.
      await stopProcess(child, 'SIGKILL');
    }
  });

  needs('openssl').it(
    'serves TLS with --ssl-* flags and requires a client certificate with --ssl-ca-file',
    async () => {
      const dir = await actionsDir();
      const file = (name: string) => join(dir, name);
      const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
      openssl(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        file('ca.key'),
        '-out',
        file('ca.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=test-ca',
      );
      openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-keyout',
        file('server.key'),
        '-out',
        file('server.csr'),
        '-subj',
        '/CN=localhost',
        '-passout',
        'pass:s3cret',
      );
      await writeFile(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
      openssl(
        'x509',
        '-req',
        '-in',
        file('server.csr'),
        '-CA',
        file('ca.pem'),
        '-CAkey',
        file('ca.key'),
        '-CAcreateserial',
        '-out',
        file('server.pem'),
        '-days',
        '1',
        '-extfile',
        file('san.ext'),
      );
      openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        file('client.key'),
        '-out',
        file('client.csr'),
        '-subj',
        '/CN=rasa',
      );
      openssl(
        'x509',
        '-req',
        '-in',
        file('client.csr'),
        '-CA',
        file('ca.pem'),
        '-CAkey',
        file('ca.key'),
        '-CAcreateserial',
        '-out',
        file('client.pem'),
        '-days',
        '1',
      );
      const args = [
        builtCli(),
        'serve',
        '--grpc',
        '--actions',
        file('actions.yml'),
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--log-level',
        'silent',
        '--ssl-certificate',
        file('server.pem'),
        '--ssl-keyfile',
        file('server.key'),
        '--ssl-password',
        's3cret',
        '--ssl-ca-file',
        file('ca.pem'),
      ];
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        const address = /grpc:\/\/(127\.0\.0\.1:\d+)/.exec(await firstLine(child))?.[1] as string;
        const ca = readFileSync(file('ca.pem'));
        // As Rasa's endpoints.yml: cafile, ssl_client_cert, ssl_client_key.
        // The certificate names localhost; the address is an IP.
        const name = { 'grpc.ssl_target_name_override': 'localhost' };
        const mutual = clients(
          address,
          credentials.createSsl(ca, readFileSync(file('client.key')), readFileSync(file('client.pem'))),
          name,
        );
        const anonymous = clients(address, credentials.createSsl(ca), name);
        try {
          expect(plain(await mutual.webhook(request('a'))).events).toHaveLength(1);
          await expect(anonymous.webhook(request('a'))).rejects.toMatchObject({ code: 14 });
        } finally {
          mutual.close();
          anonymous.close();
        }
        expect(await stopProcess(child)).toBe(0);
      } finally {
        // After a failed test: the server must not outlive it.
        await stopProcess(child, 'SIGKILL');
      }
    },
  );

  it.each([
    [['--mcp'], '--mcp applies to the HTTP server, not to --grpc'],
    [['--cors', '*'], '--cors applies to the HTTP server, not to --grpc'],
    [['--auth-token', 't'], '--auth-token applies to the HTTP server, not to --grpc'],
    [['--workers', '2'], '--workers applies to the HTTP server, not to --grpc'],
    [
      ['--barge-in-timeout', '0'],
      '--barge-in-timeout (or ACTION_SERVER_STREAM_BARGE_IN_TIMEOUT_SECONDS) must be a positive number of seconds',
    ],
  ])('%j with --grpc is a one-line usage error, exit 2', async (flags, message) => {
    const r = await runCli(['serve', '--grpc', ...flags]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      `slotwire serve: ${message}${message.endsWith('seconds') ? ', not "0"' : ''} (see: slotwire serve --help)`,
    );
  });

  it('applies the gRPC limits: 100 streams a connection and 4 MiB messages by default', async () => {
    await withServer([], async (port) => {
      const session = await rawSession(port);
      try {
        expect(session.remoteSettings.maxConcurrentStreams).toBe(100);
        const end = await rawCall(session, WEBHOOK, { declared: 32 * MIB, sent: 64 * 1024 }).ended;
        expect(end).toMatchObject({ status: status.RESOURCE_EXHAUSTED, rstCode: 0 });
      } finally {
        session.destroy();
      }
    });
  });

  it('--request-timeout, --grpc-max-streams, --grpc-max-calls and --grpc-max-message set them', async () => {
    const flags = ['--request-timeout', '0.5', '--grpc-max-streams', '2', '--grpc-max-calls', '3'];
    await withServer([...flags, '--grpc-max-message', '0.5'], async (port) => {
      const sessions = [await rawSession(port), await rawSession(port), await rawSession(port)];
      try {
        expect(sessions[0].remoteSettings.maxConcurrentStreams).toBe(2);
        const tooBig = await rawCall(sessions[0], WEBHOOK, { declared: MIB / 2 + 1, sent: 0 }).ended;
        expect(tooBig.status).toBe(status.RESOURCE_EXHAUSTED);
        const held = [0, 0, 1].map((i) => rawCall(sessions[i], WEBHOOK, { declared: 1000, sent: 10 }).ended);
        await Promise.all(sessions.slice(0, 2).map((s) => new Promise((resolve) => s.ping(resolve))));
        const over = await rawCall(sessions[2], WEBHOOK, { declared: 1000, sent: 10 }).ended;
        expect(over.status).toBe(status.RESOURCE_EXHAUSTED);
        const ends = await Promise.all(held);
        expect(ends.map((e) => e.status)).toEqual(Array(3).fill(status.DEADLINE_EXCEEDED));
        expect(Math.max(...ends.map((e) => e.ms))).toBeLessThan(500 + 1500);
      } finally {
        for (const s of sessions) s.destroy();
      }
    });
  });

  it.each([
    [['--grpc-max-streams', 'x'], '--grpc-max-streams must be a whole number, not "x"'],
    [['--grpc-max-calls', '1.5'], '--grpc-max-calls must be a whole number, not "1.5"'],
    [['--grpc-max-message', '0'], '--grpc-max-message must be a positive number of MiB, not "0"'],
  ])('%j is a one-line usage error, exit 2', async (flags, message) => {
    const r = await runCli(['serve', '--grpc', ...flags]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(`slotwire serve: ${message} (see: slotwire serve --help)`);
  });

  it('a --grpc-max-* flag without --grpc is a usage error, exit 2', async () => {
    const r = await runCli(['serve', '--grpc-max-calls', '5']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      'slotwire serve: --grpc-max-calls applies to --grpc (see: slotwire serve --help)',
    );
  });

  it('--ssl-ca-file without --grpc is a usage error, exit 2', async () => {
    const r = await runCli(['serve', '--ssl-ca-file', 'ca.pem']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      'slotwire serve: --ssl-ca-file (client certificates) applies to --grpc, as in rasa-sdk (see: slotwire serve --help)',
    );
  });
});
