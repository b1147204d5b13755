/**
 * The `error` text of a 500: the thrown error's message with secret-looking
 * parts masked. Rasa logs this text and may store it in the tracker
 * (`execution_error_message`, docs/protocol.md#errors), so an upstream URL
 * with a token or an echoed `Authorization` header must not pass through.
 */

const MAX_LENGTH = 500; // characters; enough to debug, bounded for logs

// key=value / key: value / "key":"value" where the key looks secret.
const SECRET_PAIR =
  /((?:authorization|token|access[_-]?token|api[_-]?key|apikey|password|passwd|secret|client[_-]?secret)["']?\s*[=:]\s*["']?)([^\s"'&,;}]+)/gi;
// Credentials after an auth scheme, e.g. "Bearer abc.def".
const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+/g;
// user:password@ in URLs.
const URL_USERINFO = /(\/\/)[^/\s:@]+:[^/\s@]+@/g;

/** Mask secret-looking substrings of a text. */
export function maskSecrets(text: string): string {
  // Scheme credentials first: `Authorization: Bearer x` would otherwise
  // only have its scheme word masked by SECRET_PAIR.
  return text.replace(AUTH_SCHEME, '$1 ***').replace(SECRET_PAIR, '$1***').replace(URL_USERINFO, '$1***@');
}

/** The message of anything thrown, masked and bounded. */
export function errorMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : typeof err === 'string' ? err : 'Unknown error';
  const masked = maskSecrets(raw === '' && err instanceof Error ? err.name : raw);
  return masked.length > MAX_LENGTH ? `${masked.slice(0, MAX_LENGTH)}…` : masked;
}
