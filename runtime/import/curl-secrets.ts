/**
 * Credentials in a cURL command, recognised by where they sit: the
 * Authorization header, `-u`, `--oauth2-bearer`, user info in the URL,
 * headers named like keys and tokens, query parameters named like keys.
 * Each becomes a `${VAR}` in the connection (the only place actions.yml
 * reads the environment), and its value is never written.
 */
import type { CurlArgs, CurlHeader } from './curl-args.js';
import type { CurlUrl } from './curl-url.js';
import type { DraftAuth, DraftVariable } from './draft.js';
import { identifier } from './draft.js';

// config/secrets.ts's credentialHeaders, plus the names API docs use for keys and tokens
// (X-Shopify-Access-Token, X-Goog-Api-Key, Ocp-Apim-Subscription-Key, X-Figma-Token).
const KEY_HEADER =
  /^(?:x-)?(?:api-?key|apikey|auth-?token|access-?token|token|secret|key)$|[-_](?:api-?key|apikey|key|token|secret|password)$/i;
// Headers named like keys that carry no secret.
const NOT_SECRET: ReadonlySet<string> = new Set(['idempotency-key', 'sec-websocket-key', 'x-idempotency-key']);
const KEY_QUERY =
  /^(?:api[-_]?key|apikey|key|access[-_]?token|token|auth|auth[-_]?token|app[-_]?id|appid|app[-_]?key|client[-_]?secret|secret|password|passwd)$/i;

/** What a header carries, for the importer. */
export type HeaderRole = 'authorization' | 'cookie' | 'proxy-authorization' | 'key' | 'plain';

/** Whether a header holds a credential, and which kind. */
export function headerRole(name: string): HeaderRole {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization' || lower === 'cookie') return lower;
  return KEY_HEADER.test(lower) && !NOT_SECRET.has(lower) ? 'key' : 'plain';
}

/** Whether a query parameter, by its decoded name, holds a key or token. */
export function isKeyParameter(name: string): boolean {
  return KEY_QUERY.test(name);
}

/** Variables for one import: names made unique, each listed once with why. */
export interface SecretRefs {
  readonly variables: DraftVariable[];
  /** Literal secret values seen (not shell references), for the check that none is written. */
  readonly values: string[];
  /**
   * A `${NAME}` for `value`. When the command gave the value as exactly one
   * shell variable (`$OPENAI_API_KEY`), that name is kept; else `fallback`,
   * made unique.
   */
  ref(value: string, vars: readonly string[], fallback: string, why: string, options?: RefOptions): string;
}

/** How a value is referred to. */
export interface RefOptions {
  /** An empty value becomes `${NAME:-}`, which may stay unset. Default: false */
  readonly allowEmpty?: boolean;
  /** Not a secret (a user name): left out of `values`. Default: false */
  readonly identity?: boolean;
}

/** A fresh set of references. */
export function secretRefs(): SecretRefs {
  const variables: DraftVariable[] = [];
  const values: string[] = [];
  return {
    variables,
    values,
    ref(value, vars, fallback, why, { allowEmpty = false, identity = false } = {}) {
      const shell = shellVariable(value, vars);
      if (shell !== null) {
        if (!variables.some((v) => v.name === shell))
          variables.push({ name: shell, why: `${why}; the command reads it from $${shell}` });
        return `\${${shell}}`;
      }
      let name = fallback;
      for (let n = 2; variables.some((v) => v.name === name); n++) name = `${fallback}_${n}`;
      if (value === '' && allowEmpty) {
        variables.push({ name, why: `${why}: empty in the command, so it may stay unset`, default: '' });
        return `\${${name}:-}`;
      }
      if (!identity) values.push(value);
      variables.push({ name, why });
      return `\${${name}}`;
    },
  };
}

/** `$NAME` or `${NAME}` exactly, when the shell word expanded NAME; else null. */
export function shellVariable(value: string, vars: readonly string[]): string | null {
  const m = /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})$/.exec(value);
  const name = m?.[1] ?? m?.[2];
  return name !== undefined && vars.includes(name) ? name : null;
}

/** The connection's auth and credential headers. */
export interface Credentials {
  readonly auth: DraftAuth | null;
  /** Credential headers beyond the auth, as `${VAR}` references. */
  readonly connectionHeaders: Readonly<Record<string, string>>;
}

/**
 * The connection's auth from the command's credentials, by curl's
 * precedence: an Authorization header (curl sends it instead of its own),
 * then --oauth2-bearer, then -u, then user info in the URL. Key headers
 * become an api_key auth when there is no other, else connection headers.
 */
export function credentials(
  args: CurlArgs,
  url: CurlUrl,
  headers: { readonly authorization: CurlHeader | null; readonly keys: readonly CurlHeader[] },
  secrets: SecretRefs,
  prefix: string,
  notes: string[],
): Credentials {
  let auth: DraftAuth | null = null;
  const h = headers.authorization;
  if (h !== null) {
    auth = authorizationHeader(h, secrets, prefix);
    if (args.user !== null || args.bearer !== null)
      notes.push(
        'The command has both an Authorization header and -u/--oauth2-bearer; curl sends the header, so the header was imported.',
      );
  } else if (args.bearer !== null) {
    auth = {
      type: 'bearer',
      token: secrets.ref(
        args.bearer.text,
        args.bearer.vars,
        `${prefix}_TOKEN`,
        "bearer token (the command's --oauth2-bearer)",
      ),
    };
  } else if (args.user !== null || url.userinfo !== null) {
    const user = args.user ?? { text: decodeUserinfo(url.userinfo ?? ''), vars: args.url?.vars ?? [] };
    const colon = user.text.indexOf(':');
    if (colon === -1) notes.push(`-u gave no password: curl would ask for it when run; set ${prefix}_PASSWORD.`);
    const username = colon === -1 ? user.text : user.text.slice(0, colon);
    const password = colon === -1 ? '' : user.text.slice(colon + 1);
    auth = basicAuth(username, password, user.vars, secrets, prefix, colon !== -1, "the command's -u");
    if (url.path.includes(username) && username.length > 3)
      notes.push('The basic auth user name also appears in the path: it was left there as written.');
  }
  const extra: CurlHeader[] = [];
  for (const key of headers.keys) {
    if (auth === null) {
      auth = {
        type: 'api_key',
        in: 'header',
        name: key.name,
        value: secrets.ref(key.value, key.vars, `${prefix}_API_KEY`, `API key sent in the ${key.name} header`),
      };
    } else {
      extra.push(key);
    }
  }
  // Credential headers beyond the auth: connection headers, the one place besides auth that reads ${VAR}.
  const connectionHeaders: Record<string, string> = {};
  for (const key of extra)
    connectionHeaders[key.name] = secrets.ref(
      key.value,
      key.vars,
      `${prefix}_${identifier(key.name.replace(/^x-/i, '')).toUpperCase()}`,
      `the ${key.name} header`,
    );
  return { auth, connectionHeaders };
}

/** `Authorization: Bearer x`, `Basic b64`, or another scheme kept as written before the `${VAR}`. */
function authorizationHeader(h: CurlHeader, secrets: SecretRefs, prefix: string): DraftAuth {
  const space = h.value.indexOf(' ');
  const scheme = space === -1 ? '' : h.value.slice(0, space);
  const credential = space === -1 ? h.value : h.value.slice(space + 1).trim();
  // slotwire writes exactly "Bearer " and "Basic " (http/auth.ts); another spelling is kept as a header value.
  if (scheme === 'Bearer')
    return {
      type: 'bearer',
      token: secrets.ref(credential, h.vars, `${prefix}_TOKEN`, "bearer token (the command's Authorization header)"),
    };
  if (scheme === 'Basic') {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon !== -1 && Buffer.from(decoded, 'utf8').toString('base64') === credential) {
      return basicAuth(
        decoded.slice(0, colon),
        decoded.slice(colon + 1),
        [],
        secrets,
        prefix,
        true,
        "the command's Authorization: Basic header",
      );
    }
  }
  const ref = secrets.ref(
    credential,
    h.vars,
    `${prefix}_API_KEY`,
    scheme === '' ? "the Authorization header's value" : `the credential after "${scheme}" in the Authorization header`,
  );
  return { type: 'api_key', in: 'header', name: h.name, value: scheme === '' ? ref : `${scheme} ${ref}` };
}

function basicAuth(
  username: string,
  password: string,
  vars: readonly string[],
  secrets: SecretRefs,
  prefix: string,
  hasPassword: boolean,
  from: string,
): DraftAuth {
  // `-u key:` (Stripe and others): the API key is the user name and the password is empty.
  const keyAsUser = hasPassword && password === '';
  return {
    type: 'basic',
    // Otherwise a user name is an identity, not a secret (Twilio's account SID is also in its paths); it is a variable all the same.
    username: keyAsUser
      ? secrets.ref(username, vars, `${prefix}_USERNAME`, `API key, sent as the basic auth user name (${from})`)
      : secrets.ref(username, vars, `${prefix}_USERNAME`, `basic auth user name (${from})`, {
          identity: true,
          allowEmpty: true,
        }),
    password: secrets.ref(password, vars, `${prefix}_PASSWORD`, `basic auth password (${from})`, {
      allowEmpty: hasPassword,
    }),
  };
}

function decodeUserinfo(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
