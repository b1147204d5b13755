// The migration guide's example run as a user runs it (docs/migrating.md):
// the stand-in legacy server and the built CLI, each a process of its own,
// slotwire in front with --fallback and --shadow; and the flags' refusals.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApi } from '../../examples/demo-api/app.js';
import { listen } from '../../runtime/index.js';
import type { ServerHandle } from '../../runtime/index.js';
import { builtCli, runBuiltCli } from '../support/built-cli.js';
import { stopProcess } from '../support/server-process.js';
import type { ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait-for.js';
import { startLegacy } from '../fallback/helpers.js';
import type { Legacy } from '../fallback/helpers.js';
import { runCli } from './run-cli.js';

const example = (file: string): string => fileURLToPath(new URL(`../../examples/${file}`, import.meta.url));

/** A Rasa call of check_restaurant_availability, with the domain. */
const availability = {
  next_action: 'check_restaurant_availability',
  sender_id: '1',
  domain_digest: 'cli-1',
  domain: { slots: {} },
  tracker: { sender_id: '1', slots: { restaurant_id: 'trattoria-roma', party_size: 4, booking_time: '19:00' } },
};

describe('slotwire serve --fallback, with the example legacy server', () => {
  let demo: ServerHandle;
  let legacy: Legacy;
  let child: ServerProcess;
  let output = '';
  let url = '';

  beforeAll(async () => {
    demo = await listen(createDemoApi({ today: () => '2025-06-02' }), {
      port: 0,
      hostname: '127.0.0.1',
      gracePeriodMs: 500,
    });
    legacy = await startLegacy({ RESTAURANT_API_URL: demo.url });
    child = spawn(
      process.execPath,
      [
        builtCli(),
        'serve',
        '--actions',
        example('migrating/actions.yml'),
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--fallback',
        legacy.webhook,
        '--shadow',
        'check_restaurant_availability',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, RESTAURANT_API_URL: demo.url } },
    );
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    url = await waitFor(() => /serving 1 action .* on (http:\/\/\S+)\/webhook/.exec(output)?.[1], {
      timeoutMs: 20_000,
      what: 'the serving line',
    });
    await waitFor(() => output.includes('shadowed'), { timeoutMs: 5000, what: 'the shadow line' });
  });
  afterAll(async () => {
    await stopProcess(child, 'SIGKILL');
    await legacy.stop();
    await demo.close();
  });

  it('says where undeclared actions go and which action is shadowed', () => {
    expect(output).toContain(`slotwire: fallback ${legacy.webhook}: 5 actions listed`);
    expect(output).toContain(
      'slotwire: shadowed (the fallback answers, slotwire compares): check_restaurant_availability',
    );
  });

  it('forwards an undeclared action and lists every action once', async () => {
    const res = await fetch(`${url}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...availability, next_action: 'action_greet' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ responses: [{ text: 'Hello! How can I help?' }] });
    const names = ((await (await fetch(`${url}/actions`)).json()) as { name: string }[]).map((a) => a.name);
    expect(names).toEqual([
      'check_restaurant_availability',
      'action_greet',
      'book_table',
      'action_cancel_booking',
      'action_broken',
    ]);
  });

  it('compares the moved action with the legacy one on a live call: same', async () => {
    const res = await fetch(`${url}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(availability),
    });
    expect(res.status).toBe(200);
    await waitFor(
      async () =>
        /slotwire_shadow_calls_total\{action="check_restaurant_availability",result="same"\} 1/.test(
          await (await fetch(`${url}/metrics`)).text(),
        ),
      { timeoutMs: 10_000, what: 'one shadowed call counted same' },
    );
  });

  it('exits 0 on SIGTERM', async () => {
    expect(await stopProcess(child)).toBe(0);
  });
});

describe('the flags, refused with one line and exit 2', () => {
  it.each([
    [
      ['--fallback', 'ftp://actions:21/webhook'],
      '--fallback (or SLOTWIRE_FALLBACK_URL) must be an http:// or https:// URL',
    ],
    [['--shadow', 'check_weather'], '--shadow compares with the fallback action server: add --fallback URL'],
    [['--fallback', 'http://127.0.0.1:9/webhook', '--fallback-timeout', '0'], '--fallback-timeout must be a positive'],
  ])('%j', async (flags, problem) => {
    const r = await runCli(['serve', ...flags]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toContain(problem);
  });

  it('never prints the URL it refuses: it may carry a token', async () => {
    const r = await runCli(['serve', '--fallback', 'not a url ?token=s3cret']);
    expect(r.code).toBe(2);
    expect(r.err).not.toContain('s3cret');
  });

  it('refuses to shadow an action that POSTs, once the actions are known', async () => {
    const legacy = await startLegacy();
    try {
      const r = await runBuiltCli(
        [
          'serve',
          '--actions',
          example('restaurant/actions.yml'),
          '--port',
          '0',
          '--fallback',
          legacy.webhook,
          '--shadow',
          'book_table',
        ],
        { env: { PATH: process.env.PATH } },
      );
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain('--shadow book_table: cannot be shadowed: its calls use POST');
    } finally {
      await legacy.stop();
    }
  });
});
