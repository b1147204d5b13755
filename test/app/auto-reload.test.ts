/**
 * --auto-reload through the real server: a good edit is served within a
 * second; a broken edit keeps the last good version answering and /health
 * names the line; no request fails while versions are swapped.
 */
import { mkdtemp, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionServer, listen } from '../../runtime/index.js';
import type { ActionServer, ServerHandle } from '../../runtime/index.js';
import { post, silent } from '../server/helpers.js';
import { waitFor } from '../support/wait-for.js';

const version = (n: number) => `version: 1\nactions:\n  which_version:\n    slots:\n      served_version: ${n}\n`;

let dir: string;
let file: string;
let server: ActionServer;
let handle: ServerHandle;

async function servedVersion(): Promise<unknown> {
  const res = await post(handle.url, { next_action: 'which_version', sender_id: 's', tracker: { sender_id: 's' } });
  if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { events: { value: unknown }[] };
  return body.events[0]?.value;
}

/** How long until `expected` is served, at most `limitMs`. */
async function servedWithin(expected: unknown, limitMs: number): Promise<number> {
  const started = Date.now();
  await waitFor(async () => (await servedVersion()) === expected, {
    timeoutMs: limitMs,
    what: `version ${String(expected)} served`,
    intervalMs: 10,
  });
  return Date.now() - started;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slotwire-reload-'));
  file = join(dir, 'actions.yml');
  await writeFile(file, version(1));
  server = await createActionServer({ actionsFile: file, autoReload: true, logger: silent });
  handle = await listen(server.app, { port: 0, hostname: '127.0.0.1' });
  // The checker thread boots with the server (a second or two from the
  // TypeScript sources); a user's first edit comes later than this test's.
  await writeFile(file, version(0));
  await servedWithin(0, 20_000);
});

afterAll(async () => {
  await handle.close();
  await server.close();
});

describe('--auto-reload', () => {
  it('serves a good edit within a second, with no failed request during the swap', async () => {
    expect(await servedVersion()).toBe(0);
    let failures = 0;
    let calls = 0;
    let running = true;
    const load = (async () => {
      while (running) {
        calls++;
        await servedVersion().catch(() => failures++);
      }
    })();
    await writeFile(file, version(2));
    const ms = await servedWithin(2, 5_000);
    // An editor's save: write a new file, rename it over the old one.
    await writeFile(join(dir, 'actions.yml.tmp'), version(3));
    await rename(join(dir, 'actions.yml.tmp'), file);
    await servedWithin(3, 5_000);
    running = false;
    await load;
    expect(ms).toBeLessThan(1_000);
    expect(calls).toBeGreaterThan(10);
    expect(failures).toBe(0);
  });

  it('keeps serving the last good version after a broken edit, and /health names the line', async () => {
    await writeFile(file, version(4));
    await servedWithin(4, 5_000);
    await writeFile(file, 'version: 1\nactions:\n  which_version:\n    slots:\n      served_version: "{{ slots. }}"\n');
    type Health = { last_reload_error: string | null; actions_hash: string };
    const health = async (): Promise<Health> => (await (await fetch(`${handle.url}/health`)).json()) as Health;
    const refused = await waitFor(async () => (await health()).last_reload_error, {
      timeoutMs: 5_000,
      what: 'the refused reload in /health',
    });
    expect(refused).toMatch(/actions\.yml:5:\d+ SW_EXPR_SYNTAX/);
    expect(await servedVersion()).toBe(4);
    await writeFile(file, version(5));
    await servedWithin(5, 5_000);
    expect((await health()).last_reload_error).toBeNull();
  });
});
