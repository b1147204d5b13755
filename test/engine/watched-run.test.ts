// The engine's surface for the tools that show a run (slotwire run, test,
// record, the studio): a compiled plan served as is, the connections and
// the secret values for masking, and one watched run with one hold rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, loadPlan, MASK, sensitiveValues, watchedRun } from '../../runtime/engine/index.js';
import type { Engine } from '../../runtime/engine/index.js';
import { startUpstream } from '../support/upstream.js';
import type { Upstream } from '../support/upstream.js';
import { writeActionsFile } from '../support/actions-file.js';

const ACTIONS = `version: 1
connections:
  api:
    base_url: \${API_URL}
    headers: { X-Custom-Auth: "\${CUSTOM_HDR}", X-Client-Token: typed-token, X-Trace: on-purpose }
    auth: { type: bearer, token: "\${API_TOKEN}" }
actions:
  look_up:
    sensitive: [pin]
    request: { connection: api, path: "/orders/{{ slots.pin }}" }
    slots: { status: "{{ response.body.status }}" }
  book:
    steps:
      - name: check
        request: { connection: api, path: /tables }
      - name: hold
        request: { connection: api, method: POST, path: /bookings, body: { party: 2 } }
    slots: { reference: "{{ steps.hold.body.reference }}" }
`;

let upstream: Upstream;
let file: string;
let env: Record<string, string>;

beforeAll(async () => {
  upstream = await startUpstream([
    { match: { path: '/orders/4711' }, reply: { json: { status: 'shipped' } } },
    { match: { path: '/tables' }, reply: { json: { free: true } } },
    { match: { method: 'POST', path: '/bookings' }, reply: { json: { reference: 'B-1' } } },
  ]);
  file = writeActionsFile(ACTIONS);
  env = { API_URL: upstream.origin, CUSTOM_HDR: 'custom-hdr-value', API_TOKEN: 'bearer-secret-1' };
});
afterAll(() => upstream.close());

async function withEngine<T>(use: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await createEngine({ actionsFile: file, env });
  try {
    return await use(engine);
  } finally {
    await engine.close();
  }
}

describe("the engine's secret values and connections", () => {
  it('are every ${VAR} value of a connection, whatever the header is called, and credentials typed in', () =>
    withEngine(async (engine) => {
      expect(engine.secretValues()).toEqual(new Set(['custom-hdr-value', 'bearer-secret-1', 'typed-token']));
      const [api] = engine.connections();
      expect(api.headers).toEqual({ 'X-Custom-Auth': MASK, 'X-Client-Token': MASK, 'X-Trace': 'on-purpose' });
      expect(api.auth).toEqual({ type: 'bearer', token: MASK });
      expect(JSON.stringify(engine.connections())).not.toMatch(/custom-hdr-value|bearer-secret-1|typed-token/);
    }));

  it('serve a plan compiled once, without compiling it again', async () => {
    const compiled = await loadPlan(file, { env });
    expect(compiled.plan).not.toBeNull();
    const engine = await createEngine({ compiled: { plan: compiled.plan!, diagnostics: compiled.diagnostics }, env });
    try {
      expect(engine.actions().map((a) => a.name)).toEqual(['look_up', 'book']);
      const run = await watchedRun(engine, 'look_up', { slots: { pin: '4711' } });
      expect(run.result.events).toContainEqual(expect.objectContaining({ name: 'status', value: 'shipped' }));
    } finally {
      await engine.close();
    }
  });
});

describe('a watched run', () => {
  it('sends everything by default, and lists the calls sent', () =>
    withEngine(async (engine) => {
      const before = upstream.seen.length;
      const run = await watchedRun(engine, 'book', {});
      expect(run.held).toBe(false);
      expect(run.calls.map((c) => c.request.method)).toEqual(['GET', 'POST']);
      expect(run.sent).toEqual(run.calls);
      expect(upstream.seen.length - before).toBe(2);
    }));

  it('holds a call that changes data with send: reads, says why in the given words, and sends nothing after it', () =>
    withEngine(async (engine) => {
      const before = upstream.seen.length;
      const run = await watchedRun(engine, 'book', {}, { send: 'reads', heldBecause: (r) => `${r.method}: confirm` });
      expect(run.held).toBe(true);
      expect(run.result.outcome).toEqual({ status: 'held', message: 'POST: confirm', request: expect.anything() });
      expect(run.calls.map((c) => c.request.method)).toEqual(['GET', 'POST']);
      expect(run.sent.map((c) => c.request.method)).toEqual(['GET']);
      expect(upstream.seen.slice(before).map((s) => s.method)).toEqual(['GET']);
    }));

  it('sends nothing with send: none', () =>
    withEngine(async (engine) => {
      const before = upstream.seen.length;
      const run = await watchedRun(engine, 'look_up', { slots: { pin: '4711' } }, { send: 'none' });
      expect(run.held).toBe(true);
      expect(run.sent).toEqual([]);
      expect(run.calls).toHaveLength(1);
      expect(upstream.seen.length).toBe(before);
    }));

  it('gathers what to hide: the secrets, and the sensitive slots given or set', () =>
    withEngine(async (engine) => {
      const run = await watchedRun(engine, 'look_up', { slots: { pin: '4711' } });
      expect(run.sensitive).toEqual(['pin']);
      expect(run.hidden).toEqual(new Set(['custom-hdr-value', 'bearer-secret-1', 'typed-token', '4711']));
    }));
});

describe('sensitiveValues', () => {
  it('takes sensitive slot values that are strings or numbers', () => {
    expect([...sensitiveValues(['pin', 'ok', 'missing'], { pin: 1234, ok: true })]).toEqual(['1234']);
  });
});
