/**
 * A peer's own text repeated back (an unknown action's or tool's name) is
 * cut to a documented length, in answers, gRPC status details and log
 * lines alike: a 1 MiB action name inside a gRPC status would not fit the
 * client's header limit, and that call and the next on the channel failed.
 * docs/errors.md#what-an-error-repeats says the rule.
 */

/** Most characters of a peer's text an error repeats. */
export const ECHO_LIMIT = 200;

/** `text` as an error may repeat it: past ECHO_LIMIT characters, cut and followed by how many were left out. */
export function echoed(text: string): string {
  return text.length <= ECHO_LIMIT
    ? text
    : `${text.slice(0, ECHO_LIMIT)}… (${text.length - ECHO_LIMIT} more characters)`;
}
