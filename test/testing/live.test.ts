// `slotwire test --live` runs each case against the live API (a
// loopback server here) and reports each mapping whose field the recorded
// fixtures have but the live answer no longer does: it would now map null.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';
import { runCli } from '../cli/run-cli.js';

const ACTIONS = `version: 1
connections:
  api:
    base_url: \${API_URL}
actions:
  check_table:
    request:
      connection: api
      path: /availability
    slots:
      has_table: "{{ response.body.available }}"
      first_time: "{{ response.body.times[0].time }}"
      note: "{{ response.body.note }}"
`;

// Recorded when the API still answered with `available` and `note`.
const TESTS = `tests:
  - name: a free table
    action: check_table
    http:
      - path: /availability
        reply:
          json: { available: true, times: [{ time: "19:00" }], note: "window seat" }
    expect:
      slots: { has_table: true, first_time: "19:00" }
`;

let api: TestServer;
let dir: string;
/** What the live API answers now. */
let answer: unknown = {};

beforeAll(async () => {
  api = await startServer((_req, res) => json(res, 200, answer));
  dir = mkdtempSync(join(tmpdir(), 'slotwire-live-'));
  writeFileSync(join(dir, 'actions.yml'), ACTIONS);
  writeFileSync(join(dir, 'actions.test.yml'), TESTS);
});

afterAll(async () => {
  await api.close();
});

describe('slotwire test --live', () => {
  it('says all is well while the live answer has every field the mappings read', async () => {
    answer = { available: false, times: [{ time: '20:00' }], note: null, extra: 1 };
    const r = await runCli(['test', '--live', join(dir, 'actions.test.yml')], { API_URL: api.origin });
    expect(r.code).toBe(0);
    expect(r.out).toContain('  ● a free table: 1 live call');
    expect(r.out.trim().split('\n').at(-1)).toBe('The live answers have every field the mappings read.');
  });

  it('reports each mapping whose field the live answer dropped or renamed, at its line, with what is there', async () => {
    answer = { is_available: true, times: [{ slot: '19:00' }], note: 'x' };
    const r = await runCli(['test', '--live', join(dir, 'actions.test.yml')], { API_URL: api.origin });
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `${join(dir, 'actions.yml')}:11:36: warning SW_WARN_RESPONSE_FIELD: "available" is not a field of response.body in the answer described by the live answers`,
    );
    expect(r.out).toContain('Did you mean "is_available"? Fields there: is_available, times, note.');
    expect(r.out).toContain(
      `${join(dir, 'actions.yml')}:12:46: warning SW_WARN_RESPONSE_FIELD: "time" is not a field of response.body.times`,
    );
    expect(r.out.trim().split('\n').at(-1)).toBe(
      '2 mappings would now give null: the live answers no longer have the field.',
    );
  });

  it('refuses --live with --record or --mcp', async () => {
    const r = await runCli(['test', '--live', '--record', join(dir, 'actions.test.yml')]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      'slotwire test: --record, --live and --mcp do not go together (see: slotwire test --help)',
    );
  });
});
