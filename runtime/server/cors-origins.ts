/**
 * The origins `--cors` allows, compiled once when the server starts: exact
 * origins, `*` globs (`https://*.example.com`) and `*` for any
 * (docs/server.md#cors). Checking an origin builds no regular expression:
 * an exact origin is a set lookup, a glob a scheme and port comparison and a
 * wildcard match of the host label by label. A `*` stands for part of one
 * label, so it can never reach past a dot into another domain, nor past the
 * host into a path or a user part.
 */

/** Longest pattern, and longest Origin header checked (a longer one is refused): a host name is at most 253 characters. */
export const MAX_ORIGIN_LENGTH = 512;

/** Characters that make a pattern a regular expression, which rasa-sdk's sanic-cors would run and slotwire does not. */
const REGEX_ONLY = /[\\()?+^$|{}]/;
/** A pattern once every `*` stands for a label's letter or a port: `scheme://host[:port]`, host a DNS name or a bracketed IPv6 address. */
const ORIGIN_SHAPE = /^[a-z][a-z0-9+.-]*:\/\/(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;
/** What a host matched by a glob may hold: a DNS name, lower-cased. */
const HOST_NAME = /^[a-z0-9.-]+$/;
const DIGITS = /^\d+$/;
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' };

/** An origin split into its parts, lower-cased; `port` is '' when the origin has none. */
interface OriginParts {
  readonly scheme: string;
  readonly host: string;
  readonly port: string;
}

/** A glob: its scheme, its host's labels (each may hold `*`), its port ('' none, '*' any). */
interface OriginGlob {
  readonly scheme: string;
  readonly labels: readonly string[];
  readonly port: string;
}

/** The allowed origins, or the first pattern that is not one and why. */
export type CompiledOrigins =
  | { readonly ok: true; readonly any: boolean; readonly allows: (origin: string) => boolean }
  | { readonly ok: false; readonly pattern: string; readonly problem: string };

/**
 * Compiles the patterns of `--cors`: `*` (or `.*`, rasa-sdk's spelling of
 * it) allows any origin; `https://app.example.com` that origin (letter case
 * aside, a default port dropped); `https://*.example.com`,
 * `http://localhost:*` a glob, where `*` stands for one or more characters
 * within one label of the host name (letters, digits, `-`), or for a port.
 * @example
 * const origins = compileOrigins(['https://*.example.com']);
 * origins.ok && origins.allows('https://ops.example.com'); // true
 */
export function compileOrigins(patterns: readonly string[]): CompiledOrigins {
  const exact = new Set<string>();
  const globs: OriginGlob[] = [];
  let any = false;
  for (const pattern of patterns) {
    if (pattern === '*' || pattern === '.*') {
      any = true;
      continue;
    }
    const problem = shapeProblem(pattern);
    if (problem !== null) return { ok: false, pattern, problem };
    const parts = splitOrigin(pattern.toLowerCase());
    const port = parts.port === DEFAULT_PORTS[parts.scheme] ? '' : parts.port;
    if (pattern.includes('*')) globs.push({ scheme: parts.scheme, labels: parts.host.split('.'), port });
    else exact.add(`${parts.scheme}://${parts.host}${port === '' ? '' : `:${port}`}`);
  }
  if (patterns.includes('null')) exact.add('null');
  return {
    ok: true,
    any,
    allows: (origin) => {
      if (any) return true;
      if (origin.length > MAX_ORIGIN_LENGTH) return false;
      const lower = origin.toLowerCase();
      if (exact.has(lower)) return true;
      if (globs.length === 0) return false;
      const parts = splitOrigin(lower);
      if (!HOST_NAME.test(parts.host) || (parts.port !== '' && !DIGITS.test(parts.port))) return false;
      const labels = parts.host.split('.');
      return globs.some(
        (g) =>
          g.scheme === parts.scheme &&
          (g.port === '*' ? parts.port !== '' : g.port === parts.port) &&
          g.labels.length === labels.length &&
          g.labels.every((glob, i) => labelMatches(glob, labels[i] ?? '')),
      );
    },
  };
}

/** Why `pattern` is no origin, glob or `*`; null when it is one. */
function shapeProblem(pattern: string): string | null {
  if (pattern.length > MAX_ORIGIN_LENGTH) return `is longer than ${MAX_ORIGIN_LENGTH} characters`;
  if (pattern === 'null') return null;
  if (REGEX_ONLY.test(pattern))
    return 'looks like a regular expression; give origins (https://app.example.com), * globs (https://*.example.com) or *';
  if (/^[^:]*\*/.test(pattern)) return 'has a * in its scheme; write http:// and https:// patterns apart';
  if (pattern.includes('[') && pattern.includes('*')) return 'has a * beside an IPv6 address; write the address out';
  const labelled = pattern.toLowerCase().replace(/:\*$/, ':1').replace(/\*/g, 'x');
  if (!ORIGIN_SHAPE.test(labelled))
    return 'is not an origin: scheme://host or scheme://host:port, with no path (https://app.example.com)';
  return null;
}

/** `https://a.example.com:8443` → its scheme, host and port, as written (the caller lower-cases). */
function splitOrigin(origin: string): OriginParts {
  const sep = origin.indexOf('://');
  if (sep < 0) return { scheme: '', host: '', port: '' };
  const rest = origin.slice(sep + 3);
  const colon = rest.lastIndexOf(':');
  // The colons of a bracketed IPv6 host are not the port's.
  const hasPort = colon >= 0 && colon > rest.lastIndexOf(']');
  return {
    scheme: origin.slice(0, sep),
    host: hasPort ? rest.slice(0, colon) : rest,
    port: hasPort ? rest.slice(colon + 1) : '',
  };
}

/**
 * Whether one label of a host matches its glob, each `*` standing for one
 * or more characters. Greedy with one backtrack point (the last `*`), so it
 * takes at most length × length steps, however many `*` the glob has.
 */
function labelMatches(glob: string, label: string): boolean {
  let g = 0;
  let l = 0;
  let afterStar = -1;
  let starEnd = 0;
  while (l < label.length) {
    if (glob[g] === '*') {
      // The `*` takes its first character now; a mismatch later gives it one more.
      afterStar = ++g;
      starEnd = ++l;
    } else if (g < glob.length && glob[g] === label[l]) {
      g += 1;
      l += 1;
    } else if (afterStar >= 0) {
      g = afterStar;
      l = ++starEnd;
    } else {
      return false;
    }
  }
  return g === glob.length;
}
