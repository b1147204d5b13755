/**
 * What the executor is given rather than imports, so the engine and tests
 * choose them: the HTTP client, the clock, the logger and the trace.
 */
import type { HttpClient, SendOptions } from '../http/index.js';

/** The part of a pino logger the executor uses (`logger.warn(obj, msg)`). */
export interface ExecuteLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** Dependencies of {@link runAction}. */
export interface ExecuteDeps {
  readonly http: HttpClient;
  readonly logger: ExecuteLogger;
  /** Milliseconds since the epoch. Default: Date.now. */
  readonly now?: () => number;
  /**
   * The run's trace context, sent with every call (the parent of its
   * attempt spans): in the send options the executor builds anyway, so a
   * traced run needs no client of its own. Default: none
   */
  readonly trace?: SendOptions['trace'];
}
