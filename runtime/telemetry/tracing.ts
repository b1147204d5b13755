/**
 * OpenTelemetry tracing with the official JS SDK, configured as every OTel
 * SDK is: by the standard `OTEL_*` environment variables (endpoint,
 * headers, protocol, sampler, service name, resource attributes, batch
 * sizes), and off unless they ask for it. The provider is not registered
 * globally and there is no async context manager: the trace context is
 * passed by hand from the webhook's span to the action's to the attempts',
 * so tracing costs nothing when off and no async hooks when on.
 */
import { diag, DiagLogLevel, ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context, TextMapGetter, Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OTLPJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

/** What the environment asks for: no tracing, or an exporter. */
export type TracingChoice =
  | { readonly ok: true; readonly exporter: null }
  | { readonly ok: true; readonly exporter: 'otlp'; readonly protocol: 'http/protobuf' | 'http/json' }
  | { readonly ok: true; readonly exporter: 'console' }
  | { readonly ok: false; readonly error: string };

/** The OTLP protocols slotwire can export with. */
const PROTOCOLS = ['http/protobuf', 'http/json'] as const;

/**
 * Reads the standard variables. Tracing is on when an OTLP endpoint is set
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `…_TRACES_ENDPOINT`) or when
 * `OTEL_TRACES_EXPORTER` names `otlp` or `console`; `OTEL_SDK_DISABLED=true`
 * or `OTEL_TRACES_EXPORTER=none` turn it off. Unlike the spec's default
 * (otlp to localhost), nothing is sent unless asked: an action server
 * should not try a collector nobody runs.
 */
export function tracingFromEnv(env: Readonly<Record<string, string | undefined>>): TracingChoice {
  const off = { ok: true, exporter: null } as const;
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return off;
  const named = (env['OTEL_TRACES_EXPORTER'] ?? '').split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  if (named.includes('none')) return off;
  const unknown = named.find((name) => name !== 'otlp' && name !== 'console');
  if (unknown !== undefined) return { ok: false, error: `OTEL_TRACES_EXPORTER=${unknown} is not supported; use otlp, console or none` };
  if (named.includes('console')) return { ok: true, exporter: 'console' };
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (!named.includes('otlp') && (endpoint === undefined || endpoint.trim() === '')) return off;
  const protocol = (env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] ?? env['OTEL_EXPORTER_OTLP_PROTOCOL'] ?? 'http/protobuf').trim();
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    return { ok: false, error: `OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported; slotwire exports OTLP over HTTP: use http/protobuf (the default) or http/json` };
  }
  return { ok: true, exporter: 'otlp', protocol: protocol as (typeof PROTOCOLS)[number] };
}

/** A tracer, the W3C trace-context propagator, and the provider's shutdown. */
export interface Tracing {
  readonly tracer: Tracer;
  /** The context a request continues: its `traceparent`/`tracestate`, or a new root. */
  extract(header: (name: string) => string | undefined): Context;
  /** The headers that carry `context` to an upstream (`traceparent`, `tracestate`). */
  inject(context: Context): Record<string, string>;
  /** Exports what is still buffered (waiting 5 s at most), then stops; never rejects. */
  shutdown(): Promise<void>;
}

/** Options of {@link createTracing}. */
export interface TracingOptions {
  /** Where spans go. Default: what the environment chose */
  readonly exporter: SpanExporter;
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

/** The exporter a {@link TracingChoice} names (null: tracing off). */
export function exporterFor(choice: TracingChoice): SpanExporter | null {
  if (!choice.ok || choice.exporter === null) return null;
  if (choice.exporter === 'console') return new ConsoleSpanExporter();
  // Endpoint, headers, timeout and compression come from OTEL_EXPORTER_OTLP_* in the process environment.
  return choice.protocol === 'http/json' ? new OTLPJsonExporter() : new OTLPProtoExporter();
}

const propagator = new W3CTraceContextPropagator();

/**
 * Starts a tracer provider around `exporter`. The resource is
 * `service.name=slotwire` unless `OTEL_SERVICE_NAME` or
 * `OTEL_RESOURCE_ATTRIBUTES` say otherwise; the sampler is the SDK's
 * (`OTEL_TRACES_SAMPLER`, default parent-based always-on, so Rasa's
 * sampling decision holds).
 */
export function createTracing(options: TracingOptions): Tracing {
  const { exporter, batch = true, version, onError } = options;
  if (onError !== undefined) {
    // The SDK reports export failures through its diagnostics logger, which is process-wide.
    const report = (message: string): void => onError(message);
    diag.disable();
    diag.setLogger({ error: report, warn: report, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
  }
  const base = resourceFromAttributes({ 'service.name': 'slotwire', ...(version === undefined ? {} : { 'service.version': version }) });
  const provider = new BasicTracerProvider({
    resource: base.merge(detectResources({ detectors: [envDetector] })),
    spanProcessors: [batch ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('slotwire', version);
  return {
    tracer,
    extract(header) {
      const getter: TextMapGetter<null> = { keys: () => ['traceparent', 'tracestate'], get: (_carrier, key) => header(key) };
      return propagator.extract(ROOT_CONTEXT, null, getter);
    },
    inject(context) {
      const headers: Record<string, string> = {};
      propagator.inject(context, headers, { set: (carrier, key, value) => void (carrier[key] = value) });
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
