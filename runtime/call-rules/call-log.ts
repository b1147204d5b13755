/**
 * The line a front-end logs for each call it answered: the fields the caller
 * gives (action, status, duration…) on `callLog`, whose fixed fields need no
 * redaction (logger.ts), plus the failure's code of docs/errors.md; a crash's
 * message and masked stack go to the redacting `logger`. One rule for the
 * webhook (app.ts) and gRPC (runtime/grpc).
 */
import type { Logger } from 'pino';
import { failureCodes } from './failure.js';
import { maskSecrets } from './error-message.js';
import type { WebhookOutcome } from './run-call.js';

/**
 * Log one finished call.
 * @param line - the front-end's fields, e.g. `{ action, status, durationMs }`
 * @param msg - the line's message, e.g. `'webhook'`
 */
export function logCallEnd(
  callLog: Logger,
  logger: Logger,
  line: Readonly<Record<string, unknown>>,
  outcome: WebhookOutcome,
  msg: string,
): void {
  if (outcome.ok) {
    if (outcome.dropped > 0)
      callLog.warn({ action: outcome.actionName, dropped: outcome.dropped }, 'dropped events without an `event` key');
    callLog.info(line, msg);
    return;
  }
  const { failure } = outcome;
  const code = failureCodes[failure.kind];
  if (failure.kind === 'crashed') {
    const stack =
      outcome.cause instanceof Error && outcome.cause.stack !== undefined
        ? maskSecrets(outcome.cause.stack)
        : undefined;
    logger.error({ ...line, code, error: failure.message, stack }, msg);
  } else if (failure.kind === 'missing_domain' || failure.kind === 'rejected') {
    callLog.info({ ...line, code }, msg);
  } else
    callLog.warn({ ...line, code, ...(failure.kind === 'invalid_call' ? { field: failure.problem.field } : {}) }, msg);
}

/**
 * The logger for lines whose fields we build ourselves (the line per webhook
 * call: action, status, duration, code): nothing in them can be a secret, and
 * redaction's wildcard paths cost more than the rest of the line. Free-form
 * objects stay on the redacting logger.
 */
export function fixedFieldLogger(logger: Logger): Logger {
  return logger.child({}, { redact: { paths: [] } });
}
