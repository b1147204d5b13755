/**
 * Every example is a valid actions file, and each of its actions
 * does what its README says when Rasa calls it. Each example runs in the
 * real slotwire server (createActionServer + listen on port 0) against the
 * real demo API (also on port 0), with Rasa-shaped webhook calls
 * (docs/protocol.md#the-request). Nothing reaches the network.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { suggestTime } from '../../examples/code-action/suggest-time.js';
import { createDemoApi } from '../../examples/demo-api/app.js';
import { listen, loadPlan } from '../../runtime/index.js';
import type { CodeAction, ServerHandle } from '../../runtime/index.js';
import { runCli } from '../cli/run-cli.js';
import { expectError, post } from '../server/helpers.js';
import { domainFromFile, rasaCall, wireDomain } from './rasa-call.js';
import type { WireDomain } from './rasa-call.js';
import { serveActions } from './serve-example.js';
import type { Served } from './serve-example.js';

const examplesDir = new URL('../../examples/', import.meta.url);
const examples = (await readdir(examplesDir, { withFileTypes: true }))
  .filter((d) => d.isDirectory() && existsSync(new URL(`${d.name}/actions.yml`, examplesDir)))
  .map((d) => d.name)
  .sort();
/** The forecast's first day, so the weather answers are the same every day. */
const TODAY = '2025-06-02';

let demo: ServerHandle;
let env: Record<string, string>;

beforeAll(async () => {
  demo = await listen(createDemoApi({ today: () => TODAY }), { port: 0, hostname: '127.0.0.1', gracePeriodMs: 500 });
  env = {
    RESTAURANT_API_URL: demo.url,
    WEATHER_API_URL: `${demo.url}/weather`,
    CRM_API_URL: `${demo.url}/crm`,
    CRM_TOKEN_URL: `${demo.url}/oauth/token`,
    EMAIL_CHECK_API_URL: `${demo.url}/email-checks`,
  };
});
afterAll(async () => {
  await demo.close();
});

/** Serves examples/<example>/actions.yml against the demo API. */
function serve(
  example: string,
  options: { codeActions?: CodeAction[]; env?: Record<string, string>; domain?: WireDomain } = {},
): Promise<Served> {
  return serveActions(fileURLToPath(new URL(`${example}/actions.yml`, examplesDir)), {
    ...options,
    env: options.env ?? env,
  });
}

describe('every example', () => {
  it('there are the six webhook examples and the MCP one', () => {
    expect(examples).toEqual(['code-action', 'crm', 'mcp-booking', 'migrating', 'restaurant', 'validation', 'weather']);
  });

  for (const example of examples) {
    it(`${example}: actions.yml has no errors and no warnings, with the defaults pointing at the demo API`, async () => {
      const { plan, diagnostics } = await loadPlan(fileURLToPath(new URL(`${example}/actions.yml`, examplesDir)), {
        env: {},
      });
      expect(diagnostics).toEqual([]);
      expect(plan).not.toBeNull();
      for (const c of plan!.connections) expect(c.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:5056(\/|$)/);
    });

    it(`${example}: passes its own slotwire test file`, async () => {
      const { code, out, err } = await runCli([
        'test',
        fileURLToPath(new URL(`${example}/actions.test.yml`, examplesDir)),
      ]);
      expect(err).toBe('');
      expect(out).toMatch(/^\d+ passed, 0 failed$/m);
      expect(code).toBe(0);
    });

    it(`${example}: has the schema header, a test file and a README`, async () => {
      const text = await readFile(new URL(`${example}/actions.yml`, examplesDir), 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schemas/actions.schema.json');
      expect(existsSync(new URL(`${example}/actions.test.yml`, examplesDir))).toBe(true);
      expect(existsSync(new URL(`${example}/README.md`, examplesDir))).toBe(true);
    });
  }

  it('the root actions.yml is the restaurant example (what npm start serves)', async () => {
    const body = (text: string): string => text.split('\n').slice(1).join('\n');
    const root = await readFile(new URL('../../actions.yml', import.meta.url), 'utf8');
    expect(root.split('\n')[0]).toBe('# yaml-language-server: $schema=./schemas/actions.schema.json');
    expect(body(root)).toBe(body(await readFile(new URL('restaurant/actions.yml', examplesDir), 'utf8')));
  });
});

describe('restaurant: the CALM fragment', () => {
  const domain = domainFromFile(new URL('restaurant/domain.yml', examplesDir));
  let app: Served;
  beforeAll(async () => {
    app = await serve('restaurant', { domain });
  });
  afterAll(() => app.close());

  it('flows.yml uses only actions, responses and slots that exist', async () => {
    const flows = await readFile(new URL('restaurant/flows.yml', examplesDir), 'utf8');
    const actions = Object.keys(
      (parse(await readFile(new URL('restaurant/actions.yml', examplesDir), 'utf8')) as { actions: object }).actions,
    );
    const used = [...flows.matchAll(/action: (\w+)/g)].map((m) => m[1]);
    for (const name of used) {
      if (name.startsWith('utter_')) expect(Object.keys(domain.responses), name).toContain(name);
      else expect(actions, name).toContain(name);
    }
    expect(domain.actions).toEqual(actions);
    for (const [, slot] of flows.matchAll(/collect: (\w+)/g)) {
      expect(Object.keys(domain.slots)).toContain(slot);
      expect(Object.keys(domain.responses), `utter_ask_${slot}`).toContain(`utter_ask_${slot}`);
    }
    for (const [, slot] of flows.matchAll(/if: slots\.(\w+)/g)) expect(Object.keys(domain.slots)).toContain(slot);
  });

  it('check_restaurant_availability: a free table', async () => {
    const { events, responses } = await app.call('check_restaurant_availability', {
      slots: { restaurant_id: 'trattoria-roma', party_size: 4, booking_time: '19:00' },
    });
    expect(events).toEqual([
      { event: 'slot', timestamp: null, name: 'has_availability', value: true },
      {
        event: 'slot',
        timestamp: null,
        name: 'available_times',
        value: ['17:30', '18:00', '18:30', '19:00', '20:00', '20:30'],
      },
      { event: 'slot', timestamp: null, name: 'has_alternatives', value: true },
      { event: 'slot', timestamp: null, name: 'lookup_status', value: 'ok' },
    ]);
    expect(responses).toEqual([]);
  });

  it('check_restaurant_availability: taken, with other times around it', async () => {
    const { slots } = await app.call('check_restaurant_availability', {
      slots: { restaurant_id: 'sakura-sushi', party_size: 4, booking_time: '19:30' },
    });
    expect(slots).toEqual({
      has_availability: false,
      available_times: ['18:00', '20:30', '21:00'],
      has_alternatives: true,
      lookup_status: 'ok',
    });
  });

  it('check_restaurant_availability: fully booked, no alternatives', async () => {
    const { slots } = await app.call('check_restaurant_availability', {
      slots: { restaurant_id: 'golden-curry', party_size: 2, booking_time: '19:00' },
    });
    expect(slots).toEqual({
      has_availability: false,
      available_times: [],
      has_alternatives: false,
      lookup_status: 'ok',
    });
  });

  it('check_restaurant_availability: an unknown restaurant is the not_found outcome', async () => {
    const { slots, responses } = await app.call('check_restaurant_availability', {
      slots: { restaurant_id: 'nowhere', party_size: 2, booking_time: '19:00' },
    });
    expect(slots).toEqual({
      has_availability: false,
      available_times: [],
      has_alternatives: false,
      lookup_status: 'not_found',
    });
    expect(responses).toEqual([]);
  });

  it('book_table: books, and a re-run of the same turn does not book twice', async () => {
    const slots = {
      restaurant_id: 'trattoria-roma',
      party_size: 4,
      booking_time: '19:00',
      guest_name: 'Ada Lovelace',
      booking_confirmed: true,
    };
    const first = await app.call('book_table', { slots, messageId: 'turn-7' });
    expect(first.slots).toEqual({ booking_reference: expect.stringMatching(/^BK-\d+$/), booking_status: 'confirmed' });
    const again = await app.call('book_table', { slots, messageId: 'turn-7' });
    expect(again.slots['booking_reference']).toBe(first.slots['booking_reference']);
    const nextTurn = await app.call('book_table', { slots, messageId: 'turn-8' });
    expect(nextTurn.slots['booking_reference']).not.toBe(first.slots['booking_reference']);
  });

  it('book_table: a full seating is the slot_taken outcome', async () => {
    const { slots } = await app.call('book_table', {
      slots: { restaurant_id: 'sakura-sushi', party_size: 4, booking_time: '19:00', guest_name: 'Grace' },
    });
    expect(slots).toEqual({ booking_reference: null, booking_status: 'slot_taken' });
  });

  it('book_table: a booking without a name is the invalid outcome', async () => {
    const { slots } = await app.call('book_table', {
      slots: { restaurant_id: 'trattoria-roma', party_size: 2, booking_time: '18:00' },
    });
    expect(slots).toEqual({ booking_reference: null, booking_status: 'invalid' });
  });

  it('a wrong token is the rejected outcome, not a crash', async () => {
    const wrong = await serve('restaurant', { env: { ...env, RESTAURANT_API_TOKEN: 'not-the-token' }, domain });
    try {
      const { slots } = await wrong.call('check_restaurant_availability', {
        slots: { restaurant_id: 'trattoria-roma', party_size: 2, booking_time: '19:00' },
      });
      expect(slots['lookup_status']).toBe('rejected');
    } finally {
      await wrong.close();
    }
  });
});

describe('weather', () => {
  const domain = wireDomain({
    city: 'text',
    city_id: 'text',
    units: { type: 'categorical', values: ['metric', 'imperial'] },
    city_match_count: 'float',
    forecast_city: 'text',
    forecast_summary: 'text',
    rain_expected: 'bool',
    weather_status: 'text',
  });
  let app: Served;
  beforeAll(async () => {
    app = await serve('weather', { domain });
  });
  afterAll(() => app.close());

  it('search_city: one match sets city_id and says nothing', async () => {
    const { slots, responses } = await app.call('search_city', { slots: { city: 'Lisbon' } });
    expect(slots).toEqual({ city_match_count: 1, city_id: 'lisbon-pt' });
    expect(responses).toEqual([]);
  });

  it('search_city: an ambiguous name becomes buttons', async () => {
    const { slots, responses } = await app.call('search_city', { slots: { city: 'Springfield' } });
    expect(slots).toEqual({ city_match_count: 3, city_id: null });
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({
      text: 'There are 3 places called Springfield. Which one?',
      buttons: [
        { title: 'Springfield, Illinois (US)', payload: '/SetSlots(city_id=springfield-il-us)' },
        { title: 'Springfield, Massachusetts (US)', payload: '/SetSlots(city_id=springfield-ma-us)' },
        { title: 'Springfield, Missouri (US)', payload: '/SetSlots(city_id=springfield-mo-us)' },
      ],
    });
  });

  it('get_forecast: the domain response gets its variables from the API', async () => {
    const api = (await (
      await fetch(`${demo.url}/weather/forecast?city=berlin-de&days=3&appid=demo-weather-key`)
    ).json()) as { days: { summary: string; temp_min: number; temp_max: number; precipitation_probability: number }[] };
    const { slots, responses } = await app.call('get_forecast', { slots: { city: 'Berlin', city_id: 'berlin-de' } });
    const today = api.days[0];
    expect(slots).toEqual({
      forecast_city: 'Berlin',
      forecast_summary: today.summary,
      rain_expected: today.precipitation_probability >= 50,
      weather_status: 'ok',
    });
    expect(responses[0]).toMatchObject({
      response: 'utter_forecast',
      template: 'utter_forecast',
      text: null,
      city: 'Berlin',
      summary: today.summary.toLowerCase(),
      low: today.temp_min,
      high: today.temp_max,
      unit: 'C',
    });
    expect(responses[1]?.['text']).toMatch(/^Next days: Tuesday .+, Wednesday .+\.$/);
  });

  it('get_forecast: imperial units when the user prefers them', async () => {
    const { responses } = await app.call('get_forecast', { slots: { city: 'Lisbon', units: 'imperial' } });
    expect(responses[0]).toMatchObject({ response: 'utter_forecast', city: 'Lisbon', unit: 'F' });
  });

  it('get_forecast: an ambiguous city offers the candidates of the 409', async () => {
    const { slots, responses } = await app.call('get_forecast', { slots: { city: 'Springfield' } });
    expect(slots).toEqual({ weather_status: 'ambiguous' });
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({
      text: 'Which Springfield do you mean?',
      buttons: [{ payload: '/SetSlots(city_id=springfield-il-us)' }, {}, {}],
    });
  });

  it('get_forecast: an unknown city is said so', async () => {
    const { slots, responses } = await app.call('get_forecast', { slots: { city: 'Atlantis' } });
    expect(slots).toEqual({ weather_status: 'not_found' });
    expect(responses.map((r) => r['text'])).toEqual(["I don't know a place called Atlantis."]);
  });
});

describe('crm: OAuth2, two steps, a parallel group', () => {
  const domain = wireDomain({
    email: 'text',
    customer_id: 'text',
    customer_name: 'text',
    customer_tier: 'text',
    order_count: 'float',
    open_tickets: 'float',
    open_ticket_subjects: 'list',
    latest_order_number: 'text',
    latest_order_status: 'text',
    lookup_status: {
      type: 'categorical',
      values: ['ok', 'not_found', 'rejected', 'unavailable', 'timeout', 'network', 'bad_request', 'other'],
    },
  });
  let app: Served;
  beforeAll(async () => {
    app = await serve('crm', { domain });
  });
  afterAll(() => app.close());

  it('show_customer_orders: step two uses the id of step one, leading zeros intact', async () => {
    const { slots } = await app.call('show_customer_orders', { slots: { email: 'ada@example.com' } });
    expect(slots).toEqual({
      customer_id: '000417',
      customer_name: 'Ada Lovelace',
      order_count: 3,
      latest_order_number: 'SO-2025-10234',
      latest_order_status: 'shipped',
      lookup_status: 'ok',
    });
  });

  it('show_customer_orders: an unknown email is not_found, and step two is skipped', async () => {
    const { slots } = await app.call('show_customer_orders', { slots: { email: 'nobody@example.com' } });
    expect(slots).toEqual({
      customer_id: null,
      customer_name: null,
      order_count: null,
      latest_order_number: null,
      latest_order_status: null,
      lookup_status: 'not_found',
    });
  });

  it('customer_overview: orders and open tickets after the customer', async () => {
    const { slots } = await app.call('customer_overview', { slots: { email: 'ada@example.com' } });
    expect(slots).toEqual({
      customer_id: '000417',
      customer_tier: 'gold',
      order_count: 3,
      open_tickets: 1,
      open_ticket_subjects: ['Keyboard arrived without keycap puller'],
      lookup_status: 'ok',
    });
  });

  it('a wrong client secret is an outcome, not a crash', async () => {
    const wrong = await serve('crm', { env: { ...env, CRM_CLIENT_SECRET: 'wrong' }, domain });
    try {
      const { slots } = await wrong.call('show_customer_orders', { slots: { email: 'ada@example.com' } });
      expect(slots['lookup_status']).toBe('rejected');
    } finally {
      await wrong.close();
    }
  });
});

describe('validation: validate_<slot> for CALM collect steps', () => {
  const domain = wireDomain({ email: 'text', email_rejection: 'text', party_size: 'float' });
  let app: Served;
  beforeAll(async () => {
    app = await serve('validation', { domain });
  });
  afterAll(() => app.close());

  it('validate_email: before the question the slot is empty and nothing happens', async () => {
    const answer = await app.call('validate_email', { slots: { email: null }, collecting: 'email' });
    expect(answer.events).toEqual([]);
    expect(answer.responses).toEqual([]);
  });

  it('validate_email: a deliverable address is kept, lower-cased', async () => {
    const { events } = await app.call('validate_email', {
      slots: { email: 'Ada@Example.com' },
      collecting: 'email',
      text: 'it is Ada@Example.com',
    });
    expect(events).toEqual([{ event: 'slot', timestamp: null, name: 'email', value: 'ada@example.com' }]);
  });

  it('validate_email: a typo is rejected with a one-tap fix', async () => {
    const { slots, responses } = await app.call('validate_email', {
      slots: { email: 'ada@gmial.com' },
      collecting: 'email',
    });
    expect(slots).toEqual({ email: null, email_rejection: 'domain_typo' });
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({
      text: 'Did you mean ada@gmail.com?',
      buttons: [{ title: 'ada@gmail.com', payload: '/SetSlots(email=ada@gmail.com)' }],
    });
  });

  it('validate_email: not an address at all', async () => {
    const { slots, responses } = await app.call('validate_email', {
      slots: { email: 'ada at home' },
      collecting: 'email',
    });
    expect(slots).toEqual({ email: null, email_rejection: 'invalid_syntax' });
    expect(responses.map((r) => r['text'])).toEqual([
      '"ada at home" doesn\'t look like an email address. Could you type it again?',
    ]);
  });

  it('validate_party_size: accepted without an API', async () => {
    const { events } = await app.call('validate_party_size', { slots: { party_size: 4 }, collecting: 'party_size' });
    expect(events).toEqual([{ event: 'slot', timestamp: null, name: 'party_size', value: 4 }]);
  });

  it('validate_party_size: too many people is rejected with a message', async () => {
    const { slots, responses } = await app.call('validate_party_size', {
      slots: { party_size: 20 },
      collecting: 'party_size',
    });
    expect(slots).toEqual({ party_size: null });
    expect(responses.map((r) => r['text'])).toEqual(['We take parties of 1 to 12. For more, please call us.']);
  });
});

describe('code-action: TypeScript and YAML actions in one server', () => {
  const domain = wireDomain({
    restaurant_id: 'text',
    party_size: 'float',
    booking_time: 'text',
    has_availability: 'bool',
    available_times: 'list',
    lookup_status: 'text',
    suggested_time: 'text',
  });
  let app: Served;
  beforeAll(async () => {
    app = await serve('code-action', { codeActions: [suggestTime], domain });
  });
  afterAll(() => app.close());

  it('GET /actions lists the YAML action, then the code action', async () => {
    const res = await fetch(`${app.handle.url}/actions`);
    expect(await res.json()).toEqual([
      { name: 'check_restaurant_availability', description: 'Is there a table for the party at the requested time?' },
      { name: 'action_suggest_time' },
    ]);
  });

  it('the YAML action finds the free times, the code action suggests the closest', async () => {
    const request = { restaurant_id: 'sakura-sushi', party_size: 4, booking_time: '19:30' };
    const checked = await app.call('check_restaurant_availability', { slots: request });
    expect(checked.slots).toEqual({
      has_availability: false,
      available_times: ['18:00', '20:30', '21:00'],
      lookup_status: 'ok',
    });
    const { events, responses } = await app.call('action_suggest_time', { slots: { ...request, ...checked.slots } });
    expect(events).toEqual([{ event: 'slot', timestamp: null, name: 'suggested_time', value: '20:30' }]);
    expect(responses).toEqual([
      {
        text: null,
        elements: [],
        custom: {},
        image: null,
        attachment: null,
        response: 'utter_suggest_time',
        template: 'utter_suggest_time',
        time: '20:30',
        buttons: [
          { title: '20:30', payload: '/SetSlots(booking_time=20:30)' },
          { title: '18:00', payload: '/SetSlots(booking_time=18:00)' },
          { title: '21:00', payload: '/SetSlots(booking_time=21:00)' },
        ],
      },
    ]);
  });

  it('the code action rejects without a booking time (400, Rasa predicts another action)', async () => {
    const body = await expectError(
      await post(app.handle.url, rasaCall('action_suggest_time', { domain, slots: { available_times: ['20:30'] } })),
      400,
    );
    expect(body).toEqual({ error: 'No booking time to compare with yet.', action_name: 'action_suggest_time' });
  });

  it('a code action named like a YAML action is a start-up error', async () => {
    const clash: CodeAction = { name: 'check_restaurant_availability', run: () => [] };
    await expect(serve('code-action', { codeActions: [clash] })).rejects.toMatchObject({
      code: 'SW_ACTION_NAME_CLASH',
    });
  });
});
