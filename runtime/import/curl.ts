/**
 * `slotwire import curl`: a cURL command as API docs print it, as a
 * connection and one action that send the request curl would send
 * (docs/import.md). The words come from curl-words.ts, the flags from
 * curl-args.ts, the URL from curl-url.ts, the headers from
 * curl-headers.ts, the body from curl-body.ts, the query from
 * curl-query.ts, the credentials from curl-secrets.ts and the names from
 * curl-names.ts; this file puts them together. Credentials become `${VAR}`s listed in `variables`; their
 * values are never part of the Draft.
 */
import type { CurlArgs } from './curl-args.js';
import { parseCurlArgs } from './curl-args.js';
import { chooseBody } from './curl-body.js';
import { CurlImportError } from './curl-errors.js';
import { collectHeaders, setOrDelete } from './curl-headers.js';
import { actionName, connectionNameOf } from './curl-names.js';
import { splitQuery } from './curl-query.js';
import { credentials, secretRefs } from './curl-secrets.js';
import type { SecretRefs } from './curl-secrets.js';
import { splitCurlUrl } from './curl-url.js';
import type { ShellCommand, ShellWord } from './curl-words.js';
import { shellCommands, ShellSyntaxError } from './curl-words.js';
import type { Draft } from './draft.js';
import { identifier } from './draft.js';

export { CurlImportError } from './curl-errors.js';
export type { CurlImportCode } from './curl-errors.js';
export { actionName, connectionNameOf } from './curl-names.js';

/** Options of importCurl. */
export interface CurlImportOptions {
  /** The action's name. Default: the method and the last meaningful path segment (`post_customers`) */
  readonly name?: string;
  /** The connection's name. Default: the host without `www.`/`api.` and its top-level domain (`stripe`) */
  readonly connection?: string;
}

const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);

/**
 * The request a pasted cURL command makes, as a connection and one action.
 * Throws CurlImportError (one line, naming the flag or the problem) for
 * what it cannot express.
 * @param command - the command as pasted: `curl` and a `$ ` prompt optional, line continuations and quotes as a shell reads them
 * @example
 * importCurl(`curl https://api.stripe.com/v1/customers -u "$STRIPE_KEY:" -d name="Jenny Rosen"`)
 * // connection stripe (basic auth from ${STRIPE_KEY}), action post_customers with form: { name: Jenny Rosen }
 */
export function importCurl(command: string, options: CurlImportOptions = {}): Draft {
  const notes: string[] = [];
  const words = curlWords(command, notes);
  const args = parseCurlArgs(words);
  if (args.url === null) throw new CurlImportError('SW_CURL_URL', 'the command has no URL');
  const url = splitCurlUrl(args.url, args.globoff, args.pathAsIs);
  notes.push(...url.notes);

  const method = requestMethod(args, notes);
  const secrets = secretRefs();
  const connectionName = options.connection ?? connectionNameOf(url.host);
  const prefix = identifier(connectionName).toUpperCase();
  const headers = collectHeaders(args, notes);

  // The body first: -G moves the data into the query.
  const data =
    args.data.length === 0
      ? null
      : args.data.reduce((all, piece, n) => (n === 0 ? piece.text : `${all}${piece.json ? '' : '&'}${piece.text}`), '');
  const queryParts = [url.query, ...[...args.urlQuery, args.get ? data : null].map(appendedQuery)].filter(
    (q): q is string => q !== null && q !== '',
  );
  const body = chooseBody(args.get ? null : data, args.get ? null : headers.contentType, headers.contentTypeExplicit);
  notes.push(...body.notes);
  const contentType = args.get ? (headers.contentTypeExplicit ? headers.contentType : null) : body.contentType;
  setOrDelete(headers.plain, 'Content-Type', contentType);

  const { auth, connectionHeaders } = credentials(args, url, headers, secrets, prefix, notes);
  const query = splitQuery(
    queryParts.join('&'),
    url.path,
    auth,
    [...args.url.vars, ...args.data.flatMap((d) => d.vars)],
    secrets,
    prefix,
  );

  if (url.path.includes('{{'))
    throw new CurlImportError('SW_CURL_URL', 'the URL path has {{, which actions.yml reads as an expression');
  const shellVars = [
    ...new Set([
      ...args.url.vars.filter(
        (v) =>
          `${url.path}?${url.query ?? ''}`.includes(`$${v}`) || `${url.path}?${url.query ?? ''}`.includes(`\${${v}}`),
      ),
      ...args.data.flatMap((d) => d.vars),
      ...headers.plainVars,
    ]),
  ];
  if (shellVars.length > 0)
    notes.push(
      `The command refers to shell variables (${shellVars.map((v) => `$${v}`).join(', ')}) in its path, query, headers or body: they are kept there as written; put their values (or slots) in their place.`,
    );
  notes.push(...behaviourNotes(args));

  const name = options.name ?? actionName(method, url.path);
  const variables = [...secrets.variables];
  for (const ref of url.origin.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    const v = ref[1];
    if (!variables.some((x) => x.name === v))
      variables.push({ name: v, why: `part of the API's host name (the command's $${v})` });
  }
  const draft: Draft = {
    connection: {
      name: connectionName,
      baseUrl: url.origin,
      auth: auth ?? query.auth,
      ...(Object.keys(connectionHeaders).length > 0 ? { headers: connectionHeaders } : {}),
    },
    actions: [
      {
        name,
        description: null,
        method,
        path: query.path,
        query: query.fields,
        headers: Object.fromEntries(headers.plain),
        body: body.body,
        responseSchema: null,
        notes: [
          'Imported from a cURL command: the path, query and body hold its literal values; replace the parts that vary with {{ slots.… }}.',
          ...notes,
        ],
      },
    ],
    variables,
  };
  assertNoSecret(draft, secrets);
  return draft;
}

/**
 * Data curl appends to the URL (-G, --url-query) as it sends it: curl 7.88
 * refuses a space or a byte past ASCII there (error 3), and writes the
 * percent-encoding of the appended part in lower case.
 */
function appendedQuery(text: string | null): string | null {
  if (text === null) return null;
  if (/[^\x21-\x7e]/.test(text))
    throw new CurlImportError(
      'SW_CURL_URL',
      'the data -G puts in the URL has a space or a character past ASCII, which curl refuses: encode it (--data-urlencode)',
    );
  return text.replace(/%[0-9A-Fa-f]{2}/g, (hex) => hex.toLowerCase());
}

/** The curl command's words, without `curl`, a prompt or what came before and after it. */
function curlWords(command: string, notes: string[]): readonly ShellWord[] {
  let commands: ShellCommand[];
  try {
    commands = shellCommands(command);
  } catch (err) {
    if (err instanceof ShellSyntaxError) throw new CurlImportError('SW_CURL_SYNTAX', err.message);
    throw err;
  }
  const cleaned = commands.map((c) => {
    let w = [...c.words];
    // A prompt pasted with the command, then VAR=value prefixes.
    if (w[0]?.text === '$' || w[0]?.text === '%') w = w.slice(1);
    while (w.length > 1 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[0]?.text ?? '')) w = w.slice(1);
    return { words: w, end: c.end };
  });
  let index = cleaned.findIndex((c) => /(?:^|\/)curl(?:\.exe)?$/.test(c.words[0]?.text ?? ''));
  let words: ShellWord[];
  if (index !== -1) {
    words = cleaned[index]?.words.slice(1) ?? [];
  } else if (/^(?:-|https?:\/\/)/i.test(cleaned[0]?.words[0]?.text ?? '')) {
    // Pasted without `curl`: the flags and URL alone.
    index = 0;
    words = cleaned[0]?.words ?? [];
  } else {
    throw new CurlImportError('SW_CURL_NOT_CURL', 'the text has no curl command');
  }
  // Copied from a page that "prettified" the quotes: the shell would pass them to curl as text.
  const curly = words.find((w) => /^[\u201c\u2018]|[\u201d\u2019]$/.test(w.text));
  if (curly !== undefined)
    throw new CurlImportError(
      'SW_CURL_SYNTAX',
      `the command has typographic quotes (${curly.text.slice(0, 30)}); replace them with straight quotes (' or ")`,
    );
  if (index > 0) notes.push('Lines before the curl command (variable assignments, other commands) were not imported.');
  const end = cleaned[index]?.end ?? '';
  // `curl https://x/?a=1&b=2` unquoted: the shell runs curl in the background with half the URL.
  if (end === '&')
    throw new CurlImportError(
      'SW_CURL_SYNTAX',
      'an unquoted & ends the command (the shell would run curl without what follows); quote the URL',
    );
  if (end !== '' && end !== '\n')
    notes.push(`What follows the curl command (${end} …) was not imported: it handles curl's output.`);
  else if (index < cleaned.length - 1) notes.push('Commands after the curl command were not imported.');
  return words;
}

function requestMethod(args: CurlArgs, notes: string[]): string {
  if (args.head && args.data.length > 0 && !args.get)
    throw new CurlImportError('SW_CURL_METHOD', '-I (HEAD) and data (-d) ask for two methods; curl refuses it too');
  if (args.method !== null) {
    const upper = args.method.toUpperCase();
    if (!METHODS.has(upper))
      throw new CurlImportError(
        'SW_CURL_METHOD',
        `-X ${args.method}: slotwire sends GET, POST, PUT, PATCH, DELETE or HEAD`,
      );
    if (upper !== args.method)
      notes.push(
        `curl sends the method as written (-X ${args.method}); slotwire sends ${upper}, as HTTP servers expect.`,
      );
    return upper;
  }
  if (args.head) return 'HEAD';
  if (args.get) return 'GET';
  return args.data.length > 0 ? 'POST' : 'GET';
}

/** Notes for flags whose effect slotwire sets elsewhere. */
function behaviourNotes(args: CurlArgs): string[] {
  const notes: string[] = [];
  if (args.insecure)
    notes.push(
      "curl -k skipped TLS certificate checks; slotwire always verifies TLS. For a private CA, set the connection's tls: { ca: … } (docs/actions-yml.md#connections).",
    );
  if (args.location)
    notes.push(
      "curl -L follows redirects to any host; slotwire follows same-origin redirects by default (the connection's redirects: none | same_origin | any).",
    );
  if (args.compressed) notes.push('--compressed was not imported: slotwire asks for and reads uncompressed answers.');
  if (args.maxTime !== null)
    notes.push(
      `curl gave up after ${args.maxTime}s (--max-time): set the connection's timeout: ${args.maxTime}s (and deadline:) if the default 10s does not fit.`,
    );
  if (args.connectTimeout !== null)
    notes.push(
      `curl's --connect-timeout ${args.connectTimeout}: set the connection's connect_timeout: ${args.connectTimeout}s (default 5s).`,
    );
  if (args.retry !== null)
    notes.push(
      `curl retried ${args.retry} times (--retry): set retry: { attempts: ${Number(args.retry) + 1} } on the connection (only GET and HEAD are retried unless unsafe: true).`,
    );
  if (args.ignored.length > 0)
    notes.push(
      `${[...new Set(args.ignored)].join(', ')} not imported: slotwire connects directly, and a private CA or client certificate goes in the connection's tls: (ca, cert, key).`,
    );
  return notes;
}

/** The last line of defence: no literal credential anywhere in what is written. */
function assertNoSecret(draft: Draft, secrets: SecretRefs): void {
  // The `${NAME}` references themselves are not values (a placeholder value API_KEY is part of NEWSAPI_API_KEY).
  const written = JSON.stringify([draft.connection, draft.actions, draft.variables.map((v) => v.why)]).replace(
    /\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}/g,
    '',
  );
  for (const value of secrets.values) {
    // Short values (a one-letter password) would match by chance; they are not written anyway.
    if (value.length >= 4 && written.includes(JSON.stringify(value).slice(1, -1))) {
      throw new CurlImportError(
        'SW_CURL_CREDENTIALS',
        'a credential of the command also appears in its URL, headers or body; remove it there and import again',
      );
    }
  }
}
