/** The levels `--log-level` takes, for every command that logs (`serve`, `mcp`). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** A level of --log-level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `text` as a level, or the usage problem that says which levels there are. */
export function logLevelOf(text: string): LogLevel | { readonly problem: string } {
  return (LOG_LEVELS as readonly string[]).includes(text)
    ? (text as LogLevel)
    : { problem: `--log-level must be one of ${LOG_LEVELS.join(', ')}` };
}
