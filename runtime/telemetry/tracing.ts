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
import { createRequire } from 'node:module';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * The OTLP exporters (with protobufjs and the OTLP transformer, about a
 * quarter of a second of CPU to load) are required only when tracing asks
 * for them: a server without tracing does not pay for them at start-up.
 */
const require = createRequire(import.meta.url);
type Exporters = { OTLPTraceExporter: new () => SpanExporter };

/** What the environment asks for: where spans go (none: tracing off), or why it cannot be done. */
export type TracingChoice =
  | { readonly ok: true; readonly otlp: 'http/protobuf' | 'http/json' | null; readonly console: boolean }
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
  const off = { ok: true, otlp: null, console: false } as const;
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return off;
  const named = (env['OTEL_TRACES_EXPORTER'] ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (named.includes('none')) return off;
  const unknown = named.find((name) => name !== 'otlp' && name !== 'console');
  if (unknown !== undefined)
    return { ok: false, error: `OTEL_TRACES_EXPORTER=${unknown} is not supported; use otlp, console or none` };
  const console = named.includes('console');
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  // An endpoint alone turns OTLP on, unless OTEL_TRACES_EXPORTER names other exporters only.
  const otlp = named.includes('otlp') || (named.length === 0 && endpoint !== undefined && endpoint.trim() !== '');
  if (!otlp) return { ok: true, otlp: null, console };
  const variable =
    env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] === undefined
      ? 'OTEL_EXPORTER_OTLP_PROTOCOL'
      : 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL';
  const protocol = (env[variable] ?? 'http/protobuf').trim();
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    return {
      ok: false,
      error: `${variable}=${protocol} is not supported; slotwire exports OTLP over HTTP: use http/protobuf (the default) or http/json`,
    };
  }
  return { ok: true, otlp: protocol as (typeof PROTOCOLS)[number], console };
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
 * The exporters a {@link TracingChoice} names; none: tracing off. The OTLP
 * exporter reads its endpoint, headers, timeout and compression from
 * OTEL_EXPORTER_OTLP_* in `process.env` (the SDK's rule), so pass
 * `process.env` to {@link tracingFromEnv} too.
 */
export function exportersFor(choice: TracingChoice): SpanExporter[] {
  if (!choice.ok) return [];
  const exporters: SpanExporter[] = [];
  if (choice.otlp !== null) {
    const name =
      choice.otlp === 'http/json'
        ? '@opentelemetry/exporter-trace-otlp-http'
        : '@opentelemetry/exporter-trace-otlp-proto';
    const { OTLPTraceExporter } = require(name) as Exporters;
    exporters.push(new OTLPTraceExporter());
  }
  if (choice.console) exporters.push(new ConsoleSpanExporter());
  return exporters;
}

const propagator = new W3CTraceContextPropagator();

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
    extract(header) {
      const getter: TextMapGetter<null> = {
        keys: () => ['traceparent', 'tracestate'],
        get: (_carrier, key) => header(key),
      };
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
