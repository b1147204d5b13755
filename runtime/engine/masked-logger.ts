/**
 * The logger a generation's runs write through: every secret value of the
 * served plan (Plan.secrets, what `${VAR}` put into connections'
 * credentials) masked in the message and the fields. An upstream that echoes
 * a credential into an answer an expression then quotes in its error, or a
 * failure message that carries one, does not put it in the server's log.
 */
import { maskText, maskValue } from '../http/index.js';
import type { EngineLogger } from './types.js';

/** `logger` with `secrets` shown as `***` in what it is given; `logger` itself when there are none. */
export function maskedLogger(logger: EngineLogger, secrets: ReadonlySet<string>): EngineLogger {
  if (secrets.size === 0) return logger;
  const mask = (obj: object, msg: string): [object, string] => [
    maskValue(obj, secrets) as object,
    maskText(msg, secrets),
  ];
  return {
    info: (obj, msg) => logger.info(...mask(obj, msg)),
    warn: (obj, msg) => logger.warn(...mask(obj, msg)),
    error: (obj, msg) => logger.error(...mask(obj, msg)),
  };
}
