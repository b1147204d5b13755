import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';
import { runCli } from './run-cli.js';

let dir: string;
let api: TestServer;

beforeAll(async () => {
  api = await startServer((req, res) => {
    if (req.url?.startsWith('/orders/')) json(res, 200, { status: 'shipped', id: req.url.split('/')[2] });
    else if (req.url?.startsWith('/cards/'))
      json(res, 200, { card: decodeURIComponent(req.url.split('/')[2]?.split('?')[0] ?? ''), ok: 'maybe' });
    else json(res, 201, { reference: 'B-1' });
  });
  dir = await mkdtemp(join(tmpdir(), 'slotwire-run-'));
  await writeFile(
    join(dir, 'actions.yml'),
    `version: 1
connections:
  api:
    base_url: \${API_URL}
    auth: { type: bearer, token: "\${API_TOKEN}" }
actions:
  check_order:
    request: { connection: api, path: "/orders/{{ slots.order_id }}" }
    slots: { order_status: "{{ response.body.status }}" }
  place_order:
    request: { connection: api, method: POST, path: /orders, body: { id: "{{ slots.order_id }}" } }
    slots: { reference: "{{ response.body.reference }}" }
  check_then_place:
    steps:
      - name: check
        request: { connection: api, path: "/orders/{{ slots.order_id }}" }
      - name: place
        request: { connection: api, method: POST, path: /orders, body: { id: "{{ slots.order_id }}" } }
    slots: { reference: "{{ steps.place.body.reference }}" }
  book:
    request: { connection: api, method: POST, path: /bookings, idempotency_key: true, headers: { x-client: cli }, body: { who: "{{ slots.name }}" } }
    slots: { reference: "{{ response.body.reference }}" }
  check_card:
    sensitive: [card_number]
    request:
      connection: api
      path: "/cards/{{ slots.card_number }}"
      query: { again: "{{ slots.card_number }}" }
      headers: { x-card: "{{ slots.card_number }}" }
    slots:
      card_number: "{{ response.body.card }}"
      card_ok: "{{ response.body.ok }}"
`,
  );
  await writeFile(join(dir, 'domain.yml'), 'slots:\n  card_ok:\n    type: bool\n');
  await writeFile(join(dir, 'fixtures.yml'), '- path: /orders/42\n  reply: { json: { status: lost } }\n');
});

afterAll(async () => {
  await api.close();
});

const env = () => ({ API_URL: api.origin, API_TOKEN: 'very-secret-token' });

describe('slotwire run', () => {
  it('calls the live API and prints the exchange and the events, never the token', async () => {
    const r = await runCli(
      ['run', 'check_order', '--actions', join(dir, 'actions.yml'), '--slot', 'order_id="007"'],
      env(),
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain(`→ GET ${api.origin}/orders/007`);
    expect(r.out).toMatch(/← 200 in \d+ ms \(1 attempt\)/);
    expect(r.out).toContain('slot order_status = "shipped"');
    expect(r.out).not.toContain('very-secret-token');
    expect(api.seen.at(-1)?.headers.authorization).toBe('Bearer very-secret-token');
  });

  it('does not send a POST to the live API without --yes', async () => {
    const before = api.seen.length;
    const r = await runCli(
      ['run', 'place_order', '--actions', join(dir, 'actions.yml'), '--slot', 'order_id=1'],
      env(),
    );
    // Held: the call marked, the reason said once, and an exit code that is neither done nor failed.
    expect(r.code).toBe(3);
    expect(r.out.split('\n')).toContain('← held back');
    expect(r.out.trimEnd().split('\n').at(-1)).toBe(
      'nothing was sent: POST changes data: add --yes to send it; no slots or responses were computed',
    );
    expect(r.out.match(/add --yes|changes data/g)).toEqual(['changes data', 'add --yes']);
    expect(r.out).not.toContain('error:');
    expect(api.seen.length).toBe(before);
    const sent = await runCli(
      ['run', 'place_order', '--actions', join(dir, 'actions.yml'), '--slot', 'order_id=1', '--yes'],
      env(),
    );
    expect(sent.code).toBe(0);
    expect(sent.out).toContain('slot reference = "B-1"');
    expect(api.seen.length).toBe(before + 1);
  });

  it('says where it stopped when a call was sent before the held one, still exit 3', async () => {
    const before = api.seen.length;
    const r = await runCli(
      ['run', 'check_then_place', '--actions', join(dir, 'actions.yml'), '--slot', 'order_id=8'],
      env(),
    );
    expect(r.code).toBe(3);
    expect(api.seen.slice(before).map((s) => s.method)).toEqual(['GET']);
    expect(r.out).toMatch(/← 200 in \d+ ms/);
    expect(r.out.trimEnd().split('\n').at(-1)).toBe(
      'stopped at a held call: POST changes data: add --yes to send it; no slots or responses were computed',
    );
  });

  it('prints the request and sends nothing with --dry-run', async () => {
    const before = api.seen.length;
    const r = await runCli(
      ['run', 'check_order', '--actions', join(dir, 'actions.yml'), '--slot', 'order_id=5', '--dry-run'],
      env(),
    );
    expect(r.code).toBe(3);
    expect(r.out).toContain(`→ GET ${api.origin}/orders/5`);
    // Held on purpose: said once, plainly, and no on_error outcome presented as if the call had failed.
    expect(r.out.trimEnd().split('\n').slice(-3)).toEqual([
      '← held back',
      '',
      'nothing was sent: dry run; no slots or responses were computed',
    ]);
    expect(r.out).not.toContain('events:');
    expect(api.seen.length).toBe(before);
  });

  it('answers from a fixtures file instead of the network', async () => {
    const before = api.seen.length;
    const r = await runCli(
      [
        'run',
        'check_order',
        '--actions',
        join(dir, 'actions.yml'),
        '--slot',
        'order_id=42',
        '--fixtures',
        join(dir, 'fixtures.yml'),
      ],
      env(),
    );
    expect(r.out).toContain('slot order_status = "lost"');
    expect(api.seen.length).toBe(before);
  });

  it('suggests the closest action name for a typo', async () => {
    const r = await runCli(['run', 'check_ordr', '--actions', join(dir, 'actions.yml')], env());
    expect(r.code).toBe(1);
    expect(r.err).toContain('did you mean "check_order"?');
  });

  it('makes each run a new turn: two runs send two Idempotency-Keys, --message-id repeats one', async () => {
    const keys = async (...extra: string[]): Promise<unknown> => {
      await runCli(
        ['run', 'book', '--actions', join(dir, 'actions.yml'), '--slot', 'name=Ann', '--yes', ...extra],
        env(),
      );
      return api.seen.at(-1)?.headers['idempotency-key'];
    };
    const first = await keys();
    const second = await keys();
    expect(first).toEqual(expect.any(String));
    expect(second).not.toBe(first);
    expect(await keys('--message-id', 'turn-1')).toBe(await keys('--message-id', 'turn-1'));
  });

  it('shows a held call as it would be sent: method, full URL, headers with secrets masked, body (item 12)', async () => {
    const r = await runCli(
      ['run', 'book', '--actions', join(dir, 'actions.yml'), '--slot', 'name=Ann', '--message-id', 'm-1'],
      env(),
    );
    expect(r.code).toBe(3);
    const lines = r.out.split('\n');
    expect(lines).toContain(`→ POST ${api.origin}/bookings`);
    expect(lines).toContain('  authorization: Bearer ***');
    expect(lines).toContain('  x-client: cli');
    expect(lines).toContain('  content-type: application/json');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}idempotency-key: \S+$/));
    expect(lines).toContain('  body: {"who":"Ann"}');
    expect(r.out).toContain('nothing was sent');
    expect(r.out).not.toContain('very-secret-token');
  });

  it("masks a sensitive slot's value in the path, query, headers, body and response (item 11)", async () => {
    const r = await runCli(
      ['run', 'check_card', '--actions', join(dir, 'actions.yml'), '--slot', 'card_number="4111 1111"'],
      env(),
    );
    expect(r.code).toBe(0);
    expect(api.seen.at(-1)?.url).toContain('4111%201111');
    expect(r.out).not.toMatch(/4111/);
    expect(r.out).toContain(`→ GET ${api.origin}/cards/***?again=***`);
    expect(r.out).toContain('  x-card: ***');
    expect(r.out).toContain('slot card_number = ***');
  });

  it('shows a slot value set to null for its domain type, with the reason (item 16)', async () => {
    const r = await runCli(
      [
        'run',
        'check_card',
        '--actions',
        join(dir, 'actions.yml'),
        '--slot',
        'card_number=1',
        '--domain',
        join(dir, 'domain.yml'),
      ],
      env(),
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('slot card_ok = null');
    // A one-character sensitive value is masked where it stands alone, never inside the host or port.
    expect(r.out).toContain(`→ GET ${api.origin}/cards/***?again=***`);
    expect(r.out).toMatch(/warning: slot card_ok set to null: "maybe" is not a boolean/);
  });
});

describe('slotwire run on a file of three APIs', () => {
  let file: string;

  beforeAll(async () => {
    file = join(dir, 'three-apis.yml');
    await writeFile(
      file,
      `version: 1
connections:
  crm:
    base_url: \${CRM_URL}
    headers: { X-Custom-Auth: "\${CRM_KEY}" }
  billing:
    base_url: https://billing.example.com
    auth:
      type: oauth2_client_credentials
      token_url: \${BILLING_TOKEN_URL}
      client_id: bot
      client_secret: "\${BILLING_SECRET}"
  weather:
    base_url: \${WEATHER_URL}
    auth: { type: bearer, token: "\${WEATHER_TOKEN}" }
    tls: { ca: "\${WEATHER_CA}" }
actions:
  find_customer:
    request: { connection: crm, path: /orders/7 }
    slots: { found: "{{ response.body.status }}" }
  invoice:
    steps:
      - name: customer
        request: { connection: crm, path: /orders/7 }
      - name: bill
        request: { connection: billing, method: POST, path: /bills }
    slots: { billed: "{{ steps.bill.body.ok }}" }
  forecast:
    request: { connection: weather, path: /forecast }
    slots: { sky: "{{ response.body.sky }}" }
`,
    );
  });

  const crmOnly = () => ({ CRM_URL: api.origin, CRM_KEY: 'crm-key-123' });

  it("runs an action, live and dry, with only its connection's variables set", async () => {
    const dry = await runCli(['run', 'find_customer', '--actions', file, '--dry-run'], crmOnly());
    expect(dry.err).toBe('');
    expect(dry.code).toBe(3);
    expect(dry.out).toContain(`→ GET ${api.origin}/orders/7`);
    const live = await runCli(['run', 'find_customer', '--actions', file], crmOnly());
    expect(live.err).toBe('');
    expect(live.code).toBe(0);
    expect(live.out).toContain('slot found = "shipped"');
    expect(api.seen.at(-1)?.headers['x-custom-auth']).toBe('crm-key-123');
  });

  it('refuses, in one line naming the variable and the connection, when a connection it calls misses one', async () => {
    const r = await runCli(['run', 'invoice', '--actions', file, '--dry-run'], {
      ...crmOnly(),
      BILLING_TOKEN_URL: 'https://billing.example.com/token',
    });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `slotwire run: environment variable BILLING_SECRET is not set (connection "billing"), at ${file}:12:23`,
    );
  });
});
