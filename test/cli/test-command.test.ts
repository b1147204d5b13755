import { chmod, copyFile, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createDemoApi } from '../../examples/demo-api/app.js';
import { listen } from '../../runtime/server/index.js';
import { json, startServer } from '../http/helpers.js';
import { holdRefusedAddress } from '../support/refused-address.js';
import { MISREADABLE_STRINGS } from '../support/misreadable-strings.js';
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
      expect(r.out).toContain('● live order: recorded 1 call; expect: holds');
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

  it('records content-type and the headers mappings read, so an HTML 200 replays as the parse error it was live', async () => {
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

  it('gives each recording a new turn, so a POST is not answered as a replay of the last recording', async () => {
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

  it("masks a sensitive slot's value in the recorded request and reply, and the masked fixture still matches", async () => {
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

/** An order API: GET answers 200 with the order, POST /cancel answers 200. */
const orders = `version: 1
connections:
  api: { base_url: "\${API_URL}" }
actions:
  check_order:
    request: { connection: api, path: "/orders/{{ slots.order_id }}" }
    slots: { order_status: "{{ response.body.status }}", lookup_status: ok }
    on_error:
      slots: { lookup_status: "{{ error.reason ? error.reason : error.kind }}" }
  cancel_order:
    request: { connection: api, method: POST, path: "/orders/{{ slots.order_id }}/cancel" }
    slots: { cancelled: "{{ response.body.cancelled }}" }
`;

describe('slotwire test --record keeps what it cannot replace', () => {
  let api: Awaited<ReturnType<typeof startServer>>;
  let folder: string;

  beforeAll(async () => {
    api = await startServer((req, res) =>
      json(res, 200, req.method === 'POST' ? { cancelled: true } : { status: 'shipped' }),
    );
    folder = await mkdtemp(join(tmpdir(), 'slotwire-record-'));
    await writeFile(join(folder, 'actions.yml'), orders);
    return () => api.close();
  });

  const cancelCase = `  - name: cancel it   # written by hand
    action: cancel_order
    slots: { order_id: "7" }
    http:
      - { method: POST, path: /orders/7/cancel, reply: { status: 200, json: { cancelled: true } } }
    expect: { slots: { cancelled: true } }
`;

  it('keeps the fixtures of a case whose call changes data and was not sent, byte for byte, and records the rest', async () => {
    const file = join(folder, 'unsent.test.yml');
    const before = `tests:\n  - name: look up\n    action: check_order\n    slots: { order_id: "7" }\n\n${cancelCase}`;
    await writeFile(file, before);
    const r = await runCli(['test', file, '--record'], { API_URL: api.origin });
    expect(r.code).toBe(0);
    expect(r.out).toContain('  ● look up: recorded 1 call; expect: holds');
    expect(r.out).toContain('  - cancel it: kept (not sent: POST changes data; add --yes to send it)');
    expect(r.out).toContain(`1 recorded, 1 kept: ${file} written`);
    const written = await readFile(file, 'utf8');
    expect(written.endsWith(`\n\n${cancelCase}`)).toBe(true);
    expect(api.seen.filter((s) => s.method === 'POST')).toEqual([]);
    expect((await runCli(['test', file])).out.trim().split('\n').at(-1)).toBe('2 passed, 0 failed');
  });

  it('writes nothing when nothing was recorded', async () => {
    const file = join(folder, 'nothing.test.yml');
    await writeFile(file, `tests:\n${cancelCase}`);
    const { mtimeMs } = await stat(file);
    const r = await runCli(['test', file, '--record'], { API_URL: api.origin });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Nothing recorded: ${file} is unchanged.`);
    expect(await readFile(file, 'utf8')).toBe(`tests:\n${cancelCase}`);
    expect((await stat(file)).mtimeMs).toBe(mtimeMs);
  });

  it('keeps cases whose fixtures simulate a failure, without calling the API, unless --overwrite-failures', async () => {
    const file = join(folder, 'failures.test.yml');
    const before = `tests:
  - name: API down
    action: check_order
    slots: { order_id: "503" }
    http:
      - { path: /orders/503, reply: { status: 503, json: { error: down } } }
    expect: { slots: { lookup_status: unavailable } }
  - name: API slow
    action: check_order
    slots: { order_id: "408" }
    http:
      - { path: /orders/408, reply: { error: timeout } }
    expect: { slots: { lookup_status: timeout } }
`;
    await writeFile(file, before);
    const seen = api.seen.length;
    const kept = await runCli(['test', file, '--record'], { API_URL: api.origin });
    expect(kept.code).toBe(0);
    expect(kept.out).toContain(
      '  - API down: kept (simulates a failure: status 503; add --overwrite-failures to replace it)',
    );
    expect(kept.out).toContain(
      '  - API slow: kept (simulates a failure: timeout; add --overwrite-failures to replace it)',
    );
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(api.seen.length).toBe(seen);

    const replaced = await runCli(['test', file, '--record', '--overwrite-failures'], { API_URL: api.origin });
    expect(replaced.code).toBe(1);
    expect(replaced.out).toContain('  ✗ API down: recorded 1 call; expect: no longer holds');
    expect(replaced.out).toContain('- expected: "unavailable"');
    expect(replaced.out).toContain('+ actual:   "ok"');
    expect(parse(await readFile(file, 'utf8')).tests[0].http).toEqual([
      expect.objectContaining({ path: '/orders/503', reply: expect.objectContaining({ status: 200 }) }),
    ]);
  });

  it('keeps a case the live API gave no answer, and exits 1', async () => {
    const file = join(folder, 'silent.test.yml');
    const before = 'tests:\n  - name: look up\n    action: check_order\n    slots: { order_id: "7" }\n';
    await writeFile(file, before);
    const refused = await holdRefusedAddress();
    const r = await runCli(['test', file, '--record'], { API_URL: refused.origin });
    await refused.close();
    expect(r.code).toBe(1);
    expect(r.out).toContain('  ✗ look up: kept (no answer from the live API: network)');
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('replaces the file in one step: a new file renamed over it, its mode kept, nothing left beside it', async () => {
    const own = await mkdtemp(join(tmpdir(), 'slotwire-record-'));
    await writeFile(join(own, 'actions.yml'), orders);
    const file = join(own, 'actions.test.yml');
    await writeFile(file, 'tests:\n  - name: look up\n    action: check_order\n    slots: { order_id: "7" }\n');
    await chmod(file, 0o640);
    const { ino } = await stat(file);
    expect((await runCli(['test', file, '--record'], { API_URL: api.origin })).code).toBe(0);
    expect((await stat(file)).ino).not.toBe(ino);
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect((await readdir(own)).sort()).toEqual(['actions.test.yml', 'actions.yml']);
  });

  it('writes every string another YAML reader would misread so that YAML 1.1 reads it back, and leaves unrelated lines byte for byte', async () => {
    const answer = { values: MISREADABLE_STRINGS, byKey: Object.fromEntries(MISREADABLE_STRINGS.map((v) => [v, v])) };
    const echo = await startServer((_req, res) => json(res, 200, answer));
    try {
      const file = join(folder, 'strings.test.yml');
      const before = `# hand-written, odd spacing kept
tests:
  - name: strings    # every kind
    action: check_order
    slots:   { order_id: "19:00",  tags: [x] }
    expect:  { slots: { lookup_status: ok } }   # [x] stays [x]

  - name: later
    action: check_order
    slots: { order_id: "on" }
    http: [ { path: "/orders/on", reply: { status: 404 } } ]
`;
      await writeFile(file, before);
      const r = await runCli(['test', file, '--record'], { API_URL: echo.origin });
      expect(r.out).toContain('  ● strings: recorded 1 call; expect: holds');
      const written = await readFile(file, 'utf8');
      const read = parse(written, { version: '1.1' });
      expect(read.tests[0].http[0].path).toBe('/orders/19%3A00');
      expect(read.tests[0].http[0].reply.json).toEqual(answer);
      // The recording is the one block added; every line around it is as it was.
      const added = /^ {4}http:\n(?: {6}.*\n)+/m.exec(written)?.[0] ?? '';
      expect(added).not.toBe('');
      expect(written.replace(added, '')).toBe(before);
    } finally {
      await echo.close();
    }
  });

  it('reports a broken test file with its positions, exit 1, and writes nothing (--record and --live)', async () => {
    const file = join(folder, 'broken.test.yml');
    const before = 'tests:\n  - name: x\n    acton: check_order\n';
    await writeFile(file, before);
    for (const mode of ['--record', '--live']) {
      const r = await runCli(['test', file, mode], { API_URL: api.origin });
      expect(r.code, mode).toBe(1);
      expect(r.err).toMatch(/broken\.test\.yml:3:5: error SW_SCHEMA_UNKNOWN_KEY/);
      expect(r.err).toContain(`✗ ${file} has errors; no case ran`);
    }
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('says --overwrite-failures goes with --record, exit 2', async () => {
    const r = await runCli(['test', '--overwrite-failures', join(folder, 'nothing.test.yml')]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe('slotwire test: --overwrite-failures goes with --record (see: slotwire test --help)');
  });
});

describe("slotwire test --record on the repo's own actions.yml and actions.test.yml, against the demo API", () => {
  it('keeps the booking cases (POST, not sent without --yes) and the failure cases, and the file still passes', async () => {
    const demo = await listen(createDemoApi(), { port: 0, hostname: '127.0.0.1', gracePeriodMs: 100 });
    try {
      const root = fileURLToPath(new URL('../../', import.meta.url));
      const folder = await mkdtemp(join(tmpdir(), 'slotwire-record-repo-'));
      await copyFile(join(root, 'actions.yml'), join(folder, 'actions.yml'));
      await copyFile(join(root, 'actions.test.yml'), join(folder, 'actions.test.yml'));
      const file = join(folder, 'actions.test.yml');
      const before = parse(await readFile(file, 'utf8')) as {
        tests: { name: string; action: string; http: unknown }[];
      };
      const r = await runCli(['test', file, '--record'], { RESTAURANT_API_URL: demo.url });
      expect(r.out).toContain(
        '  - booking posts the party as a number and keeps the reference: kept (not sent: POST changes data; add --yes to send it)',
      );
      expect(r.out).toContain(
        '  - a timeout is an outcome too: kept (simulates a failure: timeout; add --overwrite-failures to replace it)',
      );
      const after = parse(await readFile(file, 'utf8')) as typeof before;
      for (const [i, c] of before.tests.entries())
        if (c.action === 'book_table' || c.name.includes('outage') || c.name.includes('timeout'))
          expect(after.tests[i]?.http, c.name).toEqual(c.http);
      const replay = await runCli(['test', file]);
      expect(replay.out.trim().split('\n').at(-1)).toBe('9 passed, 0 failed');
      expect(r.code).toBe(0);
    } finally {
      await demo.close();
    }
  });
});
