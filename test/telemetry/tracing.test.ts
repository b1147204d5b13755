// Traces of webhook calls (in-memory exporter): the trace Rasa started goes
// on through the webhook's span, the action's and one span per upstream
// attempt, and the upstream receives a traceparent of the same trace whose
// parent is the attempt's span. No attribute holds a slot value or a secret.
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createActionServer, createTracing, listen } from '../../runtime/index.js';
import type { ActionServer, ServerHandle } from '../../runtime/index.js';
import { rasaCall } from '../examples/rasa-call.js';
import { silent } from '../examples/serve-example.js';
import { post } from '../server/helpers.js';
import { writeActionsFile } from '../support/actions-file.js';
import { startUpstream } from '../support/upstream.js';
import type { Upstream } from '../support/upstream.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const RASA_SPAN = '00f067aa0ba902b7';
const SLOT_VALUE = 'slot-value-6d2e';
const SECRET = 'api-key-0c3b';

const ACTIONS = `
version: 1
connections:
  api:
    base_url: \${UPSTREAM}
    retry: { attempts: 2, backoff: 10ms, max_backoff: 20ms }
    auth: { type: api_key, in: query, name: key, value: "\${SECRET}" }
actions:
  check_order:
    request: { connection: api, path: "/orders/{{ slots.order }}" }
    slots: { status: "{{ response.body.status }}" }
    responses:
      - response: utter_status
  check_flaky:
    request: { connection: api, path: /flaky }
    slots: { status: "{{ response.body.status }}" }
`;

/** `traceparent` as W3C has it: version, trace id, parent span id, flags. */
function parseTraceparent(value: unknown): { traceId: string; spanId: string; flags: string } {
  const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(String(value));
  if (m === null) throw new Error(`not a traceparent: ${String(value)}`);
  return { traceId: m[1], spanId: m[2], flags: m[3] };
}

const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

describe('tracing on', () => {
  const exporter = new InMemorySpanExporter();
  let upstream: Upstream;
  let server: ActionServer;
  let handle: ServerHandle;

  beforeAll(async () => {
    upstream = await startUpstream([
      { match: { path: `/orders/${SLOT_VALUE}` }, reply: { json: { status: 'shipped' } } },
      { match: { path: '/flaky' }, reply: { status: 503, json: {} }, times: 1 },
      { match: { path: '/flaky' }, reply: { json: { status: 'ok' } } },
    ]);
    server = await createActionServer({
      actionsFile: writeActionsFile(ACTIONS),
      env: { UPSTREAM: upstream.origin, SECRET },
      logger: silent,
      tracing: createTracing({ exporters: [exporter], batch: false }),
    });
    handle = await listen(server.app, { port: 0, hostname: '127.0.0.1', gracePeriodMs: 200 });
  });
  afterEach(() => exporter.reset());
  afterAll(async () => {
    await handle?.close();
    await server?.close();
    await upstream?.close();
  });

  it('continues the incoming trace through the webhook, the action and the attempt, and sends it upstream', async () => {
    const body = rasaCall('check_order', { slots: { order: SLOT_VALUE }, senderId: 'conv-1', messageId: 'msg-1' });
    const res = await post(handle.url, body, {
      'content-type': 'application/json',
      traceparent: `00-${TRACE_ID}-${RASA_SPAN}-01`,
      tracestate: 'rasa=1',
    });
    expect(res.status).toBe(200);
    await res.text();

    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).sort()).toEqual(['GET', 'POST /webhook', 'action check_order']);
    const webhook = spans.find((s) => s.name === 'POST /webhook') as ReadableSpan;
    const action = spans.find((s) => s.name === 'action check_order') as ReadableSpan;
    const attempt = spans.find((s) => s.name === 'GET') as ReadableSpan;
    for (const span of spans) expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(parentOf(webhook)).toBe(RASA_SPAN);
    expect(parentOf(action)).toBe(webhook.spanContext().spanId);
    expect(parentOf(attempt)).toBe(action.spanContext().spanId);
    expect(webhook.kind).toBe(SpanKind.SERVER);
    expect(attempt.kind).toBe(SpanKind.CLIENT);

    // rasa-sdk's attribute names, and the HTTP ones.
    expect(webhook.attributes).toMatchObject({
      next_action: 'check_order',
      sender_id: 'conv-1',
      message_id: 'msg-1',
      version: '3.13.4',
      'http.method': 'POST',
      'http.route': '/webhook',
      'http.request.method': 'POST',
      'http.response.status_code': 200,
    });
    expect(action.attributes).toMatchObject({
      action_name: 'check_order',
      sender_id: 'conv-1',
      message_id: 'msg-1',
      'slotwire.outcome': 'ok',
      events: '["slot"]',
      slots: '["status"]',
      utters: '["utter_status"]',
      message_count: 1,
    });
    expect(attempt.attributes).toMatchObject({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': upstream.port,
      'url.scheme': 'http',
      'slotwire.connection': 'api',
      'http.response.status_code': 200,
    });
    expect(webhook.resource.attributes['service.name']).toBe('slotwire');

    // The upstream got the attempt's context: same trace, the attempt as parent, Rasa's tracestate kept.
    const seen = upstream.seen.find((r) => r.url.startsWith('/orders/'));
    const sent = parseTraceparent(seen?.headers['traceparent']);
    expect(sent).toEqual({ traceId: TRACE_ID, spanId: attempt.spanContext().spanId, flags: '01' });
    expect(seen?.headers['tracestate']).toBe('rasa=1');
  });

  it('makes one span per attempt, the retry marked, each with its own traceparent upstream', async () => {
    const res = await post(handle.url, rasaCall('check_flaky'), {
      'content-type': 'application/json',
      traceparent: `00-${TRACE_ID}-${RASA_SPAN}-01`,
    });
    expect(res.status).toBe(200);
    await res.text();
    const attempts = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT);
    expect(attempts.map((s) => s.attributes['http.response.status_code'])).toEqual([503, 200]);
    expect(attempts[0]?.attributes['error.type']).toBe('503');
    expect(attempts[1]?.attributes['http.request.resend_count']).toBe(1);
    const sent = upstream.seen
      .filter((r) => r.url.startsWith('/flaky'))
      .map((r) => parseTraceparent(r.headers['traceparent']).spanId);
    expect(sent).toEqual(attempts.map((s) => s.spanContext().spanId));
  });

  it('starts a new trace when Rasa sends none', async () => {
    const res = await post(handle.url, rasaCall('check_order', { slots: { order: SLOT_VALUE } }), {
      'content-type': 'application/json',
    });
    await res.text();
    const webhook = exporter.getFinishedSpans().find((s) => s.name === 'POST /webhook') as ReadableSpan;
    expect(parentOf(webhook)).toBeUndefined();
    expect(webhook.spanContext().traceId).not.toBe(TRACE_ID);
    const last = upstream.seen.filter((r) => r.url.startsWith('/orders/')).at(-1);
    expect(parseTraceparent(last?.headers['traceparent']).traceId).toBe(webhook.spanContext().traceId);
  });

  it("keeps Rasa's decision not to sample, and still passes the trace on", async () => {
    const res = await post(handle.url, rasaCall('check_order', { slots: { order: SLOT_VALUE } }), {
      'content-type': 'application/json',
      traceparent: `00-${TRACE_ID}-${RASA_SPAN}-00`,
    });
    await res.text();
    expect(exporter.getFinishedSpans()).toEqual([]);
    const last = upstream.seen.filter((r) => r.url.startsWith('/orders/')).at(-1);
    expect(parseTraceparent(last?.headers['traceparent'])).toMatchObject({ traceId: TRACE_ID, flags: '00' });
  });

  it('puts no slot value, secret, path or query in any span', async () => {
    const res = await post(handle.url, rasaCall('check_order', { slots: { order: SLOT_VALUE } }), {
      'content-type': 'application/json',
    });
    await res.text();
    const text = JSON.stringify(
      exporter
        .getFinishedSpans()
        .map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
    );
    expect(text).toContain('check_order');
    for (const secret of [SLOT_VALUE, SECRET, '/orders', 'key=', 'shipped']) expect(text).not.toContain(secret);
  });

  it('does not trace probes and scrapes', async () => {
    for (const path of ['/health', '/ready', '/metrics', '/actions'])
      await (await fetch(`${handle.url}${path}`)).text();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});

describe('the webhook log line', () => {
  it('carries the trace id when tracing, to join logs and traces', async () => {
    const upstream = await startUpstream([
      { match: { path: `/orders/${SLOT_VALUE}` }, reply: { json: { status: 'shipped' } } },
    ]);
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    const server = await createActionServer({
      actionsFile: writeActionsFile(ACTIONS),
      env: { UPSTREAM: upstream.origin, SECRET },
      logger,
      tracing: createTracing({ exporters: [new InMemorySpanExporter()], batch: false }),
    });
    const handle = await listen(server.app, { port: 0, hostname: '127.0.0.1', gracePeriodMs: 200 });
    try {
      const res = await post(handle.url, rasaCall('check_order', { slots: { order: SLOT_VALUE } }), {
        'content-type': 'application/json',
        traceparent: `00-${TRACE_ID}-${RASA_SPAN}-01`,
      });
      await res.text();
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
      expect(lines.find((l) => l['msg'] === 'webhook')).toMatchObject({
        action: 'check_order',
        status: 200,
        trace_id: TRACE_ID,
      });
    } finally {
      await handle.close();
      await server.close();
      await upstream.close();
    }
  });
});

describe('tracing off', () => {
  it('sends no traceparent upstream, even when Rasa sent one', async () => {
    const upstream = await startUpstream([
      { match: { path: `/orders/${SLOT_VALUE}` }, reply: { json: { status: 'shipped' } } },
    ]);
    const server = await createActionServer({
      actionsFile: writeActionsFile(ACTIONS),
      env: { UPSTREAM: upstream.origin, SECRET },
      logger: silent,
    });
    const handle = await listen(server.app, { port: 0, hostname: '127.0.0.1', gracePeriodMs: 200 });
    try {
      const res = await post(handle.url, rasaCall('check_order', { slots: { order: SLOT_VALUE } }), {
        'content-type': 'application/json',
        traceparent: `00-${TRACE_ID}-${RASA_SPAN}-01`,
      });
      expect(res.status).toBe(200);
      await res.text();
      expect(upstream.seen).toHaveLength(1);
      expect(upstream.seen[0]?.headers['traceparent']).toBeUndefined();
    } finally {
      await handle.close();
      await server.close();
      await upstream.close();
    }
  });
});
