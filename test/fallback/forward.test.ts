// serve --fallback over HTTP (docs/migrating.md#how-forwarding-works): calls
// for undeclared actions reach the existing server as they arrived, and its
// answers come back unchanged; declared actions stay slotwire's.
import { deflateSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { holdRefusedAddress } from '../support/refused-address.js';
import { startUpstream } from '../support/upstream.js';
import type { Upstream } from '../support/upstream.js';
import { call, post } from '../server/helpers.js';
import { actionsFile, serveFront, startLegacy, startRecorder } from './helpers.js';
import type { Front, Legacy } from './helpers.js';

let api: Upstream;
const closing: { close(): Promise<void> }[] = [];
const later = <T extends { close(): Promise<void> }>(x: T): T => {
  closing.push(x);
  return x;
};

beforeAll(async () => {
  api = await startUpstream([{ match: { path: '/weather' }, reply: { json: { temperature: 21, code: 'A1' } } }]);
});
afterAll(async () => {
  await api.close();
});
afterEach(async () => {
  for (const x of closing.splice(0).reverse()) await x.close();
});

describe('against the stand-in legacy server (rasa-sdk 3.x protocol)', () => {
  let legacy: Legacy;
  let front: Front;
  beforeAll(async () => {
    legacy = await startLegacy();
    front = await serveFront(actionsFile(api.origin), { url: new URL(legacy.webhook) });
  });
  afterAll(async () => {
    await front.close();
    await legacy.stop();
  });

  it('answers a 449 for an undeclared action, then 200 once Rasa sends the domain', async () => {
    const first = await post(front.url, call('action_greet', { domain_digest: 'd-449' }));
    expect(first.status).toBe(449);
    expect(await first.json()).toMatchObject({ action_name: 'action_greet' });
    const second = await post(front.url, call('action_greet', { domain_digest: 'd-449', domain: { slots: {} } }));
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ events: [], responses: [{ text: 'Hello! How can I help?' }] });
  });

  it('passes on its 400 rejection with action_name, its 404 and its 500 as they are', async () => {
    await post(front.url, call('action_greet', { domain_digest: 'd-err', domain: { slots: {} } }));
    const rejected = await post(front.url, call('action_cancel_booking', { domain_digest: 'd-err' }));
    expect(rejected.status).toBe(400);
    expect(await rejected.json()).toEqual({
      error: 'There is no booking to cancel.',
      action_name: 'action_cancel_booking',
    });
    const unknown = await post(front.url, call('action_nowhere'));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: "No registered action found for name 'action_nowhere'.",
      action_name: 'action_nowhere',
    });
    const crashed = await post(front.url, call('action_broken', { domain_digest: 'd-err' }));
    expect(crashed.status).toBe(500);
    expect(await crashed.json()).toMatchObject({ request_body: { next_action: 'action_broken' } });
  });

  it('lists declared actions first, then the ones only the legacy server has, each once', async () => {
    const res = await fetch(`${front.url}/actions`);
    expect(await res.json()).toEqual([
      { name: 'check_weather', description: 'The weather in a city' },
      { name: 'book_table' },
      { name: 'action_greet' },
      { name: 'check_restaurant_availability' },
      { name: 'action_cancel_booking' },
      { name: 'action_broken' },
    ]);
  });

  it('answers a declared action itself, and /ready names the ones both serve', async () => {
    const res = await post(front.url, call('check_weather', { tracker: { sender_id: '1', slots: { city: 'Rome' } } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      events: expect.arrayContaining([expect.objectContaining({ event: 'slot', name: 'temperature', value: 21 })]),
    });
    const ready = (await (await fetch(`${front.url}/ready`)).json()) as { fallback: Record<string, unknown> };
    expect(ready.fallback).toEqual({
      url: legacy.webhook,
      reachable: true,
      last_error: null,
      actions: 5,
      shadowed: ['book_table'],
      shadow: [],
    });
  });
});

describe('what reaches the fallback, and what comes back', () => {
  it('sends the body byte for byte, compressed as it came, with the token query, authorization and traceparent', async () => {
    const recorder = later(await startRecorder(() => ({ status: 200, body: '{"events":[],"responses":[]}' })));
    const front = later(await serveFront(actionsFile(api.origin), { url: new URL(`${recorder.webhook}?x=1`) }));
    const body = deflateSync(Buffer.from(JSON.stringify(call('action_legacy'))));
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const res = await fetch(`${front.url}/webhook?token=rasa-token`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'deflate',
        authorization: 'Basic cmFzYTpzZWNyZXQ=',
        traceparent,
        'x-rasa-header': 'kept',
      },
    });
    expect(res.status).toBe(200);
    const [seen] = recorder.seen;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/webhook?x=1&token=rasa-token');
    expect(seen.body.equals(body)).toBe(true);
    expect(seen.headers).toMatchObject({
      'content-type': 'application/json',
      'content-encoding': 'deflate',
      authorization: 'Basic cmFzYTpzZWNyZXQ=',
      traceparent,
      'x-rasa-header': 'kept',
    });
  });

  it.each([
    [200, 'application/json', '{"events":[{"event":"slot","timestamp":null,"name":"a","value":1}],"responses":[]}'],
    [449, 'application/json', '{"error":"Missing domain context","action_name":"action_legacy"}'],
    [400, 'application/json', '{"error":"no","action_name":"action_legacy"}'],
    [
      404,
      'application/json',
      '{"error":"No registered action found for name \'action_legacy\'.","action_name":"action_legacy"}',
    ],
    [500, 'application/json', '{"error":"boom","request_body":{}}'],
    [503, 'text/html; charset=utf-8', '<html>Service Unavailable</html>'],
  ])('passes a %i answer through unchanged: status, content type and bytes', async (status, type, text) => {
    const recorder = later(await startRecorder(() => ({ status, headers: { 'content-type': type }, body: text })));
    const front = later(await serveFront(actionsFile(api.origin), { url: new URL(recorder.webhook) }));
    const res = await post(front.url, call('action_legacy'));
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe(type);
    expect(Buffer.from(await res.arrayBuffer()).toString('utf8')).toBe(text);
  });

  it('never sends a malformed body on: slotwire answers it as it always does', async () => {
    const recorder = later(await startRecorder(() => ({ status: 200, body: '{}' })));
    const front = later(await serveFront(actionsFile(api.origin), { url: new URL(recorder.webhook) }));
    const notJson = await post(front.url, '{"next_action": "action_legacy", ', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    const badTracker = await post(front.url, { next_action: 'action_legacy', tracker: 5 });
    expect(badTracker.status).toBe(400);
    expect(await badTracker.json()).toMatchObject({ field: 'tracker' });
    const noAction = await post(front.url, call(null));
    expect(await noAction.json()).toBeNull();
    expect(recorder.seen).toEqual([]);
  });

  it('reuses its connections to the fallback (keep-alive)', async () => {
    const recorder = later(await startRecorder(() => ({ status: 200, body: '{"events":[],"responses":[]}' })));
    const front = later(await serveFront(actionsFile(api.origin), { url: new URL(recorder.webhook), refreshMs: 0 }));
    for (let i = 0; i < 5; i++) expect((await post(front.url, call('action_legacy'))).status).toBe(200);
    expect(recorder.seen).toHaveLength(5);
    // One for the start-up read of /actions, reused by the five calls made one after another.
    expect(recorder.connections()).toBe(1);
  });

  it('labels forwarded calls on /metrics by action and status', async () => {
    const recorder = later(
      await startRecorder(() => ({ status: 200, body: '{"events":[],"responses":[]}' }), ['action_legacy']),
    );
    const front = later(await serveFront(actionsFile(api.origin), { url: new URL(recorder.webhook) }));
    await post(front.url, call('action_legacy'));
    await post(front.url, call('made_up_name'));
    const text = await (await fetch(`${front.url}/metrics`)).text();
    expect(text).toMatch(/slotwire_fallback_call_duration_seconds_count\{action="action_legacy",status="200"\} 1/);
    // A name the fallback does not list is not a label of its own: callers cannot grow the series.
    expect(text).toMatch(/slotwire_fallback_call_duration_seconds_count\{action="_other",status="200"\} 1/);
    expect(text).not.toContain('made_up_name');
  });
});

describe('a fallback that is down or slow', () => {
  it('answers 502 naming the action when nothing listens, while declared actions keep answering', async () => {
    const refused = later(await holdRefusedAddress());
    const front = later(await serveFront(actionsFile(api.origin), { url: new URL(`${refused.origin}/webhook`) }));
    const res = await post(front.url, call('action_legacy'));
    expect(res.status).toBe(502);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.action_name).toBe('action_legacy');
    expect(body.error).toContain("'action_legacy'");
    const declared = await post(
      front.url,
      call('check_weather', { tracker: { sender_id: '1', slots: { city: 'Oslo' } } }),
    );
    expect(declared.status).toBe(200);
    const health = (await (await fetch(`${front.url}/health`)).json()) as { fallback: Record<string, unknown> };
    expect(health.fallback).toMatchObject({ reachable: false, last_error: 'ECONNREFUSED' });
    expect((await fetch(`${front.url}/ready`)).status).toBe(200);
  });

  it('answers 504 naming the action once the fallback timeout passes', async () => {
    const recorder = later(await startRecorder(() => ({ hang: true })));
    const front = later(await serveFront(actionsFile(api.origin), { url: new URL(recorder.webhook), timeoutMs: 300 }));
    const res = await post(front.url, call('action_legacy'));
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ action_name: 'action_legacy' });
    const ready = (await (await fetch(`${front.url}/ready`)).json()) as { fallback: Record<string, unknown> };
    expect(ready.fallback).toMatchObject({ reachable: false, last_error: 'no answer within 300 ms' });
  });
});
