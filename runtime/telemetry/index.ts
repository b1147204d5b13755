/**
 * Telemetry: Prometheus metrics and OpenTelemetry traces of one served
 * engine, given to the engine, its HTTP client and the server as observers
 * (they know only the observer interfaces they declare). docs/operations.md.
 */
import type { Engine, EngineObserver } from '../engine/index.js';
import type { HttpObserver } from '../http/index.js';
import type { ServerObserver } from '../call-rules/index.js';
import type { FallbackObserver } from '../fallback/index.js';
import { createMetrics } from './metrics.js';
import type { Metrics } from './metrics.js';
import { engineObserver, httpObserver, serverObserver } from './observers.js';
import type { TracingChoice } from './tracing-env.js';
import type { Tracing, TracingOptions } from './tracing.js';

export { answerClusterMetrics, clusterMetricsSource } from './cluster.js';
export { createMetrics, processMetrics } from './metrics.js';
export type { Metrics, ReloadResult } from './metrics.js';
export { outcomeOf } from './observers.js';
export { tracingFromEnv } from './tracing-env.js';
export type { TracingChoice } from './tracing-env.js';
export type { Tracing, TracingOptions } from './tracing.js';

/** Options of {@link createTelemetry}. */
export interface TelemetryOptions {
  /** Keep Prometheus metrics. Default: true */
  readonly metrics?: boolean;
  /** Trace with it. Default: no tracing */
  readonly tracing?: Tracing | null;
}

/** The observers of one engine and its server; all undefined when nothing is kept. */
export interface Telemetry {
  readonly metrics: Metrics | null;
  readonly engine: EngineObserver | undefined;
  readonly http: HttpObserver | undefined;
  readonly server: ServerObserver | undefined;
  /** Counts forwarded and shadowed calls (metrics only). */
  readonly fallback: FallbackObserver | undefined;
  /** Reports `engine`'s reloads and what it serves (once it exists: it is built with the observers). */
  watch(engine: Pick<Engine, 'status' | 'onReload'>): void;
  /** Exports the spans still buffered and stops tracing. */
  close(): Promise<void>;
}

/** Creates the telemetry of one server. */
export function createTelemetry(options: TelemetryOptions = {}): Telemetry {
  const metrics = options.metrics === false ? null : createMetrics();
  const tracing = options.tracing ?? null;
  const on = metrics !== null || tracing !== null;
  return {
    metrics,
    engine: on ? engineObserver(metrics, tracing) : undefined,
    http: on ? httpObserver(metrics, tracing) : undefined,
    server: on ? serverObserver(metrics, tracing) : undefined,
    fallback:
      metrics === null
        ? undefined
        : { forwarded: metrics.fallbackCall.bind(metrics), shadowed: metrics.shadowCall.bind(metrics) },
    watch(engine) {
      if (metrics === null) return;
      metrics.serving(() => engine.status());
      engine.onReload((event) => metrics.reload(event.ok ? (event.changed ? 'ok' : 'unchanged') : 'refused'));
    },
    close: () => tracing?.shutdown() ?? Promise.resolve(),
  };
}

/**
 * Tracing as `choice` asks; null when it asks for none. The OpenTelemetry
 * SDK (tracing.ts) is loaded only then; the library's entry
 * (runtime/index.ts) exports its `createTracing` as it is.
 */
export async function tracingFor(
  choice: TracingChoice,
  options: Omit<TracingOptions, 'exporters'>,
): Promise<Tracing | null> {
  if (!choice.ok || (choice.otlp === null && !choice.console)) return null;
  const { createTracing, exportersFor } = await import('./tracing.js');
  return createTracing({ ...options, exporters: await exportersFor(choice) });
}
