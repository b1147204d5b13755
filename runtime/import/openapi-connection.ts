/**
 * The connection an import writes: the base URL from `servers` (3.x) or
 * `host` + `basePath` + `schemes` (2.0), and one auth from the security
 * schemes the chosen operations use. Every secret is a `${VAR}` named after
 * the connection (PETSTORE_API_KEY), listed in `variables` with the scheme
 * it serves.
 */
import { identifier } from './draft.js';
import type { DraftAuth, DraftConnection, DraftVariable } from './draft.js';
import type { OpenApiVersion } from './openapi-load.js';
import { arrayAt, objectAt, stringAt } from './openapi-operations.js';
import type { ApiOperation } from './openapi-operations.js';

type Obj = Readonly<Record<string, unknown>>;

/** The connection, the variables it reads, and per operation what it does not cover. */
export interface ConnectionPlan {
  readonly connection: DraftConnection;
  readonly variables: readonly DraftVariable[];
  /** By operationId: notes for operations the connection does not fully serve (other server, other auth). */
  readonly notes: ReadonlyMap<string, readonly string[]>;
  /** The parameter the auth sends (an API key), so an operation does not send it again. */
  readonly authParameter: { readonly in: 'header' | 'query'; readonly name: string } | null;
}

/** Builds the connection `name` for the chosen operations of a dereferenced description. */
export function connectionFor(
  document: Obj,
  version: OpenApiVersion,
  operations: readonly ApiOperation[],
  name: string,
): ConnectionPlan {
  const prefix = identifier(name).toUpperCase();
  const notes = new Map<string, string[]>();
  const note = (op: ApiOperation, text: string) =>
    notes.set(op.operationId, [...(notes.get(op.operationId) ?? []), text]);
  const variables: DraftVariable[] = [];

  const base = version === '2.0' ? baseUrl2(document, prefix) : baseUrl3(document, operations, prefix, note);
  if (base.variable) variables.push(base.variable);

  const auth = chooseAuth(document, version, operations, prefix, base.absolute, note);
  variables.push(...auth.variables);
  return {
    connection: { name, baseUrl: base.baseUrl, auth: auth.auth },
    variables,
    notes,
    authParameter: auth.parameter,
  };
}

// ---------------------------------------------------------------- base URL

interface Base {
  readonly baseUrl: string;
  /** The URL tokens are resolved against, when one is known. */
  readonly absolute: string | null;
  readonly variable?: DraftVariable;
}

/** A server URL with its variables' defaults filled in (OpenAPI 3.x §4.8.6); which variables offer choices. */
function serverUrl(server: Obj): { url: string; choices: string[] } {
  const vars = objectAt(server['variables']);
  const choices: string[] = [];
  const url = String(server['url'] ?? '/').replace(/\{([^}]+)\}/g, (whole, v: string) => {
    const variable = objectAt(vars[v]);
    const values = arrayAt(variable['enum']).map(String);
    const fallback = variable['default'];
    choices.push(values.length > 1 ? `${v}: ${values.join(' | ')}` : `${v}: default ${String(fallback ?? '')}`);
    return fallback === undefined ? whole : String(fallback);
  });
  return { url, choices };
}

/** `scheme://host[:port][/path]` without a trailing slash, or null for a relative or unusable URL. */
function absoluteBase(url: string): string | null {
  if (!/^https?:\/\//i.test(url) || url.includes('{')) return null;
  try {
    const u = new URL(url);
    // base_url takes no query or fragment (SW_URL_QUERY): a server URL has none in practice.
    return `${u.protocol}//${u.host}${u.pathname}`.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

function serversOf(document: Obj, op: ApiOperation): Obj[] {
  // Operation servers override the path item's, which override the document's (OpenAPI 3.x §4.8.10).
  for (const list of [op.operation['servers'], op.pathItem['servers'], document['servers']]) {
    const servers = arrayAt(list).map(objectAt);
    if (servers.length > 0) return servers;
  }
  return [{ url: '/' }]; // the spec's default: the location of the description
}

function baseUrl3(
  document: Obj,
  operations: readonly ApiOperation[],
  prefix: string,
  note: (op: ApiOperation, text: string) => void,
): Base {
  const first = operations[0];
  const servers = (first ? serversOf(document, first) : arrayAt(document['servers']).map(objectAt)).map(serverUrl);
  const chosen = servers[0] ?? { url: '/', choices: [] };
  const absolute = absoluteBase(chosen.url);
  const variable = `${prefix}_BASE_URL`;
  const others = servers.slice(1).map((s) => s.url);
  // Operations served elsewhere (their own `servers:`) cannot share the connection.
  for (const op of operations.slice(1)) {
    const own = serverUrl(serversOf(document, op)[0] ?? { url: '/' }).url;
    if (own !== chosen.url)
      note(op, `served from ${own}, not from the connection's ${chosen.url}: import it on its own with --connection`);
  }
  if (absolute === null) {
    const also = others.length > 0 ? `; the description also lists ${others.join(', ')}` : '';
    const named =
      first !== undefined &&
      [first.operation['servers'], first.pathItem['servers'], document['servers']].some((l) => arrayAt(l).length > 0);
    const problem = named
      ? `the description's server URL "${chosen.url}" is relative`
      : 'the description names no server';
    return {
      baseUrl: `\${${variable}}`,
      absolute: null,
      variable: { name: variable, why: `the API's base URL (https://host/path): ${problem}${also}` },
    };
  }
  if (others.length === 0 && chosen.choices.length === 0) return { baseUrl: absolute, absolute };
  // Several servers, or one with variables: the first by default, the others one variable away.
  const parts = [`optional: the API's base URL. Default: ${absolute} (the description's first server)`];
  if (others.length > 0) parts.push(`the description also lists ${others.join(', ')}`);
  if (chosen.choices.length > 0) parts.push(`server variables ${chosen.choices.join('; ')}`);
  return {
    baseUrl: `\${${variable}:-${absolute}}`,
    absolute,
    variable: { name: variable, why: parts.join('; '), default: absolute },
  };
}

function baseUrl2(document: Obj, prefix: string): Base {
  const host = stringAt(document['host']);
  const basePath = stringAt(document['basePath']) ?? '';
  const variable = `${prefix}_BASE_URL`;
  if (host === null) {
    // Swagger 2.0: without `host`, the API is on the host that serves the description.
    return {
      baseUrl: `\${${variable}}`,
      absolute: null,
      variable: { name: variable, why: `the API's base URL (https://host${basePath}): the description names no host` },
    };
  }
  const schemes = arrayAt(document['schemes']).map(String);
  // https when offered; a description without schemes is served over the scheme it was fetched with, https today.
  const scheme = schemes.includes('https') || schemes.length === 0 ? 'https' : (schemes[0] ?? 'https');
  const absolute = absoluteBase(`${scheme}://${host}${basePath}`);
  if (absolute === null)
    return {
      baseUrl: `\${${variable}}`,
      absolute: null,
      variable: { name: variable, why: `the API's base URL: host "${host}" is not usable as written` },
    };
  return { baseUrl: absolute, absolute };
}

// ---------------------------------------------------------------- auth

type Requirement = Readonly<Record<string, readonly string[]>>;

interface SchemeAuth {
  readonly auth: DraftAuth;
  readonly variables: DraftVariable[];
  readonly parameter: ConnectionPlan['authParameter'];
}

/** What slotwire makes of one security scheme: an auth, or why it cannot. */
type SchemeChoice =
  | { readonly ok: true; readonly build: (scopes: readonly string[]) => SchemeAuth }
  | { readonly ok: false; readonly why: string };

function chooseAuth(
  document: Obj,
  version: OpenApiVersion,
  operations: readonly ApiOperation[],
  prefix: string,
  base: string | null,
  note: (op: ApiOperation, text: string) => void,
): { auth: DraftAuth | null; variables: DraftVariable[]; parameter: ConnectionPlan['authParameter'] } {
  const schemes =
    version === '2.0'
      ? objectAt(document['securityDefinitions'])
      : objectAt(objectAt(document['components'])['securitySchemes']);
  const choice = (name: string): SchemeChoice => schemeChoice(name, objectAt(schemes[name]), version, prefix, base);

  // Per operation, its alternatives (OpenAPI: any one requirement object suffices, all schemes within it together).
  const needs = operations.map((op) => {
    const written = op.operation['security'] ?? document['security'];
    const alternatives = arrayAt(written).map((r) => objectAt(r) as Requirement);
    const anonymous = alternatives.length === 0 || alternatives.some((r) => Object.keys(r).length === 0);
    // Only a requirement of exactly one scheme fits a connection's single auth.
    const single = alternatives
      .map((r) => Object.keys(r))
      .filter((k) => k.length === 1)
      .map((k) => k[0]);
    const usable = single.filter((s) => choice(s).ok);
    return { op, alternatives, anonymous, usable };
  });

  // The scheme that serves most operations (one that needs no auth is served by any), the first written on a
  // tie; none when no scheme serves more than sending nothing does (auth that is optional everywhere is left out).
  const candidates = [...new Set(needs.flatMap((n) => n.usable))];
  let best: string | null = null;
  let bestCount = needs.filter((n) => n.anonymous).length;
  for (const c of candidates) {
    const count = needs.filter((n) => n.anonymous || n.usable.includes(c)).length;
    if (count > bestCount) {
      best = c;
      bestCount = count;
    }
  }

  for (const n of needs) {
    if (n.anonymous || (best !== null && n.usable.includes(best))) continue;
    note(
      n.op,
      `auth: ${unmetReason(n.alternatives, choice)}; the connection ${best === null ? 'sends no auth' : `sends ${best}`}`,
    );
  }
  if (best === null) return { auth: null, variables: [], parameter: null };
  const picked = choice(best);
  if (!picked.ok) return { auth: null, variables: [], parameter: null };
  // The scopes every operation served by this scheme asks for, in the order written.
  const scopes = [
    ...new Set(
      needs.flatMap((n) =>
        n.alternatives.flatMap((r) => (Object.keys(r).length === 1 && best in r ? (r[best] ?? []) : [])),
      ),
    ),
  ];
  const built = picked.build(scopes);
  return { auth: built.auth, variables: built.variables, parameter: built.parameter };
}

function unmetReason(alternatives: readonly Requirement[], choice: (name: string) => SchemeChoice): string {
  const reasons = alternatives.map((r) => {
    const names = Object.keys(r);
    if (names.length > 1) return `${names.join(' and ')} together (a connection sends one auth)`;
    const c = choice(names[0]);
    return c.ok ? `${names[0]} (another scheme than the connection's)` : c.why;
  });
  return `the operation asks for ${reasons.join(', or ')}`;
}

function schemeChoice(
  name: string,
  scheme: Obj,
  version: OpenApiVersion,
  prefix: string,
  base: string | null,
): SchemeChoice {
  const type = String(scheme['type'] ?? '');
  const label = `security scheme "${name}"`;
  const secret = (suffix: string, why: string): DraftVariable => ({
    name: `${prefix}_${suffix}`,
    why: `${why} (${label})`,
  });
  const ref = (v: DraftVariable) => `\${${v.name}}`;

  if (type === 'http' && String(scheme['scheme']).toLowerCase() === 'bearer') {
    const format = stringAt(scheme['bearerFormat']);
    const token = secret('TOKEN', `bearer token${format ? ` (${format})` : ''}`);
    return {
      ok: true,
      build: () => ({ auth: { type: 'bearer', token: ref(token) }, variables: [token], parameter: null }),
    };
  }
  if ((type === 'http' && String(scheme['scheme']).toLowerCase() === 'basic') || type === 'basic') {
    const user = secret('USERNAME', 'user name for HTTP basic auth');
    const password = secret('PASSWORD', 'password for HTTP basic auth');
    return {
      ok: true,
      build: () => ({
        auth: { type: 'basic', username: ref(user), password: ref(password) },
        variables: [user, password],
        parameter: null,
      }),
    };
  }
  if (type === 'http')
    return { ok: false, why: `HTTP ${String(scheme['scheme'])} auth (${name}), which slotwire does not send` };
  if (type === 'apiKey') {
    const where = String(scheme['in']);
    const keyName = String(scheme['name'] ?? '');
    if (where !== 'header' && where !== 'query')
      return { ok: false, why: `an API key in a ${where} (${name}), which slotwire does not send` };
    const key = secret(
      'API_KEY',
      `API key, sent in the ${where} ${where === 'header' ? 'header' : 'parameter'} ${keyName}`,
    );
    return {
      ok: true,
      build: () => ({
        auth: { type: 'api_key', in: where, name: keyName, value: ref(key) },
        variables: [key],
        parameter: { in: where, name: keyName },
      }),
    };
  }
  if (type === 'oauth2') {
    // 3.x: flows.clientCredentials; 2.0: flow "application" is the same grant.
    const flows = objectAt(scheme['flows']);
    const tokenUrl =
      version === '2.0'
        ? scheme['flow'] === 'application'
          ? stringAt(scheme['tokenUrl'])
          : null
        : stringAt(objectAt(flows['clientCredentials'])['tokenUrl']);
    if (tokenUrl === null) {
      const offered = version === '2.0' ? String(scheme['flow']) : Object.keys(flows).join(', ');
      return {
        ok: false,
        why: `OAuth2 ${offered} (${name}), which needs a user's consent; slotwire does only the client-credentials flow`,
      };
    }
    return {
      ok: true,
      build: (scopes) => {
        const id = secret('CLIENT_ID', 'OAuth2 client id');
        const clientSecret = secret('CLIENT_SECRET', 'OAuth2 client secret');
        const variables = [id, clientSecret];
        const resolved = absoluteTokenUrl(tokenUrl, base);
        let url = resolved;
        if (url === null) {
          // A tokenUrl relative to a server URL that is itself unknown.
          const v = secret('TOKEN_URL', `OAuth2 token URL; the description gives "${tokenUrl}"`);
          variables.push(v);
          url = ref(v);
        }
        const auth: DraftAuth = {
          type: 'oauth2_client_credentials',
          token_url: url,
          client_id: ref(id),
          client_secret: ref(clientSecret),
          ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
        };
        return { auth, variables, parameter: null };
      },
    };
  }
  if (type === 'openIdConnect') return { ok: false, why: `OpenID Connect (${name}), which needs a user's login` };
  if (type === 'mutualTLS') return { ok: false, why: `mutual TLS (${name}): add tls: cert and key to the connection` };
  return { ok: false, why: `a ${type || 'missing'} security type (${name})` };
}

/** An absolute token URL; a relative one is resolved against the server URL (OpenAPI 3.1 §4.8.1 allows it). */
function absoluteTokenUrl(tokenUrl: string, base: string | null): string | null {
  if (/^https?:\/\//i.test(tokenUrl)) return tokenUrl;
  if (base === null) return null;
  try {
    return new URL(tokenUrl, `${base}/`).toString();
  } catch {
    return null;
  }
}
