/**
 * Connections: from the YAML shape to the http/ layer's ConnectionPolicy,
 * with defaults filled in and everything checked at load.
 */
import { connectionDefaults } from '../http/index.js';
import type { AuthPolicy, ConnectionPolicy } from '../http/index.js';
import type { Auth, Connection, DiagnosticCode, NodePath } from '../config/index.js';
import { asWritten, humanPath } from '../config/index.js';
import { positionOf, report } from './context.js';
import type { CompileContext } from './context.js';
import { durationMs, sizeBytes } from './duration.js';
import type { ReadText } from './read-file.js';

/** Deadline of an action whose connection and action say nothing (docs/actions-yml.md#connections). */
export const DEFAULT_DEADLINE_MS: number = 10 * 1000; // 10 s

/** When `circuit_breaker: {}` leaves a field out. */
const breakerDefaults: { readonly failures: number; readonly cooldownMs: number } = {
  failures: 5,
  cooldownMs: 30 * 1000,
}; // 5 failures, 30 s

/** A connection's policy and its own default deadline. */
export interface CompiledConnection {
  readonly policy: ConnectionPolicy;
  readonly deadlineMs: number;
}

/** Compiles one connection; problems are reported on `cx`. */
export function compileConnection(
  cx: CompileContext,
  name: string,
  c: Connection,
  readText: ReadText,
): CompiledConnection {
  const path = ['connections', name];
  reportTemplates(cx, c, path);
  // `{{` and an unresolved `${VAR}` were reported already; one problem, one message.
  if (!c.base_url.includes('{{') && !c.base_url.includes('${')) {
    // At the start of the value: a part that came from `${VAR}` has no place of its own in the file.
    for (const code of baseUrlProblems(c.base_url))
      report(cx, code, positionOf(cx, [...path, 'base_url']), [`of connection "${name}"`]);
  }

  const d = connectionDefaults;
  const policy: ConnectionPolicy = {
    name,
    baseUrl: c.base_url,
    headers: c.headers ?? d.headers,
    auth: c.auth ? authPolicy(c.auth) : null,
    timeoutMs: c.timeout ? durationMs(c.timeout) : d.timeoutMs,
    connectTimeoutMs: c.connect_timeout ? durationMs(c.connect_timeout) : d.connectTimeoutMs,
    retry: {
      attempts: c.retry?.attempts ?? d.retry.attempts,
      backoffMs: c.retry?.backoff ? durationMs(c.retry.backoff) : d.retry.backoffMs,
      maxBackoffMs: c.retry?.max_backoff ? durationMs(c.retry.max_backoff) : d.retry.maxBackoffMs,
    },
    maxResponseBytes: c.limits?.max_response_size ? sizeBytes(c.limits.max_response_size) : d.maxResponseBytes,
    maxConnections: c.limits?.max_connections ?? d.maxConnections,
    tls: c.tls ? tlsFiles(cx, path, c.tls, readText) : d.tls,
    redirects: c.redirects ?? d.redirects,
    breaker: c.circuit_breaker
      ? {
          failures: c.circuit_breaker.failures ?? breakerDefaults.failures,
          cooldownMs: c.circuit_breaker.cooldown ? durationMs(c.circuit_breaker.cooldown) : breakerDefaults.cooldownMs,
        }
      : d.breaker,
  };
  return { policy, deadlineMs: c.deadline ? durationMs(c.deadline) : DEFAULT_DEADLINE_MS };
}

/** A connection is fixed at load: every `{{` in it is reported where it stands. */
function reportTemplates(cx: CompileContext, value: unknown, path: NodePath): void {
  if (typeof value === 'string') {
    const at = value.indexOf('{{');
    if (at !== -1) report(cx, 'SW_URL_NO_TEMPLATE', positionOf(cx, path, at), [humanPath(path)]);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) reportTemplates(cx, item, [...path, key]);
  }
}

/**
 * What is wrong with a base URL. Besides not being an absolute http(s) URL,
 * it may carry parts a request never uses: user info would be
 * printed with the URL (`slotwire run`, logs) yet never sent as auth, and a
 * query or fragment would be dropped, the path being joined to the base path
 * alone (http/url.ts). Refused rather than dropped silently. Messages never
 * quote the URL: it may have come from `${VAR}`.
 */
function baseUrlProblems(text: string): DiagnosticCode[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return ['SW_URL_INVALID'];
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return ['SW_URL_INVALID'];
  const problems: DiagnosticCode[] = [];
  if (url.username !== '' || url.password !== '') problems.push('SW_URL_USER_INFO');
  // `href` keeps a bare "?" or "#" that `search` and `hash` report as ''.
  const hash = url.href.indexOf('#');
  if ((hash === -1 ? url.href : url.href.slice(0, hash)).includes('?')) problems.push('SW_URL_QUERY');
  if (hash !== -1) problems.push('SW_URL_FRAGMENT');
  return problems;
}

function authPolicy(a: Auth): AuthPolicy {
  switch (a.type) {
    case 'bearer':
      return { type: 'bearer', token: a.token };
    case 'basic':
      return { type: 'basic', username: a.username, password: a.password };
    case 'api_key':
      return { type: 'api_key', in: a.in ?? 'header', name: a.name, value: a.value };
    case 'oauth2_client_credentials': {
      const policy: AuthPolicy = {
        type: 'oauth2_client_credentials',
        tokenUrl: a.token_url,
        clientId: a.client_id,
        clientSecret: a.client_secret,
      };
      if (a.scope !== undefined) policy.scope = a.scope;
      if (a.audience !== undefined) policy.audience = a.audience;
      return policy;
    }
  }
}

function tlsFiles(
  cx: CompileContext,
  path: readonly string[],
  tls: NonNullable<Connection['tls']>,
  readText: ReadText,
): ConnectionPolicy['tls'] {
  const out: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean } = {};
  for (const field of ['ca', 'cert', 'key'] as const) {
    const file = tls[field];
    // An unresolved `${VAR}` was reported already, or its connection is not for running (config's forAction).
    if (file === undefined || file.includes('${')) continue;
    try {
      out[field] = readText(file);
    } catch (err) {
      const at = [...path, 'tls', field];
      report(cx, 'SW_TLS_FILE', positionOf(cx, at), [
        field,
        JSON.stringify(asWritten(cx.source, at, file)),
        (err as NodeJS.ErrnoException).code ?? String(err),
      ]);
    }
  }
  if (tls.reject_unauthorized !== undefined) out.rejectUnauthorized = tls.reject_unauthorized;
  return out;
}
