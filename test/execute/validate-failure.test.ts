// A validator whose API call fails never lets the value
// through; accepting on failure must be written as an on_error that sets the slot.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../runtime/index.js';
import type { Engine } from '../../runtime/index.js';
import { json, startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';

const ACTIONS = `version: 1
connections:
  mail:
    base_url: \${MAIL_URL}
    retry: { attempts: 1 }
actions:
  validate_email:
    request: { connection: mail, path: /check }
    validate:
      accept_when: "{{ response.body.deliverable }}"
      on_reject:
        responses: [{ text: "That address does not work." }]
  validate_phone:
    request: { connection: mail, path: /check }
    validate:
      accept_when: "{{ response.body.deliverable }}"
    on_error:
      slots: { phone: "{{ slots.phone }}" }
`;

let api: TestServer;
let engine: Engine;

beforeAll(async () => {
  api = await startServer((_req, res) => json(res, 500, { error: 'down' }));
  const dir = await mkdtemp(join(tmpdir(), 'slotwire-validate-failure-'));
  await writeFile(join(dir, 'actions.yml'), ACTIONS);
  engine = await createEngine({ actionsFile: join(dir, 'actions.yml'), env: { MAIL_URL: api.origin } });
});

afterAll(async () => {
  await engine.close();
  await api.close();
});

describe('a validator whose call fails', () => {
  it('rejects the value with its on_reject when it has no on_error', async () => {
    const r = await engine.run('validate_email', { slots: { email: 'a@b.c' } });
    expect(r.outcome).toMatchObject({ status: 'error', error: { kind: 'status', status: 500 } });
    expect(r.events).toEqual([{ event: 'slot', timestamp: null, name: 'email', value: null }]);
    expect(r.responses).toMatchObject([{ text: 'That address does not work.' }]);
  });

  it('keeps the value only when on_error says so', async () => {
    const r = await engine.run('validate_phone', { slots: { phone: '+3312345' } });
    expect(r.outcome.status).toBe('error');
    expect(r.events).toMatchObject([{ event: 'slot', name: 'phone', value: '+3312345' }]);
  });
});
