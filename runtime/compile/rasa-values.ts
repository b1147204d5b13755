/**
 * Values Rasa refuses in an event or a message
 * (docs/diagnostics.md#events-and-messages-rasa-would-refuse): one rule each,
 * used twice: the compiler applies it to what the file writes literally
 * (a load error), the executor to what an expression yields (the action's
 * `expression` error, so on_error runs instead of Rasa dropping the answer).
 */

/** Which value broke a rule; the catalogue's code of the same name says how to fix it. */
export type RasaValueRule = 'SW_EVENT_FOLLOWUP_NAME' | 'SW_EVENT_DATE_TIME' | 'SW_MESSAGE_BUTTON';

/**
 * A date, `T` (or a space), a time with optional seconds and fraction, and
 * an optional zone: what Rasa's reminder parses. A date alone or prose
 * ("tomorrow") fails there, after the action has answered.
 */
const isoDateTime = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

/** True for an ISO 8601 date-time that names a real instant (no 2026-13-01). */
export function isIsoDateTime(value: unknown): boolean {
  return typeof value === 'string' && isoDateTime.test(value) && !Number.isNaN(Date.parse(value));
}

/** True for a followup name: a non-empty string (null or "" makes Rasa refuse the event). */
export function isActionName(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * Why a value is not a button, or null when it is one: a mapping with a
 * title and a payload. A list of strings is the usual mistake; Rasa's
 * channels cannot render it.
 */
export function buttonProblem(value: unknown): string | null {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value !== 'object') return describeValue(value);
  for (const key of ['title', 'payload']) {
    const field = (value as Record<string, unknown>)[key];
    if (field === undefined || field === null) return `a mapping without ${key}`;
  }
  return null;
}

/** A short description of a value for a message: `the string "tomorrow"`, `a number`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}
