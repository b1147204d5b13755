/**
 * The HTTP client. What a connection keeps for a long time — parsed base
 * URL, pool, static auth, token source, breaker — is an Upstream, built once
 * per connection *declaration* by an UpstreamRegistry and shared by every
 * client whose connections include that declaration. That is how a reload
 * keeps the pools, tokens, breaker and cache of connections it did not
 * change: the new generation's client finds them in the registry (the
 * state records are keyed by the same fingerprint), and a pool closes only
 * when the last client using it is closed. The per-call work is request.ts.
 */
import { createHash } from 'node:crypto';
import { createMemoryState } from '../state/index.js';
import type { StateStore } from '../state/index.js';
import { OAuth2TokenSource, staticAuth } from './auth.js';
import { storedBreaker } from './breaker.js';
import { sleep as realSleep } from './deadline.js';
import type { DispatcherFactory } from './pool.js';
import { ConnectionPool } from './pool.js';
import type { SendContext, Upstream } from './request.js';
import { maskedUrl, sendRequest } from './request.js';
import type { ConnectionPolicy, HttpClient, HttpObserver, PreparedRequest } from './types.js';
import { parseBaseUrl } from './url.js';

/** What tests (and embedders) may replace. */
export interface HttpClientOptions {
  /** The clock, epoch ms; drives breaker cooldowns, cache TTLs, token expiry and Retry-After dates. Default: Date.now */
  now?: () => number;
  /** Uniform in [0, 1), for backoff jitter. Default: Math.random */
  random?: () => number;
  /** Waits between attempts; must resolve early when the signal aborts. Default: a timer */
  sleep?: (ms: number, signal: AbortSignal | null) => Promise<void>;
  /** Makes the undici dispatchers, e.g. to return a MockAgent. Default: a Pool per base origin, an Agent for others */
  dispatcherFactory?: DispatcherFactory;
  /**
   * Where OAuth2 tokens and shared cached responses (`cache.shared`) live,
   * with several replicas a shared store. Breaker records and the other
   * cached responses always stay in this process's memory (docs/deploy.md).
   * Default: this process's memory
   */
  state?: StateStore;
  /** Told of attempts, retries, cache lookups, breaker states and token fetches (metrics, traces). Default: none */
  observer?: HttpObserver;
}

/** Upstreams by connection declaration, shared by the clients of successive generations. */
export interface UpstreamRegistry {
  /**
   * A client for these connections. Its `close()` releases them: a
   * connection's pool closes (after its in-flight requests) once no open
   * client uses that declaration any more.
   * Throws on a configuration bug (a duplicate name, a base URL that is not http(s)).
   */
  client(connections: readonly ConnectionPolicy[]): HttpClient;
  /** Closes every pool, used or not. */
  close(): Promise<void>;
  /** Declarations with an open pool (for tests and status). */
  readonly size: number;
}

interface Shared {
  readonly upstream: Upstream;
  users: number;
}

/**
 * The fingerprint of a connection declaration: the same declaration in two
 * files (or two versions of one) shares pool and state. Secrets are part of
 * the declaration, so a rotated token gets fresh state; the fingerprint is a
 * truncated hash, which names records without revealing what went into it.
 */
function connectionKey(policy: ConnectionPolicy): string {
  return `${policy.name}@${createHash('sha256').update(JSON.stringify(policy)).digest('hex').slice(0, 16)}`;
}

/**
 * Creates the registry the engine keeps for its lifetime.
 * @param options - injectable clock, randomness, sleep, dispatchers and state
 * @example
 * const upstreams = createUpstreams({ state });
 * const http = upstreams.client(plan.connections);   // per generation
 * await http.close();                                 // when its runs are over
 */
export function createUpstreams(options: HttpClientOptions = {}): UpstreamRegistry {
  const { now = Date.now, random = Math.random, sleep = realSleep, dispatcherFactory } = options;
  // A breaker is this replica's view of its own path to the upstream, and it is asked on every
  // attempt: a network round trip there would cost every call to spare a few failing ones.
  const local = createMemoryState({ now });
  const state = options.state ?? local;
  const observer = options.observer ?? null;
  const context: SendContext = { now, random, sleep, state, local, observer };
  const shared = new Map<string, Shared>();

  const build = (policy: ConnectionPolicy, stateKey: string): Upstream => {
    const base = parseBaseUrl(policy.baseUrl);
    const pool = new ConnectionPool(policy, base.origin, dispatcherFactory);
    const auth = policy.auth;
    const tokens =
      auth?.type === 'oauth2_client_credentials'
        ? new OAuth2TokenSource(auth, pool.dispatcherFor(new URL(auth.tokenUrl).origin), policy.timeoutMs, now, {
            state,
            key: `token:${stateKey}`,
            ...(observer ? { onFetch: (ok: boolean) => observer.tokenFetch(policy.name, ok) } : {}),
          })
        : null;
    const breaker = policy.breaker == null ? null : storedBreaker(local, `breaker:${stateKey}`, policy.breaker, now);
    // A declared breaker shows as closed from the start, not from its first attempt.
    if (breaker !== null) observer?.breaker(policy.name, 'closed');
    return { stateKey, policy, base, pool, auth: staticAuth(auth), tokens, breaker };
  };

  const release = (key: string): Promise<void> => {
    const entry = shared.get(key);
    if (entry === undefined || --entry.users > 0) return Promise.resolve();
    shared.delete(key);
    return entry.upstream.pool.close();
  };

  return {
    client(connections) {
      const names = new Set<string>();
      for (const policy of connections) {
        if (names.has(policy.name)) throw new TypeError(`duplicate connection '${policy.name}'`);
        names.add(policy.name);
      }
      const byName = new Map<string, Upstream>();
      const keys: string[] = [];
      for (const policy of connections) {
        const key = connectionKey(policy);
        let entry = shared.get(key);
        if (entry === undefined) {
          entry = { upstream: build(policy, key), users: 0 };
          shared.set(key, entry);
        }
        entry.users += 1;
        keys.push(key);
        byName.set(policy.name, entry.upstream);
      }
      let closing: Promise<void> | null = null;
      const upstreamOf = (req: PreparedRequest): Upstream => {
        const up = byName.get(req.connection);
        // A plan never names an unknown connection (compile checks it), so this is a bug, not an outcome.
        if (up == null) throw new TypeError(`unknown connection '${req.connection}'`);
        return up;
      };
      return {
        send: (req, signal, sendOptions = {}) => sendRequest(upstreamOf(req), req, signal, sendOptions, context),
        urlOf: (req) => maskedUrl(upstreamOf(req), req),
        close(): Promise<void> {
          // Idempotent: shutdown paths often close twice.
          closing ??= Promise.all(keys.map(release)).then(() => undefined);
          return closing;
        },
      };
    },
    async close() {
      const entries = [...shared.values()];
      shared.clear();
      await Promise.all(entries.map((e) => e.upstream.pool.close()));
    },
    get size() {
      return shared.size;
    },
  };
}

/**
 * A standalone client for a set of connections, with its own registry: its
 * `close()` closes its pools. Throws on a configuration bug (a duplicate
 * name, a base URL that is not http(s)); never on upstream trouble.
 * @param connections - resolved connection policies, durations in ms
 * @param options - injectable clock, randomness, sleep, dispatchers and state
 * @example
 * const http = createHttpClient([{ ...connectionDefaults, name: 'api', baseUrl: 'https://api.example.com/v2' }]);
 * const outcome = await http.send(request, null, { deadlineMs: 5000 });
 * if (!outcome.ok) console.log(outcome.error.kind, outcome.error.reason);
 */
export function createHttpClient(
  connections: readonly ConnectionPolicy[],
  options: HttpClientOptions = {},
): HttpClient {
  const registry = createUpstreams(options);
  const client = registry.client(connections);
  return {
    send: (req, signal, sendOptions) => client.send(req, signal, sendOptions),
    urlOf: (req) => client.urlOf(req),
    close: () => client.close().then(() => registry.close()),
  };
}
