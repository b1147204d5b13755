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
import type { ActionInfo, EngineObserver, RunResult, RunWatch } from '../engine/index.js';
import type { AttemptWatch, HttpError, HttpMethod, HttpObserver } from '../http/index.js';
import type { ActionInput } from '../rasa/index.js';
import type { RequestWatch, ServerObserver } from '../call-rules/index.js';
import type { Metrics } from './metrics.js';
import { ResultAttributes } from './result-attributes.js';
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
      const method = METHODS.has(rawMethod) ? rawMethod : '_OTHER';
      if (tracing === null || !traced) return new ServerWatch(metrics, method, route, null, undefined, null);
      const { span, context } = tracing.start(
        `${method} ${route}`,
        'server',
        { 'http.request.method': method, 'http.method': method, 'http.route': route },
        tracing.extract(header),
      );
      return new ServerWatch(metrics, method, route, span, context, tracing);
    },
  };
}

// The watches are classes, not object literals of closures: three are made
// per webhook call, each one object instead of an object and four closures.

/** One request on the server: its duration metric and, when traced, its span. */
class ServerWatch implements RequestWatch {
  private readonly started = performance.now();
  readonly traceId: string | undefined;

  private readonly metrics: Metrics | null;
  private readonly method: string;
  private readonly route: string;
  private readonly span: Span | null;
  readonly trace: Context | undefined;
  private readonly tracing: Tracing | null;

  constructor(
    metrics: Metrics | null,
    method: string,
    route: string,
    span: Span | null,
    trace: Context | undefined,
    tracing: Tracing | null,
  ) {
    this.metrics = metrics;
    this.method = method;
    this.route = route;
    this.span = span;
    this.trace = trace;
    this.tracing = tracing;
    this.traceId = span?.spanContext().traceId;
  }

  call(call: Record<string, unknown>): void {
    if (this.span?.isRecording()) setCallAttributes(this.span, call);
  }

  forwarded(): Readonly<Record<string, string>> {
    if (this.span === null || this.trace === undefined) return {};
    this.span.setAttribute('slotwire.served_by', 'fallback');
    return this.tracing?.inject(this.trace) ?? {};
  }

  end(status: number): void {
    this.metrics?.serverRequest(this.method, this.route, status, seconds(this.started));
    const { span } = this;
    if (span === null || this.tracing === null) return;
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) this.tracing.fail(span);
    span.end();
  }
}

/** rasa-sdk's webhook span attributes (rasa_sdk/tracing/utils.py, set_span_attributes): those that are strings. */
function setCallAttributes(span: Span, call: Record<string, unknown>): void {
  const tracker = (call['tracker'] ?? {}) as Record<string, unknown>;
  const latest = (tracker['latest_message'] ?? {}) as Record<string, unknown>;
  setString(span, 'next_action', call['next_action']);
  setString(span, 'version', call['version']);
  setString(span, 'sender_id', tracker['sender_id']);
  setString(span, 'message_id', latest['message_id'] ?? 'None');
}

function setString(span: Span, name: string, value: unknown): void {
  if (typeof value === 'string') span.setAttribute(name, value);
}

/** The engine's observer. */
export function engineObserver(metrics: Metrics | null, tracing: Tracing | null): EngineObserver {
  // Per action of a served version: a reload's new ActionInfo starts afresh, the old one's is dropped with it.
  const spans = new WeakMap<ActionInfo, ActionSpans>();
  const spansOf = (action: ActionInfo): ActionSpans => {
    let kept = spans.get(action);
    if (kept === undefined) {
      kept = { name: `action ${action.name}`, results: new ResultAttributes() };
      spans.set(action, kept);
    }
    return kept;
  };
  return {
    run(action: ActionInfo, input: ActionInput, parent: Context | undefined): RunWatch {
      if (tracing === null) return new ActionWatch(metrics, null, action.name, null, undefined, null);
      const messageId = input.tracker.latest_message?.['message_id'];
      const kept = spansOf(action);
      const { span, context } = tracing.start(
        kept.name,
        'internal',
        {
          action_name: action.name,
          sender_id: input.senderId,
          message_id: typeof messageId === 'string' ? messageId : 'None',
          'slotwire.action.kind': action.kind,
        },
        parent,
      );
      return new ActionWatch(metrics, tracing, action.name, span, context, kept.results);
    },
    storeUnavailable: (use) => metrics?.storeUnavailable(use),
  };
}

/** What one action's spans share, made once per action. */
interface ActionSpans {
  readonly name: string;
  readonly results: ResultAttributes;
}

/** One action run: its duration metric by outcome and, when traced, its span. */
class ActionWatch implements RunWatch {
  private readonly started = performance.now();

  private readonly metrics: Metrics | null;
  private readonly tracing: Tracing | null;
  private readonly action: string;
  private readonly span: Span | null;
  readonly trace: Context | undefined;
  private readonly results: ResultAttributes | null;

  constructor(
    metrics: Metrics | null,
    tracing: Tracing | null,
    action: string,
    span: Span | null,
    trace: Context | undefined,
    results: ResultAttributes | null,
  ) {
    this.metrics = metrics;
    this.tracing = tracing;
    this.action = action;
    this.span = span;
    this.trace = trace;
    this.results = results;
  }

  end(result: RunResult | null): void {
    const outcome = outcomeOf(result);
    this.metrics?.action(this.action, outcome, seconds(this.started));
    const { span, tracing } = this;
    if (span === null || tracing === null) return;
    span.setAttribute('slotwire.outcome', outcome);
    if (result !== null && this.results !== null && span.isRecording()) span.setAttributes(this.results.of(result));
    if (result === null) tracing.fail(span, 'the action threw');
    else if (result.outcome.status === 'error') {
      span.setAttribute('error.type', result.outcome.error.kind);
      tracing.fail(span, result.outcome.error.code);
    }
    span.end();
  }
}

/** Where an attempt goes, as its span's `server.address`, `server.port` and `url.scheme`. */
interface Server {
  readonly address: string;
  readonly port: number;
  readonly scheme: string;
}

/** The HTTP client's observer. */
export function httpObserver(metrics: Metrics | null, tracing: Tracing | null): HttpObserver {
  // The server attributes of an origin, parsed once: origins are the connections' (bounded).
  const servers = new Map<string, Server>();
  const serverOf = (origin: string): Server => {
    let server = servers.get(origin);
    if (server === undefined) {
      const url = new URL(origin);
      server = {
        address: url.hostname,
        port: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
        scheme: url.protocol.slice(0, -1),
      };
      servers.set(origin, server);
    }
    return server;
  };
  return {
    attempt(connection, method, origin, attempt, parent): AttemptWatch {
      if (tracing === null || parent === undefined)
        return new UpstreamWatch(metrics, null, connection, method, null, null);
      const server = serverOf(origin);
      // One literal, no spread: spreading into an object literal takes V8's slow path.
      const attributes: Attributes = {
        'http.request.method': method,
        'server.address': server.address,
        'server.port': server.port,
        'url.scheme': server.scheme,
        'slotwire.connection': connection,
      };
      if (attempt > 1) attributes['http.request.resend_count'] = attempt - 1;
      const { span, context } = tracing.start(method, 'client', attributes, parent);
      return new UpstreamWatch(metrics, tracing, connection, method, span, tracing.inject(context));
    },
    retry: (connection) => metrics?.retry(connection),
    cache: (connection, hit) => metrics?.cache(connection, hit),
    breaker: (connection, state) => metrics?.breaker(connection, state),
    tokenFetch: (connection, ok) => metrics?.tokenFetch(connection, ok),
  };
}

/** One upstream attempt: its duration metric and, when traced, its span (whose context goes upstream in `headers`). */
class UpstreamWatch implements AttemptWatch {
  private readonly started = performance.now();

  private readonly metrics: Metrics | null;
  private readonly tracing: Tracing | null;
  private readonly connection: string;
  private readonly method: HttpMethod;
  private readonly span: Span | null;
  readonly headers: Readonly<Record<string, string>> | null;

  constructor(
    metrics: Metrics | null,
    tracing: Tracing | null,
    connection: string,
    method: HttpMethod,
    span: Span | null,
    headers: Readonly<Record<string, string>> | null,
  ) {
    this.metrics = metrics;
    this.tracing = tracing;
    this.connection = connection;
    this.method = method;
    this.span = span;
    this.headers = headers;
  }

  end(status: number | null, error: HttpError | null): void {
    this.metrics?.attempt(this.connection, this.method, status, error?.kind ?? null, seconds(this.started));
    const { span, tracing } = this;
    if (span === null || tracing === null) return;
    if (status !== null) span.setAttribute('http.response.status_code', status);
    if (error !== null) {
      span.setAttribute('error.type', error.kind === 'status' && status !== null ? String(status) : error.kind);
      tracing.fail(span, error.code);
    }
    span.end();
  }
}
