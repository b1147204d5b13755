// /metrics after real webhook calls against a real loopback upstream: the
// counters and histograms show exactly those calls, read by a real
// Prometheus parser; labels never carry slot values, sender ids or secrets.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createActionServer, listen } from '../../runtime/index.js';
import type { ActionServer, ServerHandle } from '../../runtime/index.js';
import { rasaCall } from '../examples/rasa-call.js';
import { silent } from '../examples/serve-example.js';
import { post } from '../server/helpers.js';
import { parsePrometheus, sampleValue, samplesOf } from '../support/prometheus.js';
import type { Family } from '../support/prometheus.js';
import { writeActionsFile } from '../support/actions-file.js';
import { startUpstream } from '../support/upstream.js';
import type { Upstream } from '../support/upstream.js';
import { needs } from '../support/services.js';

const SECRET = 'client-secret-4f9a';
const SLOT_VALUE = 'slot-value-93c1';
const SENDER = 'sender-77d0';
const TOKEN = 'access-tok-51e2';

const ACTIONS = `
version: 1
connections:
  api:
    base_url: \${UPSTREAM}
    timeout: 5s
    retry: { attempts: 2, backoff: 10ms, max_backoff: 20ms }
    circuit_breaker: { failures: 5, cooldown: 30s }
    auth:
      type: oauth2_client_credentials
      token_url: \${UPSTREAM}/token
      client_id: bot
      client_secret: \${SECRET}
actions:
  check_ok:
    request: { connection: api, path: "/ok/{{ slots.order }}", cache: { ttl: 60s } }
    slots: { v: "{{ response.body.v }}" }
  check_down:
    request: { connection: api, path: /down }
    slots: { v: 1 }
  check_slow:
    deadline: 300ms
    request: { connection: api, path: /hang }
    slots: { v: 1 }
`;

async function scrape(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${url}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

const prometheus = needs('prometheus-client');

prometheus.describe('/metrics after webhook calls that succeed, fail upstream and time out', () => {
  let upstream: Upstream;
  let server: ActionServer;
  let handle: ServerHandle;
  let families: Family[];
  let text: string;

  beforeAll(async () => {
    upstream = await startUpstream([
      { match: { method: 'POST', path: '/token' }, reply: { json: { access_token: TOKEN, expires_in: 3600 } } },
      { match: { path: `/ok/${SLOT_VALUE}` }, reply: { json: { v: 1 } } },
      { match: { path: '/down' }, reply: { status: 503, json: { error: 'down' } } },
      { match: { path: '/hang' }, reply: { hang: true } },
    ]);
    server = await createActionServer({
      actionsFile: writeActionsFile(ACTIONS),
      env: { UPSTREAM: upstream.origin, SECRET },
      logger: silent,
    });
    handle = await listen(server.app, { port: 0, hostname: '127.0.0.1', gracePeriodMs: 200 });
    const call = (action: string) =>
      post(handle.url, rasaCall(action, { senderId: SENDER, slots: { order: SLOT_VALUE } }));
    for (const action of ['check_ok', 'check_ok', 'check_down', 'check_slow', 'no_such_action']) {
      const res = await call(action);
      await res.text();
    }
    await post(handle.url, '{"next_action": ', { 'content-type': 'application/json' }).then((r) => r.text());
    const scraped = await scrape(handle.url);
    expect(scraped.status).toBe(200);
    expect(scraped.type).toMatch(/^text\/plain; version=0\.0\.4/);
    text = scraped.text;
    families = await parsePrometheus(text);
  });

  afterAll(async () => {
    await handle?.close();
    await server?.close();
    await upstream?.close();
  });

  it('counts webhook requests by method, route and status', () => {
    const count = (status: string) =>
      sampleValue(families, 'http_server_request_duration_seconds_count', {
        http_request_method: 'POST',
        http_route: '/webhook',
        http_response_status_code: status,
      });
    expect(count('200')).toBe(4);
    expect(count('404')).toBe(1);
    expect(count('400')).toBe(1);
    const buckets = samplesOf(families, 'http_server_request_duration_seconds_bucket').filter(
      (s) => s.labels['http_response_status_code'] === '200',
    );
    expect(buckets.find((s) => s.labels['le'] === '+Inf')?.value).toBe(4);
    // The slow call took ≥ 300 ms: it is above the 0.25 s bucket.
    expect(buckets.find((s) => s.labels['le'] === '0.25')?.value).toBeLessThanOrEqual(3);
  });

  it('counts runs per action and outcome, with their durations', () => {
    const runs = (action: string, outcome: string) =>
      sampleValue(families, 'slotwire_action_duration_seconds_count', { action, outcome });
    expect(runs('check_ok', 'ok')).toBe(2);
    expect(runs('check_down', 'status')).toBe(1);
    expect(runs('check_slow', 'timeout')).toBe(1);
    expect(samplesOf(families, 'slotwire_action_duration_seconds_count')).toHaveLength(3);
    expect(
      sampleValue(families, 'slotwire_action_duration_seconds_sum', { action: 'check_slow', outcome: 'timeout' }),
    ).toBeGreaterThanOrEqual(0.29);
  });

  it('counts upstream attempts by connection, status and error kind; retries; cache; tokens; breaker', () => {
    const attempts = (status: string, errorType: string) =>
      sampleValue(families, 'http_client_request_duration_seconds_count', {
        connection: 'api',
        http_request_method: 'GET',
        http_response_status_code: status,
        error_kind: errorType,
      });
    expect(attempts('200', '')).toBe(1); // the second check_ok came from the cache
    expect(attempts('503', 'status')).toBe(2); // one retry
    expect(attempts('', 'timeout')).toBe(1);
    expect(samplesOf(families, 'http_client_request_duration_seconds_count')).toHaveLength(3);
    expect(sampleValue(families, 'slotwire_upstream_retries_total', { connection: 'api' })).toBe(1);
    expect(sampleValue(families, 'slotwire_upstream_cache_lookups_total', { connection: 'api', result: 'miss' })).toBe(
      1,
    );
    expect(sampleValue(families, 'slotwire_upstream_cache_lookups_total', { connection: 'api', result: 'hit' })).toBe(
      1,
    );
    expect(sampleValue(families, 'slotwire_oauth_token_fetches_total', { connection: 'api', outcome: 'ok' })).toBe(1);
    expect(upstream.seen.filter((r) => r.url === '/token')).toHaveLength(1);
    expect(sampleValue(families, 'slotwire_circuit_breaker_state', { connection: 'api', state: 'closed' })).toBe(1);
    expect(sampleValue(families, 'slotwire_circuit_breaker_state', { connection: 'api', state: 'open' })).toBe(0);
  });

  it('describes what is served, and the process', () => {
    expect(sampleValue(families, 'slotwire_config_info', { hash: server.engine.status().hash as string })).toBe(1);
    expect(sampleValue(families, 'slotwire_actions_served')).toBe(3);
    expect(sampleValue(families, 'slotwire_config_reload_error')).toBe(0);
    for (const result of ['ok', 'unchanged', 'refused'])
      expect(sampleValue(families, 'slotwire_reloads_total', { result })).toBe(0);
    expect(sampleValue(families, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(families, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('never carries a slot value, a sender id, a path or a secret', () => {
    for (const secret of [SLOT_VALUE, SENDER, SECRET, '/ok/', '/down', TOKEN]) expect(text).not.toContain(secret);
  });
});

prometheus.describe('/metrics options', () => {
  const file = writeActionsFile('version: 1\nactions: {}\n');

  async function serve(
    options: Parameters<typeof createActionServer>[0],
  ): Promise<{ url: string; close(): Promise<void> }> {
    const server = await createActionServer({ actionsFile: file, logger: silent, ...options });
    const handle = await listen(server.app, { port: 0, hostname: '127.0.0.1', gracePeriodMs: 200 });
    return { url: handle.url, close: async () => (await handle.close(), await server.close()) };
  }

  it('can be turned off: no /metrics, and no series kept', async () => {
    const s = await serve({ metrics: { enabled: false } });
    try {
      expect((await scrape(s.url)).status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it('can ask for the webhook credentials', async () => {
    const s = await serve({ auth: { token: { value: 'hook-token', name: 'token' } }, metrics: { auth: true } });
    try {
      expect((await scrape(s.url)).status).toBe(401);
      const res = await fetch(`${s.url}/metrics?token=hook-token`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('# TYPE slotwire_action_duration_seconds histogram');
    } finally {
      await s.close();
    }
  });

  it('is open by default even when the webhook asks for a token', async () => {
    const s = await serve({ auth: { token: { value: 'hook-token', name: 'token' } } });
    try {
      expect((await scrape(s.url)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('shows a breaker that opened, and the calls it refused', async () => {
    const upstream = await startUpstream([{ match: { path: '/down' }, reply: { status: 503, json: {} } }]);
    const breakerFile = writeActionsFile(`
version: 1
connections:
  flaky: { base_url: "\${UPSTREAM}", circuit_breaker: { failures: 1, cooldown: 30s } }
actions:
  check:
    request: { connection: flaky, path: /down }
    slots: { v: 1 }
`);
    const server = await createActionServer({
      actionsFile: breakerFile,
      env: { UPSTREAM: upstream.origin },
      logger: silent,
    });
    const handle = await listen(server.app, { port: 0, hostname: '127.0.0.1', gracePeriodMs: 200 });
    try {
      for (let i = 0; i < 2; i++) await (await post(handle.url, rasaCall('check'))).text();
      const families = await parsePrometheus((await scrape(handle.url)).text);
      expect(sampleValue(families, 'slotwire_circuit_breaker_state', { connection: 'flaky', state: 'open' })).toBe(1);
      expect(sampleValue(families, 'slotwire_circuit_breaker_state', { connection: 'flaky', state: 'closed' })).toBe(0);
      expect(
        sampleValue(families, 'slotwire_action_duration_seconds_count', { action: 'check', outcome: 'status' }),
      ).toBe(1);
      expect(
        sampleValue(families, 'slotwire_action_duration_seconds_count', { action: 'check', outcome: 'circuit_open' }),
      ).toBe(1);
      // The refused call sent nothing: one attempt in all.
      expect(samplesOf(families, 'http_client_request_duration_seconds_count').map((x) => x.value)).toEqual([1]);
      expect(upstream.seen).toHaveLength(1);
    } finally {
      await handle.close();
      await server.close();
      await upstream.close();
    }
  });

  it('counts reloads and shows the new hash', async () => {
    const reloadFile = writeActionsFile('version: 1\nactions: {}\n');
    const server = await createActionServer({ actionsFile: reloadFile, logger: silent });
    const handle = await listen(server.app, { port: 0, hostname: '127.0.0.1', gracePeriodMs: 200 });
    try {
      writeFileSync(reloadFile, 'version: 1\nactions: {}\n# changed\n');
      expect((await server.engine.reload()).ok).toBe(true);
      await server.engine.reload();
      writeFileSync(reloadFile, 'version: 1\nactions: [\n');
      expect((await server.engine.reload()).ok).toBe(false);
      const families = await parsePrometheus((await scrape(handle.url)).text);
      expect(sampleValue(families, 'slotwire_reloads_total', { result: 'ok' })).toBe(1);
      expect(sampleValue(families, 'slotwire_reloads_total', { result: 'unchanged' })).toBe(1);
      expect(sampleValue(families, 'slotwire_reloads_total', { result: 'refused' })).toBe(1);
      expect(sampleValue(families, 'slotwire_config_reload_error')).toBe(1);
      expect(sampleValue(families, 'slotwire_config_info', { hash: server.engine.status().hash as string })).toBe(1);
      expect(samplesOf(families, 'slotwire_config_info')).toHaveLength(1);
    } finally {
      await handle.close();
      await server.close();
    }
  });
});
