/**
 * The server's logger: pino JSON lines (one object per line, what log
 * shippers expect), pretty-printed by pino-pretty when a person watches a
 * terminal, with secret-like fields redacted. Lines to stdout are written
 * asynchronously and in batches (sonic-boom, pino's own destination): a
 * synchronous write per webhook call blocked the event loop for as long as
 * the pipe took; pino flushes what is buffered when the process exits.
 */
import { createRequire } from 'node:module';
import { pino } from 'pino';
import type { DestinationStream, Level, Logger } from 'pino';
import type PinoPretty from 'pino-pretty';

// pino-pretty (~15 ms to load) only for a person at a terminal: a server's stdout is a pipe.
const require = createRequire(import.meta.url);

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
  [
    'authorization',
    'cookie',
    'token',
    'password',
    'secret',
    'apiKey',
    'api_key',
    'x-api-key',
    'proxy-authorization',
  ].flatMap((key) => [`["${key}"]`, `*["${key}"]`, `*.*["${key}"]`, `headers["${key}"]`, `*.headers["${key}"]`]),
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
    const pretty = require('pino-pretty') as typeof PinoPretty;
    return pino(config, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
  }
  return pino(config, destination ?? bufferedStdout());
}

/** A batch's size: a UTF-8 line has at least as many bytes as characters, so a batch of this many characters is written at once. */
const BATCH_CHARS = 4096;

/** How long a line may wait in the buffer when traffic is too low to fill it. */
const FLUSH_EVERY_MS = 200;

/**
 * How long the lines still buffered at exit may take to leave. pino writes
 * them synchronously at exit, retrying while the pipe is full; a reader that
 * stopped reading would hold the process forever, so past this they are dropped.
 */
const EXIT_FLUSH_MS = 1_000;

/**
 * Stdout, written in batches of at least 4 KiB (a write per line was a
 * system call per webhook call) and at least every 200 ms, so a quiet
 * server's lines still show at once to a person watching. A log write never
 * holds the process: while serving, a full pipe is retried later without
 * blocking; at exit, the last flush gives up after EXIT_FLUSH_MS.
 */
function bufferedStdout(): DestinationStream {
  let giveUpAt = Number.POSITIVE_INFINITY;
  const stream = pino.destination({
    dest: 1,
    sync: false,
    minLength: BATCH_CHARS,
    retryEAGAIN: () => Date.now() < giveUpAt,
  });
  // Lines are gathered here and handed to sonic-boom a batch at a time:
  // sonic-boom measures its whole pending string (Buffer.byteLength, which
  // flattens it) on every write, about 2 KB copied per line at this batch
  // size, where one join per batch copies each line once.
  const writeBatch = stream.write.bind(stream);
  let lines: string[] = [];
  let length = 0;
  const handOver = (): boolean => {
    const batch = lines.join('');
    lines = [];
    length = 0;
    return writeBatch(batch);
  };
  stream.write = (line: string): boolean => {
    lines.push(line);
    length += line.length;
    return length >= BATCH_CHARS ? handOver() : true;
  };
  const flush = stream.flush.bind(stream);
  stream.flush = (cb?: (err?: Error) => void): void => {
    if (length > 0) handOver();
    flush(cb);
  };
  const flushSync = stream.flushSync.bind(stream);
  stream.flushSync = () => {
    giveUpAt = Date.now() + EXIT_FLUSH_MS;
    try {
      if (length > 0) handOver();
      flushSync();
    } catch {
      // The reader did not take the rest in time: exiting matters more than these lines.
    } finally {
      giveUpAt = Number.POSITIVE_INFINITY;
    }
  };
  const flusher = setInterval(() => stream.flush(), FLUSH_EVERY_MS).unref();
  // The timer would otherwise keep a closed stream (and its buffer) reachable.
  stream.once('close', () => clearInterval(flusher));
  return stream;
}
