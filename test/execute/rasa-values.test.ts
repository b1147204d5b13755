/**
 * Events and buttons built by expressions that Rasa would refuse:
 * the action fails with kind `expression`, its on_error runs, and nothing
 * Rasa would drop is sent. A real upstream on loopback answers the call.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadPlan } from '../../runtime/compile/index.js';
import { runAction } from '../../runtime/execute/index.js';
import { createHttpClient } from '../../runtime/http/index.js';
import { trackerFromDict } from '../../runtime/rasa/index.js';
import { startUpstream } from '../support/upstream.js';

const silent = { warn() {}, info() {} };

/** Runs one action whose success outcome is `outcome`, against an upstream answering `body`. */
async function run(outcome: Record<string, unknown>, body: unknown) {
  const upstream = await startUpstream([{ match: { path: '/order' }, reply: { json: body } }]);
  const file = join(await mkdtemp(join(tmpdir(), 'slotwire-rasa-values-')), 'actions.yml');
  await writeFile(
    file,
    stringify({
      version: 1,
      connections: { shop: { base_url: '${UPSTREAM}' } },
      actions: {
        a: {
          request: { connection: 'shop', path: '/order' },
          ...outcome,
          on_error: { slots: { failed: '{{ error.kind }}' } },
        },
      },
    }),
  );
  const { plan, diagnostics } = await loadPlan(file, { env: { UPSTREAM: upstream.origin } });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const http = createHttpClient(plan!.connections);
  try {
    const tracker = trackerFromDict({ sender_id: 's', slots: {} });
    return await runAction(
      plan!.actions.get('a')!,
      { nextAction: 'a', senderId: 's', tracker, domain: null, version: null },
      { http, logger: silent },
    );
  } finally {
    await http.close();
    await upstream.close();
  }
}

const failed = [{ event: 'slot', name: 'failed', value: 'expression' }];

describe('values Rasa would refuse, built at run time', () => {
  it('fails a followup whose name is null or empty', async () => {
    for (const next of [null, '']) {
      const r = await run({ events: [{ event: 'followup', name: '{{ response.body.next }}' }] }, { next });
      expect(r.error).toMatchObject({ kind: 'expression', message: expect.stringContaining('SW_EVENT_FOLLOWUP_NAME') });
      expect(r.events).toMatchObject(failed);
    }
  });

  it('sends a followup whose name is an action', async () => {
    const r = await run({ events: [{ event: 'followup', name: '{{ response.body.next }}' }] }, { next: 'action_ship' });
    expect(r.error).toBeNull();
    expect(r.events).toMatchObject([{ event: 'followup', name: 'action_ship' }]);
  });

  it('fails a reminder whose date_time is not an ISO date-time', async () => {
    for (const when of ['tomorrow', '2026-05-01', 1767225600000, '2026-13-01T10:00:00Z']) {
      const r = await run(
        { events: [{ event: 'reminder', intent: 'EXTERNAL_ready', date_time: '{{ response.body.when }}' }] },
        { when },
      );
      expect(r.error, String(when)).toMatchObject({
        kind: 'expression',
        message: expect.stringContaining('SW_EVENT_DATE_TIME'),
      });
    }
    const ok = await run(
      { events: [{ event: 'reminder', intent: 'EXTERNAL_ready', date_time: '{{ response.body.when }}' }] },
      { when: '2026-05-01T09:30:00+02:00' },
    );
    expect(ok.events).toMatchObject([{ event: 'reminder', date_time: '2026-05-01T09:30:00+02:00' }]);
  });

  it('fails buttons built from a list of strings, and sends buttons built as mappings', async () => {
    const bad = await run(
      { responses: [{ text: 'Pick one', buttons: '{{ response.body.options }}' }] },
      { options: ['small', 'large'] },
    );
    expect(bad.error).toMatchObject({ kind: 'expression', message: expect.stringContaining('SW_MESSAGE_BUTTON') });
    expect(bad.responses).toEqual([]);
    expect(bad.events).toMatchObject(failed);

    const good = await run(
      { responses: [{ text: 'Pick one', buttons: '{{ response.body.options.{ "title": $, "payload": "/pick" } }}' }] },
      { options: ['small', 'large'] },
    );
    expect(good.error).toBeNull();
    expect(good.responses).toMatchObject([
      {
        buttons: [
          { title: 'small', payload: '/pick' },
          { title: 'large', payload: '/pick' },
        ],
      },
    ]);
  });
});
