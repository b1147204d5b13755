// Black-box walk of the action-server protocol (docs/protocol.md): what
// rasa-sdk's endpoint answers, what its own endpoint tests send, and what
// Rasa needs of every answer, against the real server on a loopback port.
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_LIMIT } from '../../runtime/errors/index.js';
import type { ServerHandle } from '../../runtime/server/index.js';
import { codeActions, CRASH_SECRET } from './fixture-actions.js';
import { call, expectError, expectOk, post, startServer } from './helpers.js';

let server: ServerHandle;
let url: string;

beforeAll(async () => {
  server = await startServer();
  url = server.url;
});
afterAll(() => server.close());

const SLOT_TEST_BAR = [{ event: 'slot', timestamp: null, name: 'test', value: 'bar' }];
const DOMAIN_D = { intents: ['greet', 'goodbye'] };
const DOMAIN_E = { intents: ['greet', 'goodbye', 'book_table'] };

describe('HTTP surface', () => {
  it('GET /health answers exactly {"status":"ok"} as JSON', async () => {
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /actions lists every action as {name}, in registration order', async () => {
    const response = await fetch(`${url}/actions`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(codeActions.map((a) => ({ name: a.name })));
  });

  it("parses JSON without a Content-Type (as rasa-sdk's tests post it) and with a wrong one", async () => {
    expect((await expectOk(await post(url, call('action_set_slot', { domain: {} })))).events).toEqual(SLOT_TEST_BAR);
    const asText = await fetch(`${url}/webhook`, {
      method: 'POST',
      body: JSON.stringify(call('action_set_slot', { domain: {} })),
    });
    expect((await expectOk(asText)).events).toEqual(SLOT_TEST_BAR);
  });

  it('routes /webhook?token=abc&x=y to the webhook', async () => {
    const body = await expectOk(await post(url, call('action_set_slot'), {}, '/webhook?token=abc&x=y'));
    expect(body.events).toEqual(SLOT_TEST_BAR);
  });

  const json = Buffer.from(JSON.stringify(call('action_set_slot', { domain: DOMAIN_D })));
  it.each([
    ['zlib deflate', deflateSync(json), 'deflate'],
    ['raw deflate', deflateRawSync(json), 'deflate'],
    ['gzip', gzipSync(json), 'gzip'],
    ['x-gzip', gzipSync(json), 'x-gzip'],
    ['upper-case DEFLATE', deflateSync(json), 'DEFLATE'],
  ])('decodes a %s body', async (_name, body, encoding) => {
    const response = await post(url, body, { 'content-type': 'application/json', 'content-encoding': encoding });
    expect((await expectOk(response)).events).toEqual(SLOT_TEST_BAR);
  });

  it('decodes a chunked deflate body without Content-Length, as Rasa sends it', async () => {
    const compressed = deflateSync(json);
    const chunks = [compressed.subarray(0, 10), compressed.subarray(10, 30), compressed.subarray(30)];
    const response = await fetch(`${url}/webhook`, {
      method: 'POST',
      body: Readable.toWeb(Readable.from(chunks)) as ReadableStream,
      headers: { 'content-type': 'application/json', 'content-encoding': 'deflate' },
      duplex: 'half',
    });
    expect((await expectOk(response)).events).toEqual(SLOT_TEST_BAR);
  });

  it('answers 415 to an encoding it cannot decode', async () => {
    await expectError(await post(url, json, { 'content-encoding': 'br' }), 415);
  });

  it('ignores unknown top-level and tracker fields', async () => {
    const body = call('action_set_slot', {
      surprise: 1,
      tracker: { sender_id: '1', future_field: { x: 1 }, slots: {} },
    });
    expect((await expectOk(await post(url, body))).events).toEqual(SLOT_TEST_BAR);
  });

  it('accepts Basic auth, custom and trace-context headers when no auth is configured', async () => {
    const headers = {
      authorization: `Basic ${Buffer.from('rasa:pw').toString('base64')}`,
      'x-custom': 'yes',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'rasa=1',
    };
    expect((await expectOk(await post(url, call('action_set_slot'), headers))).events).toEqual(SLOT_TEST_BAR);
  });
});

describe('success path', () => {
  it('a known action with a domain returns events and responses arrays', async () => {
    const body = await expectOk(await post(url, call('action_two_slots', { domain: DOMAIN_D })));
    expect(body).toEqual({
      events: [
        { event: 'slot', timestamp: null, name: 'a', value: 1 },
        { event: 'slot', timestamp: null, name: 'b', value: 2 },
      ],
      responses: [],
    });
  });

  it('a type the classic target refuses is a 500 naming it, never a 200 Rasa would discard', async () => {
    const body = await expectError(await post(url, call('action_session_ended')), 500);
    expect(body.error).toContain('session_ended');
    expect(body.request_body).toEqual(call('action_session_ended'));
  });

  it('a slot event with a non-string name is refused', async () => {
    expect((await expectError(await post(url, call('action_bad_slot')), 500)).error).toContain("'name'");
  });

  it('messages carry the eight keys, template = response, variables at top level', async () => {
    const { responses } = await expectOk(await post(url, call('action_utter')));
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
    expect(responses[1]).toMatchObject({
      text: 'Pick one',
      buttons: [{ title: 'Yes', payload: '/affirm' }],
      template: null,
      response: null,
    });
  });

  it.each([
    ['missing', {}],
    ['empty', { next_action: '' }],
    ['null', { next_action: null }],
  ])('%s next_action → 200 null', async (_name, extra) => {
    const { next_action: _drop, ...rest } = call('x');
    const response = await post(url, { ...rest, ...extra });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.text()).toBe('null');
  });

  it('a tracker without stack gives [], a CALM stack is passed verbatim', async () => {
    expect((await expectOk(await post(url, call('action_echo_stack')))).events[0]?.value).toEqual([]);
    const stack = [
      {
        frame_id: 'CP6JP9GQ',
        flow_id: 'check_balance',
        step_id: '0_check_balance',
        frame_type: 'regular',
        type: 'flow',
      },
    ];
    const tracker = {
      sender_id: '1',
      stack,
      slots: {},
      latest_message: null,
      active_form: { name: 'old' },
      events: [{ event: 'some_future_event' }, { event: 'user', text: 'hi' }],
    };
    expect((await expectOk(await post(url, call('action_echo_stack', { tracker })))).events[0]?.value).toEqual(stack);
  });
});

describe('errors', () => {
  it('an unknown action is a 404 before the domain check (digest, no domain)', async () => {
    const body = await expectError(await post(url, call('action_unknown', { domain_digest: 'zzz' })), 404);
    expect(body).toEqual({
      error: "No registered action found for name 'action_unknown'.",
      action_name: 'action_unknown',
    });
  });

  it('an unknown action with a 1 MiB name is a 404 that repeats the name cut', async () => {
    const name = 'x'.repeat(1024 * 1024);
    const body = await expectError(await post(url, call(name)), 404);
    const shown = `${'x'.repeat(ECHO_LIMIT)}… (${name.length - ECHO_LIMIT} more characters)`;
    expect(body).toEqual({ error: `No registered action found for name '${shown}'.`, action_name: shown });
  });

  it('a rejection is a 400 with error and action_name, default text per rasa-sdk', async () => {
    expect(await expectError(await post(url, call('action_reject')), 400)).toEqual({
      error: 'No table free.',
      action_name: 'action_reject',
    });
    expect(await expectError(await post(url, call('action_reject_default')), 400)).toEqual({
      error: "Custom action 'action_reject_default' rejected execution.",
      action_name: 'action_reject_default',
    });
  });

  it('a crash is a 500 with the error text and the exact request JSON', async () => {
    const sent = call('action_crash', { domain: { intents: ['greet'] } });
    expect(await expectError(await post(url, sent), 500)).toEqual({ error: 'test exception', request_body: sent });
  });

  it('a crash of a deflated request is still a 500 with the decoded request', async () => {
    const sent = call('action_crash');
    const body = await expectError(
      await post(url, deflateSync(JSON.stringify(sent)), { 'content-encoding': 'deflate' }),
      500,
    );
    expect(body.request_body).toEqual(sent);
  });

  it('secrets in an error message are masked', async () => {
    const body = await expectError(await post(url, call('action_crash_secret')), 500);
    expect(JSON.stringify(body)).not.toContain(CRASH_SECRET);
    expect(body.error).toContain('failed');
  });

  it("a call without a tracker is the caller's 400 naming it, not rasa-sdk's 500", async () => {
    const { tracker: _drop, ...sent } = call('action_set_slot');
    const body = await expectError(await post(url, sent), 400);
    expect(body).toMatchObject({ field: 'tracker' });
    expect(body).not.toHaveProperty('action_name');
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['null', Buffer.from('null')],
  ])('%s body → 400 Invalid body request', async (_name, body) => {
    expect(await expectError(await post(url, body), 400)).toEqual({ error: 'Invalid body request' });
  });

  it('malformed JSON → 400 with a JSON body', async () => {
    expect(
      (await expectError(await post(url, Buffer.from('{"next_action": '), { 'content-type': 'application/json' }), 400))
        .error,
    ).toEqual(expect.any(String));
  });

  it('an unknown path and a wrong method get JSON errors', async () => {
    await expectError(await fetch(`${url}/nope`), 404);
    await expectError(await fetch(`${url}/webhook`), 405);
  });
});

describe('domain digest', () => {
  it('the full 449 round trip, with a digest change', async () => {
    const first = await expectError(await post(url, call('action_domain', { domain_digest: 'D' })), 449);
    expect(first).toMatchObject({
      action_name: 'action_domain',
      error: expect.stringMatching(/^Missing domain context/),
    });
    const retry = await expectOk(await post(url, call('action_domain', { domain_digest: 'D', domain: DOMAIN_D })));
    expect(retry.events[0]?.value).toEqual(DOMAIN_D.intents);
    const cached = await expectOk(await post(url, call('action_domain', { domain_digest: 'D' })));
    expect(cached.events[0]?.value).toEqual(DOMAIN_D.intents);
    await expectError(await post(url, call('action_domain', { domain_digest: 'E' })), 449);
    const changed = await expectOk(await post(url, call('action_domain', { domain_digest: 'E', domain: DOMAIN_E })));
    expect(changed.events[0]?.value).toEqual(DOMAIN_E.intents);
    const cachedE = await expectOk(await post(url, call('action_domain', { domain_digest: 'E' })));
    expect(cachedE.events[0]?.value).toEqual(DOMAIN_E.intents);
  });

  it('nothing cached and neither domain nor digest → 449', async () => {
    await expectError(await post(url, call('action_domain')), 449);
  });

  it('an old-Rasa request with a domain and no digest runs with that domain', async () => {
    const body = await expectOk(await post(url, call('action_domain', { domain: { intents: ['old'] } })));
    expect(body.events[0]?.value).toEqual(['old']);
  });

  it('rasa-sdk edge: "domain": {} is present, so no 449', async () => {
    await expectOk(await post(url, call('action_domain', { domain: {}, domain_digest: 'never-seen' })));
  });

  it('an action that does not read the domain never gets 449 and runs with null', async () => {
    const withDigest = await expectOk(await post(url, call('action_no_domain', { domain_digest: 'F' })));
    expect(withDigest.events[0]?.value).toBe(false);
    const bare = await expectOk(await post(url, call('action_no_domain')));
    expect(bare.events[0]?.value).toBe(false);
    const sent = await expectOk(await post(url, call('action_no_domain', { domain: DOMAIN_D })));
    expect(sent.events[0]?.value).toBe(true);
  });
});

describe('validation, forms, CALM', () => {
  const slotEvent = (name: string, value: unknown): Record<string, unknown> => ({
    event: 'slot',
    timestamp: 1.5,
    name,
    value,
  });
  const tracker = (events: unknown[], slots: Record<string, unknown> = {}): Record<string, unknown> => ({
    sender_id: '1',
    slots,
    events,
  });

  it('action_validate_slot_mappings rejects a candidate with slot=null and leaves others out', async () => {
    const events = [
      { event: 'action', name: 'action_listen' },
      { event: 'user', text: 'Atlantis' },
      slotEvent('city', 'Atlantis'),
      slotEvent('date', 'today'),
    ];
    const body = await expectOk(await post(url, call('action_validate_slot_mappings', { tracker: tracker(events) })));
    expect(body.events).toEqual([{ event: 'slot', timestamp: null, name: 'city', value: null }]);
    expect(body.responses[0]?.response).toBe('utter_no_such_city');
  });

  it("validate_<form> only considers the form's required slots", async () => {
    const domain = { forms: { restaurant_form: { required_slots: ['cuisine', 'party_size'] } } };
    const events = [
      { event: 'action', name: 'restaurant_form' },
      slotEvent('cuisine', 'ITALIAN'),
      slotEvent('unrelated', 'x'),
    ];
    const body = await expectOk(
      await post(url, call('validate_restaurant_form', { tracker: tracker(events), domain })),
    );
    expect(body.events).toEqual([{ event: 'slot', timestamp: null, name: 'cuisine', value: 'italian' }]);
  });

  it('validate_<slot> does nothing while the slot is null, rejects or normalises after', async () => {
    const stack = [
      {
        frame_id: 'X',
        flow_id: 'pattern_collect_information',
        step_id: 'start',
        type: 'pattern_collect_information',
        collect: 'party_size',
      },
    ];
    const run = (value: unknown): Promise<Response> =>
      post(url, call('validate_party_size', { tracker: { sender_id: '1', slots: { party_size: value }, stack } }));
    expect(await expectOk(await run(null))).toEqual({ events: [], responses: [] });
    const rejected = await expectOk(await run('forty'));
    expect(rejected.events).toEqual([{ event: 'slot', timestamp: null, name: 'party_size', value: null }]);
    expect(rejected.responses[0]?.response).toBe('utter_invalid_party_size');
    expect((await expectOk(await run('4'))).events).toEqual([
      { event: 'slot', timestamp: null, name: 'party_size', value: 4 },
    ]);
  });

  it('action_ask_<slot> returns messages only', async () => {
    const body = await expectOk(await post(url, call('action_ask_party_size')));
    expect(body.events).toEqual([]);
    expect(body.responses[0]).toMatchObject({ text: 'For how many?' });
  });

  it('slot values keep their JSON types', async () => {
    const values = (await expectOk(await post(url, call('action_typed_slots')))).events.map((e) => e.value);
    expect(values).toEqual([true, 4.5, ['18:00'], 'italian']);
  });
});

describe('transport robustness', () => {
  it('answers quickly on a new TCP connection per request', async () => {
    const body = JSON.stringify(call('action_set_slot'));
    for (let i = 0; i < 20; i += 1) {
      const started = performance.now();
      const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        // agent: false opens a fresh connection each time, as Rasa's aiohttp session per call does.
        const req = httpRequest(
          `${url}/webhook`,
          { method: 'POST', agent: false, headers: { 'content-length': Buffer.byteLength(body), connection: 'close' } },
          (res) => {
            let data = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              data += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text: data }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      expect(status).toBe(200);
      expect(JSON.parse(text).events).toEqual(SLOT_TEST_BAR);
      expect(performance.now() - started).toBeLessThan(2_000);
    }
  });

  it('HEAD and GET of /health are JSON; every 2xx above was checked for a JSON content type', async () => {
    const response = await fetch(`${url}/health`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
