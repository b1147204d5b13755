// serve --shadow (docs/migrating.md#3-shadow-it-on-live-traffic): the
// fallback answers Rasa, slotwire's own version runs on the same call, and
// the two are compared, counted and, when they differ, logged masked.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ShadowRefusedError } from '../../runtime/fallback/index.js';
import { createActionServer } from '../../runtime/index.js';
import { writeActionsFile } from '../support/actions-file.js';
import { startUpstream } from '../support/upstream.js';
import type { Upstream } from '../support/upstream.js';
import { waitFor } from '../support/wait-for.js';
import { call, post, silent } from '../server/helpers.js';
import { actionsFile, serveFront, startRecorder } from './helpers.js';
import type { Front, Recorder } from './helpers.js';

/** The answer slotwire's check_weather gives for the upstream below, as rasa-sdk would write it. */
const SAME = JSON.stringify({
  events: [
    { event: 'slot', timestamp: null, name: 'temperature', value: 21 },
    { event: 'slot', timestamp: null, name: 'secret_code', value: 'A1' },
  ],
  responses: [],
});
const DIFFERENT = JSON.stringify({
  events: [
    { event: 'slot', timestamp: null, name: 'temperature', value: 19 },
    { event: 'slot', timestamp: null, name: 'secret_code', value: 'B2-secret' },
  ],
  responses: [],
});

/** The city in a call decides how the legacy server answers. */
function legacyAnswer(body: Buffer): { status: number; headers: Record<string, string>; body: string } {
  const city = (JSON.parse(body.toString('utf8')) as { tracker: { slots: { city: string } } }).tracker.slots.city;
  const json = { 'content-type': 'application/json' };
  if (city === 'Same') return { status: 200, headers: json, body: SAME };
  if (city === 'Different') return { status: 200, headers: json, body: DIFFERENT };
  if (city === 'Unknown') return { status: 404, headers: json, body: '{"error":"no","action_name":"check_weather"}' };
  return { status: 500, headers: json, body: '{"error":"boom","request_body":{}}' };
}

const weather = (city: string): Record<string, unknown> =>
  call('check_weather', { tracker: { sender_id: '1', slots: { city } } });

let api: Upstream;
let legacy: Recorder;
let front: Front;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  api = await startUpstream([{ match: { path: '/weather' }, reply: { json: { temperature: 21, code: 'A1' } } }]);
  legacy = await startRecorder((r) => legacyAnswer(r.body), ['check_weather', 'book_table', 'action_other']);
  const logs = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line));
      done();
    },
  });
  front = await serveFront(
    actionsFile(api.origin),
    { url: new URL(legacy.webhook), shadow: ['check_weather'] },
    { logger: pino({ level: 'info' }, logs) },
  );
});
afterAll(async () => {
  await front.close();
  await legacy.close();
  await api.close();
});
afterEach(() => {
  lines.length = 0;
});

/** The value of slotwire_shadow_calls_total for a result, 0 when absent. */
async function shadowCount(result: string): Promise<number> {
  const text = await (await fetch(`${front.url}/metrics`)).text();
  const m = new RegExp(`slotwire_shadow_calls_total\\{action="check_weather",result="${result}"\\} (\\d+)`).exec(text);
  return m === null ? 0 : Number(m[1]);
}

describe('a shadowed action', () => {
  it("returns the fallback's answer and counts a match as same", async () => {
    const before = await shadowCount('same');
    const res = await post(front.url, weather('Same'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(SAME);
    await waitFor(async () => (await shadowCount('same')) === before + 1, { timeoutMs: 5000, what: 'counted same' });
    expect(lines.filter((l) => l.msg === 'shadow' && l.result !== 'same')).toEqual([]);
  });

  it("returns the fallback's answer, counts different and logs what differs with sensitive values masked", async () => {
    const before = await shadowCount('different');
    const res = await post(front.url, weather('Different'));
    expect(await res.text()).toBe(DIFFERENT);
    await waitFor(async () => (await shadowCount('different')) === before + 1, {
      timeoutMs: 5000,
      what: 'counted different',
    });
    const line = await waitFor(() => lines.find((l) => l.msg === 'shadow'), { timeoutMs: 5000, what: 'the line' });
    expect(line).toMatchObject({
      action: 'check_weather',
      result: 'different',
      differences: [
        { path: 'events[0].value', fallback: 19, slotwire: 21 },
        {
          path: 'events[1]',
          fallback: { event: 'slot', name: 'secret_code', value: '***' },
          slotwire: { event: 'slot', name: 'secret_code', value: '***' },
        },
      ],
    });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('B2-secret');
    expect(text).not.toContain('"A1"');
  });

  it('counts error when the fallback fails, and still passes its answer on', async () => {
    const before = await shadowCount('error');
    const res = await post(front.url, weather('Broken'));
    expect(res.status).toBe(500);
    await waitFor(async () => (await shadowCount('error')) === before + 1, { timeoutMs: 5000, what: 'counted error' });
  });

  it('is answered by slotwire when the fallback does not serve it (404)', async () => {
    const res = await post(front.url, weather('Unknown'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      events: expect.arrayContaining([expect.objectContaining({ name: 'temperature', value: 21 })]),
    });
  });

  it('shows in /ready as shadowed and compared', async () => {
    const ready = (await (await fetch(`${front.url}/ready`)).json()) as { fallback: Record<string, unknown> };
    expect(ready.fallback).toMatchObject({ shadowed: ['check_weather', 'book_table'], shadow: ['check_weather'] });
  });
});

describe('which actions can be shadowed', () => {
  const start = (shadow: readonly string[] | 'all') =>
    createActionServer({
      actionsFile: writeActionsFile(actionsFile(api.origin)),
      env: {},
      logger: silent,
      fallback: { url: new URL(legacy.webhook), shadow },
    });

  it('refuses an action that POSTs: running it twice would change data twice', async () => {
    const refused = start(['book_table']);
    await expect(refused).rejects.toBeInstanceOf(ShadowRefusedError);
    await expect(refused).rejects.toThrow(/--shadow book_table: .*POST/);
  });

  it('refuses an action that is not declared', async () => {
    await expect(start(['action_other'])).rejects.toThrow(/--shadow action_other: not declared/);
  });

  it('with all, shadows the declared actions the fallback serves whose calls are all GET or HEAD', async () => {
    const server = await start('all');
    try {
      expect(server.fallback?.status().shadow).toEqual(['check_weather']);
      expect(server.fallback?.shadows('book_table')).toBe(false);
    } finally {
      await server.close();
    }
  });
});
