/**
 * A curl URL split as curl sends it: the origin becomes the connection's
 * base_url, the path and the raw query the request line. curl's URL rules
 * are followed where they change what is sent: no scheme means http, the
 * fragment is never sent, `.` and `..` segments are resolved (RFC 3986
 * §5.2.4) unless --path-as-is, bytes past ASCII are percent-encoded, and
 * `{a,b}` / `[1-3]` are globs that make several requests unless -g.
 * WHATWG `URL` is not used for the path: it re-encodes characters curl
 * sends as written (`{`, `|`, `"`), and the point is to send the same bytes.
 */
import type { CurlValue } from './curl-args.js';
import { CurlImportError } from './curl-errors.js';

/** The parts of the URL the request is made of. */
export interface CurlUrl {
  readonly scheme: 'http' | 'https';
  /** Host as written, lower-cased; `$NAME` references kept. */
  readonly host: string;
  /** `scheme://host[:port]`, with `${NAME}` for shell variables in the host. */
  readonly origin: string;
  /** Starts with `/`, as sent. */
  readonly path: string;
  /** The raw query without `?`, as sent; null when there is none. */
  readonly query: string | null;
  /** `user:password@` in the URL, which curl sends as basic auth. */
  readonly userinfo: string | null;
  readonly notes: readonly string[];
}

/**
 * Splits a curl URL. Throws CurlImportError for what curl would refuse or
 * turn into several requests.
 * @param url - the URL word, with its shell variables
 * @param globoff - `-g` was given
 * @param pathAsIs - `--path-as-is` was given
 */
export function splitCurlUrl(url: CurlValue, globoff: boolean, pathAsIs: boolean): CurlUrl {
  const notes: string[] = [];
  let text = url.text;
  // curl refuses these with "URL using bad/illegal format" (error 3).
  // oxlint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\x00-\x20\x7f]/.test(text))
    throw new CurlImportError(
      'SW_CURL_URL',
      'the URL has a space or a control character, which curl refuses: percent-encode it (%20)',
    );
  const hash = text.indexOf('#');
  if (hash !== -1) text = text.slice(0, hash);

  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  let scheme: string;
  if (schemeMatch) {
    scheme = schemeMatch[1].toLowerCase();
    text = text.slice(schemeMatch[0].length);
  } else {
    scheme = 'http';
    notes.push('The URL had no scheme: curl used http://; check whether the API wants https://.');
  }
  if (scheme !== 'http' && scheme !== 'https')
    throw new CurlImportError('SW_CURL_URL', `the URL's scheme is ${scheme}; slotwire calls http and https APIs`);

  const authorityEnd = text.search(/[/?]/);
  const authority = authorityEnd === -1 ? text : text.slice(0, authorityEnd);
  let rest = authorityEnd === -1 ? '' : text.slice(authorityEnd);
  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? null : authority.slice(0, at);
  const hostPort = at === -1 ? authority : authority.slice(at + 1);

  const { host, port } = splitHostPort(hostPort, globoff, notes);
  if (!globoff) rest = unglob(rest, notes);
  const question = rest.indexOf('?');
  const rawPath = question === -1 ? rest : rest.slice(0, question);
  const rawQuery = question === -1 ? '' : rest.slice(question + 1);
  let path = rawPath === '' ? '/' : rawPath;
  if (!pathAsIs) path = removeDotSegments(path);

  const origin = `${scheme}://${host.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, '$${$1}')}${port === null ? '' : `:${port}`}`;
  return {
    scheme: scheme,
    host,
    origin,
    path: encodeNonAscii(path),
    query: rawQuery === '' ? null : encodeNonAscii(rawQuery),
    userinfo: userinfo === null ? null : userinfo,
    notes,
  };
}

function splitHostPort(hostPort: string, globoff: boolean, notes: string[]): { host: string; port: string | null } {
  let host: string;
  let after: string;
  if (hostPort.startsWith('[')) {
    // An IPv6 literal: curl reads brackets in the host as the address, not a glob.
    const close = hostPort.indexOf(']');
    if (close === -1) throw new CurlImportError('SW_CURL_URL', 'the URL has an IPv6 address without its closing ]');
    host = hostPort.slice(0, close + 1);
    after = hostPort.slice(close + 1);
  } else {
    const colon = hostPort.lastIndexOf(':');
    host = colon === -1 ? hostPort : hostPort.slice(0, colon);
    after = colon === -1 ? '' : hostPort.slice(colon);
    if (!globoff) host = unglob(host, notes);
    // Letters, digits, dots and dashes, and shell variables standing for labels (https://$SHOP.myshopify.com).
    if (!/^(?:[A-Za-z0-9.-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})+$/.test(host)) {
      throw new CurlImportError('SW_CURL_URL', `the URL's host ${host === '' ? '(empty)' : host} is not a host name`);
    }
  }
  if (after !== '' && !/^:[0-9]{1,5}$/.test(after))
    throw new CurlImportError('SW_CURL_URL', `the URL's port ${after.slice(1)} is not a number`);
  // Host names are case-insensitive (RFC 3986 §3.2.2); the names of shell variables in it are not.
  const lowered = host.replace(
    /(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)|[^$]+/g,
    (part: string, ref: string | undefined) => ref ?? part.toLowerCase(),
  );
  return { host: lowered, port: after === '' ? null : after.slice(1) };
}

/**
 * curl's URL globbing (curl(1), --globoff): `{a,b}` and `[1-3]` make one
 * request per item, so they cannot become one action. A `{x}` of one item
 * is x (so `{owner}` is sent as `owner`).
 */
function unglob(text: string, notes: string[]): string {
  if (/[[\]]/.test(text))
    throw new CurlImportError(
      'SW_CURL_URL',
      'the URL has [ ] brackets, which curl reads as a glob (several requests); pass -g if they are literal',
    );
  return text.replace(/\{([^{}]*)\}|[{}]/g, (match: string, inner: string | undefined) => {
    if (inner === undefined)
      throw new CurlImportError(
        'SW_CURL_URL',
        'the URL has an unmatched { or }, which curl refuses as a glob; pass -g if it is literal',
      );
    if (inner.includes(','))
      throw new CurlImportError(
        'SW_CURL_URL',
        `the URL has the glob ${match}, which makes one request per item; import one URL at a time, or pass -g if it is literal`,
      );
    notes.push(
      `curl reads ${match} in the URL as a glob of one item and sent ${inner}; if it is a placeholder, put the value (or {{ slots.… }} in the path).`,
    );
    return inner;
  });
}

/** RFC 3986 §5.2.4 remove_dot_segments, as curl applies it to the path it sends. */
export function removeDotSegments(path: string): string {
  let input = path;
  let output = '';
  while (input !== '') {
    if (input.startsWith('../')) input = input.slice(3);
    else if (input.startsWith('./')) input = input.slice(2);
    else if (input.startsWith('/./')) input = input.slice(2);
    else if (input === '/.') input = '/';
    else if (input.startsWith('/../') || input === '/..') {
      input = `/${input.slice(input === '/..' ? 3 : 4)}`;
      output = output.slice(0, Math.max(0, output.lastIndexOf('/')));
    } else if (input === '.' || input === '..') input = '';
    else {
      const next = input.indexOf('/', 1);
      const segment = next === -1 ? input : input.slice(0, next);
      output += segment;
      input = input.slice(segment.length);
    }
  }
  return output === '' ? '/' : output;
}

/** Characters past ASCII as curl sends them: each UTF-8 byte as %xx (lower-case hex, as curl 7.88 writes it). */
function encodeNonAscii(text: string): string {
  // oxlint-disable-next-line no-control-regex -- the range is all of ASCII, control characters included
  return text.replace(/[^\x00-\x7f]+/g, (run) =>
    [...Buffer.from(run, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
  );
}
