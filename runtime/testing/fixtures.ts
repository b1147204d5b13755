/**
 * Fixtures (docs/testing.md) served through undici's MockAgent, injected into
 * the real HTTP client: one catch-all interceptor per upstream origin does
 * our matching (method, path after the base URL, query and header subsets,
 * body subset), so requests go through every real layer (auth, retries,
 * limits, decoding) and only the socket is replaced. Nothing reaches the
 * network (`disableNetConnect`).
 */
import { errors, MockAgent } from 'undici';
import type { TestFixture } from '../config/index.js';
import { MASK } from '../engine/index.js';
import type { ConnectionPolicy, DispatcherFactory } from '../engine/index.js';
import { isSubset } from './subset.js';

/** A request no fixture answered. */
export interface UnmatchedRequest {
  readonly method: string;
  readonly url: string;
}

/** The dispatcher factory for the HTTP client, and what it could not answer. */
export interface FixtureServer {
  readonly dispatcherFactory: DispatcherFactory;
  readonly unmatched: UnmatchedRequest[];
  close(): Promise<void>;
}

/** A test token for OAuth2 token endpoints that no fixture answers. */
const TEST_TOKEN = { access_token: 'slotwire-test-token', token_type: 'Bearer', expires_in: 3600 };

/** Serves `fixtures` for the given connections. */
export function serveFixtures(
  fixtures: readonly TestFixture[],
  connections: readonly ConnectionPolicy[],
): FixtureServer {
  const mock = new MockAgent({ connections: 1 });
  mock.disableNetConnect();
  const unmatched: UnmatchedRequest[] = [];
  const used = fixtures.map(() => 0);
  const origins = new Map<string, { connection: string; basePath: string }[]>();
  const tokenUrls = new Set<string>();
  for (const c of connections) {
    const base = new URL(c.baseUrl);
    const list = origins.get(base.origin) ?? [];
    list.push({ connection: c.name, basePath: base.pathname.replace(/\/$/, '') });
    origins.set(base.origin, list);
    if (c.auth?.type === 'oauth2_client_credentials') {
      const token = new URL(c.auth.tokenUrl);
      tokenUrls.add(token.origin + token.pathname);
      if (!origins.has(token.origin)) origins.set(token.origin, []);
    }
  }
  for (const [origin, bases] of origins) {
    mock
      .get(origin)
      .intercept({ path: () => true, method: () => true })
      .reply((opts) => {
        const url = new URL(String(opts.path), origin);
        const body =
          typeof opts.body === 'string'
            ? opts.body
            : opts.body
              ? Buffer.from(opts.body as Uint8Array).toString('utf8')
              : '';
        const headers = lowerCaseHeaders(opts.headers);
        const index = fixtures.findIndex(
          (f, i) => (f.times === undefined || used[i] < f.times) && matches(f, bases, opts.method, url, headers, body),
        );
        if (index === -1) {
          if (opts.method === 'POST' && tokenUrls.has(url.origin + url.pathname)) return json(200, TEST_TOKEN);
          unmatched.push({ method: opts.method, url: url.pathname + url.search });
          return {
            statusCode: 599,
            data: `no fixture for ${opts.method} ${url.pathname}${url.search}`,
            responseOptions: { headers: { 'content-type': 'text/plain' } },
          };
        }
        used[index] = used[index] + 1;
        const reply = fixtures[index].reply;
        // Thrown errors reach the client as the socket failure they name.
        if (reply.error === 'timeout') throw new errors.HeadersTimeoutError();
        if (reply.error === 'network') throw new errors.SocketError('other side closed (fixture)');
        if (reply.text !== undefined)
          return {
            statusCode: reply.status ?? 200,
            data: reply.text,
            responseOptions: { headers: { 'content-type': 'text/plain', ...reply.headers } },
          };
        return json(reply.status ?? 200, reply.json, reply.headers);
      })
      .persist();
  }
  return {
    dispatcherFactory: () => mock,
    unmatched,
    close: () => mock.close(),
  };
}

function json(status: number, value: unknown, headers: Record<string, string> = {}) {
  const data = value === undefined ? '' : JSON.stringify(value);
  return { statusCode: status, data, responseOptions: { headers: { 'content-type': 'application/json', ...headers } } };
}

function matches(
  f: TestFixture,
  bases: readonly { connection: string; basePath: string }[],
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: string,
): boolean {
  if ((f.method ?? 'GET') !== method) return false;
  const base = bases.find(
    (b) =>
      (f.connection === undefined || b.connection === f.connection) &&
      maskedMatch(b.basePath + f.path, url.pathname, '[^/]+'),
  );
  if (!base) return false;
  for (const [name, expected] of Object.entries(f.query ?? {})) {
    const actual = url.searchParams.getAll(name);
    const wanted = (Array.isArray(expected) ? expected : [expected]).map(String);
    if (!wanted.every((w) => actual.some((a) => maskedMatch(w, a, '.+')))) return false;
  }
  for (const [name, expected] of Object.entries(f.headers ?? {})) {
    const actual = headers[name.toLowerCase()];
    if (actual === undefined || !maskedMatch(expected, actual, '.+')) return false;
  }
  if (f.body === undefined) return true;
  if (typeof f.body === 'string') return body === f.body;
  try {
    return isSubset(f.body, JSON.parse(body));
  } catch {
    return false;
  }
}

/**
 * Equality, except that each `***` (a secret or sensitive value hidden by
 * `--record`, mask.ts) stands for any text matching `any`: a path segment
 * in paths, anything in query and header values.
 */
function maskedMatch(pattern: string, actual: string, any: string): boolean {
  if (!pattern.includes(MASK)) return pattern === actual;
  const source = pattern
    .split(MASK)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join(any);
  return new RegExp(`^${source}$`, 's').test(actual);
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
  } else if (headers && typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) out[k.toLowerCase()] = String(v);
  }
  return out;
}
