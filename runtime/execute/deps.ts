/**
 * What the executor is given rather than imports, so the engine and tests
 * choose them: the HTTP client, the clock and the logger.
 */
import type { HttpClient } from '../http/index.js';

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
}
