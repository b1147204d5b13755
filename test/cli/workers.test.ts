// `slotwire serve --workers 2`: two node:cluster workers share one
// port, both answer webhook calls, and SIGTERM stops all of them. Runs the
// built CLI (dist/), the way users run it; builds it only when dist is missing
// (CI's `npm ci` builds through `prepare`).
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../http/helpers.js';
import { parsePrometheus, sampleValue } from '../support/prometheus.js';
import { builtCli } from '../support/built-cli.js';
import { waitFor } from '../support/wait-for.js';
import type { TestServer } from '../http/helpers.js';
import { needs } from '../support/services.js';

// The upstream answers with the client port of the socket it was called on,
// and the action puts it in a slot. Each worker has its own keep-alive pool,
// so the port tells which process made the call; /proc ties a port to a pid.
// No test hook in the runtime is needed to tell the workers apart.
const ACTIONS = `version: 1
connections:
  up:
    base_url: \${WHO_UPSTREAM}
actions:
  action_who:
    request:
      connection: up
      path: /who
    slots:
      caller_port: "{{ response.body.port }}"
`;

/** POST /webhook on a connection of its own (`Connection: close`, as Rasa calls: docs/protocol.md#one-url). */
function callOnNewConnection(port: number): Promise<{ status: number; body: string }> {
  const payload = JSON.stringify({
    next_action: 'action_who',
    sender_id: 's',
    tracker: { sender_id: 's', slots: {}, events: [] },
  });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/webhook',
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', connection: 'close' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.once('error', reject);
    req.end(payload);
  });
}

/**
 * The process, among `pids`, that owns the loopback TCP socket with local
 * port `port` (Linux: /proc/net/tcp gives the socket's inode, /proc/<pid>/fd
 * links to it); null where /proc cannot tell.
 */
function ownerOfPort(port: number, pids: readonly number[]): number | null {
  try {
    const hex = port.toString(16).toUpperCase().padStart(4, '0');
    const rows = [
      readFileSync('/proc/net/tcp', 'utf8'),
      existsSync('/proc/net/tcp6') ? readFileSync('/proc/net/tcp6', 'utf8') : '',
    ]
      .join('\n')
      .split('\n')
      .map((l) => l.trim().split(/\s+/));
    // columns: sl local_address rem_address st … uid timeout inode
    const inode = rows.find((c) => c[1]?.endsWith(`:${hex}`))?.[9];
    if (inode === undefined) return null;
    return (
      pids.find((pid) =>
        readdirSync(`/proc/${pid}/fd`).some((fd) => {
          try {
            return readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`;
          } catch {
            return false;
          }
        }),
      ) ?? null
    );
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('slotwire serve --workers 2', () => {
  let upstream: TestServer;
  let primary: ChildProcessByStdio<null, Readable, Readable>;
  let stdout = '';
  let port = 0;
  let workerPids: number[] = [];

  beforeAll(async () => {
    const bin = builtCli();
    upstream = await startServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ port: req.socket.remotePort }));
    });
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-workers-'));
    await writeFile(join(dir, 'actions.yml'), ACTIONS);
    // Port 0 is fine under node:cluster: the primary binds one random port
    // and every worker listening on 0 shares it (checked below).
    primary = spawn(
      process.execPath,
      [
        bin,
        'serve',
        '--workers',
        '2',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--actions',
        join(dir, 'actions.yml'),
        '--log-level',
        'silent',
      ],
      {
        env: { ...process.env, WHO_UPSTREAM: upstream.origin },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      primary.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        // The primary's line can come before a worker's own line reaches the shared pipe.
        if (stdout.includes('2 workers serving') && (stdout.match(/: worker \d+: serving/g) ?? []).length === 2)
          resolve();
      });
      primary.once('exit', (code) =>
        reject(new Error(`serve exited ${code} before both workers listened:\n${stdout}`)),
      );
    });
    const lines = [
      ...stdout.matchAll(
        /^slotwire: worker (\d+): serving 1 action from .* on http:\/\/127\.0\.0\.1:(\d+)\/webhook$/gm,
      ),
    ];
    workerPids = lines.map((m) => Number(m[1]));
    const ports = new Set(lines.map((m) => Number(m[2])));
    expect(ports.size).toBe(1);
    port = [...ports][0] ?? 0;
  });

  afterAll(async () => {
    for (const pid of [primary?.pid, ...workerPids]) if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGKILL');
    await upstream?.close();
  });

  it('starts two worker processes on one shared port', () => {
    expect(workerPids).toHaveLength(2);
    expect(new Set(workerPids).size).toBe(2);
    expect(workerPids).not.toContain(primary.pid);
    expect(port).toBeGreaterThan(0);
  });

  it("names the shared port, the one bound for --port 0, in the primary's line", () => {
    expect(stdout).toMatch(new RegExp(`^slotwire: 2 workers serving on http://127\\.0\\.0\\.1:${port}/webhook$`, 'm'));
  });

  it('answers calls on separate connections from both workers', async () => {
    const callerPorts = new Set<number>();
    // The primary hands connections out round-robin, so a few calls reach both.
    for (let i = 0; i < 20 && callerPorts.size < 2; i++) {
      const { status, body } = await callOnNewConnection(port);
      expect(status).toBe(200);
      const events = (JSON.parse(body) as { events: { name: string; value: unknown }[] }).events;
      callerPorts.add(Number(events.find((e) => e.name === 'caller_port')?.value));
    }
    expect(callerPorts.size).toBe(2);
    // Where /proc is readable, each upstream socket belongs to a different printed worker pid.
    const owners = [...callerPorts].map((p) => ownerOfPort(p, workerPids));
    if (owners.every((pid) => pid !== null))
      expect([...owners].sort((a, b) => a - b)).toEqual([...workerPids].sort((a, b) => a - b));
  });

  needs('prometheus-client').it('answers /metrics from any worker with the sum over both workers', async () => {
    const webhookCalls = async (): Promise<number[]> => {
      const counts: number[] = [];
      // Each scrape on a new connection: round-robin sends them to both workers.
      for (let i = 0; i < 4; i++) {
        const text = await new Promise<string>((resolve, reject) => {
          const req = request(
            { host: '127.0.0.1', port, path: '/metrics', agent: false, headers: { connection: 'close' } },
            (res) => {
              let body = '';
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => {
                body += chunk;
              });
              res.on('end', () => resolve(body));
            },
          );
          req.once('error', reject);
          req.end();
        });
        const families = await parsePrometheus(text);
        counts.push(
          sampleValue(families, 'slotwire_action_duration_seconds_count', { action: 'action_who', outcome: 'ok' }) ?? 0,
        );
      }
      return counts;
    };
    const before = await webhookCalls();
    expect(new Set(before).size).toBe(1);
    for (let i = 0; i < 6; i++) expect((await callOnNewConnection(port)).status).toBe(200);
    expect(await webhookCalls()).toEqual(before.map((n) => n + 6));
  });

  it('exits 0 on SIGTERM, and both workers are gone', async () => {
    primary.kill('SIGTERM');
    await waitFor(() => primary.exitCode !== null || primary.signalCode !== null, {
      timeoutMs: 8_000,
      what: 'the primary exits after SIGTERM',
    });
    expect(primary.exitCode).toBe(0);
    expect(workerPids.filter(alive)).toEqual([]);
  });
});
