// gRPC calls in traces and metrics (createActionServer's observer handed to
// listenGrpc): the traceparent Rasa sends as metadata goes on through the
// call's server span, the action's and the upstream attempt's; the request
// metrics label the call with its RPC path and gRPC's HTTP mapping of its status.
import { Metadata, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionServer, createTracing, listenGrpc } from '../../runtime/index.js';
import type { ActionServer, GrpcServerHandle } from '../../runtime/index.js';
import { silent } from '../server/helpers.js';
import { writeActionsFile } from '../support/actions-file.js';
import { startUpstream } from '../support/upstream.js';
import type { Upstream } from '../support/upstream.js';
import { clients, plain, request } from './helpers.js';
import type { Clients } from './helpers.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const RASA_SPAN = '00f067aa0ba902b7';
const ROUTE = '/action_server_webhook.ActionService/Webhook';

const ACTIONS = `version: 1
connections:
  api:
    base_url: \${UPSTREAM}
actions:
  check_order:
    request: { connection: api, path: /orders/1 }
    slots: { status: "{{ response.body.status }}" }
`;

const exporter = new InMemorySpanExporter();
let upstream: Upstream;
let server: ActionServer;
let handle: GrpcServerHandle;
let client: Clients;

beforeAll(async () => {
  upstream = await startUpstream([{ match: { path: '/orders/1' }, reply: { json: { status: 'shipped' } } }]);
  server = await createActionServer({
    actionsFile: writeActionsFile(ACTIONS),
    env: { UPSTREAM: upstream.origin },
    logger: silent,
    tracing: createTracing({ exporters: [exporter], batch: false }),
  });
  handle = await listenGrpc(
    { engine: server.engine, logger: silent, observer: server.observer ?? undefined },
    { port: 0, hostname: '127.0.0.1' },
  );
  client = clients(`127.0.0.1:${handle.port}`);
});

afterAll(async () => {
  client?.close();
  await handle?.close();
  await server?.close();
  await upstream?.close();
});

describe('gRPC telemetry', () => {
  it('continues the trace Rasa sends as metadata through the call, the action and the attempt', async () => {
    const metadata = new Metadata();
    metadata.set('traceparent', `00-${TRACE_ID}-${RASA_SPAN}-01`);
    const response = await client.webhookWith(request('check_order'), metadata);
    expect(plain(response).events).toEqual([{ event: 'slot', timestamp: null, name: 'status', value: 'shipped' }]);
    const spans = exporter.getFinishedSpans();
    const call = spans.find((s) => s.name === `POST ${ROUTE}`) as ReadableSpan;
    const action = spans.find((s) => s.name === 'action check_order') as ReadableSpan;
    expect(call.kind).toBe(SpanKind.SERVER);
    for (const span of spans) expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(call.parentSpanContext?.spanId).toBe(RASA_SPAN);
    expect(action.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
    expect(call.attributes).toMatchObject({
      next_action: 'check_order',
      'http.route': ROUTE,
      'http.response.status_code': 200,
    });
    expect(upstream.seen.at(-1)?.headers['traceparent']).toMatch(new RegExp(`^00-${TRACE_ID}-`));
  });

  it('labels the request metrics with the RPC path and the HTTP form of the status', async () => {
    const err = await client.webhook(request('no_such_action')).then(
      () => null,
      (e: ServiceError) => e,
    );
    expect(err?.code).toBe(status.NOT_FOUND);
    const text = (await server.metrics?.text()) ?? '';
    expect(text).toMatch(new RegExp(`http_route="${ROUTE}",http_response_status_code="200"`));
    expect(text).toMatch(new RegExp(`http_route="${ROUTE}",http_response_status_code="404"`));
  });
});
