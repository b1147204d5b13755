/**
 * How often the studio compiles the actions file: once per change for the
 * page (the check before a mapping is written is the one the page then
 * shows), once per change for the environment runs use, and never for a
 * run again on an unchanged file.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as CompilePlanModule from '../../runtime/compile/compile-plan.js';
import type { StudioRunResult } from '../../runtime/studio/index.js';

const counter = vi.hoisted(() => ({ compiles: 0 }));

vi.mock('../../runtime/compile/compile-plan.js', async (importOriginal) => {
  const actual = await importOriginal<typeof CompilePlanModule>();
  return {
    ...actual,
    compilePlan: (...args: Parameters<typeof actual.compilePlan>) => {
      counter.compiles++;
      return actual.compilePlan(...args);
    },
    loadPlan: (...args: Parameters<typeof actual.loadPlan>) => {
      counter.compiles++;
      return actual.loadPlan(...args);
    },
  };
});

const { listen } = await import('../../runtime/server/index.js');
const { createStudio } = await import('../../runtime/studio/index.js');

const TOKEN = 'test-token-0123456789';
const ACTIONS = `version: 1
connections:
  api:
    base_url: https://api.example.com
actions:
  order_status:
    request: { connection: api, path: /orders/7 }
    slots:
      status: "{{ response.body.status }}"
`;
const TESTS = `tests:
  - name: a shipped order
    action: order_status
    http:
      - method: GET
        path: /orders/7
        reply: { json: { status: shipped, carrier: post } }
    expect:
      slots: { status: shipped }
`;

let dir: string;
let close: () => Promise<void>;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'studio-compiles-'));
  await writeFile(join(dir, 'actions.yml'), ACTIONS);
  await writeFile(join(dir, 'actions.test.yml'), TESTS);
  let port = 0;
  const studio = await createStudio({
    actionsFile: join(dir, 'actions.yml'),
    testFile: join(dir, 'actions.test.yml'),
    env: {},
    project: null,
    token: TOKEN,
    port: () => port,
    loopback: true,
  });
  const handle = await listen(studio.app, { port: 0, hostname: '127.0.0.1', gracePeriodMs: 100 });
  port = Number(new URL(handle.url).port);
  url = handle.url;
  close = async () => {
    studio.close();
    await handle.close();
    await rm(dir, { recursive: true, force: true });
  };
});
afterAll(() => close());

async function post<T>(path: string, body: object): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe('the studio compiles the actions file', () => {
  it('once per change and environment: a run again compiles nothing, a mapping click twice (the page, the replay)', async () => {
    const run = () => post<StudioRunResult>('/api/run', { action: 'order_status', mode: 'fixture', fixture: 0 });
    const first = await run();
    expect(first.slots).toEqual([{ name: 'status', value: 'shipped', sensitive: false }]);

    const beforeAgain = counter.compiles;
    await run();
    expect(counter.compiles - beforeAgain).toBe(0);

    const beforeMap = counter.compiles;
    const mapped = await post<{ run: StudioRunResult }>('/api/map', {
      runId: first.runId,
      exchange: 0,
      path: ['carrier'],
      slot: 'carrier',
    });
    expect(mapped.run.slots).toContainEqual({ name: 'carrier', value: 'post', sensitive: false });
    expect(counter.compiles - beforeMap).toBe(2);
    // The watcher's event for that write finds the text it already has: nothing more is compiled.
    const changed = await fetch(`${url}/api/state`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(((await changed.json()) as { ok: boolean }).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300)); // longer than the watcher's 50 ms debounce: "nothing happens" is what is tested
    expect(counter.compiles - beforeMap).toBe(2);
  });
});
