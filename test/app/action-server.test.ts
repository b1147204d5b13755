/**
 * The whole product through real parts: actions.yml on disk, the engine, a
 * loopback upstream API, the Hono server on a loopback port, Rasa-shaped
 * webhook calls (docs/protocol.md#the-request), and TypeScript code actions beside YAML.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionsFileError, createActionServer, listen } from '../../runtime/index.js';
import type { CodeAction } from '../../runtime/index.js';
import { slotSet } from '../../runtime/rasa/index.js';
import { json, startServer as startUpstream } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';
import { expectError, expectOk, post, silent } from '../server/helpers.js';

let dir: string;
let upstream: TestServer;

const restaurant = `version: 1
connections:
  restaurants:
    base_url: \${RESTAURANT_API_URL}
    auth: { type: bearer, token: "\${RESTAURANT_API_TOKEN}" }
actions:
  check_restaurant_availability:
    request:
      connection: restaurants
      path: /restaurants/{{ slots.restaurant_id }}/availability
      query: { party: "{{ slots.party_size }}", time: "{{ slots.booking_time }}" }
    slots:
      has_availability: "{{ response.body.available = true }}"
      available_times: "{{ response.body.times[].time }}"
    on_error:
      slots: { has_availability: false }
      responses: [{ response: utter_service_unavailable }]
  describe_slots:
    slots:
      slot_count: "{{ $count($keys(domain.slots)) }}"
`;

/** A webhook call as current Rasa Pro sends it: digest, no domain, a CALM stack. */
function rasaCall(action: string, slots: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    next_action: action,
    sender_id: 'conv-1',
    version: '3.13.4',
    domain_digest: 'digest-1',
    tracker: {
      sender_id: 'conv-1',
      slots: { restaurant_id: null, party_size: null, booking_time: null, requested_slot: null, ...slots },
      latest_message: {
        text: 'a table for 4 at 19:00',
        intent: { name: 'book', confidence: 0.98 },
        entities: [],
        message_id: 'm1',
        metadata: {},
      },
      latest_event_time: 1700000000.5,
      followup_action: null,
      paused: false,
      stack: [
        { frame_id: 'F1', flow_id: 'restaurant_booking', step_id: '3_check', frame_type: 'regular', type: 'flow' },
      ],
      events: [
        { event: 'action', timestamp: 1700000000.1, name: 'action_listen' },
        { event: 'user', timestamp: 1700000000.2, text: 'a table for 4 at 19:00', parse_data: {} },
      ],
      latest_input_channel: 'rest',
      active_loop: {},
      latest_action: { action_name: 'action_listen' },
      latest_action_name: 'action_listen',
    },
    ...extra,
  };
}

beforeAll(async () => {
  upstream = await startUpstream((req, res) => {
    if (req.headers.authorization !== 'Bearer t0ken') return json(res, 401, { error: 'unauthorized' });
    if (req.url?.startsWith('/restaurants/r-42/availability'))
      return json(res, 200, { available: true, times: [{ time: '19:00' }] });
    return json(res, 404, { error: 'no such restaurant' });
  });
  dir = await mkdtemp(join(tmpdir(), 'slotwire-app-'));
  await writeFile(join(dir, 'actions.yml'), restaurant);
});

afterAll(async () => {
  await upstream.close();
});

const env = () => ({ RESTAURANT_API_URL: upstream.origin, RESTAURANT_API_TOKEN: 't0ken' });

describe('createActionServer', () => {
  it('runs the restaurant action end to end: webhook → upstream → has_availability slot', async () => {
    const server = await createActionServer({ actionsFile: join(dir, 'actions.yml'), env: env(), logger: silent });
    const handle = await listen(server.app, { port: 0, hostname: '127.0.0.1' });
    try {
      const body = await expectOk(
        await post(
          handle.url,
          rasaCall('check_restaurant_availability', { restaurant_id: 'r-42', party_size: 4, booking_time: '19:00' }),
        ),
      );
      expect(body.events).toEqual([
        { event: 'slot', timestamp: null, name: 'has_availability', value: true },
        { event: 'slot', timestamp: null, name: 'available_times', value: ['19:00'] },
      ]);
      expect(upstream.seen.at(-1)?.url).toBe('/restaurants/r-42/availability?party=4&time=19%3A00');

      const missing = await expectOk(
        await post(handle.url, rasaCall('check_restaurant_availability', { restaurant_id: 'nope' })),
      );
      expect(missing.events).toEqual([{ event: 'slot', timestamp: null, name: 'has_availability', value: false }]);
      expect(missing.responses).toMatchObject([
        { response: 'utter_service_unavailable', template: 'utter_service_unavailable' },
      ]);
    } finally {
      await handle.close();
      await server.close();
    }
  });

  it('asks for the domain (449) only for an action that reads it', async () => {
    const server = await createActionServer({ actionsFile: join(dir, 'actions.yml'), env: env(), logger: silent });
    const handle = await listen(server.app, { port: 0, hostname: '127.0.0.1' });
    try {
      await expectError(await post(handle.url, rasaCall('describe_slots', {}, { domain_digest: 'd-2' })), 449);
      const withDomain = await expectOk(
        await post(
          handle.url,
          rasaCall('describe_slots', {}, { domain_digest: 'd-2', domain: { slots: { a: {}, b: {} } } }),
        ),
      );
      expect(withDomain.events).toEqual([{ event: 'slot', timestamp: null, name: 'slot_count', value: 2 }]);
      await expectOk(
        await post(
          handle.url,
          rasaCall('check_restaurant_availability', { restaurant_id: 'r-42' }, { domain_digest: 'never-seen' }),
        ),
      );
    } finally {
      await handle.close();
      await server.close();
    }
  });

  it('serves TypeScript code actions beside the YAML ones', async () => {
    const greet: CodeAction = {
      name: 'action_greet_by_name',
      run: ({ tracker, dispatcher }) => {
        dispatcher.utter({ text: `Hello ${String(tracker.slots['name'])}` });
        return [slotSet('greeted', true)];
      },
    };
    const server = await createActionServer({
      actionsFile: join(dir, 'actions.yml'),
      env: env(),
      codeActions: [greet],
      logger: silent,
    });
    const handle = await listen(server.app, { port: 0, hostname: '127.0.0.1' });
    try {
      const list = (await (await fetch(`${handle.url}/actions`)).json()) as { name: string }[];
      expect(list.map((a) => a.name)).toEqual([
        'check_restaurant_availability',
        'describe_slots',
        'action_greet_by_name',
      ]);
      const body = await expectOk(await post(handle.url, rasaCall('action_greet_by_name', { name: 'Ada' })));
      expect(body.events).toEqual([{ event: 'slot', timestamp: null, name: 'greeted', value: true }]);
      expect(body.responses).toMatchObject([{ text: 'Hello Ada' }]);
    } finally {
      await handle.close();
      await server.close();
    }
  });

  it('refuses to start when a code action has the name of a YAML action', async () => {
    const clash: CodeAction = { name: 'describe_slots', run: () => [] };
    await expect(
      createActionServer({ actionsFile: join(dir, 'actions.yml'), env: env(), codeActions: [clash], logger: silent }),
    ).rejects.toMatchObject({ code: 'SW_ACTION_NAME_CLASH', actionName: 'describe_slots' });
  });

  it('refuses to start on a broken actions file, with positioned diagnostics', async () => {
    const broken = join(dir, 'broken.yml');
    await writeFile(broken, 'version: 1\nactions:\n  a:\n    slots: { x: "{{ slot.y }}" }\n');
    const err = await createActionServer({ actionsFile: broken, env: env(), logger: silent }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ActionsFileError);
    expect((err as ActionsFileError).diagnostics).toMatchObject([{ code: 'SW_EXPR_UNKNOWN_NAME', line: 4, col: 21 }]);
  });
});
