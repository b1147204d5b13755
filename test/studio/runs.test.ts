/**
 * The studio's runs through a real listener on loopback and a real upstream,
 * on a file of several APIs: which `${VAR}`s a run needs, and that what they
 * put into headers is masked by value whatever the header is called.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../runtime/config/index.js';
import { listen } from '../../runtime/server/index.js';
import type { ServerHandle } from '../../runtime/server/index.js';
import { createStudio } from '../../runtime/studio/index.js';
import type { Studio, StudioRunResult, StudioState } from '../../runtime/studio/index.js';
import { startUpstream } from '../support/upstream.js';
import type { Upstream } from '../support/upstream.js';

const TOKEN = 'test-token-0123456789';

// Three APIs, as three imports leave them; each needs its own secrets.
const threeApis = `version: 1
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
actions:
  find_customer:
    request: { connection: crm, path: /customers/7 }
    slots: { name: "{{ response.body.name }}" }
  invoice:
    steps:
      - name: customer
        request: { connection: crm, path: /customers/7 }
      - name: bill
        request: { connection: billing, method: POST, path: /bills }
    slots: { billed: "{{ steps.bill.body.ok }}" }
  forecast:
    request: { connection: weather, path: /forecast }
    slots: { sky: "{{ response.body.sky }}" }
`;

let dir: string;
let upstream: Upstream;
let studio: Studio | null = null;
let handle: ServerHandle | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'studio-runs-'));
  upstream = await startUpstream([
    { match: { path: '/customers/7' }, reply: { json: { name: 'Ann', echo: 'crm-key-123' } } },
  ]);
  await writeFile(join(dir, 'actions.yml'), threeApis);
});

afterEach(async () => {
  studio?.close();
  await handle?.close();
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

/** Starts the studio on the file with `env`. */
async function start(env: Env): Promise<void> {
  studio = await createStudio({
    actionsFile: join(dir, 'actions.yml'),
    testFile: join(dir, 'actions.test.yml'),
    env,
    project: null,
    token: TOKEN,
    port: () => (handle ? Number(new URL(handle.url).port) : 0),
    loopback: true,
  });
  handle = await listen(studio.app, { port: 0, hostname: '127.0.0.1', gracePeriodMs: 100 });
}

async function run<T = StudioRunResult>(body: object): Promise<{ status: number; body: T }> {
  const r = await fetch(`${handle?.url}/api/run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as T };
}

describe("a run needs only the variables of the connections its action calls, as slotwire run's", () => {
  it('lists every action of the file whatever variables are set', async () => {
    await start({ CRM_URL: upstream.origin, CRM_KEY: 'crm-key-123' });
    const r = await fetch(`${handle?.url}/api/state`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const state = (await r.json()) as StudioState;
    expect(state.ok).toBe(true);
    expect(state.actions.map((a) => a.name)).toEqual(['find_customer', 'invoice', 'forecast']);
  });

  it("runs dry and live with only that connection's variables set", async () => {
    await start({ CRM_URL: upstream.origin, CRM_KEY: 'crm-key-123' });
    const dry = await run({ action: 'find_customer', mode: 'dry-run' });
    expect(dry.status).toBe(200);
    expect(dry.body.outcome.status).toBe('held');
    expect(upstream.seen).toHaveLength(0);
    const live = await run({ action: 'find_customer', mode: 'live' });
    expect(live.status).toBe(200);
    expect(live.body.slots).toEqual([{ name: 'name', value: 'Ann', sensitive: false }]);
    expect(upstream.seen[0]?.headers['x-custom-auth']).toBe('crm-key-123');
  });

  it('refuses with 409 naming the variable and its connection when a connection it calls misses one', async () => {
    await start({ CRM_URL: upstream.origin, CRM_KEY: 'crm-key-123', BILLING_TOKEN_URL: 'https://b.example/token' });
    const r = await run<{ error: string }>({ action: 'invoice', mode: 'dry-run' });
    expect(r.status).toBe(409);
    expect(r.body.error).toContain('environment variable BILLING_SECRET is not set (connection "billing")');
  });
});

describe('values from ${VAR} in headers, whatever their names', () => {
  it('are *** in a dry run and a live run: request headers, answer, slots', async () => {
    await start({ CRM_URL: upstream.origin, CRM_KEY: 'crm-key-123' });
    for (const mode of ['dry-run', 'live']) {
      const { body } = await run({ action: 'find_customer', mode });
      expect(body.exchanges[0]?.request.headers['x-custom-auth']).toBe('***');
      expect(JSON.stringify(body)).not.toContain('crm-key-123');
    }
    const { body } = await run({ action: 'find_customer', mode: 'live' });
    expect(body.exchanges[0]?.response?.body).toEqual({ name: 'Ann', echo: '***' });
    expect(upstream.seen.at(-1)?.headers['x-custom-auth']).toBe('crm-key-123');
  });

  it('are *** in the test case a live run is saved as', async () => {
    await start({ CRM_URL: upstream.origin, CRM_KEY: 'crm-key-123' });
    const live = await run({ action: 'find_customer', mode: 'live' });
    const r = await fetch(`${handle?.url}/api/save-test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ runId: live.body.runId, name: 'found' }),
    });
    expect(r.status).toBe(200);
    const saved = await readFile(join(dir, 'actions.test.yml'), 'utf8');
    expect(saved).toContain('echo: "***"');
    expect(saved).not.toContain('crm-key-123');
  });
});
