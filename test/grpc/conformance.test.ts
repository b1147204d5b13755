// The webhook's conformance cases (test/server/conformance.test.ts) over
// gRPC, with rasa-sdk's statuses and details
// (docs/server.md#status-codes-of-webhook), through a grpc-js client built
// from rasa-sdk's proto.
import { Client, credentials, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_LIMIT } from '../../runtime/errors/index.js';
import { slotSet } from '../../runtime/rasa/index.js';
import { codeActions, codeEngine, CRASH_SECRET } from '../server/fixture-actions.js';
import { clients, drain, plain, request, startGrpc } from './helpers.js';
import type { TestGrpc } from './helpers.js';

let grpc: TestGrpc;

beforeAll(async () => {
  grpc = await startGrpc();
});
afterAll(() => grpc.stop());

const DOMAIN_D = { intents: ['greet', 'goodbye'] };
const DOMAIN_E = { intents: ['greet', { book_table: { use_entities: [] } }] };

/** The status a unary call failed with. */
async function failure(call: Promise<unknown>): Promise<ServiceError> {
  const err = await call.then(
    () => null,
    (e: ServiceError) => e,
  );
  expect(err, 'the call should have failed').not.toBeNull();
  return err as ServiceError;
}

describe('Webhook: success', () => {
  it('returns the events as Structs, in order', async () => {
    const response = plain(await grpc.webhook(request('action_two_slots', { domain: DOMAIN_D })));
    expect(response).toEqual({
      events: [
        { event: 'slot', timestamp: null, name: 'a', value: 1 },
        { event: 'slot', timestamp: null, name: 'b', value: 2 },
      ],
      responses: [],
    });
  });

  it('returns messages with the eight keys, template = response, variables at top level', async () => {
    const { responses } = plain(await grpc.webhook(request('action_utter')));
    expect(responses[0]).toEqual({
      text: null,
      buttons: [],
      elements: [],
      custom: {},
      template: 'utter_booked',
      response: 'utter_booked',
      image: null,
      attachment: null,
      time: '19:30',
    });
    expect(responses[1]).toMatchObject({ text: 'Pick one', buttons: [{ title: 'Yes', payload: '/affirm' }] });
  });

  it("keeps slot values' JSON types through Struct (numbers are doubles)", async () => {
    const { events } = plain(await grpc.webhook(request('action_typed_slots')));
    expect(events.map((e) => e['value'])).toEqual([true, 4.5, ['18:00'], 'italian']);
  });

  it('an empty next_action answers an empty WebhookResponse, as rasa-sdk does', async () => {
    expect(plain(await grpc.webhook(request('')))).toEqual({ events: [], responses: [] });
  });

  it("passes a CALM stack and the tracker's Struct fields to the action verbatim", async () => {
    const stack = [
      {
        frame_id: 'CP6JP9GQ',
        flow_id: 'check_balance',
        step_id: '0_check_balance',
        frame_type: 'regular',
        type: 'flow',
      },
    ];
    const { events } = plain(
      await grpc.webhook(
        request('action_echo_stack', { tracker: { stack, slots: { a: 1 }, events: [{ event: 'some_future_event' }] } }),
      ),
    );
    expect(events[0]?.['value']).toEqual(stack);
    expect(plain(await grpc.webhook(request('action_echo_stack'))).events[0]?.['value']).toEqual([]);
  });
});

describe("Webhook: the request as Rasa's JSON", () => {
  it("reads every tracker field back: proto3 defaults, the active_loop map's flags, optional strings", async () => {
    const echo = await startGrpc({
      engine: await codeEngine([{ name: 'action_echo', run: ({ tracker }) => [slotSet('tracker', { ...tracker })] }]),
    });
    try {
      const tracker = {
        slots: { city: 'Berlin', party: 4 },
        latest_message: { text: 'hi', intent: { name: 'greet', confidence: 0.98 } },
        events: [{ event: 'user', text: 'hi', timestamp: 1764000000.5 }],
        paused: true,
        followup_action: 'action_x',
        active_loop: { name: 'booking_form', is_interrupted: 'false', rejected: 'true' },
        latest_action_name: 'action_listen',
        user_id: 'u-1',
      };
      const { events } = plain(await echo.webhook(request('action_echo', { tracker })));
      expect(events[0]?.['value']).toMatchObject({
        ...tracker,
        sender_id: '1',
        active_loop: { name: 'booking_form', is_interrupted: false, rejected: true },
        stack: [],
      });
      const bare = plain(await echo.webhook(request('action_echo', { tracker: { sender_id: '' } }))).events[0]?.[
        'value'
      ];
      expect(bare).toMatchObject({
        sender_id: '',
        slots: {},
        events: [],
        paused: false,
        followup_action: null,
        active_loop: {},
        user_id: null,
      });
    } finally {
      await echo.stop();
    }
  });
});

describe('Webhook: the answer as Structs', () => {
  it('writes values as JSON would: empty strings, zeros and false kept, NaN as null, nesting kept; a BigInt is a crash', async () => {
    const odd = await startGrpc({
      engine: await codeEngine([
        {
          name: 'action_odd',
          run: () => [
            slotSet('odd', { s: '', n: Number.NaN, z: 0, f: false, u: undefined, nested: [[1, null], {}, 'é'] }),
          ],
        },
        { name: 'action_bigint', run: () => [slotSet('big', 1n)] },
      ]),
    });
    try {
      expect(plain(await odd.webhook(request('action_odd'))).events[0]?.['value']).toEqual({
        s: '',
        n: null,
        z: 0,
        f: false,
        nested: [[1, null], {}, 'é'],
      });
      const err = await failure(odd.webhook(request('action_bigint')));
      expect(err.code).toBe(status.UNKNOWN);
      expect(err.details).toContain('BigInt');
    } finally {
      await odd.stop();
    }
  });
});

describe('Webhook: failures', () => {
  it('an unknown action is NOT_FOUND with resource_type ACTION, before the domain check', async () => {
    const err = await failure(grpc.webhook(request('action_unknown', { domain_digest: 'zzz' })));
    expect(err.code).toBe(status.NOT_FOUND);
    expect(JSON.parse(err.details)).toEqual({
      action_name: 'action_unknown',
      message: "No registered action found for name 'action_unknown'.",
      resource_type: 'ACTION',
    });
  });

  it('an unknown action with a 1 MiB name is NOT_FOUND with the name cut, and the channel goes on serving', async () => {
    const name = 'x'.repeat(1024 * 1024);
    const err = await failure(grpc.webhook(request(name)));
    expect(err.code).toBe(status.NOT_FOUND);
    const details = JSON.parse(err.details) as { action_name: string; message: string };
    expect(details.action_name).toBe(`${'x'.repeat(ECHO_LIMIT)}… (${name.length - ECHO_LIMIT} more characters)`);
    expect(details.message).toContain(details.action_name);
    expect(plain(await grpc.webhook(request('action_two_slots', { domain: DOMAIN_D }))).events).toHaveLength(2);
  });

  it('a rejection is INTERNAL with action_name and message (Rasa: a failed action)', async () => {
    const err = await failure(grpc.webhook(request('action_reject')));
    expect(err.code).toBe(status.INTERNAL);
    expect(JSON.parse(err.details)).toEqual({ action_name: 'action_reject', message: 'No table free.' });
    const byDefault = await failure(grpc.webhook(request('action_reject_default')));
    expect(JSON.parse(byDefault.details)).toEqual({
      action_name: 'action_reject_default',
      message: "Custom action 'action_reject_default' rejected execution.",
    });
  });

  it('a crash is UNKNOWN with the error text, secrets masked', async () => {
    const err = await failure(grpc.webhook(request('action_crash')));
    expect(err.code).toBe(status.UNKNOWN);
    expect(err.details).toBe('test exception');
    const secret = await failure(grpc.webhook(request('action_crash_secret')));
    expect(secret.details).not.toContain(CRASH_SECRET);
  });

  it('events the target Rasa would refuse are a crash, never a result Rasa would drop', async () => {
    expect((await failure(grpc.webhook(request('action_session_ended')))).details).toContain('session_ended');
    expect((await failure(grpc.webhook(request('action_bad_slot')))).details).toContain("'name'");
  });

  it('bad input: a request without a tracker is INVALID_ARGUMENT naming the field', async () => {
    const err = await failure(grpc.webhook({ next_action: 'action_set_slot', sender_id: '1' }));
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(JSON.parse(err.details)).toMatchObject({ field: 'tracker' });
  });

  it('bad input: bytes that are not a WebhookRequest are refused by grpc-js, and the server keeps serving', async () => {
    const client = new Client(`127.0.0.1:${grpc.handle.port}`, credentials.createInsecure());
    const err = await new Promise<ServiceError>((resolve) => {
      client.makeUnaryRequest(
        '/action_server_webhook.ActionService/Webhook',
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from([0xff, 0xff, 0xff]),
        (e) => resolve(e as ServiceError),
      );
    });
    client.close();
    expect(err.code).toBe(status.INTERNAL);
    expect(plain(await grpc.webhook(request('action_set_slot'))).events).toHaveLength(1);
  });
});

describe('Webhook: domain digest', () => {
  it('missing domain is NOT_FOUND with resource_type DOMAIN; the retry with it is cached under the digest', async () => {
    const first = await failure(grpc.webhook(request('action_domain', { domain_digest: 'D' })));
    expect(first.code).toBe(status.NOT_FOUND);
    expect(JSON.parse(first.details)).toMatchObject({
      action_name: 'action_domain',
      resource_type: 'DOMAIN',
      message: expect.stringMatching(/^Missing domain context/),
    });
    expect(
      plain(await grpc.webhook(request('action_domain', { domain_digest: 'D', domain: DOMAIN_D }))).events[0]?.[
        'value'
      ],
    ).toEqual(DOMAIN_D.intents);
    expect(plain(await grpc.webhook(request('action_domain', { domain_digest: 'D' }))).events[0]?.['value']).toEqual(
      DOMAIN_D.intents,
    );
    expect((await failure(grpc.webhook(request('action_domain', { domain_digest: 'E' })))).code).toBe(status.NOT_FOUND);
  });

  it("unwraps the domain's {string_value | dict_value} items back to names and mappings", async () => {
    const { events } = plain(await grpc.webhook(request('action_domain', { domain_digest: 'E', domain: DOMAIN_E })));
    expect(events[0]?.['value']).toEqual(DOMAIN_E.intents);
  });

  it('an old-Rasa request with a domain and no digest runs with it; an action that does not read the domain never gets NOT_FOUND', async () => {
    expect(
      plain(await grpc.webhook(request('action_domain', { domain: { intents: ['old'] } }))).events[0]?.['value'],
    ).toEqual(['old']);
    expect(plain(await grpc.webhook(request('action_no_domain', { domain_digest: 'F' }))).events[0]?.['value']).toBe(
      false,
    );
  });
});

describe('Actions, health, compression', () => {
  it('Actions lists every action as {name}, in registration order', async () => {
    expect(await grpc.actions()).toEqual(codeActions.map((a) => ({ name: a.name })));
  });

  it('health: "" and "ActionServer" are SERVING, an unknown service NOT_FOUND', async () => {
    expect(await grpc.check('')).toBe('SERVING');
    expect(await grpc.check('ActionServer')).toBe('SERVING');
    expect((await failure(grpc.check('Other'))).code).toBe(status.NOT_FOUND);
  });

  it("accepts gzip-compressed calls, as Rasa's channel sends them", async () => {
    const gzip = clients(`127.0.0.1:${grpc.handle.port}`, credentials.createInsecure(), {
      'grpc.default_compression_algorithm': 2,
    });
    try {
      expect(plain(await gzip.webhook(request('action_set_slot'))).events).toEqual([
        { event: 'slot', timestamp: null, name: 'test', value: 'bar' },
      ]);
    } finally {
      gzip.close();
    }
  });

  it('health turns NOT_SERVING when the server drains, and Watch is told', async () => {
    const own = await startGrpc();
    try {
      const updates: unknown[] = [];
      const watch = own.watch('ActionServer');
      const ended = drain(watch, (m) => updates.push(m['status']));
      await new Promise<void>((resolve) => watch.once('data', () => resolve()));
      own.handle.drain();
      expect(await own.check('ActionServer')).toBe('NOT_SERVING');
      await own.stop();
      await ended;
      expect(updates).toEqual(['SERVING', 'NOT_SERVING']);
    } finally {
      await own.stop();
    }
  });
});

describe('WebhookStream without progress', () => {
  it('a fast call sends no chunk, only its final_result', async () => {
    const { messages, error } = await drain(grpc.stream(request('action_two_slots')));
    expect(error).toBeNull();
    expect(messages.map((m) => m['event'])).toEqual(['final_result']);
    expect(plain(messages[0]?.['final_result'] as Record<string, unknown>).events).toHaveLength(2);
  });

  it.each([
    ['unknown action', 'action_unknown', status.NOT_FOUND, /^No registered action/],
    ['missing domain', 'action_domain', status.NOT_FOUND, /^Missing domain context/],
    ['rejection', 'action_reject', status.INTERNAL, /^No table free\.$/],
    ['crash', 'action_crash', status.INTERNAL, /^test exception$/],
  ])('%s: one error event, then the status', async (_name, action, code, message) => {
    const { messages, error } = await drain(grpc.stream(request(action, { domain_digest: 'never-sent' })));
    expect(messages).toHaveLength(1);
    expect(messages[0]?.['error']).toEqual({ action_name: action, message: expect.stringMatching(message) });
    expect(error?.code).toBe(code);
  });
});

describe('logs', () => {
  it('one line per call with the RPC, action, status name and duration; a crash at error level, secrets masked', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    const logged = await startGrpc({ logger });
    try {
      await logged.webhook(request('action_set_slot'));
      await failure(logged.webhook(request('action_crash_secret')));
      await drain(logged.stream(request('action_set_slot')));
    } finally {
      await logged.stop();
    }
    expect(lines).toMatchObject([
      {
        level: 30,
        msg: 'grpc',
        rpc: 'Webhook',
        action: 'action_set_slot',
        status: 'OK',
        durationMs: expect.any(Number),
      },
      {
        level: 50,
        msg: 'grpc',
        rpc: 'Webhook',
        action: 'action_crash_secret',
        status: 'UNKNOWN',
        code: 'SW_WEBHOOK_CRASHED',
      },
      { level: 30, msg: 'grpc', rpc: 'WebhookStream', action: 'action_set_slot', status: 'OK', chunks: 0 },
    ]);
    expect(JSON.stringify(lines)).not.toContain(CRASH_SECRET);
  });
});
