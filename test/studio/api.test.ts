/**
 * The authoring page's API, through a real listener on loopback and a real
 * upstream: who may call it, what a run shows (and hides), the mapping and
 * the test case it writes, and the files followed as they change.
 */
import { request } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runtimeErrors } from '../../runtime/errors/index.js';
import { listen } from '../../runtime/server/index.js';
import type { ServerHandle } from '../../runtime/server/index.js';
import { createStudio } from '../../runtime/studio/index.js';
import type {
  Studio,
  StudioError,
  StudioMapResult,
  StudioRunResult,
  StudioSaveTestResult,
  StudioState,
} from '../../runtime/studio/index.js';
import { runTestFile } from '../../runtime/testing/index.js';
import { projectSource } from '../../runtime/cli/project.js';
import { MISREADABLE_SLOT_NAMES, MISREADABLE_STRINGS } from '../support/misreadable-strings.js';
import { startUpstream } from '../support/upstream.js';
import type { Upstream } from '../support/upstream.js';

const SECRET = 'sk-live-0123456789abcdef';

const actionsYml = (origin: string): string => `# the shop's actions
version: 1
connections:
  shop:
    base_url: ${origin}
    auth: { type: bearer, token: "\${SHOP_TOKEN}" }
actions:
  # looks an order up
  order_status:
    description: Where is the order?
    request:
      connection: shop
      path: /orders/{{ slots.order_id }}
    slots:
      order_state: "{{ response.body.state }}" # the state as the API says it
  verify_customer:
    sensitive: [pin]
    request:
      connection: shop
      path: /verify
      query: { pin: "{{ slots.pin }}" }
    slots:
      verified: "{{ response.body.ok }}"
  cancel_order:
    dedupe: 2m
    request:
      connection: shop
      method: POST
      path: /orders/{{ slots.order_id }}/cancel
    slots:
      cancelled: "{{ response.body.cancelled }}"
  customer_orders:
    steps:
      - name: customer
        request: { connection: shop, path: /customers, query: { email: "{{ slots.email }}" } }
      - name: orders
        request: { connection: shop, path: "/customers/{{ steps.customer.body.id }}/orders" }
    slots:
      order_count: "{{ $count(steps.orders.body) }}"
`;

const testsYml = `tests:
  - name: a shipped order
    action: order_status
    slots: { order_id: A1 }
    http:
      - path: /orders/A1
        reply: { json: { state: shipped, carrier: { name: DHL, tracking: ["Z9"] } } }
`;

let dir: string;
let upstream: Upstream;
let studio: Studio;
let handle: ServerHandle;
let token: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'studio-api-'));
  upstream = await startUpstream([
    {
      match: { path: '/orders/B2' },
      reply: {
        json: { state: 'packed', carrier: { name: 'UPS', 'tracking-id': 'U1' }, echo: SECRET, 'x}} {{ slots.pin': 1 },
      },
    },
    { match: { path: '/verify' }, reply: { json: { ok: true, pin: '48213' } } },
    { match: { method: 'POST', path: '/orders/B2/cancel' }, reply: { json: { cancelled: true } } },
    { match: { path: '/customers', query: { email: 'a@b.example' } }, reply: { json: { id: 'c7' } } },
    { match: { path: '/customers/c7/orders' }, reply: { json: [{ id: 'o1', total: 12.5 }] } },
    { match: { path: '/orders/S1' }, reply: { json: { state: '19:00', values: MISREADABLE_STRINGS } } },
  ]);
  await writeFile(join(dir, 'actions.yml'), actionsYml(upstream.origin));
  await writeFile(join(dir, 'actions.test.yml'), testsYml);
  token = 'test-token-0123456789';
  studio = await createStudio({
    actionsFile: join(dir, 'actions.yml'),
    testFile: join(dir, 'actions.test.yml'),
    env: { SHOP_TOKEN: SECRET },
    project: null,
    token,
    port: () => (handle ? Number(new URL(handle.url).port) : 0),
    loopback: true,
  });
  handle = await listen(studio.app, { port: 0, hostname: '127.0.0.1', gracePeriodMs: 100 });
});

afterEach(async () => {
  studio.close();
  await handle.close();
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

function api<T>(
  path: string,
  body?: object,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  return fetch(`${handle.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as T }));
}

describe('who may use it', () => {
  it('answers 401 without the token, on the page and the API', async () => {
    const page = await fetch(`${handle.url}/`);
    expect(page.status).toBe(401);
    expect(await page.text()).toMatch(/ \(SW_STUDIO_NO_TOKEN\)\n$/);
    const none = await fetch(`${handle.url}/api/state`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 'SW_STUDIO_NO_TOKEN' });
    const wrong = await fetch(`${handle.url}/api/run`, {
      method: 'POST',
      headers: { authorization: 'Bearer nope', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: expect.stringContaining('token'), code: 'SW_STUDIO_NO_TOKEN' });
  });

  it('trades the printed token for an HttpOnly SameSite=Strict cookie, which then opens the API', async () => {
    const wrong = await fetch(`${handle.url}/?token=guess`, { redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toMatch(/ \(SW_STUDIO_WRONG_TOKEN\)\n$/);
    const res = await fetch(`${handle.url}/?token=${token}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const state = await fetch(`${handle.url}/api/state`, { headers: { cookie: cookie.split(';')[0] } });
    expect(state.status).toBe(200);
  });

  it('refuses another host name (DNS rebinding) and another origin on writes', async () => {
    // fetch cannot change Host; node's client can, as a rebinding browser would send it.
    const rebound = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      request(
        `${handle.url}/api/state`,
        { headers: { host: 'attacker.example', authorization: `Bearer ${token}` } },
        (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      )
        .on('error', reject)
        .end();
    });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ code: 'SW_STUDIO_HOST' });
    expect((await api('/api/state', undefined, { host: `localhost:${new URL(handle.url).port}` })).status).toBe(200);
    const crossSite = await api(
      '/api/run',
      { action: 'order_status', mode: 'dry-run' },
      { origin: 'http://attacker.example' },
    );
    expect(crossSite).toMatchObject({ status: 403, body: { code: 'SW_STUDIO_CROSS_SITE' } });
  });
});

describe('the state', () => {
  it('says what is wrong with the test file instead of dropping its fixtures', async () => {
    await writeFile(join(dir, 'actions.test.yml'), 'tests:\n  - name: no action\n');
    await studio.workspace.refresh();
    const { body } = await api<StudioState>('/api/state');
    expect(body.ok).toBe(true);
    expect(body.diagnostics).toContainEqual(
      expect.objectContaining({ file: join(dir, 'actions.test.yml'), code: 'SW_SCHEMA_MISSING_KEY', line: 2 }),
    );
  });

  it('lists the actions with their calls, slot inputs and fixtures', async () => {
    const { body } = await api<StudioState>('/api/state');
    expect(body.ok).toBe(true);
    const order = body.actions.find((a) => a.name === 'order_status');
    expect(order).toMatchObject({
      description: 'Where is the order?',
      connections: ['shop'],
      calls: ['GET /orders/{{ slots.order_id }}'],
      changesData: false,
      line: 9,
    });
    expect(order?.reads).toEqual([{ name: 'order_id', type: 'text', choices: [], from: 'tests', sensitive: false }]);
    expect(order?.fixtures).toEqual([{ index: 0, name: 'a shipped order', slots: { order_id: 'A1' } }]);
    expect(body.actions.find((a) => a.name === 'cancel_order')?.changesData).toBe(true);
    expect(body.actions.find((a) => a.name === 'verify_customer')?.reads[0]?.sensitive).toBe(true);
  });

  it('follows the file: a broken edit shows its diagnostic at once and keeps the last good actions', async () => {
    const events = await fetch(`${handle.url}/api/events`, { headers: { authorization: `Bearer ${token}` } });
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // the current version, sent on connect
    const text = actionsYml(upstream.origin).replace(
      'path: /orders/{{ slots.order_id }}\n',
      'path: /orders/{{ slots.order_id }\n',
    );
    const started = Date.now();
    await writeFile(join(dir, 'actions.yml'), text);
    const { value } = await reader.read();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(new TextDecoder().decode(value)).toMatch(/event: change\ndata: \{"version":2\}/);
    await reader.cancel();
    const { body } = await api<StudioState>('/api/state');
    expect(body.ok).toBe(false);
    expect(body.diagnostics[0]).toMatchObject({ severity: 'error', code: 'SW_EXPR_UNCLOSED', line: 13 });
    expect(body.actions.map((a) => a.name)).toEqual([
      'order_status',
      'verify_customer',
      'cancel_order',
      'customer_orders',
    ]);
  });
});

describe('runs', () => {
  it('answers from a test case fixtures: the exchange, the slots, nothing sent upstream', async () => {
    const { status, body } = await api<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'A1' },
      mode: 'fixture',
      fixture: 0,
    });
    expect(status).toBe(200);
    expect(body.outcome.status).toBe('ok');
    expect(body.slots).toEqual([{ name: 'order_state', value: 'shipped', sensitive: false }]);
    expect(body.exchanges[0]).toMatchObject({
      step: 'response',
      bodyPath: 'response.body',
      request: { method: 'GET' },
      response: { status: 200, body: { state: 'shipped' } },
    });
    expect(upstream.seen).toHaveLength(0);
  });

  it('calls the live API with the real secret, and shows it as ***', async () => {
    const { body } = await api<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'B2' },
      mode: 'live',
    });
    expect(upstream.seen[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(body.slots).toEqual([{ name: 'order_state', value: 'packed', sensitive: false }]);
    expect(body.exchanges[0]?.request.headers['authorization']).toBe('Bearer ***');
    expect(body.exchanges[0]?.response?.body).toMatchObject({ echo: '***' });
    expect(JSON.stringify(body)).not.toContain(SECRET);
  });

  it('never shows a sensitive slot value: not in the URL, the answer or the slots', async () => {
    const { body } = await api<StudioRunResult>('/api/run', {
      action: 'verify_customer',
      slots: { pin: '48213' },
      mode: 'live',
    });
    expect(upstream.seen[0]?.url).toBe('/verify?pin=48213');
    expect(body.exchanges[0]?.request.url).toMatch(/\/verify\?pin=\*\*\*$/);
    expect(JSON.stringify(body)).not.toContain('48213');
    expect(body.slots).toEqual([{ name: 'verified', value: true, sensitive: false }]);
  });

  it('holds a call that changes data until the user confirms it; a dry run sends nothing', async () => {
    const dry = await api<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'B2' },
      mode: 'dry-run',
    });
    expect(dry.body.outcome.status).toBe('held');
    const asked = await api<StudioRunResult>('/api/run', {
      action: 'cancel_order',
      slots: { order_id: 'B2' },
      mode: 'live',
    });
    expect(asked.body).toMatchObject({
      needsConfirmation: true,
      outcome: { status: 'held' },
      exchanges: [{ held: true, request: { method: 'POST' } }],
    });
    expect(upstream.seen).toHaveLength(0);
    const sent = await api<StudioRunResult>('/api/run', {
      action: 'cancel_order',
      slots: { order_id: 'B2' },
      mode: 'live',
      confirmed: true,
    });
    expect(sent.body.slots).toEqual([{ name: 'cancelled', value: true, sensitive: false }]);
    expect(upstream.seen.map((s) => s.method)).toEqual(['POST']);
  });

  it('names the field and the code of a bad request', async () => {
    const cases: [object, number, string, string][] = [
      [{ slots: {}, mode: 'live' }, 400, 'action', 'SW_STUDIO_BAD_FIELD'],
      [{ action: 'order_status', slots: [], mode: 'live' }, 400, 'slots', 'SW_STUDIO_BAD_FIELD'],
      [{ action: 'order_status', mode: 'fast' }, 400, 'mode', 'SW_STUDIO_BAD_FIELD'],
      [{ action: 'order_status', mode: 'fixture' }, 400, 'fixture', 'SW_STUDIO_BAD_FIELD'],
      [{ action: 'order_status', mode: 'fixture', fixture: 7 }, 404, 'fixture', 'SW_STUDIO_UNKNOWN_CASE'],
      [{ action: 'cancel_order', mode: 'fixture', fixture: 0 }, 400, 'fixture', 'SW_STUDIO_CASE_OTHER_ACTION'],
      [{ action: 'order_status', mode: 'live', confirmed: 'yes' }, 400, 'confirmed', 'SW_STUDIO_BAD_FIELD'],
      [{ action: 'order_stats', mode: 'live' }, 404, 'action', 'SW_STUDIO_UNKNOWN_ACTION'],
    ];
    for (const [request, status, field, code] of cases) {
      const answer = await api<StudioError>('/api/run', request);
      expect(answer, JSON.stringify(request)).toMatchObject({ status, body: { field, code } });
    }
  });

  it('refuses a body that is not a JSON object, and a route it does not have, with their codes', async () => {
    const post = (body: string, type = 'application/json') =>
      fetch(`${handle.url}/api/run`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': type },
        body,
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as StudioError }));
    expect(await post('{"action":')).toMatchObject({
      status: 400,
      body: { code: 'SW_STUDIO_NOT_JSON', field: 'body' },
    });
    expect(await post('{"action": "order_status"}', 'text/plain')).toMatchObject({
      status: 400,
      body: { code: 'SW_STUDIO_NOT_JSON', field: 'body' },
    });
    expect(await post('["order_status"]')).toMatchObject({
      status: 400,
      body: { code: 'SW_STUDIO_BODY_NOT_OBJECT', field: 'body' },
    });
    expect(await api<StudioError>('/api/nope', {})).toMatchObject({
      status: 404,
      body: { code: 'SW_STUDIO_UNKNOWN_ROUTE' },
    });
    expect(await api<StudioError>('/api/run')).toMatchObject({
      status: 404,
      body: { code: 'SW_STUDIO_UNKNOWN_ROUTE' },
    });
  });

  it("refuses a fixture run whose case's tracker is not what Rasa sends, with the engine's code and hint", async () => {
    await writeFile(
      join(dir, 'actions.test.yml'),
      `${testsYml}  - name: a bad tracker
    action: order_status
    slots: { order_id: A1 }
    tracker: { latest_message: { entities: {} } }
    http:
      - path: /orders/A1
        reply: { json: { state: shipped } }
`,
    );
    await studio.workspace.refresh();
    const { status, body } = await api<StudioError>('/api/run', {
      action: 'order_status',
      mode: 'fixture',
      fixture: 1,
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'SW_CALL_SHAPE', field: 'fixture', hint: runtimeErrors.SW_CALL_SHAPE.hint });
  });

  it('refuses to run while the actions file has errors', async () => {
    await writeFile(
      join(dir, 'actions.yml'),
      actionsYml(upstream.origin).replace(
        'path: /orders/{{ slots.order_id }}\n',
        'path: /orders/{{ slots.order_id }\n',
      ),
    );
    const { status, body } = await api<StudioError>('/api/run', { action: 'order_status', mode: 'dry-run' });
    expect(status).toBe(409);
    expect(body.code).toBe('SW_STUDIO_FILE_BROKEN');
    expect(body.field).toBeUndefined();
  });

  it('counts a chunked body while it is read: a 413 long before 600 MiB are sent', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const total = 600 * 1024 * 1024;
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= total) return controller.close();
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${handle.url}/api/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'SW_STUDIO_BODY_TOO_LARGE', field: 'body' });
    expect(response.headers.get('connection')).toBe('close');
    expect(pulled).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('mapping a clicked field', () => {
  it('writes the slot mapping with comments kept, validates, and shows the new value on the same answer', async () => {
    const run = await api<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'B2' },
      mode: 'live',
    });
    const { status, body } = await api<StudioMapResult>('/api/map', {
      runId: run.body.runId,
      exchange: 0,
      path: ['carrier', 'tracking-id'],
      slot: 'tracking',
    });
    expect(status).toBe(200);
    expect(body.expression).toBe('{{ response.body.carrier.`tracking-id` }}');
    const text = await readFile(join(dir, 'actions.yml'), 'utf8');
    expect(text).toContain("# the shop's actions");
    expect(text).toContain('  # looks an order up');
    expect(text).toContain('order_state: "{{ response.body.state }}" # the state as the API says it');
    expect(text.split('\n')[body.line - 1]).toBe('      tracking: "{{ response.body.carrier.`tracking-id` }}"');
    expect(body.run.slots).toContainEqual({ name: 'tracking', value: 'U1', sensitive: false });
    // The same answer, not a second call.
    expect(upstream.seen).toHaveLength(1);
    const state = await api<StudioState>('/api/state');
    expect(state.body.ok).toBe(true);
  });

  it("maps a field of a step's answer as steps.<name>.body", async () => {
    const run = await api<StudioRunResult>('/api/run', {
      action: 'customer_orders',
      slots: { email: 'a@b.example' },
      mode: 'live',
    });
    expect(run.body.exchanges.map((x) => x.bodyPath)).toEqual(['steps.customer.body', 'steps.orders.body']);
    const { body } = await api<StudioMapResult>('/api/map', {
      runId: run.body.runId,
      exchange: 1,
      path: [0, 'total'],
      slot: 'first_total',
    });
    expect(body.expression).toBe('{{ steps.orders.body[0].total }}');
    expect(body.run.slots).toEqual([
      { name: 'order_count', value: 1, sensitive: false },
      { name: 'first_total', value: 12.5, sensitive: false },
    ]);
  });

  it('makes two mappings clicked at once both land', async () => {
    const run = await api<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'B2' },
      mode: 'live',
    });
    const [a, b] = await Promise.all([
      api<StudioMapResult>('/api/map', {
        runId: run.body.runId,
        exchange: 0,
        path: ['carrier', 'name'],
        slot: 'carrier',
      }),
      api<StudioMapResult>('/api/map', { runId: run.body.runId, exchange: 0, path: ['state'], slot: 'state_again' }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const text = await readFile(join(dir, 'actions.yml'), 'utf8');
    expect(text).toContain('carrier: "{{ response.body.carrier.name }}"');
    expect(text).toContain('state_again: "{{ response.body.state }}"');
  });

  it('replaces an existing mapping in place, keeping its comment', async () => {
    const run = await api<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'B2' },
      mode: 'live',
    });
    await api<StudioMapResult>('/api/map', {
      runId: run.body.runId,
      exchange: 0,
      path: ['carrier', 'name'],
      slot: 'order_state',
    });
    const text = await readFile(join(dir, 'actions.yml'), 'utf8');
    expect(text).toContain('order_state: "{{ response.body.carrier.name }}" # the state as the API says it');
  });

  it('refuses a path that is not in the answer, a bad slot name and an unknown run, and writes nothing', async () => {
    const run = await api<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'A1' },
      mode: 'fixture',
      fixture: 0,
    });
    const live = await api<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'B2' },
      mode: 'live',
    });
    const dry = await api<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'B2' },
      mode: 'dry-run',
    });
    const before = await readFile(join(dir, 'actions.yml'), 'utf8');
    const bad: [object, number, string, string][] = [
      [{ runId: run.body.runId, exchange: 0, path: ['nope'], slot: 'x' }, 400, 'path', 'SW_STUDIO_PATH_NOT_IN_ANSWER'],
      [{ runId: run.body.runId, exchange: 0, path: [], slot: 'x' }, 400, 'path', 'SW_STUDIO_BAD_FIELD'],
      [
        { runId: live.body.runId, exchange: 0, path: ['x}} {{ slots.pin'], slot: 'x' },
        400,
        'path',
        'SW_STUDIO_PATH_UNWRITABLE',
      ],
      [{ runId: run.body.runId, exchange: 0, path: ['state'], slot: 'no spaces' }, 400, 'slot', 'SW_STUDIO_BAD_FIELD'],
      [
        { runId: run.body.runId, exchange: 3, path: ['state'], slot: 'x' },
        400,
        'exchange',
        'SW_STUDIO_UNKNOWN_EXCHANGE',
      ],
      [{ runId: dry.body.runId, exchange: 0, path: ['state'], slot: 'x' }, 400, 'exchange', 'SW_STUDIO_NO_JSON_ANSWER'],
      [{ runId: 'gone', exchange: 0, path: ['state'], slot: 'x' }, 404, 'runId', 'SW_STUDIO_UNKNOWN_RUN'],
    ];
    for (const [request, status, field, code] of bad)
      expect(await api<StudioError>('/api/map', request), JSON.stringify(request)).toMatchObject({
        status,
        body: { field, code },
      });
    expect(await readFile(join(dir, 'actions.yml'), 'utf8')).toBe(before);
  });

  it('refuses to map from a run whose action the file no longer has, and writes nothing', async () => {
    const run = await api<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'B2' },
      mode: 'live',
    });
    const renamed = actionsYml(upstream.origin).replace('  order_status:\n', '  order_lookup:\n');
    await writeFile(join(dir, 'actions.yml'), renamed);
    const { status, body } = await api<StudioError>('/api/map', {
      runId: run.body.runId,
      exchange: 0,
      path: ['state'],
      slot: 'x',
    });
    expect(status).toBe(409);
    expect(body.code).toBe('SW_STUDIO_ACTION_GONE');
    expect(await readFile(join(dir, 'actions.yml'), 'utf8')).toBe(renamed);
  });
});

describe('saving a run as a test case', () => {
  it('appends a case that slotwire test passes, without the secret or the sensitive value', async () => {
    const live = await api<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'B2' },
      mode: 'live',
    });
    const saved = await api<StudioSaveTestResult>('/api/save-test', { runId: live.body.runId, name: 'a packed order' });
    expect(saved.status).toBe(200);
    const verify = await api<StudioRunResult>('/api/run', {
      action: 'verify_customer',
      slots: { pin: '48213' },
      mode: 'live',
    });
    await api<StudioSaveTestResult>('/api/save-test', { runId: verify.body.runId, name: 'a verified pin' });
    const text = await readFile(join(dir, 'actions.test.yml'), 'utf8');
    expect(text.split('\n')[saved.body.line - 1]).toContain('a packed order');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('48213');
    const report = await runTestFile(join(dir, 'actions.test.yml'));
    expect(report.diagnostics).toEqual([]);
    expect(report.cases.map((c) => [c.name, c.passed, c.failures])).toEqual([
      ['a shipped order', true, []],
      ['a packed order', true, []],
      ['a verified pin', true, []],
    ]);
  });

  it('refuses a run that sent nothing', async () => {
    const dry = await api<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'B2' },
      mode: 'dry-run',
    });
    const { status, body } = await api<StudioError>('/api/save-test', { runId: dry.body.runId, name: 'dry' });
    expect(status).toBe(400);
    expect(body).toMatchObject({ field: 'runId', code: 'SW_STUDIO_NOTHING_SENT' });
    const unnamed = await api<StudioError>('/api/save-test', { runId: dry.body.runId, name: ' ' });
    expect(unnamed).toMatchObject({ status: 400, body: { field: 'name', code: 'SW_STUDIO_BAD_FIELD' } });
  });

  it('refuses to save into a test file whose tests: is not a list, and writes nothing', async () => {
    const live = await api<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'B2' },
      mode: 'live',
    });
    await writeFile(join(dir, 'actions.test.yml'), 'tests: 5\n');
    const { status, body } = await api<StudioError>('/api/save-test', { runId: live.body.runId, name: 'kept' });
    expect(status).toBe(409);
    expect(body.code).toBe('SW_STUDIO_TEST_FILE_BROKEN');
    expect(await readFile(join(dir, 'actions.test.yml'), 'utf8')).toBe('tests: 5\n');
  });

  it('answers a failure it did not foresee as a 500 with its code', async () => {
    const live = await api<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'B2' },
      mode: 'live',
    });
    // Saving reads the actions file again (for the headers its cases record): gone, it cannot.
    await rm(join(dir, 'actions.yml'));
    const { status, body } = await api<StudioError>('/api/save-test', { runId: live.body.runId, name: 'orphan' });
    expect(status).toBe(500);
    expect(body.code).toBe('SW_STUDIO_INTERNAL');
  });

  it('refuses a case that would grow the test file past the 1 MiB slotwire reads, and writes nothing', async () => {
    const file = join(dir, 'actions.test.yml');
    const before = await readFile(file, 'utf8');
    const padded = `${before}${'# padding\n'.repeat(Math.floor((1024 * 1024 - before.length - 200) / 10))}`;
    await writeFile(file, padded);
    try {
      const live = await api<StudioRunResult>('/api/run', {
        action: 'order_status',
        slots: { order_id: 'B2' },
        mode: 'live',
      });
      const { status, body } = await api<StudioError>('/api/save-test', {
        runId: live.body.runId,
        name: 'one too many',
      });
      expect(status).toBe(409);
      expect(body).toMatchObject({ field: 'runId', code: 'SW_FILE_TOO_LARGE' });
      expect(await readFile(file, 'utf8')).toBe(padded);
    } finally {
      await writeFile(file, before);
    }
  });
});

describe('writes keep what the author wrote', () => {
  it('quotes slot names YAML 1.1 reads as booleans or null, so Rasa reads the name that was typed', async () => {
    const run = await api<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'B2' },
      mode: 'live',
    });
    for (const slot of MISREADABLE_SLOT_NAMES) {
      const { status } = await api('/api/map', { runId: run.body.runId, exchange: 0, path: ['state'], slot });
      expect(status, slot).toBe(200);
    }
    const slots = parse(await readFile(join(dir, 'actions.yml'), 'utf8'), { version: '1.1' }).actions.order_status
      .slots;
    expect(Object.keys(slots)).toEqual(['order_state', ...MISREADABLE_SLOT_NAMES]);
  });

  it('saves slot values and answers another YAML reader would misread so that YAML 1.1 reads them back, and the case passes', async () => {
    const given = Object.fromEntries([
      ['order_id', 'S1'],
      ...MISREADABLE_STRINGS.map((value, i) => [`s${i}`, value]),
      ...MISREADABLE_SLOT_NAMES.map((name) => [name, name]),
    ]);
    const run = await api<StudioRunResult>('/api/run', { action: 'order_status', slots: given, mode: 'live' });
    await api<StudioSaveTestResult>('/api/save-test', { runId: run.body.runId, name: 'strings' });
    const saved = parse(await readFile(join(dir, 'actions.test.yml'), 'utf8'), { version: '1.1' }).tests[1];
    expect(saved.slots).toEqual(given);
    expect(saved.http[0].reply.json).toEqual({ state: '19:00', values: MISREADABLE_STRINGS });
    expect(saved.expect.slots).toEqual({ order_state: '19:00' });
    const report = await runTestFile(join(dir, 'actions.test.yml'));
    expect(report.cases.map((c) => [c.name, c.passed])).toEqual([
      ['a shipped order', true],
      ['strings', true],
    ]);
  });

  it('leaves every other line byte for byte: flow lists, comments, odd spacing', async () => {
    const actions = actionsYml(upstream.origin).replace(
      '    sensitive: [pin]\n',
      '    sensitive:   [pin]    # [pin] stays\n',
    );
    const tests = testsYml.replace('    slots: { order_id: A1 }\n', '    slots: {  order_id: A1 }   # [x]\n');
    await writeFile(join(dir, 'actions.yml'), actions);
    await writeFile(join(dir, 'actions.test.yml'), tests);
    const run = await api<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'B2' },
      mode: 'live',
    });
    const mapped = await api<StudioMapResult>('/api/map', {
      runId: run.body.runId,
      exchange: 0,
      path: ['state'],
      slot: 'again',
    });
    expect(mapped.status).toBe(200);
    const written = await readFile(join(dir, 'actions.yml'), 'utf8');
    expect(written).toBe(
      actions.replace(
        '# the state as the API says it\n',
        '# the state as the API says it\n      again: "{{ response.body.state }}"\n',
      ),
    );
    await api<StudioSaveTestResult>('/api/save-test', { runId: run.body.runId, name: 'packed' });
    const saved = await readFile(join(dir, 'actions.test.yml'), 'utf8');
    expect(saved.startsWith(tests)).toBe(true);
    expect(saved.slice(tests.length)).toMatch(/^ {2}- name: packed\n {4}action: order_status\n/);
  });
});

describe('with a Rasa project', () => {
  const domainYml = (extra = ''): string => `version: "3.1"
slots:
  order_id: { type: text, mappings: [{ type: from_llm }] }
  order_state: { type: text, mappings: [{ type: controlled }] }
  pin: { type: text, mappings: [{ type: from_llm }] }
  verified: { type: bool, mappings: [{ type: controlled }] }
  cancelled: { type: bool, mappings: [{ type: controlled }] }
  email: { type: text, mappings: [{ type: from_llm }] }
  order_count: { type: float, mappings: [{ type: controlled }] }
${extra}`;
  let projectStudio: Studio;
  let projectHandle: ServerHandle;

  const projectApi = <T>(path: string, body?: object): Promise<{ status: number; body: T }> =>
    fetch(`${projectHandle.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as T }));

  /** Starts a studio over `domainPaths`, and resolves on its first change event after `change` ran. */
  async function openWith(domainPaths: string[]): Promise<void> {
    projectStudio = await createStudio({
      actionsFile: join(dir, 'actions.yml'),
      testFile: join(dir, 'actions.test.yml'),
      env: { SHOP_TOKEN: SECRET },
      project: await projectSource(domainPaths, undefined),
      token,
      port: () => (projectHandle ? Number(new URL(projectHandle.url).port) : 0),
      loopback: true,
    });
    projectHandle = await listen(projectStudio.app, { port: 0, hostname: '127.0.0.1', gracePeriodMs: 100 });
  }

  async function changed(change: () => Promise<void>): Promise<void> {
    const events = await fetch(`${projectHandle.url}/api/events`, { headers: { authorization: `Bearer ${token}` } });
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // the current version, sent on connect
    await change();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toMatch(/event: change/);
    await reader.cancel();
  }

  afterEach(async () => {
    projectStudio.close();
    await projectHandle.close();
  });

  it('refuses a mapping to a slot the domain lacks with its code, the slot, and the domain entry to add; writes nothing', async () => {
    await writeFile(join(dir, 'domain.yml'), domainYml());
    await openWith([join(dir, 'domain.yml')]);
    const before = await readFile(join(dir, 'actions.yml'), 'utf8');
    const run = await projectApi<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'B2' },
      mode: 'live',
    });
    const { status, body } = await projectApi<StudioError>('/api/map', {
      runId: run.body.runId,
      exchange: 0,
      path: ['carrier', 'tracking-id'],
      slot: 'tracking',
    });
    expect(status).toBe(409);
    expect(body).toMatchObject({ code: 'SW_DOMAIN_UNKNOWN_SLOT', field: 'slot' });
    expect(body.error).toContain('"tracking"');
    expect(body.hint).toContain(join(dir, 'domain.yml'));
    expect(body.hint).toContain('slots:\n  tracking:\n    type: text\n    mappings:\n      - type: controlled\n');
    expect(await readFile(join(dir, 'actions.yml'), 'utf8')).toBe(before);
  });

  it('follows domain.yml as it changes, without a restart: a slot added can be mapped, a slot removed is a diagnostic', async () => {
    await writeFile(join(dir, 'domain.yml'), domainYml());
    await openWith([join(dir, 'domain.yml')]);
    const run = await projectApi<StudioRunResult>('/api/run', {
      action: 'order_status',
      slots: { order_id: 'B2' },
      mode: 'live',
    });
    const started = Date.now();
    await changed(() =>
      writeFile(join(dir, 'domain.yml'), domainYml('  tracking: { type: text, mappings: [{ type: controlled }] }\n')),
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await projectApi<StudioState>('/api/state')).body.domainSlots).toContain('tracking');
    const mapped = await projectApi<StudioMapResult>('/api/map', {
      runId: run.body.runId,
      exchange: 0,
      path: ['carrier', 'tracking-id'],
      slot: 'tracking',
    });
    expect(mapped.status).toBe(200);
    await changed(() => writeFile(join(dir, 'domain.yml'), domainYml().replace(/ {2}order_state: .*\n/, '')));
    const { body } = await projectApi<StudioState>('/api/state');
    expect(body.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'SW_DOMAIN_UNKNOWN_SLOT', line: 16, col: 7 }),
    );
  });

  it('follows a domain folder: a file added to it is read', async () => {
    await mkdir(join(dir, 'domain'));
    await writeFile(join(dir, 'domain', 'slots.yml'), domainYml());
    await openWith([join(dir, 'domain')]);
    expect((await projectApi<StudioState>('/api/state')).body.domainSlots).not.toContain('tracking');
    await changed(() =>
      writeFile(
        join(dir, 'domain', 'more.yml'),
        'slots:\n  tracking: { type: text, mappings: [{ type: controlled }] }\n',
      ),
    );
    expect((await projectApi<StudioState>('/api/state')).body.domainSlots).toContain('tracking');
  });
});
