/**
 * A request that cannot go out as the author meant it (a path
 * segment a value makes empty or `.`/`..`, a header value HTTP cannot carry)
 * fails as `invalid_request`, which on_error can branch on, and is never sent.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadPlan } from '../../runtime/compile/index.js';
import type { ActionPlan, Plan } from '../../runtime/compile/index.js';
import { runAction } from '../../runtime/execute/index.js';
import type { ActionRun } from '../../runtime/execute/index.js';
import { createHttpClient } from '../../runtime/http/index.js';
import { trackerFromDict } from '../../runtime/rasa/index.js';
import { json, startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';

const actionsYml = `version: 1
connections:
  api:
    base_url: \${API}/v2
actions:
  get_user:
    request: { connection: api, path: "/users/{{ slots.id }}/orders" }
    slots: { found: true }
    on_error:
      slots: { lookup_status: "{{ error.kind }}", failed_step: "{{ error.step }}" }
  get_file:
    request: { connection: api, path: "/files/report.{{ slots.ext }}" }
    slots: { found: true }
  get_dotted:
    request: { connection: api, path: "/files/.{{ slots.ext }}" }
    slots: { found: true }
  search:
    request: { connection: api, path: "/search/{{ slots.q }}?page=1" }
    slots: { found: true }
  search_query:
    request: { connection: api, path: "/search?q={{ slots.q }}" }
    slots: { found: true }
  literal_dots:
    request: { connection: api, path: /a/../b }
    slots: { found: true }
  greet:
    request: { connection: api, path: /greet, headers: { X-Name: "{{ slots.name }}" } }
    slots: { found: true }
    on_error:
      slots: { lookup_status: "{{ error.kind }}" }
  two_steps:
    steps:
      - name: first
        request: { connection: api, path: /first }
      - name: second
        request: { connection: api, path: "/second/{{ slots.id }}" }
    slots: { found: true }
    on_error:
      slots: { lookup_status: "{{ error.kind }}", failed_step: "{{ error.step }}" }
`;

let api: TestServer;
let plan: Plan;

beforeAll(async () => {
  api = await startServer((_req, res) => json(res, 200, {}));
  const dir = await mkdtemp(join(tmpdir(), 'slotwire-invalid-'));
  await writeFile(join(dir, 'actions.yml'), actionsYml);
  const loaded = await loadPlan(join(dir, 'actions.yml'), { env: { API: api.origin } });
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  plan = loaded.plan as Plan;
});

beforeEach(() => {
  api.seen.length = 0;
});

afterAll(async () => {
  await api.close();
});

async function run(action: string, slots: Record<string, unknown>): Promise<ActionRun> {
  const http = createHttpClient(plan.connections);
  try {
    const tracker = trackerFromDict({
      sender_id: 'u1',
      slots,
      latest_message: { text: 'hi', message_id: 'm1' },
      events: [],
    });
    return await runAction(
      plan.actions.get(action) as ActionPlan,
      { nextAction: action, senderId: 'u1', tracker, domain: null, version: null },
      { http, logger: { warn() {}, info() {} } },
    );
  } finally {
    await http.close();
  }
}

const slotEvent = (name: string, value: unknown) => expect.objectContaining({ event: 'slot', name, value });

describe('a path segment made by a value', () => {
  it.each(['..', '.', '%2e%2e', '%2E', '%252e%252E', '', null])(
    'is refused when it is %j, and nothing is sent',
    async (id) => {
      const out = await run('get_user', { id });
      expect(out.error).toMatchObject({ kind: 'invalid_request', reason: null, status: null, step: 'response' });
      expect(out.error?.message).toMatch(/^path segment 2 /);
      expect(out.events).toEqual(
        expect.arrayContaining([slotEvent('lookup_status', 'invalid_request'), slotEvent('failed_step', 'response')]),
      );
      expect(api.seen).toEqual([]);
    },
  );

  it.each(['...', 'a..b', '../admin', '.hidden', '%2e%2e%2e'])(
    'is sent as one encoded segment when it is %j',
    async (id) => {
      const out = await run('get_user', { id });
      expect(out.error).toBeNull();
      expect(api.seen).toHaveLength(1);
      const segments = api.seen[0].url.split('/');
      expect(segments).toHaveLength(5); // '', 'v2', 'users', <id>, 'orders'
      expect(decodeURIComponent(segments[3])).toBe(id);
    },
  );

  it('is checked as the whole segment, text around the value included', async () => {
    expect((await run('get_dotted', { ext: '.' })).error).toMatchObject({ kind: 'invalid_request' });
    expect((await run('get_dotted', { ext: '' })).error).toMatchObject({ kind: 'invalid_request' });
    expect((await run('get_file', { ext: '' })).error).toBeNull(); // "report." is a name, not a dot segment
    expect((await run('get_dotted', { ext: 'json' })).error).toBeNull();
    expect(api.seen.map((s) => s.url)).toEqual(['/v2/files/report.', '/v2/files/.json']);
  });

  it('is refused when empty before a literal query, but a value in the query is not a segment', async () => {
    expect((await run('search', { q: '' })).error).toMatchObject({ kind: 'invalid_request' });
    expect((await run('search_query', { q: '..' })).error).toBeNull();
    expect(api.seen.map((s) => s.url)).toEqual(['/v2/search?q=%2E%2E']);
  });

  it('leaves literal text as the author wrote it', async () => {
    expect((await run('literal_dots', {})).error).toBeNull();
    expect(api.seen.map((s) => s.url)).toEqual(['/v2/a/../b']);
  });

  it('stops a multi-step action at the step that rendered it, after the steps before it', async () => {
    const out = await run('two_steps', { id: '..' });
    expect(out.error).toMatchObject({ kind: 'invalid_request', step: 'second' });
    expect(out.events).toEqual(expect.arrayContaining([slotEvent('failed_step', 'second')]));
    expect(api.seen.map((s) => s.url)).toEqual(['/v2/first']);
  });
});

describe('a header value', () => {
  it.each([
    ['a character past Latin-1', 'Zoë ☃'],
    ['CR LF', 'Ann\r\nX-Injected: 1'],
    ['a lone LF', 'Ann\nX-Injected: 1'],
    ['NUL', 'Ann\u0000'],
  ])('with %s is refused as invalid_request, not sent', async (_what, name) => {
    const out = await run('greet', { name });
    expect(out.error).toMatchObject({ kind: 'invalid_request', reason: null, status: null, step: 'response' });
    expect(out.error?.message).toMatch(/^header X-Name /);
    expect(out.error?.message).not.toContain('Ann');
    expect(out.events).toEqual(expect.arrayContaining([slotEvent('lookup_status', 'invalid_request')]));
    expect(api.seen).toEqual([]);
  });

  it('in Latin-1 is sent', async () => {
    const out = await run('greet', { name: 'Zoë\tMüller' });
    expect(out.error).toBeNull();
    expect(Buffer.from(String(api.seen[0]?.headers['x-name']), 'latin1').toString('latin1')).toBe('Zoë\tMüller');
  });
});
