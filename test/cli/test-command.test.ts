import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

let dir: string;

const actions = `version: 1
connections:
  api:
    base_url: \${API_URL}
    auth: { type: bearer, token: "\${API_TOKEN}" }
actions:
  check_order:
    request: { connection: api, path: "/orders/{{ slots.order_id }}" }
    slots:
      order_status: "{{ response.body.status }}"
      lookup_status: ok
    on_error:
      slots: { lookup_status: "{{ error.reason ? error.reason : error.kind }}" }
`;

const passing = `tests:
  - name: shipped order
    action: check_order
    slots: { order_id: "007" }
    http:
      - path: /orders/007
        headers: { authorization: "Bearer http://api-token.env.test" }
        reply: { json: { status: shipped } }
    expect:
      slots: { order_status: shipped, lookup_status: ok }
      requests: [{ method: GET, path: /orders/007 }]
  - name: unknown order
    action: check_order
    slots: { order_id: "1" }
    http:
      - path: /orders/1
        reply: { status: 404, json: { error: nope } }
    expect:
      slots: { lookup_status: not_found }
      error: { kind: status, reason: not_found }
  - name: API down
    action: check_order
    slots: { order_id: "2" }
    http:
      - path: /orders/2
        reply: { error: network }
    expect:
      slots: { lookup_status: network }
`;

const failing = `tests:
  - name: wrong expectation
    action: check_order
    slots: { order_id: "007" }
    http:
      - path: /orders/007
        reply: { json: { status: shipped } }
    expect:
      slots: { order_status: delivered }
  - name: request without fixture
    action: check_order
    slots: { order_id: "9" }
    expect:
      slots: { lookup_status: ok }
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slotwire-test-cmd-'));
  await writeFile(join(dir, 'actions.yml'), actions);
  await writeFile(join(dir, 'pass.test.yml'), passing);
  await writeFile(join(dir, 'fail.test.yml'), failing);
  await writeFile(join(dir, 'broken.test.yml'), 'tests:\n  - name: x\n    acton: check_order\n');
});

describe('slotwire test', () => {
  it('passes cases answered by fixtures, with placeholder env values, and exits 0', async () => {
    const r = await runCli(['test', join(dir, 'pass.test.yml')]);
    expect(r.out.trim().split('\n').at(-1)).toBe('3 passed, 0 failed');
    expect(r.code).toBe(0);
  });

  it('fails a wrong expectation with a diff, names a request no fixture answered, and exits 1', async () => {
    const r = await runCli(['test', join(dir, 'fail.test.yml')]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('✗ wrong expectation');
    expect(r.out).toContain('- expected: "delivered"');
    expect(r.out).toContain('+ actual:   "shipped"');
    expect(r.out).toContain('request GET /orders/9 matched no fixture');
    expect(r.out.trim().split('\n').at(-1)).toBe('0 passed, 2 failed');
  });

  it('reports a broken test file with its position and exits 1', async () => {
    const r = await runCli(['test', join(dir, 'broken.test.yml')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/broken\.test\.yml:3:5: error SW_SCHEMA_UNKNOWN_KEY/);
  });
});

describe('slotwire test --record', () => {
  it('writes the live answers as fixtures with secrets masked, keeps comments, and the recorded file passes', async () => {
    const { startServer, json } = await import('../http/helpers.js');
    const api = await startServer((req, res) => {
      if (req.headers.authorization !== 'Bearer live-secret-123') return json(res, 401, {});
      json(res, 200, { status: 'shipped', echoed_token: 'live-secret-123' });
    });
    try {
      const rec = join(dir, 'record.test.yml');
      await writeFile(
        rec,
        `# my cases\ntests:\n  - name: live order # kept\n    action: check_order\n    slots: { order_id: "77" }\n    expect:\n      slots: { order_status: shipped }\n`,
      );
      const r = await runCli(['test', rec, '--record'], { API_URL: api.origin, API_TOKEN: 'live-secret-123' });
      expect(r.code).toBe(0);
      expect(r.out).toContain('live order: 1 call recorded');
      const { readFile } = await import('node:fs/promises');
      const written = await readFile(rec, 'utf8');
      expect(written).toContain('# my cases');
      expect(written).toContain('path: /orders/77');
      expect(written).toContain('status: shipped');
      expect(written).not.toContain('live-secret-123');
      expect(written).toContain('echoed_token: "***"');
      const replay = await runCli(['test', rec]);
      expect(replay.out.trim().split('\n').at(-1)).toBe('1 passed, 0 failed');
    } finally {
      await api.close();
    }
  });

  it('records content-type and the headers mappings read, so an HTML 200 replays as the parse error it was live (item 10)', async () => {
    const { startServer } = await import('../http/helpers.js');
    const api = await startServer((req, res) => {
      if (req.url === '/page') {
        res.writeHead(200, { 'content-type': 'text/html', 'x-total': '7', 'x-other': 'dropped' });
        res.end('<html>login</html>');
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'x-total': '7', 'x-other': 'dropped' });
        res.end('{"items":[]}');
      }
    });
    try {
      const actionsFile = join(dir, 'headers.actions.yml');
      await writeFile(
        actionsFile,
        `version: 1\nconnections:\n  api: { base_url: "\${API_URL}" }\nactions:\n  page:\n    request: { connection: api, path: /page }\n    slots: { got: "{{ response.body }}" }\n    on_error:\n      slots: { failed: "{{ error.kind }}" }\n  count:\n    request: { connection: api, path: /count }\n    slots: { total: "{{ response.headers.\`x-total\` }}" }\n`,
      );
      const rec = join(dir, 'headers.test.yml');
      await writeFile(
        rec,
        `actions: headers.actions.yml\ntests:\n  - name: login wall\n    action: page\n    expect: { slots: { failed: parse }, error: { kind: parse } }\n  - name: total\n    action: count\n    expect: { slots: { total: "7" } }\n`,
      );
      const r = await runCli(['test', rec, '--record'], { API_URL: api.origin });
      expect(r.code).toBe(0);
      const { readFile } = await import('node:fs/promises');
      const written = await readFile(rec, 'utf8');
      expect(written).toContain('content-type: text/html');
      expect(written).toContain('x-total: "7"');
      expect(written).not.toContain('x-other');
      const replay = await runCli(['test', rec]);
      expect(replay.out.trim().split('\n').at(-1)).toBe('2 passed, 0 failed');
    } finally {
      await api.close();
    }
  });

  it('gives each recording a new turn, so a POST is not answered as a replay of the last recording (item 9)', async () => {
    const { startServer, json } = await import('../http/helpers.js');
    const api = await startServer((_req, res) => json(res, 201, { ref: 'B-1' }));
    try {
      const actionsFile = join(dir, 'book.actions.yml');
      await writeFile(
        actionsFile,
        'version: 1\nconnections:\n  api: { base_url: "${API_URL}" }\nactions:\n  book:\n    request: { connection: api, method: POST, path: /bookings, idempotency_key: true, body: { who: "{{ slots.name }}" } }\n    slots: { ref: "{{ response.body.ref }}" }\n',
      );
      const rec = join(dir, 'book.test.yml');
      const cases = 'actions: book.actions.yml\ntests:\n  - name: book\n    action: book\n    slots: { name: Ann }\n';
      await writeFile(rec, cases);
      await runCli(['test', rec, '--record', '--yes'], { API_URL: api.origin });
      await writeFile(rec, cases);
      await runCli(['test', rec, '--record', '--yes'], { API_URL: api.origin });
      const keys = api.seen.map((s) => s.headers['idempotency-key']);
      expect(keys).toHaveLength(2);
      expect(keys[0]).not.toBe(keys[1]);
      await writeFile(rec, `${cases}    message: { message_id: m-1 }\n`);
      await runCli(['test', rec, '--record', '--yes'], { API_URL: api.origin });
      await runCli(['test', rec, '--record', '--yes'], { API_URL: api.origin });
      expect(api.seen[2]?.headers['idempotency-key']).toBe(api.seen[3]?.headers['idempotency-key']);
    } finally {
      await api.close();
    }
  });

  it("masks a sensitive slot's value in the recorded request and reply, and the masked fixture still matches (item 11)", async () => {
    const { startServer, json } = await import('../http/helpers.js');
    const api = await startServer((req, res) =>
      json(res, 200, { card: decodeURIComponent(req.url?.split('/')[2]?.split('?')[0] ?? ''), ok: true }),
    );
    try {
      const actionsFile = join(dir, 'card.actions.yml');
      await writeFile(
        actionsFile,
        'version: 1\nconnections:\n  api: { base_url: "${API_URL}" }\nactions:\n  check_card:\n    sensitive: [card_number]\n    request: { connection: api, path: "/cards/{{ slots.card_number }}/check", query: { n: "{{ slots.card_number }}" } }\n    slots: { card_ok: "{{ response.body.ok }}" }\n',
      );
      const rec = join(dir, 'card.test.yml');
      await writeFile(
        rec,
        'actions: card.actions.yml\ntests:\n  - name: card\n    action: check_card\n    slots: { card_number: "4111 2222" }\n    expect: { slots: { card_ok: true } }\n',
      );
      const r = await runCli(['test', rec, '--record'], { API_URL: api.origin });
      expect(r.code).toBe(0);
      const { readFile } = await import('node:fs/promises');
      const written = await readFile(rec, 'utf8');
      const fixtures = written.slice(written.indexOf('http:'));
      expect(fixtures).not.toMatch(/4111/);
      expect(fixtures).toContain('path: /cards/***/check');
      const replay = await runCli(['test', rec]);
      expect(replay.out.trim().split('\n').at(-1)).toBe('1 passed, 0 failed');
    } finally {
      await api.close();
    }
  });
});
