/**
 * The headers of a cURL command sorted by what becomes of them: written in
 * the action as curl sends them, decided with the body (Content-Type),
 * taken for credentials (curl-secrets.ts), or left to slotwire's HTTP
 * client (transport headers, Accept-Encoding). curl's own User-Agent and
 * Accept are not copied: slotwire sends its own unless the command set one.
 */
import type { CurlArgs, CurlHeader } from './curl-args.js';
import { literalText } from './curl-body.js';
import { CurlImportError } from './curl-errors.js';
import { headerRole } from './curl-secrets.js';

// What slotwire sends when an action sets no Accept (http/request.ts, expect: auto).
const SLOTWIRE_ACCEPT = 'application/json, */*;q=0.8';
// Set by the HTTP client for each connection and message (RFC 9110 §7.6.1, §8.6); a copy would be wrong or refused.
const TRANSPORT_HEADERS: ReadonlySet<string> = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'expect',
  'te',
  'upgrade',
  'proxy-connection',
]);

/** The headers curl sends, sorted by what becomes of them. */
export interface CurlHeaders {
  /** Written in the action, name as first written → value. */
  readonly plain: Map<string, string>;
  /** The Content-Type curl sends with data, its own default included; null when none. */
  readonly contentType: string | null;
  /** The command set the content type (-H or --json). */
  readonly contentTypeExplicit: boolean;
  readonly authorization: CurlHeader | null;
  /** Headers holding keys and tokens, in order. */
  readonly keys: CurlHeader[];
  /** Shell variables in the headers written as they are. */
  readonly plainVars: readonly string[];
}

// Headers decided after all -H are read (curl's own, or the body's); their place is where -H first named them.
const RESERVED: Readonly<Partial<Record<string, string>>> = {
  'content-type': 'Content-Type',
  accept: 'Accept',
  'user-agent': 'User-Agent',
  referer: 'Referer',
};

/** Sets a header to a literal value (escaped for actions.yml), or removes it for null. */
export function setOrDelete(headers: Map<string, string>, name: string, value: string | null): void {
  if (value === null) headers.delete(name);
  else headers.set(name, literalText(value));
}

/**
 * Sorts the command's headers (with -A, -e, -b and the data's content
 * type): written in the action, decided by the body, credentials, or left
 * to slotwire's client. Adds a note for each header not carried over.
 */
export function collectHeaders(args: CurlArgs, notes: string[]): CurlHeaders {
  const plain = new Map<string, string>();
  const lower = new Map<string, string>(); // lower-case name → name as written
  const keys: CurlHeader[] = [];
  let authorization: CurlHeader | null = null;
  let contentType: string | null = args.data.some((d) => d.json)
    ? 'application/json'
    : args.data.length > 0
      ? 'application/x-www-form-urlencoded'
      : null;
  let contentTypeExplicit = args.data.some((d) => d.json);
  let accept: string | null = args.data.some((d) => d.json) ? 'application/json' : null;
  let userAgent = args.userAgent;
  let referer = args.referer;
  let cookie = args.cookies;
  const dropped: string[] = [];
  const joined: string[] = [];
  const plainVars: string[] = [];

  for (const h of args.headers) {
    const name = h.name.toLowerCase();
    if (name === 'host')
      throw new CurlImportError(
        'SW_CURL_UNSUPPORTED',
        `-H '${h.name}: …' overrides the Host header; slotwire sends the connection's host`,
      );
    if (h.remove) {
      // `Name:` removes curl's own header; slotwire always sends its User-Agent, Accept and a body's Content-Type.
      if (name === 'user-agent') userAgent = '';
      else if (name === 'accept') accept = '';
      else if (name === 'content-type' && contentType !== null) {
        contentType = null;
        notes.push(
          "curl sent the body without a Content-Type (-H 'Content-Type:'); slotwire sends the one of the body's kind.",
        );
      }
      continue;
    }
    // These are decided after the loop; their place among the headers is kept.
    const canonical = RESERVED[name];
    if (canonical !== undefined && !plain.has(canonical)) plain.set(canonical, '');
    if (name === 'content-type') {
      contentType = h.value;
      contentTypeExplicit = true;
    } else if (name === 'accept') accept = h.value;
    else if (name === 'user-agent') userAgent = h.value;
    else if (name === 'referer') referer = h.value;
    else if (name === 'accept-encoding' || TRANSPORT_HEADERS.has(name)) dropped.push(h.name);
    else {
      const role = headerRole(h.name);
      if (role === 'authorization') authorization = h;
      else if (role === 'cookie') cookie = true;
      else if (role === 'proxy-authorization')
        notes.push(`${h.name} was not imported: slotwire connects to the API directly.`);
      else if (role === 'key') keys.push(h);
      else {
        plainVars.push(...h.vars);
        const first = lower.get(name);
        if (first === undefined) {
          lower.set(name, h.name);
          plain.set(h.name, literalText(h.value));
        } else {
          // RFC 9110 §5.3: repeated field lines mean the same as one line joined with commas.
          plain.set(first, `${plain.get(first) ?? ''}, ${literalText(h.value)}`);
          joined.push(h.name);
        }
      }
    }
  }
  if (accept === '')
    notes.push("curl sent no Accept header (-H 'Accept:'); slotwire sends its own (application/json, */*;q=0.8).");
  setOrDelete(plain, 'Accept', accept === null || accept === '' || accept === SLOTWIRE_ACCEPT ? null : accept);
  if (userAgent === '') notes.push('curl sent no User-Agent; slotwire sends its own (slotwire).');
  setOrDelete(plain, 'User-Agent', userAgent === '' ? null : userAgent);
  setOrDelete(plain, 'Referer', referer === '' ? null : referer);
  if (cookie)
    notes.push(
      "The command sends cookies (-b or a Cookie header): they were not imported. A session cookie belongs to a browser login; use the API's token or key in the connection's auth instead.",
    );
  if (dropped.length > 0)
    notes.push(
      `Headers left to slotwire's HTTP client were not imported: ${dropped.join(', ')} (slotwire reads answers uncompressed and sets the transport headers itself).`,
    );
  if (joined.length > 0)
    notes.push(
      `Repeated headers (${[...new Set(joined)].join(', ')}) are sent as one, the values joined with ", " (RFC 9110 §5.3).`,
    );
  return { plain, contentType, contentTypeExplicit, authorization, keys, plainVars };
}
