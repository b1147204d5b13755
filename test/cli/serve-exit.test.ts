// One SIGTERM ends `slotwire serve` whatever its stdout does: a reader that
// stopped reading (the pipe fills with log lines) or one that went away.
// pino writes its last buffered lines synchronously at exit and retried a
// full pipe forever, so such a process outlived its SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtCli } from '../support/built-cli.js';
import { firstLine } from '../support/server-process.js';

/** More log lines than a pipe holds (64 KiB on Linux): one line of about 150 bytes per call. */
const CALLS = 1_500;
/** What the process may take after SIGTERM: its drain delay (0 here) plus the bound on the last flush, with room for a busy machine. */
const EXIT_WITHIN_MS = 10_000;

async function startServe(extra: string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'slotwire-exit-'));
  const file = join(dir, 'actions.yml');
  await writeFile(file, 'version: 1\nactions:\n  hello:\n    slots: { greeted: true }\n');
  const child = spawn(process.execPath, [builtCli(), 'serve', '--actions', file, '--port', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = /on (http:\/\/\S+)\/webhook/.exec(await firstLine(child))![1].replace('0.0.0.0', '127.0.0.1');
  child.stderr.resume();
  return { child, url };
}

/** Webhook calls for an unknown action, each of which the server logs. */
async function logLines(url: string): Promise<number> {
  const body = JSON.stringify({ next_action: 'not_declared', sender_id: 'u', tracker: { sender_id: 'u', events: [] } });
  let answered = 0;
  for (let i = 0; i < CALLS; i++) {
    const response = await fetch(`${url}/webhook`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    await response.arrayBuffer();
    if (response.status === 404) answered++;
  }
  return answered;
}

function exitAfterSigterm(child: ReturnType<typeof spawn>): Promise<{ code: number | null; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), EXIT_WITHIN_MS * 2);
    child.once('exit', (code) => {
      clearTimeout(kill);
      resolve({ code, ms: performance.now() - started });
    });
    child.kill('SIGTERM');
  });
}

describe('slotwire serve after one SIGTERM', () => {
  it('has written the line of every call answered before it, none lost in its batches', async () => {
    const { child, url } = await startServe([]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // Fewer lines than a batch holds, answered just before the signal: only the exit's flush writes them.
    const body = JSON.stringify({ next_action: 'hello', sender_id: 'u', tracker: { sender_id: 'u', events: [] } });
    for (let i = 0; i < 7; i++) {
      const response = await fetch(`${url}/webhook`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const { code } = await exitAfterSigterm(child);
    expect(code).toBe(0);
    const calls = out.split('\n').filter((line) => line.includes('"msg":"webhook"'));
    expect(calls).toHaveLength(7);
    for (const line of calls) expect(JSON.parse(line)).toMatchObject({ action: 'hello', status: 200 });
  }, 30_000);

  it('exits 0 when its stdout pipe is full because the reader stopped reading', async () => {
    const { child, url } = await startServe(['--auto-reload']);
    child.stdout.pause();
    // The server keeps answering while its log lines cannot leave.
    expect(await logLines(url)).toBe(CALLS);
    const { code, ms } = await exitAfterSigterm(child);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(EXIT_WITHIN_MS);
  }, 60_000);

  it('exits 0 when the reader of its stdout went away', async () => {
    const { child, url } = await startServe(['--mcp']);
    child.stdout.destroy();
    expect(await logLines(url)).toBe(CALLS);
    const { code, ms } = await exitAfterSigterm(child);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(EXIT_WITHIN_MS);
  }, 60_000);
});
