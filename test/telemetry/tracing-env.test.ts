// Which OTEL_* settings turn tracing on, and with which exporters.
import { describe, expect, it } from 'vitest';
import { tracingFromEnv } from '../../runtime/index.js';

describe('tracingFromEnv', () => {
  it.each([
    [{}, { ok: true, otlp: null, console: false }],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }, { ok: true, otlp: 'http/protobuf', console: false }],
    [
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
      { ok: true, otlp: 'http/json', console: false },
    ],
    [
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      },
      { ok: true, otlp: 'http/json', console: false },
    ],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' }, { ok: true, otlp: null, console: false }],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }, { ok: true, otlp: 'http/protobuf', console: false }],
    [{ OTEL_TRACES_EXPORTER: 'console' }, { ok: true, otlp: null, console: true }],
    [
      { OTEL_TRACES_EXPORTER: 'console', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
      { ok: true, otlp: null, console: true },
    ],
    [{ OTEL_TRACES_EXPORTER: 'otlp, Console' }, { ok: true, otlp: 'http/protobuf', console: true }],
    [
      { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
      { ok: true, otlp: null, console: false },
    ],
    [
      { OTEL_SDK_DISABLED: 'TRUE', OTEL_TRACES_EXPORTER: 'otlp' },
      { ok: true, otlp: null, console: false },
    ],
  ])('%j → %j', (env, choice) => {
    expect(tracingFromEnv(env)).toEqual(choice);
  });

  it.each([
    [{ OTEL_TRACES_EXPORTER: 'jaeger' }, 'OTEL_TRACES_EXPORTER=jaeger is not supported; use otlp, console or none'],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      'OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported; slotwire exports OTLP over HTTP: use http/protobuf (the default) or http/json',
    ],
    [
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' },
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc is not supported; slotwire exports OTLP over HTTP: use http/protobuf (the default) or http/json',
    ],
  ])('%j is refused', (env, error) => {
    expect(tracingFromEnv(env)).toEqual({ ok: false, error });
  });
});
