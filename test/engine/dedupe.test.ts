// With `dedupe:`, a re-run of one user turn reaches the upstream once,
// whether it comes after the first run or overlaps it; through the engine
// and through the real webhook.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../runtime/compile/index.js';
import { createActionServer, createEngine, listen } from '../../runtime/index.js';
import type { Engine } from '../../runtime/index.js';
import { trackerFromDict } from '../../runtime/rasa/index.js';
import { post, silent } from '../server/helpers.js';
import { json, startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';

const ACTIONS = `version: 1
connections:
  api:
    base_url: \${API}
actions:
  book_table:
    dedupe: 1m
    request: { connection: api, method: POST, path: /bookings, idempotency_key: true }
    slots: { booking_ref: "{{ response.body.ref }}" }
  book_twice:
    request: { connection: api, method: POST, path: /bookings }
    slots: { booking_ref: "{{ response.body.ref }}" }
`;

let api: TestServer;
let file: string;
let engine: Engine;
let bookings = 0;

beforeAll(async () => {
  // Slow enough for two runs to overlap.
  api = await startServer((_req, res) => {
    bookings += 1;
    const ref = `B-${bookings}`;
    setTimeout(() => json(res, 201, { ref }), 150);
  });
  file = join(await mkdtemp(join(tmpdir(), 'slotwire-dedupe-')), 'actions.yml');
  await writeFile(file, ACTIONS);
  engine = await createEngine({ actionsFile: file, env: { API: api.origin } });
});

afterAll(async () => {
  await engine.close();
  await api.close();
});

const turn = (messageId: string) => ({
  tracker: trackerFromDict({ sender_id: 'u1', latest_message: { text: 'book it', message_id: messageId }, events: [] }),
});

describe('dedupe', () => {
  it('answers a re-run of the same turn with the first result, without calling again', async () => {
    const before = api.seen.length;
    const first = await engine.run('book_table', turn('m1'));
    const second = await engine.run('book_table', turn('m1'));
    expect(api.seen.length - before).toBe(1);
    expect(first.replayed).toBe(false);
    expect(second).toEqual({ ...first, replayed: true });
  });

  it('lets an overlapping run of the turn wait for the first', async () => {
    const before = api.seen.length;
    const [a, b] = await Promise.all([engine.run('book_table', turn('m2')), engine.run('book_table', turn('m2'))]);
    expect(api.seen.length - before).toBe(1);
    expect(a.events).toEqual(b.events);
    expect([a.replayed, b.replayed].sort((x, y) => Number(x) - Number(y))).toEqual([false, true]);
  });

  it('calls again for the next turn, and for an action without dedupe', async () => {
    const before = api.seen.length;
    await engine.run('book_table', turn('m3'));
    await engine.run('book_twice', turn('m3'));
    await engine.run('book_twice', turn('m3'));
    expect(api.seen.length - before).toBe(3);
  });

  it('holds through the real webhook: two concurrent identical calls reach the upstream once', async () => {
    const server = await createActionServer({ actionsFile: file, env: { API: api.origin }, logger: silent });
    const handle = await listen(server.app, { port: 0, hostname: '127.0.0.1' });
    try {
      const before = api.seen.length;
      const body = {
        next_action: 'book_table',
        sender_id: 'u9',
        tracker: { sender_id: 'u9', latest_message: { text: 'book', message_id: 'w1' }, events: [] },
      };
      const answers = await Promise.all([post(handle.url, body), post(handle.url, body)]);
      const bodies = await Promise.all(answers.map((r) => r.json()));
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      expect(bodies[0]).toEqual(bodies[1]);
      expect(api.seen.length - before).toBe(1);
    } finally {
      await handle.close();
      await server.close();
    }
  });

  it('validate suggests dedupe for an action that changes data', async () => {
    const { diagnostics } = await loadPlan(file, { env: { API: 'http://127.0.0.1:9' } });
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'SW_WARN_NO_DEDUPE', severity: 'warning', line: 10, col: 3 }),
    ]);
  });
});
