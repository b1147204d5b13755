/**
 * The server's logger: pino JSON lines (one object per line, what log
 * shippers expect), pretty-printed by pino-pretty when a person watches a
 * terminal, with secret-like fields redacted.
 */
import { pino } from 'pino';
import type { DestinationStream, Level, Logger } from 'pino';
import pretty from 'pino-pretty';

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** minimum level. Default: `'info'` */
  readonly level?: Level | 'silent';
  /** human-readable output. Default: true when stdout is a TTY */
  readonly pretty?: boolean;
  /** where lines go. Default: stdout */
  readonly destination?: DestinationStream;
}

/**
 * Paths pino replaces with `[redacted]`. pino's `*` matches one level, so
 * the common depths are listed; messages we build never include secrets
 * (see error-message.ts), this catches objects passed to the logger.
 */
export const REDACT_PATHS: readonly string[] = Object.freeze(
  ['authorization', 'cookie', 'token', 'password', 'secret', 'apiKey', 'api_key', 'x-api-key', 'proxy-authorization']
    .flatMap((key) => [`["${key}"]`, `*["${key}"]`, `*.*["${key}"]`, `headers["${key}"]`, `*.headers["${key}"]`]),
);

/**
 * A pino logger for the server.
 * @example
 * const logger = createLogger({ level: 'debug' });
 * logger.info({ port: 5055 }, 'listening');
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const { level = 'info', pretty: human = process.stdout.isTTY === true, destination } = options;
  const config = { level, base: undefined, redact: { paths: [...REDACT_PATHS], censor: '[redacted]' } };
  if (human && destination === undefined) {
    // In-process stream rather than a worker-thread transport: no thread
    // to start, and nothing is lost on a crash exit.
    return pino(config, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
  }
  return destination === undefined ? pino(config) : pino(config, destination);
}
