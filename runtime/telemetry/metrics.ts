/**
 * The Prometheus metrics of one server, with prom-client: the de facto
 * Node client (text format, histograms, default process metrics, and the
 * cluster aggregation `--workers` needs), so none of that is ours to keep.
 * Names follow OpenTelemetry's HTTP semantic conventions in Prometheus form
 * where one exists (`http_server_request_duration_seconds`); the rest are
 * `slotwire_*`. docs/operations.md lists every series.
 *
 * Every label value is bounded: routes from a fixed list, methods, status
 * codes, action and connection names from the served file, outcome and
 * error kinds from the code. Never a slot value, a path or a sender id.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { EngineStatus } from '../engine/index.js';
import type { BreakerState } from '../http/index.js';
import { SeriesHistogram } from './histogram.js';

/** OpenTelemetry's advice for HTTP durations, in seconds (also used for actions). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const BREAKER_STATES: readonly BreakerState[] = ['closed', 'open', 'half_open'];

/** How a reload ended: a new version served, the same file again, or refused (the old one serves on). */
export type ReloadResult = 'ok' | 'unchanged' | 'refused';

/** What the observers record; one instance per served engine. */
export interface Metrics {
  /** This server's series (not the process's). */
  readonly registry: Registry;
  /** The content type of {@link Metrics.text}. */
  readonly contentType: string;
  serverRequest(method: string, route: string, status: number, seconds: number): void;
  /** @param outcome - `ok`, an error kind, `rejected`, `held` or `crashed` */
  action(name: string, outcome: string, seconds: number): void;
  /** @param status - the status that came back, null when none; @param errorKind - the error kind, null on success */
  attempt(connection: string, method: string, status: number | null, errorKind: string | null, seconds: number): void;
  retry(connection: string): void;
  cache(connection: string, hit: boolean): void;
  breaker(connection: string, state: BreakerState): void;
  tokenFetch(connection: string, ok: boolean): void;
  reload(result: ReloadResult): void;
  /** The shared state store could not answer for `use` (token, cache, dedupe). */
  storeUnavailable(use: string): void;
  /** A call forwarded to the fallback action server: its HTTP status, or `timeout`, `unreachable`, `too_large`. */
  fallbackCall(action: string, status: string, seconds: number): void;
  /** A shadowed call compared: `same`, `different` or `error`. */
  shadowCall(action: string, result: string): void;
  /** Reads what is served from `status` at each scrape. */
  serving(status: () => EngineStatus): void;
  /** A scrape: this server's series and the process's. */
  text(): Promise<string>;
}

let processRegistry: Registry | null = null;

/**
 * Process metrics (CPU, memory, GC, event-loop lag…) exist once per
 * process: each `collectDefaultMetrics` starts its own event-loop monitor
 * that is never stopped, so servers in one process share these.
 */
export function processMetrics(): Registry {
  if (processRegistry === null) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Creates the metrics of one server. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];

  const serverDuration = new SeriesHistogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests.',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const actionDuration = new SeriesHistogram({
    name: 'slotwire_action_duration_seconds',
    help: 'Duration of action runs, by action and outcome (ok, an error kind, rejected, held, crashed).',
    labelNames: ['action', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const clientDuration = new SeriesHistogram({
    name: 'http_client_request_duration_seconds',
    help: 'Duration of upstream HTTP attempts, by connection, status code and error kind.',
    labelNames: ['connection', 'http_request_method', 'http_response_status_code', 'error_kind'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const retries = new Counter({
    name: 'slotwire_upstream_retries_total',
    help: 'Upstream attempts that failed and were retried.',
    labelNames: ['connection'],
    registers,
  });
  const breakerState = new Gauge({
    name: 'slotwire_circuit_breaker_state',
    help: 'Circuit breaker state per connection as this process last saw it: 1 for the current state, 0 for the others.',
    labelNames: ['connection', 'state'],
    registers,
    // With --workers: a state any worker sees shows.
    aggregator: 'max',
  });
  const cacheLookups = new Counter({
    name: 'slotwire_upstream_cache_lookups_total',
    help: 'Response cache lookups of actions with cache:, by result (hit, miss).',
    labelNames: ['connection', 'result'],
    registers,
  });
  const tokenFetches = new Counter({
    name: 'slotwire_oauth_token_fetches_total',
    help: 'OAuth2 client-credentials token requests, by outcome (ok, error).',
    labelNames: ['connection', 'outcome'],
    registers,
  });
  const reloads = new Counter({
    name: 'slotwire_reloads_total',
    help: 'Reloads of the actions file, by result (ok: a new version is served; unchanged; refused: the file has errors, the last good version serves on).',
    labelNames: ['result'],
    registers,
  });
  for (const result of ['ok', 'unchanged', 'refused']) reloads.labels(result).inc(0);
  const storeUnavailable = new Counter({
    name: 'slotwire_state_store_unavailable_total',
    help: "Operations the shared state store (Redis) could not answer, by use: token and cache fell back to this process's memory; dedupe followed the action's if_store_down.",
    labelNames: ['use'],
    registers,
  });
  for (const use of ['token', 'cache', 'dedupe']) storeUnavailable.labels(use).inc(0);

  const fallbackDuration = new SeriesHistogram({
    name: 'slotwire_fallback_call_duration_seconds',
    help: 'Calls forwarded to the fallback action server (serve --fallback), by action (one it lists, else _other) and its status (or timeout, unreachable, too_large).',
    labelNames: ['action', 'status'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const shadowCalls = new Counter({
    name: 'slotwire_shadow_calls_total',
    help: "Shadowed calls (serve --shadow): slotwire's own answer compared with the fallback's, by action and result (same, different, error).",
    labelNames: ['action', 'result'],
    registers,
  });

  let status: (() => EngineStatus) | null = null;
  new Gauge({
    name: 'slotwire_config_info',
    help: 'The actions file served: its hash (sha256, 16 hex digits) as a label, value 1.',
    labelNames: ['hash'],
    registers,
    aggregator: 'max',
    collect() {
      this.reset();
      const hash = status?.().hash;
      if (hash != null) this.labels(hash).set(1);
    },
  });
  const statusGauge = (
    name: string,
    help: string,
    value: (s: EngineStatus) => number,
    aggregator: 'max' | 'min' = 'max',
  ): void => {
    new Gauge({
      name,
      help,
      registers,
      aggregator,
      collect() {
        if (status !== null) this.set(value(status()));
      },
    });
  };
  statusGauge('slotwire_actions_served', 'Actions served now.', (s) => s.actions);
  statusGauge(
    'slotwire_state_store_up',
    '1 while the state store answers (always, in memory), 0 while a shared one (Redis) does not: disconnected, or its last PING or command timed out.',
    (s) => (s.state.connected ? 1 : 0),
    'min',
  );
  statusGauge(
    'slotwire_config_reload_error',
    '1 while the actions file on disk is refused (the last good version serves on), else 0.',
    (s) => (s.lastReloadError === null ? 0 : 1),
  );

  const processSeries = processMetrics();

  return {
    registry,
    contentType: registry.contentType,
    serverRequest: (method, route, code, seconds) => serverDuration.observe([method, route, code], seconds),
    action: (name, outcome, seconds) => actionDuration.observe([name, outcome], seconds),
    attempt: (connection, method, code, errorKind, seconds) =>
      clientDuration.observe([connection, method, code ?? '', errorKind ?? ''], seconds),
    retry: (connection) => retries.labels(connection).inc(),
    cache: (connection, hit) => cacheLookups.labels(connection, hit ? 'hit' : 'miss').inc(),
    breaker(connection, state) {
      for (const s of BREAKER_STATES) breakerState.labels(connection, s).set(s === state ? 1 : 0);
    },
    tokenFetch: (connection, ok) => tokenFetches.labels(connection, ok ? 'ok' : 'error').inc(),
    reload: (result) => reloads.labels(result).inc(),
    storeUnavailable: (use) => storeUnavailable.labels(use).inc(),
    fallbackCall: (action, code, seconds) => fallbackDuration.observe([action, code], seconds),
    shadowCall: (action, result) => shadowCalls.labels(action, result).inc(),
    serving(source) {
      status = source;
    },
    async text() {
      return (await registry.metrics()) + (await processSeries.metrics());
    },
  };
}
