import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../runtime/compile/index.js';
import type { ActionPlan, Plan } from '../../runtime/compile/index.js';
import { runAction } from '../../runtime/execute/index.js';
import { createHttpClient } from '../../runtime/http/index.js';
import { trackerFromDict } from '../../runtime/rasa/index.js';
import { json, startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';

let api: TestServer;
let plan: Plan;

beforeAll(async () => {
  api = await startServer((_req, res) => json(res, 201, { reference: 'B-1' }));
  const dir = await mkdtemp(join(tmpdir(), 'slotwire-idem-'));
  await writeFile(
    join(dir, 'actions.yml'),
    `version: 1
connections:
  api:
    base_url: \${API}
actions:
  book_table:
    request: { connection: api, method: POST, path: /bookings, idempotency_key: true, body: { party: 2 } }
    slots: { ref: "{{ response.body.reference }}" }
  hold_and_pay:
    steps:
      - name: hold
        request: { connection: api, method: POST, path: /holds, idempotency_key: true }
      - name: pay
        request: { connection: api, method: POST, path: /payments, idempotency_key: true }
    slots: { ref: "{{ steps.pay.body.reference }}" }
`,
  );
  plan = (await loadPlan(join(dir, 'actions.yml'), { env: { API: api.origin } })).plan!;
});

afterAll(async () => {
  await api.close();
});

/** Runs `action` for a tracker; returns the Idempotency-Key of each request it sent. */
async function keysOf(action: string, tracker: Record<string, unknown>): Promise<string[]> {
  const http = createHttpClient(plan.connections);
  const before = api.seen.length;
  const state = trackerFromDict({ sender_id: 'conv-1', slots: {}, events: [], ...tracker });
  await runAction(
    plan.actions.get(action) as ActionPlan,
    { nextAction: action, senderId: state.sender_id, tracker: state, domain: null, version: null },
    { http, logger: { warn() {}, info() {} } },
  );
  await http.close();
  return api.seen.slice(before).map((s) => String(s.headers['idempotency-key']));
}

async function book(sender: string, messageId: string): Promise<string> {
  const [key] = await keysOf('book_table', {
    sender_id: sender,
    latest_message: { text: 'book', message_id: messageId },
  });
  return key;
}

describe('Idempotency-Key', () => {
  it('is the same for a re-run in the same user turn and differs for the next turn or another conversation', async () => {
    const first = await book('conv-1', 'msg-1');
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await book('conv-1', 'msg-1')).toBe(first);
    expect(await book('conv-1', 'msg-2')).not.toBe(first);
    expect(await book('conv-2', 'msg-1')).not.toBe(first);
  });

  it('differs between two steps of one action, and each is the same when the turn is run again', async () => {
    const turn = { latest_message: { text: 'pay', message_id: 'msg-7' } };
    const [hold, pay] = await keysOf('hold_and_pay', turn);
    expect(api.seen.slice(-2).map((s) => s.url)).toEqual(['/holds', '/payments']);
    expect(hold).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(pay).not.toBe(hold);
    expect(await keysOf('hold_and_pay', turn)).toEqual([hold, pay]);
  });

  it('follows the latest user event, then latest_event_time, when the message has no id', async () => {
    const at = (timestamp: number) => ({
      events: [
        { event: 'user', text: 'book', timestamp },
        { event: 'action', name: 'book_table', timestamp: timestamp + 1 },
      ],
    });
    const first = await keysOf('book_table', at(100));
    expect(await keysOf('book_table', at(100))).toEqual(first);
    expect(await keysOf('book_table', at(200))).not.toEqual(first);
    const byTime = await keysOf('book_table', { latest_event_time: 300 });
    expect(await keysOf('book_table', { latest_event_time: 300 })).toEqual(byTime);
    expect(await keysOf('book_table', { latest_event_time: 301 })).not.toEqual(byTime);
  });

  it('changes from turn to turn when the tracker has no message id, no user event and no latest_event_time', async () => {
    const turn = (text: string, slots: Record<string, unknown>) => ({
      latest_message: { text },
      slots,
      events: [{ event: 'user' }],
    });
    const first = await keysOf('book_table', turn('book a table', {}));
    // Run again with the same tracker: the same turn, the same key.
    expect(await keysOf('book_table', turn('book a table', {}))).toEqual(first);
    // The next turn: another message, or the same words with the slots the last turn set.
    const next = await keysOf('book_table', turn('and another', {}));
    const same = await keysOf('book_table', turn('book a table', { ref: 'B-1' }));
    expect(new Set([first[0], next[0], same[0]]).size).toBe(3);
  });
});
