/**
 * Whether to trace, and where to: read from the standard `OTEL_*`
 * variables, apart from the SDK (tracing.ts), which a server that does not
 * trace never loads.
 */
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
