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
    'version: 1\nconnections:\n  api:\n    base_url: ${API}\nactions:\n  book_table:\n    request: { connection: api, method: POST, path: /bookings, idempotency_key: true, body: { party: 2 } }\n    slots: { ref: "{{ response.body.reference }}" }\n',
  );
  plan = (await loadPlan(join(dir, 'actions.yml'), { env: { API: api.origin } })).plan!;
});

afterAll(async () => {
  await api.close();
});

async function book(sender: string, messageId: string): Promise<string> {
  const http = createHttpClient(plan.connections);
  const tracker = trackerFromDict({ sender_id: sender, slots: {}, latest_message: { text: 'book', message_id: messageId }, events: [] });
  await runAction(plan.actions.get('book_table') as ActionPlan, { nextAction: 'book_table', senderId: sender, tracker, domain: null, version: null }, { http, logger: { warn() {}, info() {} } });
  await http.close();
  return String(api.seen.at(-1)?.headers['idempotency-key']);
}

describe('Idempotency-Key', () => {
  it('is the same for a re-run in the same user turn and differs for the next turn or another conversation', async () => {
    const first = await book('conv-1', 'msg-1');
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await book('conv-1', 'msg-1')).toBe(first);
    expect(await book('conv-1', 'msg-2')).not.toBe(first);
    expect(await book('conv-2', 'msg-1')).not.toBe(first);
  });
});
