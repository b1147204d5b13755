/**
 * Optional caller authentication, for the credentials Rasa's
 * `endpoints.yml` can send (docs/protocol.md#the-request): a
 * `?token=` query parameter (`token_name` configurable), HTTP Basic auth,
 * or a secret in a header from `headers:`. Every configured check must
 * pass. Secrets are compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { failureResponse } from './failure-response.js';

/** What callers must present; omitted parts are not checked. */
export interface AuthOptions {
  /**
   * `?<name>=<value>`, as Rasa's `token` / `token_name` (name Default: `'token'`);
   * with `bearer`, `Authorization: Bearer <value>` passes too (what Rasa's
   * `mcp_servers` `api_key` sends). Default bearer: false
   */
  readonly token?: { readonly value: string; readonly name?: string; readonly bearer?: boolean };
  /** `Authorization: Basic …`, as Rasa's `basic_auth` */
  readonly basic?: { readonly username: string; readonly password: string };
  /** a header with a fixed value, e.g. `{ name: 'x-action-secret', value: '…' }` */
  readonly header?: { readonly name: string; readonly value: string };
}

/** What `checkAuth` reads from a request. */
export interface AuthRequest {
  /** a query parameter */
  query(name: string): string | undefined;
  /** a header (case-insensitive) */
  header(name: string): string | undefined;
}

// Hash both sides so inputs of different length compare in the same time.
function sameSecret(given: string | undefined, expected: string): boolean {
  const a = createHash('sha256')
    .update(given ?? '')
    .digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given !== undefined;
}

function basicCredentials(header: string | undefined): { username: string; password: string } | null {
  const match = /^\s*basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (match === null) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Whether a request passes every configured check. */
export function checkAuth(options: AuthOptions, request: AuthRequest): boolean {
  let ok = true;
  // No early return: each configured check costs the same whatever fails.
  if (options.token !== undefined) {
    const bearer =
      options.token.bearer === true
        ? /^\s*bearer\s+(\S+)\s*$/i.exec(request.header('authorization') ?? '')?.[1]
        : undefined;
    ok = sameSecret(request.query(options.token.name ?? 'token') ?? bearer, options.token.value) && ok;
  }
  if (options.basic !== undefined) {
    const given = basicCredentials(request.header('authorization'));
    const user = sameSecret(given?.username, options.basic.username);
    const password = sameSecret(given?.password, options.basic.password);
    ok = user && password && ok;
  }
  if (options.header !== undefined)
    ok = sameSecret(request.header(options.header.name.toLowerCase()), options.header.value) && ok;
  return ok;
}

/** Whether any check is configured. */
export function authConfigured(options: AuthOptions | undefined): options is AuthOptions {
  return (
    options !== undefined &&
    (options.token !== undefined || options.basic !== undefined || options.header !== undefined)
  );
}

/**
 * Middleware answering 401 `{"error":"Unauthorized"}` unless the request
 * passes `checkAuth`.
 * @param options what callers must present
 * @example
 * app.use('/actions', auth({ token: { value: process.env.ACTION_TOKEN ?? '' } }));
 */
export function auth(options: AuthOptions): MiddlewareHandler {
  return async function auth(c, next) {
    const passed = checkAuth(options, { query: (name) => c.req.query(name), header: (name) => c.req.header(name) });
    if (!passed) {
      const { status, body, headers } = failureResponse({ kind: 'unauthorized', basic: options.basic !== undefined });
      return Response.json(body, { status, ...(headers ? { headers } : {}) });
    }
    await next();
    return undefined;
  };
}
