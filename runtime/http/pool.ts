/**
 * Sockets per connection. The base origin gets one undici Pool with
 * keep-alive and a connection limit (a Pool's requests/s measured about
 * 1.3× an Agent's and 2.5× fetch's, undici 7). Other origins (a token
 * endpoint, a redirect when the connection allows any) get one lazily created Agent with the same TLS
 * and limits. Dispatchers can be injected (MockAgent) for tests.
 */
import type { Dispatcher } from 'undici';
import { BACKSTOP_SLACK_MS, KEEP_ALIVE_TIMEOUT_MS } from './defaults.js';
import { connectOptions } from './tls.js';
import { Agent, Pool } from './undici.js';
import type { PoolOptions } from './undici.js';
import type { ConnectionPolicy } from './types.js';

/** Builds the dispatcher for an origin; replace it to route through a MockAgent. */
export type DispatcherFactory = (origin: string | null, options: PoolOptions) => Dispatcher;

/** Default factory: a Pool for the base origin, an Agent (null origin) for the rest. */
export function defaultDispatcherFactory(origin: string | null, options: PoolOptions): Dispatcher {
  return origin == null ? new Agent(options) : new Pool(origin, options);
}

/** The dispatchers of one connection. A class: it owns sockets until `close()`. */
export class ConnectionPool {
  readonly #origin: string;
  readonly #options: PoolOptions;
  readonly #factory: DispatcherFactory;
  readonly #pool: Dispatcher;
  #agent: Dispatcher | null = null;

  /**
   * @param policy - the connection
   * @param origin - its base origin, from parseBaseUrl
   * @param factory - Default: defaultDispatcherFactory
   */
  constructor(policy: ConnectionPolicy, origin: string, factory: DispatcherFactory = defaultDispatcherFactory) {
    this.#origin = origin;
    this.#factory = factory;
    this.#options = {
      connections: policy.maxConnections,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      connect: connectOptions(policy),
      // Backstops only: our AbortSignal enforces the real timeout (deadline.ts).
      headersTimeout: policy.timeoutMs + BACKSTOP_SLACK_MS,
      bodyTimeout: policy.timeoutMs + BACKSTOP_SLACK_MS,
    };
    this.#pool = factory(origin, this.#options);
  }

  /** The dispatcher to use for a request to `origin`. */
  dispatcherFor(origin: string): Dispatcher {
    if (origin === this.#origin) return this.#pool;
    this.#agent ??= this.#factory(null, this.#options);
    return this.#agent;
  }

  /** Closes gracefully: queued requests finish, then the sockets close. */
  async close(): Promise<void> {
    await Promise.all([this.#pool.close(), this.#agent?.close()]);
  }
}
