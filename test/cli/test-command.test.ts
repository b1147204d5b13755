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
      await writeFile(rec, `# my cases\ntests:\n  - name: live order # kept\n    action: check_order\n    slots: { order_id: "77" }\n    expect:\n      slots: { order_status: shipped }\n`);
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
});
