// A server whose actions never read tracker.events does not parse them
// (docs/server.md#only-what-the-actions-read-is-parsed), and nothing a caller
// or Rasa can see changes: answers, 400s naming the field, and the 500 that
// echoes the whole request.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../runtime/engine/index.js';
import type { Engine } from '../../runtime/engine/index.js';
import { createApp } from '../../runtime/server/index.js';
import { DEFAULT_MAX_BODY_VALUES } from '../../runtime/server/body-values.js';
import { parseCall } from '../../runtime/server/parse-call.js';
import { silent } from './helpers.js';

const withoutEvents = `version: 1
actions:
  action_hello:
    slots: { greeting: "{{ 'hi ' & slots.name }}" }
`;

const withEvents = `${withoutEvents}  action_count:
    slots: { seen: "{{ $count(tracker.events) }}" }
`;

// Long enough (≈ 30 KB, over 2 KiB) for the server to look for the events instead of parsing the whole body.
const events = Array.from({ length: 150 }, (_, i) => [
  { event: 'user', text: `hi number ${i}, a message long enough to count`, parse_data: { intent: { name: 'greet' } } },
  { event: 'slot', name: 'name', value: 'Ada' },
]).flat();
const call = (action: string, extra: Record<string, unknown> = {}) => ({
  next_action: action,
  sender_id: 's',
  tracker: { sender_id: 's', slots: { name: 'Ada' }, events, latest_message: { text: 'hi' }, ...extra },
  version: '3.13.4',
});

async function engineFor(text: string): Promise<Engine> {
  const dir = await mkdtemp(join(tmpdir(), 'slotwire-skip-events-'));
  await writeFile(join(dir, 'actions.yml'), text);
  return createEngine({ actionsFile: join(dir, 'actions.yml'), env: {} });
}

const post = (app: ReturnType<typeof createApp>, body: unknown) =>
  app.request('/webhook', {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

describe('a server whose actions read no events', () => {
  let engine: Engine;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    engine = await engineFor(withoutEvents);
    app = createApp({ engine, logger: silent });
    expect(engine.actions().every((a) => !a.trackerParts.includes('events'))).toBe(true);
  });
  afterAll(() => engine.close());

  it('answers as before', async () => {
    const response = await post(app, call('action_hello'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      events: [{ event: 'slot', timestamp: null, name: 'greeting', value: 'hi Ada' }],
      responses: [],
    });
  });

  it('echoes the whole request, events included, in a 500', async () => {
    // YAML actions cannot crash (their events are checked as they are built),
    // so this engine's run throws as a code action would.
    const crashing = {
      action: (name: string) => engine.action(name),
      actions: () => engine.actions(),
      status: () => engine.status(),
      run: () => Promise.reject(new Error('boom')),
    };
    const sent = call('action_hello');
    const response = await post(createApp({ engine: crashing, logger: silent }), sent);
    expect(response.status).toBe(500);
    expect(((await response.json()) as { request_body: unknown }).request_body).toEqual(sent);
  });

  it.each([
    [
      'malformed JSON inside the events',
      JSON.stringify(call('action_hello')).replace('"slot"', 'slot'),
      { error: expect.any(String) },
    ],
    [
      'an event without `event`',
      call('action_hello', { events: [...events, { text: 'no type' }] }),
      { field: 'tracker.events[300].event' },
    ],
    [
      'an event that is not an object',
      call('action_hello', { events: [...events, 1] }),
      { field: 'tracker.events[300]' },
    ],
    ['events that are not a list', call('action_hello', { events: { event: 'user' } }), { field: 'tracker.events' }],
  ])('still refuses %s with a 400', async (_name, body, expected) => {
    const response = await post(app, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject(expected);
  });
});

describe('a server with an action that reads events', () => {
  it('parses them only for the calls to that action', async () => {
    const engine = await engineFor(withEvents);
    try {
      const seen = new Map<string, number>();
      const recording = {
        ...engine,
        run: (...[name, input, options]: Parameters<Engine['run']>) => {
          seen.set(name, 'tracker' in input ? input.tracker.events.length : -1);
          return engine.run(name, input, options);
        },
      };
      const app = createApp({ engine: recording, logger: silent });
      const response = await post(app, call('action_count'));
      expect(await response.json()).toEqual({
        events: [{ event: 'slot', timestamp: null, name: 'seen', value: 300 }],
        responses: [],
      });
      expect((await post(app, call('action_hello'))).status).toBe(200);
      // action_hello never reads them: they are not parsed or kept for its run.
      expect(Object.fromEntries(seen)).toEqual({ action_count: 300, action_hello: 0 });
      // Either way a bad event is the same 400, naming it.
      for (const action of ['action_count', 'action_hello']) {
        const bad = await post(app, call(action, { events: [...events, { text: 'no type' }] }));
        expect(bad.status).toBe(400);
        expect(await bad.json()).toMatchObject({ field: 'tracker.events[300].event' });
      }
    } finally {
      await engine.close();
    }
  });
});

describe('parseCall', () => {
  const body = Buffer.from(JSON.stringify(call('action_count')));
  const eventsOf = (parsed: ReturnType<typeof parseCall>): number =>
    parsed.ok ? (parsed.call.tracker as { events: unknown[] }).events.length : -1;

  it('leaves the events out for an action that does not read them, and parses them for one that does', () => {
    expect(eventsOf(parseCall(body, { skippable: true, readBy: () => false }, DEFAULT_MAX_BODY_VALUES))).toBe(0);
    expect(
      eventsOf(
        parseCall(body, { skippable: true, readBy: (name) => name === 'action_count' }, DEFAULT_MAX_BODY_VALUES),
      ),
    ).toBe(300);
    expect(eventsOf(parseCall(body, { skippable: false, readBy: () => false }, DEFAULT_MAX_BODY_VALUES))).toBe(300);
  });

  it('parses a small body whole', () => {
    const small = Buffer.from(JSON.stringify(call('action_count', { events: events.slice(0, 2) })));
    expect(small.length).toBeLessThan(2048);
    expect(eventsOf(parseCall(small, { skippable: true, readBy: () => false }, DEFAULT_MAX_BODY_VALUES))).toBe(2);
  });
});
