// createEngine as a library user calls it: plain values in, events and an
// outcome out, against a real loopback upstream; what actions() reports.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, EngineError } from '../../runtime/index.js';
import type { Engine } from '../../runtime/index.js';
import { ActionNameClashError, slotSet, trackerFromDict } from '../../runtime/rasa/index.js';
import { json, startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';

const ACTIONS = `version: 1
connections:
  orders:
    base_url: \${ORDERS_URL}
actions:
  greet:
    description: Says hello by name
    slots:
      greeting: "Hello {{ slots.name }}{{ entities.title ? ', ' & entities.title : '' }}"
  check_order:
    description: Where is the order?
    request:
      connection: orders
      path: /orders/{{ slots.order_id }}
    slots:
      order_status: "{{ response.body.status }}"
      lookup_status: ok
    on_error:
      slots:
        lookup_status: "{{ error.reason ? error.reason : error.kind }}"
  list_slots:
    slots:
      count: "{{ $count($keys(slots)) }}"
  book:
    request: { connection: orders, method: POST, path: /bookings, idempotency_key: true }
    slots: { ref: "{{ response.body.ref }}" }
  gatekeeper:
    reject:
      when: "{{ slots.age < 18 }}"
      message: Too young
    slots: { allowed: true }
`;

let api: TestServer;
let file: string;
let engine: Engine;

beforeAll(async () => {
  api = await startServer((req, res) => {
    if (req.url === '/orders/007') json(res, 200, { status: 'shipped' });
    else if (req.url === '/bookings') json(res, 201, { ref: 'B-1' });
    else json(res, 404, { error: 'no such order' });
  });
  const dir = await mkdtemp(join(tmpdir(), 'slotwire-engine-'));
  file = join(dir, 'actions.yml');
  await writeFile(file, ACTIONS);
  engine = await createEngine({ actionsFile: file, env: { ORDERS_URL: api.origin } });
});

afterAll(async () => {
  await engine.close();
  await api.close();
});

describe('engine.run with plain values', () => {
  it('runs a computed action from slots and entities given as a map', async () => {
    const result = await engine.run('greet', {
      slots: { name: 'Ada' },
      message: { text: 'hi', entities: { title: 'Dr' } },
    });
    expect(result).toEqual({
      events: [slotSet('greeting', 'Hello Ada, Dr')],
      responses: [],
      outcome: { status: 'ok' },
      replayed: false,
    });
  });

  it('calls the upstream and keeps a leading zero: the slot value is a string', async () => {
    const result = await engine.run('check_order', { slots: { order_id: '007' } });
    expect(result.outcome).toEqual({ status: 'ok' });
    expect(result.events).toEqual([slotSet('order_status', 'shipped'), slotSet('lookup_status', 'ok')]);
    expect(api.seen.at(-1)?.url).toBe('/orders/007');
  });

  it('tells failure from success: the error outcome ran, with kind, reason and code', async () => {
    const result = await engine.run('check_order', { slots: { order_id: '8' } });
    expect(result.outcome).toMatchObject({
      status: 'error',
      error: { kind: 'status', reason: 'not_found', status: 404, code: 'SW_UPSTREAM_STATUS', step: 'response' },
    });
    expect(result.events).toEqual([slotSet('lookup_status', 'not_found')]);
  });

  it('reports a rejection as an outcome, not a throw', async () => {
    expect(await engine.run('gatekeeper', { slots: { age: 12 } })).toMatchObject({
      events: [],
      outcome: { status: 'rejected', message: 'Too young' },
    });
    expect(await engine.run('gatekeeper', { slots: { age: 30 } })).toMatchObject({
      outcome: { status: 'ok' },
      events: [slotSet('allowed', true)],
    });
  });

  it('runs a Rasa call as the webhook passes it', async () => {
    const tracker = trackerFromDict({
      sender_id: 'u1',
      slots: { order_id: '007' },
      latest_message: { text: 'where is it' },
      events: [],
    });
    const result = await engine.run('check_order', { tracker, domain: null });
    expect(result.events[0]).toEqual(slotSet('order_status', 'shipped'));
  });

  it('stops at a call that hold keeps back, runs no outcome, and says which request', async () => {
    const before = api.seen.length;
    const seen: string[] = [];
    const result = await engine.run(
      'check_order',
      { slots: { order_id: '007' } },
      { hold: () => 'dry run', onCall: (c) => seen.push(c.outcome.exchange.url) },
    );
    expect(result).toMatchObject({
      events: [],
      responses: [],
      outcome: { status: 'held', message: 'dry run', request: { method: 'GET', path: '/orders/007' } },
    });
    expect(seen).toEqual([`${api.origin}/orders/007`]);
    expect(api.seen.length).toBe(before);
  });

  it('throws EngineError with a code for an unknown action', async () => {
    await expect(engine.run('chek_order', { slots: {} })).rejects.toMatchObject({
      name: 'EngineError',
      code: 'SW_ENGINE_UNKNOWN_ACTION',
    });
  });
});

describe('engine.actions()', () => {
  it('lists each action with its description and the slots it reads and sets', () => {
    const byName = Object.fromEntries(engine.actions().map((a) => [a.name, a]));
    expect(engine.actions().map((a) => a.name)).toEqual(['greet', 'check_order', 'list_slots', 'book', 'gatekeeper']);
    expect(byName['greet']).toMatchObject({
      kind: 'yaml',
      description: 'Says hello by name',
      slotsRead: ['name'],
      readsAllSlots: false,
      slotsSet: ['greeting'],
      readsDomain: false,
    });
    expect(byName['greet']?.trackerParts).toEqual(expect.arrayContaining(['slots', 'latest_message']));
    expect(byName['check_order']).toMatchObject({
      slotsRead: ['order_id'],
      slotsSet: ['order_status', 'lookup_status'],
      trackerParts: ['slots'],
    });
    expect(byName['list_slots']).toMatchObject({ readsAllSlots: true, slotsSet: ['count'] });
    // An Idempotency-Key names the user turn, so the action reads the message id and the events.
    expect(byName['book']?.trackerParts).toEqual(
      expect.arrayContaining(['latest_message', 'events', 'latest_event_time']),
    );
    expect(byName['gatekeeper']).toMatchObject({ slotsRead: ['age'], slotsSet: ['allowed'] });
  });
});

describe('code actions beside YAML ones', () => {
  it('serves both, code actions listed after the file, as opaque readers', async () => {
    const withCode = await createEngine({
      actionsFile: file,
      env: { ORDERS_URL: api.origin },
      codeActions: [{ name: 'action_code', run: ({ tracker }) => [slotSet('seen', tracker.slots['x'] ?? null)] }],
    });
    try {
      expect(withCode.actions().at(-1)).toMatchObject({
        name: 'action_code',
        kind: 'code',
        readsAllSlots: true,
        trackerParts: ['*'],
      });
      expect((await withCode.run('action_code', { slots: { x: 3 } })).events).toEqual([slotSet('seen', 3)]);
    } finally {
      await withCode.close();
    }
  });

  it('refuses a name used by a YAML and a code action', async () => {
    await expect(
      createEngine({
        actionsFile: file,
        env: { ORDERS_URL: api.origin },
        codeActions: [{ name: 'greet', run: () => [] }],
      }),
    ).rejects.toBeInstanceOf(ActionNameClashError);
  });

  it('refuses an actions file with errors, with its diagnostics', async () => {
    const bad = join(file, '..', 'bad.yml');
    await writeFile(bad, 'version: 1\nactions:\n  a:\n    slots: { x: "{{ slots. }}" }\n');
    await expect(createEngine({ actionsFile: bad })).rejects.toMatchObject({
      code: 'SW_ACTIONS_FILE_INVALID',
      diagnostics: [expect.objectContaining({ line: 4 })],
    });
  });

  it('refuses runs once closed', async () => {
    const closed = await createEngine({ codeActions: [{ name: 'a', run: () => [] }] });
    await closed.close();
    await expect(closed.run('a', {})).rejects.toBeInstanceOf(EngineError);
    await expect(closed.run('a', {})).rejects.toMatchObject({ code: 'SW_ENGINE_CLOSED' });
  });
});
