/**
 * OpenTelemetry tracing with the official JS SDK, configured as every OTel
 * SDK is: by the standard `OTEL_*` environment variables (endpoint,
 * headers, protocol, sampler, service name, resource attributes, batch
 * sizes), and off unless they ask for it. The provider is not registered
 * globally and there is no async context manager: the trace context is
 * passed by hand from the webhook's span to the action's to the attempts',
 * so tracing costs nothing when off and no async hooks when on.
 */
import { diag, DiagLogLevel, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span, TextMapGetter, TextMapSetter, Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { TracingChoice } from './tracing-env.js';

/** A tracer, the W3C trace-context propagator, and the provider's shutdown. */
export interface Tracing {
  readonly tracer: Tracer;
  /**
   * Starts a span under `parent` (a new trace without one), with the
   * context that carries it on. Here, not in the observers, so that only
   * a server that traces loads the OpenTelemetry API.
   */
  start(
    name: string,
    kind: 'server' | 'internal' | 'client',
    attributes: Attributes,
    parent?: Context,
  ): { readonly span: Span; readonly context: Context };
  /** Marks `span` failed. */
  fail(span: Span, message?: string): void;
  /** The context a request continues: its `traceparent`/`tracestate`, or a new root. */
  extract(header: (name: string) => string | undefined): Context;
  /** The headers that carry `context` to an upstream (`traceparent`, `tracestate`). */
  inject(context: Context): Record<string, string>;
  /** Exports what is still buffered (waiting 5 s at most), then stops; never rejects. */
  shutdown(): Promise<void>;
}

/** Options of {@link createTracing}. */
export interface TracingOptions {
  /** Where spans go (`exportersFor`, or your own, e.g. an InMemorySpanExporter in tests). */
  readonly exporters: readonly SpanExporter[];
  /** Batch spans (OTEL_BSP_* settings) rather than export each as it ends. Default: true */
  readonly batch?: boolean;
  /** service.version on the resource. Default: none */
  readonly version?: string;
  /**
   * Told when spans could not be exported (a collector down or refusing):
   * one line per failed batch, never a failed call. Default: nowhere
   */
  readonly onError?: (message: string) => void;
}

/** How long closing waits for the last spans to go out: a dead collector must not hold up a SIGTERM. */
const SHUTDOWN_WAIT_MS = 5_000;

/**
 * The exporters a {@link TracingChoice} names, each loaded when first
 * named; none: tracing off. The OTLP exporter reads its endpoint, headers,
 * timeout and compression from OTEL_EXPORTER_OTLP_* in `process.env` (the
 * SDK's rule), so pass `process.env` to {@link tracingFromEnv} too.
 */
export async function exportersFor(choice: TracingChoice): Promise<SpanExporter[]> {
  if (!choice.ok) return [];
  const exporters: SpanExporter[] = [];
  // Each OTLP exporter (with the OTLP transformer) is loaded only when the
  // protocol asks for it; literal specifiers, so the executable's bundle
  // holds each as a chunk of its own (scripts/build-bundle.mjs).
  if (choice.otlp !== null) {
    const { OTLPTraceExporter } =
      choice.otlp === 'http/json'
        ? await import('@opentelemetry/exporter-trace-otlp-http')
        : await import('@opentelemetry/exporter-trace-otlp-proto');
    exporters.push(new OTLPTraceExporter());
  }
  if (choice.console) exporters.push(new ConsoleSpanExporter());
  return exporters;
}

const propagator = new W3CTraceContextPropagator();

// The propagator's getter and setter, made once: the carrier in is a header reader, the carrier out a record.
type HeaderReader = (name: string) => string | undefined;
const TRACE_HEADERS = ['traceparent', 'tracestate'];
const headerGetter: TextMapGetter<HeaderReader> = { keys: () => TRACE_HEADERS, get: (header, key) => header(key) };
const recordSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => void (carrier[key] = value),
};

const KINDS = { server: SpanKind.SERVER, internal: SpanKind.INTERNAL, client: SpanKind.CLIENT } as const;

/**
 * Starts a tracer provider around `exporters`. The resource is
 * `service.name=slotwire` unless `OTEL_SERVICE_NAME` or
 * `OTEL_RESOURCE_ATTRIBUTES` say otherwise; the sampler is the SDK's
 * (`OTEL_TRACES_SAMPLER`, default parent-based always-on, so Rasa's
 * sampling decision holds).
 */
export function createTracing(options: TracingOptions): Tracing {
  const { exporters, batch = true, version, onError } = options;
  if (onError !== undefined) {
    // The SDK reports export failures through its diagnostics logger, which is process-wide.
    const report = (message: string): void => onError(message);
    diag.disable();
    diag.setLogger({ error: report, warn: report, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
  }
  const base = resourceFromAttributes({
    'service.name': 'slotwire',
    ...(version === undefined ? {} : { 'service.version': version }),
  });
  const provider = new BasicTracerProvider({
    resource: base.merge(detectResources({ detectors: [envDetector] })),
    spanProcessors: exporters.map((exporter) =>
      batch ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter),
    ),
  });
  const tracer = provider.getTracer('slotwire', version);
  return {
    tracer,
    start(name, kind, attributes, parent = ROOT_CONTEXT) {
      const span = tracer.startSpan(name, { kind: KINDS[kind], attributes }, parent);
      return { span, context: trace.setSpan(parent, span) };
    },
    fail(span, message) {
      span.setStatus(message === undefined ? { code: SpanStatusCode.ERROR } : { code: SpanStatusCode.ERROR, message });
    },
    extract(header) {
      return propagator.extract(ROOT_CONTEXT, header, headerGetter);
    },
    inject(context) {
      const headers: Record<string, string> = {};
      propagator.inject(context, headers, recordSetter);
      return headers;
    },
    async shutdown() {
      let timer: NodeJS.Timeout | undefined;
      let gaveUp = false;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          gaveUp = true;
          onError?.(`spans not exported within ${SHUTDOWN_WAIT_MS / 1000} s of closing were dropped`);
          resolve();
        }, SHUTDOWN_WAIT_MS);
      });
      const flushed = provider.shutdown().catch((err: unknown) => {
        if (!gaveUp) onError?.(`the last spans could not be exported: ${(err as Error).message}`);
      });
      await Promise.race([flushed, waited]);
      clearTimeout(timer);
    },
  };
}
