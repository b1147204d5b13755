/**
 * curl's command line read as curl 7.88 reads it (curl(1), tool_getparam.c):
 * short flags alone or combined (`-sS`, `-XPOST`, `-HAccept:x`), long flags
 * with their argument in the next word (curl has no `--flag=value`), data
 * pieces joined with `&`, `--data-urlencode` encoded as curl encodes it.
 * The result is what the request will carry; curl.ts maps it to a Draft.
 * Flags that only change curl's own output are accepted and ignored; a
 * flag not in the table is an error naming it, never silently dropped.
 */
import type { ShellWord } from './curl-words.js';
import { CurlImportError } from './curl-errors.js';

/** One `-H` header. */
export interface CurlHeader {
  readonly name: string;
  /** The value, surrounding blanks removed (as the server reads it). */
  readonly value: string;
  /** `Name:` with nothing after: curl then sends no such header (not even its own). */
  readonly remove: boolean;
  /** Shell variables the word referred to. */
  readonly vars: readonly string[];
}

/** One data piece, as curl puts it in the body (`--data-urlencode` already encoded). */
export interface CurlData {
  readonly flag: string;
  readonly text: string;
  /** `--json`: joined without `&`, and sets the JSON content type. */
  readonly json: boolean;
  /** Shell variables the word referred to. */
  readonly vars: readonly string[];
}

/** A value with the shell variables its word referred to. */
export interface CurlValue {
  readonly text: string;
  readonly vars: readonly string[];
}

/** What a curl command line asks for. */
export interface CurlArgs {
  url: CurlValue | null;
  /** `-X`, as written. */
  method: string | null;
  /** `-I`. */
  head: boolean;
  /** `-G`: the data goes into the query. */
  get: boolean;
  /** `-g`: `{}` and `[]` in the URL are literal. */
  globoff: boolean;
  /** `--path-as-is`: `.` and `..` segments are sent, not resolved. */
  pathAsIs: boolean;
  headers: CurlHeader[];
  data: CurlData[];
  /** `--url-query` pieces, encoded as curl sends them. */
  urlQuery: string[];
  /** `-u user[:password]`. */
  user: CurlValue | null;
  /** `--oauth2-bearer`. */
  bearer: CurlValue | null;
  /** `-A`, null when not given. */
  userAgent: string | null;
  /** `-e`, null when not given. */
  referer: string | null;
  /** `-b` was given (cookies, or a cookie file). */
  cookies: boolean;
  compressed: boolean;
  insecure: boolean;
  location: boolean;
  maxTime: string | null;
  connectTimeout: string | null;
  retry: string | null;
  /** Flags with effects slotwire leaves to its own settings, for notes (`-x`, `--cacert`). */
  ignored: string[];
}

type Apply = (args: CurlArgs, value: ShellWord, flag: string) => void;

interface FlagSpec {
  /** Takes the next word (or the rest of a short cluster) as its argument. */
  readonly arg: boolean;
  readonly apply: Apply;
}

const NOTHING: Apply = () => {};
const set =
  <K extends keyof CurlArgs>(key: K, value: CurlArgs[K]): Apply =>
  (args) => {
    args[key] = value;
  };
const note: Apply = (args, _value, flag) => {
  args.ignored.push(flag);
};

function data(kind: 'data' | 'raw' | 'binary' | 'urlencode' | 'json'): Apply {
  return (args, value, flag) => {
    let text = value.text;
    // --data-raw is the one form that does not read `@file` (curl(1)).
    if (kind !== 'raw' && kind !== 'urlencode' && text.startsWith('@')) {
      throw new CurlImportError(
        'SW_CURL_READS_FILE',
        `${flag} ${text} reads a file (or stdin); paste the data itself, or use --data-raw`,
      );
    }
    if (kind === 'urlencode') text = dataUrlencode(text, flag);
    args.data.push({ flag, text, json: kind === 'json', vars: value.vars });
  };
}

function unsupported(reason: string): Apply {
  return (_args, value, flag) => {
    throw new CurlImportError('SW_CURL_UNSUPPORTED', `${flag}${value.text === '' ? '' : ` ${value.text}`}: ${reason}`);
  };
}

const readsFile: Apply = (_args, value, flag) => {
  throw new CurlImportError(
    'SW_CURL_READS_FILE',
    `${flag}${value.text === '' ? '' : ` ${value.text}`} reads a file; slotwire sends what the action file says`,
  );
};

const multipart: Apply = (_args, _value, flag) => {
  throw new CurlImportError(
    'SW_CURL_MULTIPART',
    `${flag} sends a multipart/form-data body; slotwire sends JSON, form-urlencoded or text (body:, form:, text:)`,
  );
};

/** curl's long options this importer knows, by name without the dashes. */
const LONG: Readonly<Partial<Record<string, FlagSpec>>> = {
  request: {
    arg: true,
    apply: (a, v) => {
      a.method = v.text;
    },
  },
  header: {
    arg: true,
    apply: (a, v, f) => {
      a.headers.push(parseHeader(v, f));
    },
  },
  data: { arg: true, apply: data('data') },
  'data-ascii': { arg: true, apply: data('data') },
  'data-binary': { arg: true, apply: data('binary') },
  'data-raw': { arg: true, apply: data('raw') },
  'data-urlencode': { arg: true, apply: data('urlencode') },
  json: { arg: true, apply: data('json') },
  'url-query': {
    arg: true,
    apply: (a, v, f) => {
      a.urlQuery.push(v.text.startsWith('+') ? v.text.slice(1) : dataUrlencode(v.text, f));
    },
  },
  get: { arg: false, apply: set('get', true) },
  head: { arg: false, apply: set('head', true) },
  user: {
    arg: true,
    apply: (a, v) => {
      a.user = { text: v.text, vars: v.vars };
    },
  },
  'oauth2-bearer': {
    arg: true,
    apply: (a, v) => {
      a.bearer = { text: v.text, vars: v.vars };
    },
  },
  url: {
    arg: true,
    apply: (a, v) => {
      addUrl(a, v);
    },
  },
  'user-agent': {
    arg: true,
    apply: (a, v) => {
      a.userAgent = v.text;
    },
  },
  // `-e 'URL;auto'` also sets Referer on redirects; the header is the URL.
  referer: {
    arg: true,
    apply: (a, v) => {
      a.referer = v.text.replace(/;auto$/, '');
    },
  },
  cookie: { arg: true, apply: set('cookies', true) },
  compressed: { arg: false, apply: set('compressed', true) },
  insecure: { arg: false, apply: set('insecure', true) },
  location: { arg: false, apply: set('location', true) },
  'location-trusted': { arg: false, apply: set('location', true) },
  globoff: { arg: false, apply: set('globoff', true) },
  'path-as-is': { arg: false, apply: set('pathAsIs', true) },
  'max-time': {
    arg: true,
    apply: (a, v) => {
      a.maxTime = v.text;
    },
  },
  'connect-timeout': {
    arg: true,
    apply: (a, v) => {
      a.connectTimeout = v.text;
    },
  },
  retry: {
    arg: true,
    apply: (a, v) => {
      a.retry = v.text;
    },
  },
  // curl's own output and transfer details: no effect on the request sent.
  silent: { arg: false, apply: NOTHING },
  'show-error': { arg: false, apply: NOTHING },
  verbose: { arg: false, apply: NOTHING },
  include: { arg: false, apply: NOTHING },
  fail: { arg: false, apply: NOTHING },
  'fail-with-body': { arg: false, apply: NOTHING },
  'progress-bar': { arg: false, apply: NOTHING },
  'no-progress-meter': { arg: false, apply: NOTHING },
  'no-buffer': { arg: false, apply: NOTHING },
  'remote-name': { arg: false, apply: NOTHING },
  basic: { arg: false, apply: NOTHING },
  'http1.1': { arg: false, apply: NOTHING },
  http2: { arg: false, apply: NOTHING },
  output: { arg: true, apply: NOTHING },
  'write-out': { arg: true, apply: NOTHING },
  'dump-header': { arg: true, apply: NOTHING },
  'cookie-jar': { arg: true, apply: NOTHING },
  'retry-delay': { arg: true, apply: NOTHING },
  'retry-max-time': { arg: true, apply: NOTHING },
  'max-redirs': { arg: true, apply: NOTHING },
  'limit-rate': { arg: true, apply: NOTHING },
  'trace-ascii': { arg: true, apply: NOTHING },
  // Settings of where and how to connect, which slotwire takes from the connection.
  proxy: { arg: true, apply: note },
  cacert: { arg: true, apply: note },
  capath: { arg: true, apply: note },
  cert: { arg: true, apply: note },
  key: { arg: true, apply: note },
  // What slotwire cannot send.
  form: { arg: true, apply: multipart },
  'form-string': { arg: true, apply: multipart },
  'upload-file': { arg: true, apply: readsFile },
  config: { arg: true, apply: readsFile },
  netrc: { arg: false, apply: readsFile },
  'netrc-file': { arg: true, apply: readsFile },
  digest: {
    arg: false,
    apply: unsupported('slotwire authenticates with bearer, basic, an API key or OAuth2 client credentials'),
  },
  ntlm: {
    arg: false,
    apply: unsupported('slotwire authenticates with bearer, basic, an API key or OAuth2 client credentials'),
  },
  negotiate: {
    arg: false,
    apply: unsupported('slotwire authenticates with bearer, basic, an API key or OAuth2 client credentials'),
  },
  anyauth: {
    arg: false,
    apply: unsupported('slotwire authenticates with bearer, basic, an API key or OAuth2 client credentials'),
  },
  'aws-sigv4': { arg: true, apply: unsupported('slotwire does not sign requests') },
  resolve: { arg: true, apply: unsupported("the request goes to the connection's host as DNS resolves it") },
  'connect-to': { arg: true, apply: unsupported("the request goes to the connection's host as DNS resolves it") },
  'unix-socket': { arg: true, apply: unsupported('slotwire connects over TCP') },
};

/** Short flags and the long option each stands for. */
const SHORT: Readonly<Partial<Record<string, string>>> = {
  X: 'request',
  H: 'header',
  d: 'data',
  G: 'get',
  I: 'head',
  u: 'user',
  A: 'user-agent',
  e: 'referer',
  b: 'cookie',
  c: 'cookie-jar',
  k: 'insecure',
  L: 'location',
  g: 'globoff',
  s: 'silent',
  S: 'show-error',
  v: 'verbose',
  i: 'include',
  f: 'fail',
  '#': 'progress-bar',
  N: 'no-buffer',
  O: 'remote-name',
  o: 'output',
  w: 'write-out',
  D: 'dump-header',
  m: 'max-time',
  x: 'proxy',
  E: 'cert',
  F: 'form',
  T: 'upload-file',
  K: 'config',
  n: 'netrc',
};

function emptyArgs(): CurlArgs {
  return {
    url: null,
    method: null,
    head: false,
    get: false,
    globoff: false,
    pathAsIs: false,
    headers: [],
    data: [],
    urlQuery: [],
    user: null,
    bearer: null,
    userAgent: null,
    referer: null,
    cookies: false,
    compressed: false,
    insecure: false,
    location: false,
    maxTime: null,
    connectTimeout: null,
    retry: null,
    ignored: [],
  };
}

/**
 * Reads curl's arguments (the words after `curl`).
 * @param words - from shellCommands, without the leading `curl`
 */
export function parseCurlArgs(words: readonly ShellWord[]): CurlArgs {
  const args = emptyArgs();
  let i = 0;
  let optionsEnded = false;
  const argument = (flag: string): ShellWord => {
    const next = words[++i];
    if (next === undefined) throw new CurlImportError('SW_CURL_MISSING_ARGUMENT', `${flag} needs an argument`);
    return next;
  };
  for (; i < words.length; i++) {
    const word = words[i];
    const text = word.text;
    if (optionsEnded || !text.startsWith('-') || text === '-') {
      addUrl(args, word);
    } else if (text === '--') {
      optionsEnded = true;
    } else if (text.startsWith('--')) {
      applyLong(args, text, argument);
    } else {
      // A cluster: `-sS`, `-XPOST`, `-HAccept:x`. A flag with an argument takes the rest of the word, or the next word.
      for (let j = 1; j < text.length; j++) {
        const letter = text[j];
        const long = SHORT[letter];
        const spec = long === undefined ? undefined : LONG[long];
        if (long === undefined || spec === undefined)
          throw new CurlImportError(
            'SW_CURL_UNKNOWN_FLAG',
            `unknown curl flag -${letter}${text.length > 2 ? ` (in ${text})` : ''}`,
          );
        if (!spec.arg) {
          spec.apply(args, { text: '', vars: [] }, `-${letter}`);
          continue;
        }
        const rest = text.slice(j + 1);
        // The attached argument shares the word's variables.
        spec.apply(args, rest !== '' ? { text: rest, vars: word.vars } : argument(`-${letter}`), `-${letter}`);
        break;
      }
    }
  }
  return args;
}

type NegatableKey = 'get' | 'head' | 'compressed' | 'insecure' | 'location' | 'globoff' | 'pathAsIs';

/** Booleans whose --no- form undoes an earlier flag; the other --no- forms change nothing sent. */
const NEGATABLE: Readonly<Partial<Record<string, NegatableKey>>> = {
  get: 'get',
  head: 'head',
  compressed: 'compressed',
  insecure: 'insecure',
  location: 'location',
  globoff: 'globoff',
  'path-as-is': 'pathAsIs',
};

function applyLong(args: CurlArgs, text: string, argument: (flag: string) => ShellWord): void {
  const name = text.slice(2);
  const spec = LONG[name];
  if (spec !== undefined) {
    spec.apply(args, spec.arg ? argument(text) : { text: '', vars: [] }, text);
    return;
  }
  // curl(1): a boolean option is switched off with --no-<name>.
  if (name.startsWith('no-') && LONG[name.slice(3)]?.arg === false) {
    const key: NegatableKey | undefined = NEGATABLE[name.slice(3)];
    if (key !== undefined) args[key] = false;
    return;
  }
  const hint = name.includes('=')
    ? ` (curl has no --flag=value form: write --${name.split('=')[0] ?? ''} followed by the value)`
    : '';
  throw new CurlImportError('SW_CURL_UNKNOWN_FLAG', `unknown curl flag ${text}${hint}`);
}

function addUrl(args: CurlArgs, word: ShellWord): void {
  if (args.url !== null)
    throw new CurlImportError(
      'SW_CURL_URL',
      `the command names several URLs (${args.url.text}, ${word.text}); import one request at a time`,
    );
  args.url = { text: word.text, vars: word.vars };
}

/**
 * `-H`: `Name: value` sends the header, `Name:` removes it (also curl's own),
 * `Name;` sends it empty (curl(1), --header).
 */
function parseHeader(word: ShellWord, flag: string): CurlHeader {
  const text = word.text;
  if (text.startsWith('@'))
    throw new CurlImportError(
      'SW_CURL_READS_FILE',
      `${flag} ${text} reads headers from a file; paste them as -H 'Name: value'`,
    );
  const colon = text.indexOf(':');
  const semicolon = text.indexOf(';');
  if (colon > 0 && (semicolon === -1 || colon < semicolon)) {
    const value = text.slice(colon + 1).trim();
    return { name: text.slice(0, colon).trim(), value, remove: value === '', vars: word.vars };
  }
  if (semicolon > 0 && text.slice(semicolon + 1).trim() === '')
    return { name: text.slice(0, semicolon).trim(), value: '', remove: false, vars: word.vars };
  throw new CurlImportError(
    'SW_CURL_SYNTAX',
    `${flag} ${text} is not a header: write 'Name: value' (or 'Name;' for an empty one)`,
  );
}

/**
 * `--data-urlencode` as curl 7.88 builds it: `name=content` → `name=` plus
 * the encoded content, `=content` and `content` → the encoded content,
 * `name@file` and `@file` read a file. `=` is looked for before `@`.
 */
function dataUrlencode(text: string, flag: string): string {
  const eq = text.indexOf('=');
  if (eq === -1 && text.includes('@')) {
    throw new CurlImportError('SW_CURL_READS_FILE', `${flag} ${text} reads a file; paste the data itself`);
  }
  if (eq === -1) return curlEscape(text);
  const name = text.slice(0, eq);
  const encoded = curlEscape(text.slice(eq + 1));
  return name === '' ? encoded : `${name}=${encoded}`;
}

/**
 * curl_easy_escape (RFC 3986 unreserved characters kept, every other UTF-8
 * byte as %XX), with spaces as `+`, as the curl 7.88 tool sends
 * --data-urlencode (test/import/curl.test.ts checks it against the binary).
 */
export function curlEscape(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c)) out += c;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
