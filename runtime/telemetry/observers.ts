/**
 * The observers the engine, the HTTP client and the server are given:
 * each event becomes a metric sample and, when tracing, a span. Spans
 * nest by hand (tracing.ts): the webhook's span is the parent of the
 * action's, which is the parent of each upstream attempt's, and the
 * attempt's context goes upstream as `traceparent`.
 *
 * Span attributes hold names, ids, kinds and codes, never values: no slot
 * value, no message text, no URL path or query (paths carry slot values),
 * no header. The webhook span has rasa-sdk's attribute names (`next_action`,
 * `sender_id`, `message_id`, `version`, `http.method`, `http.route`), the
 * action's too (`action_name`, `sender_id`, and `events`, `slots`, `utters`,
 * `message_count` as rasa-sdk's executor sets them: names only).
 */
import type { Attributes, Context, Span } from '@opentelemetry/api';
import type { ActionInfo, EngineObserver, RunResult } from '../engine/index.js';
import type { HttpObserver } from '../http/index.js';
import type { ActionInput } from '../rasa/index.js';
import type { RequestWatch, ServerObserver } from '../call-rules/index.js';
import type { Metrics } from './metrics.js';
import type { Tracing } from './tracing.js';

/** Methods kept as labels; any other is `_OTHER` (OpenTelemetry's rule, bounded labels). */
const METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'CONNECT',
  'TRACE',
]);

const seconds = (startedMs: number): number => (performance.now() - startedMs) / 1000;

/** How a run ended, as a label: `ok`, the error kind, `rejected`, `held`, or `crashed` (it threw). */
export function outcomeOf(result: RunResult | null): string {
  if (result === null) return 'crashed';
  const { outcome } = result;
  return outcome.status === 'error' ? outcome.error.kind : outcome.status;
}

/** The server's observer. */
export function serverObserver(metrics: Metrics | null, tracing: Tracing | null): ServerObserver {
  return {
    request(rawMethod, route, header, traced): RequestWatch {
      const started = performance.now();
      const method = METHODS.has(rawMethod) ? rawMethod : '_OTHER';
      let span: Span | null = null;
      let context: Context | undefined;
      if (tracing !== null && traced) {
        ({ span, context } = tracing.start(
          `${method} ${route}`,
          'server',
          { 'http.request.method': method, 'http.method': method, 'http.route': route },
          tracing.extract(header),
        ));
      }
      return {
        trace: context,
        traceId: span?.spanContext().traceId,
        call(call) {
          if (span?.isRecording()) span.setAttributes(callAttributes(call));
        },
        forwarded() {
          if (span === null || context === undefined) return {};
          span.setAttribute('slotwire.served_by', 'fallback');
          return tracing?.inject(context) ?? {};
        },
        end(status) {
          metrics?.serverRequest(method, route, status, seconds(started));
          if (span === null || tracing === null) return;
          span.setAttribute('http.response.status_code', status);
          if (status >= 500) tracing.fail(span);
          span.end();
        },
      };
    },
  };
}

/** rasa-sdk's webhook span attributes (rasa_sdk/tracing/utils.py, set_span_attributes). */
function callAttributes(call: Record<string, unknown>): Attributes {
  const tracker = (call['tracker'] ?? {}) as Record<string, unknown>;
  const latest = (tracker['latest_message'] ?? {}) as Record<string, unknown>;
  const attributes: Attributes = {};
  for (const [name, value] of [
    ['next_action', call['next_action']],
    ['version', call['version']],
    ['sender_id', tracker['sender_id']],
    ['message_id', latest['message_id'] ?? 'None'],
  ] as const) {
    if (typeof value === 'string') attributes[name] = value;
  }
  return attributes;
}

/** The engine's observer. */
export function engineObserver(metrics: Metrics | null, tracing: Tracing | null): EngineObserver {
  return {
    run(action: ActionInfo, input: ActionInput, parent: Context | undefined) {
      const started = performance.now();
      let span: Span | null = null;
      let context: Context | undefined;
      if (tracing !== null) {
        const messageId = input.tracker.latest_message?.['message_id'];
        ({ span, context } = tracing.start(
          `action ${action.name}`,
          'internal',
          {
            action_name: action.name,
            sender_id: input.senderId,
            message_id: typeof messageId === 'string' ? messageId : 'None',
            'slotwire.action.kind': action.kind,
          },
          parent,
        ));
      }
      return {
        trace: context,
        end(result) {
          const outcome = outcomeOf(result);
          metrics?.action(action.name, outcome, seconds(started));
          if (span === null || tracing === null) return;
          span.setAttribute('slotwire.outcome', outcome);
          if (result !== null) span.setAttributes(resultAttributes(result));
          if (result === null) tracing.fail(span, 'the action threw');
          else if (result.outcome.status === 'error') {
            span.setAttribute('error.type', result.outcome.error.kind);
            tracing.fail(span, result.outcome.error.code);
          }
          span.end();
        },
      };
    },
    storeUnavailable: (use) => metrics?.storeUnavailable(use),
  };
}

/** rasa-sdk's executor attributes (attribute_extractors.py): event types, slot names, response names, message count. */
function resultAttributes(result: RunResult): Attributes {
  const events = new Set<string>();
  const slots = new Set<string>();
  for (const e of result.events) {
    events.add(e.event);
    if (e.event === 'slot' && e.name !== 'requested_slot') slots.add(e.name);
  }
  const utters = result.responses.map((m) => m.response).filter((r): r is string => typeof r === 'string' && r !== '');
  return {
    events: JSON.stringify([...events]),
    slots: JSON.stringify([...slots]),
    utters: JSON.stringify(utters),
    message_count: result.responses.length,
  };
}

/** The HTTP client's observer. */
export function httpObserver(metrics: Metrics | null, tracing: Tracing | null): HttpObserver {
  // The server attributes of an origin, parsed once: origins are the connections' (bounded).
  const servers = new Map<string, Attributes>();
  const serverOf = (origin: string): Attributes => {
    let attributes = servers.get(origin);
    if (attributes === undefined) {
      const url = new URL(origin);
      attributes = {
        'server.address': url.hostname,
        'server.port': url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
        'url.scheme': url.protocol.slice(0, -1),
      };
      servers.set(origin, attributes);
    }
    return attributes;
  };
  return {
    attempt(connection, method, origin, attempt, parent) {
      const started = performance.now();
      let span: Span | null = null;
      let headers: Record<string, string> | null = null;
      if (tracing !== null && parent !== undefined) {
        const started = tracing.start(
          method,
          'client',
          {
            'http.request.method': method,
            ...serverOf(origin),
            'slotwire.connection': connection,
            ...(attempt > 1 ? { 'http.request.resend_count': attempt - 1 } : {}),
          },
          parent,
        );
        span = started.span;
        headers = tracing.inject(started.context);
      }
      return {
        headers,
        end(status, error) {
          metrics?.attempt(connection, method, status, error?.kind ?? null, seconds(started));
          if (span === null || tracing === null) return;
          if (status !== null) span.setAttribute('http.response.status_code', status);
          if (error !== null) {
            span.setAttribute('error.type', error.kind === 'status' && status !== null ? String(status) : error.kind);
            tracing.fail(span, error.code);
          }
          span.end();
        },
      };
    },
    retry: (connection) => metrics?.retry(connection),
    cache: (connection, hit) => metrics?.cache(connection, hit),
    breaker: (connection, state) => metrics?.breaker(connection, state),
    tokenFetch: (connection, ok) => metrics?.tokenFetch(connection, ok),
  };
}
