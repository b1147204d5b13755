// Reloads without dropping calls (docs/engine.md#reloads): a run between two steps when
// the file changes finishes on the pools it started with; what did not
// change keeps its breaker and cache; /health's reload error is current.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../runtime/index.js';
import type { Engine, ReloadEvent } from '../../runtime/index.js';
import { slotSet } from '../../runtime/rasa/index.js';
import { json, startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const done of cleanup.splice(0).reverse()) await done();
});

async function setUp(
  handler: Parameters<typeof startServer>[0],
  text: (origin: string) => string,
): Promise<{ api: TestServer; engine: Engine; rewrite: (t: string) => Promise<void> }> {
  const api = await startServer(handler);
  const file = join(await mkdtemp(join(tmpdir(), 'slotwire-reload-')), 'actions.yml');
  await writeFile(file, text(api.origin));
  const engine = await createEngine({ actionsFile: file });
  cleanup.push(
    () => api.close(),
    () => engine.close(),
  );
  return { api, engine, rewrite: (t) => writeFile(file, t) };
}

const twoSteps = (origin: string, timeout: string, extra = '') => `version: 1
connections:
  api:
    base_url: ${origin}
    timeout: ${timeout}
actions:
  hold_then_confirm:
    steps:
      - name: hold
        request: { connection: api, path: /hold }
      - name: confirm
        request: { connection: api, path: /confirm }
    slots:
      held: "{{ steps.hold.body.ok }}"
      confirmed: "{{ steps.confirm.body.ok }}"
${extra}`;

describe('a reload during a run', () => {
  it("lets step 2 run on the old generation's pool, even when the reload changed that connection", async () => {
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holdSeen = (): void => {};
    const holding = new Promise<void>((resolve) => {
      holdSeen = resolve;
    });
    const { api, engine, rewrite } = await setUp(
      (req, res) => {
        if (req.url === '/hold') {
          holdSeen();
          void gate.then(() => json(res, 200, { ok: 'held' }));
        } else json(res, 200, { ok: 'confirmed' });
      },
      (origin) => twoSteps(origin, '3s'),
    );

    const run = engine.run('hold_then_confirm', { slots: {} });
    await holding;
    // A new timeout is a new declaration of `api`: the new generation gets its own pool,
    // and the old one must stay open until this run is over.
    await rewrite(twoSteps(api.origin, '4s'));
    expect(await engine.reload()).toMatchObject({ ok: true, changed: true });
    release();
    const result = await run;
    expect(result.outcome).toEqual({ status: 'ok' });
    expect(result.events).toEqual([slotSet('held', 'held'), slotSet('confirmed', 'confirmed')]);
    expect(api.seen.map((s) => s.url)).toEqual(['/hold', '/confirm']);
    // The new generation serves the next run.
    expect((await engine.run('hold_then_confirm', { slots: {} })).outcome).toEqual({ status: 'ok' });
  });
});

describe('state that survives a reload of an unrelated action', () => {
  const file = (origin: string, other: string) => `version: 1
connections:
  api:
    base_url: ${origin}
    circuit_breaker: { failures: 1, cooldown: 60s }
actions:
  flaky:
    request: { connection: api, path: /down }
    slots: { ok: true }
    on_error:
      slots: { why: "{{ error.kind }}" }
  menu:
    request: { connection: api, path: /menu, cache: { ttl: 60s } }
    slots: { dish: "{{ response.body.dish }}" }
  unrelated:
    slots: { note: ${other} }
`;

  it('keeps the circuit open and the cached answer', async () => {
    const { api, engine, rewrite } = await setUp(
      (req, res) => (req.url === '/menu' ? json(res, 200, { dish: 'soup' }) : json(res, 503, {})),
      (origin) => file(origin, 'one'),
    );
    expect((await engine.run('menu', {})).events).toEqual([slotSet('dish', 'soup')]);
    // The breaker is the connection's: one failure opens it for every action on it.
    expect((await engine.run('flaky', {})).events).toEqual([slotSet('why', 'status')]);
    expect(api.seen.map((s) => s.url)).toEqual(['/menu', '/down']);

    await rewrite(file(api.origin, 'two'));
    expect(await engine.reload()).toMatchObject({ ok: true, changed: true });
    expect((await engine.run('unrelated', {})).events).toEqual([slotSet('note', 'two')]);
    // The reloaded plan's footprints come from the off-thread check.
    expect(engine.action('menu')).toMatchObject({ slotsSet: ['dish'], trackerParts: [] });

    expect((await engine.run('flaky', {})).outcome).toMatchObject({
      status: 'error',
      error: { kind: 'circuit_open', code: 'SW_UPSTREAM_CIRCUIT_OPEN' },
    });
    expect((await engine.run('menu', {})).events).toEqual([slotSet('dish', 'soup')]);
    // Neither went out again: the breaker refused one, the cache answered the other.
    expect(api.seen.map((s) => s.url)).toEqual(['/menu', '/down']);
  });

  it('starts afresh for a connection whose declaration changed', async () => {
    const { api, engine, rewrite } = await setUp(
      (_req, res) => json(res, 503, {}),
      (origin) => file(origin, 'one'),
    );
    await engine.run('flaky', {});
    await rewrite(file(api.origin, 'one').replace('failures: 1', 'failures: 2'));
    await engine.reload();
    expect((await engine.run('flaky', {})).outcome).toMatchObject({ error: { kind: 'status' } });
    expect(api.seen).toHaveLength(2);
  });
});

describe('reload status', () => {
  const good = 'version: 1\nactions:\n  a:\n    slots: { v: 1 }\n';

  it('clears last_reload_error when the file goes back to what is served, and tells listeners', async () => {
    const { engine, rewrite } = await setUp(
      (_req, res) => json(res, 200, {}),
      () => good,
    );
    const events: ReloadEvent[] = [];
    engine.onReload((e) => events.push(e));
    expect(engine.status()).toMatchObject({ actions: 1, lastReloadError: null, generation: 1 });

    await rewrite('version: 1\nactions:\n  a:\n    slots: { v: "{{ slots. }}" }\n');
    expect(await engine.reload()).toMatchObject({
      ok: false,
      diagnostics: [expect.objectContaining({ code: 'SW_EXPR_SYNTAX', line: 4 })],
    });
    expect(engine.status().lastReloadError).toMatch(/actions\.yml:4:\d+ SW_EXPR_SYNTAX/);
    expect((await engine.run('a', {})).events).toEqual([slotSet('v', 1)]);

    await rewrite(good);
    expect(await engine.reload()).toMatchObject({ ok: true, changed: false });
    expect(engine.status()).toMatchObject({ lastReloadError: null, generation: 1 });
    expect(events.map((e) => e.ok)).toEqual([false, true]);
  });

  it('keeps serving when a reload would clash with a code action', async () => {
    const api = await startServer((_req, res) => json(res, 200, {}));
    const file = join(await mkdtemp(join(tmpdir(), 'slotwire-reload-')), 'actions.yml');
    await writeFile(file, good);
    const engine = await createEngine({ actionsFile: file, codeActions: [{ name: 'b', run: () => [] }] });
    cleanup.push(
      () => api.close(),
      () => engine.close(),
    );
    await writeFile(file, 'version: 1\nactions:\n  b:\n    slots: { v: 2 }\n');
    expect(await engine.reload()).toMatchObject({ ok: false });
    expect(engine.status().lastReloadError).toMatch(/'b' is defined more than once/);
    expect(engine.actions().map((a) => a.name)).toEqual(['a', 'b']);
  });
});

describe('an engine for one action (forAction)', () => {
  it('loads and reloads with only the variables of the connections that action calls', async () => {
    const api = await startServer((_req, res) => json(res, 200, { ok: 'yes' }));
    const file = join(await mkdtemp(join(tmpdir(), 'slotwire-reload-')), 'actions.yml');
    const text = (path: string) => `version: 1
connections:
  api: { base_url: "\${API_URL}" }
  other: { base_url: "\${OTHER_URL}", auth: { type: bearer, token: "\${OTHER_TOKEN}" } }
actions:
  ping:
    request: { connection: api, path: ${path} }
    slots: { ok: "{{ response.body.ok }}" }
  other_call:
    request: { connection: other, path: /x }
`;
    await writeFile(file, text('/one'));
    const engine = await createEngine({ actionsFile: file, env: { API_URL: api.origin }, forAction: 'ping' });
    cleanup.push(
      () => api.close(),
      () => engine.close(),
    );
    await writeFile(file, text('/two'));
    expect(await engine.reload()).toMatchObject({ ok: true, changed: true });
    expect((await engine.run('ping', { slots: {} })).events).toEqual([slotSet('ok', 'yes')]);
    expect(api.seen.map((s) => s.url)).toEqual(['/two']);
  });
});
