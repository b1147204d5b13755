/**
 * Redirects, followed by hand so that the policy lives here: at most
 * MAX_REDIRECTS hops, and only to the connection's own origin unless it says
 * `redirects: any` (an API that redirects elsewhere could otherwise carry the
 * credentials, or the call, to a host nobody configured). With `none`, a 3xx
 * is reported like any other non-2xx status.
 */
import { MAX_REDIRECTS } from './defaults.js';
import { statusError } from './errors.js';
import type { ConnectionPolicy, HttpError, HttpMethod, HttpResponse } from './types.js';
import { resolveLocation } from './url.js';

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Where to go next; `crossOrigin` means credentials must not follow. */
export interface RedirectHop {
  readonly origin: string;
  readonly path: string;
  readonly method: HttpMethod;
  /** The body is dropped when the method turns into GET. */
  readonly keepBody: boolean;
  readonly crossOrigin: boolean;
}

/**
 * Decides what a response means for redirection: null when it is not a
 * redirect to follow (the response stands as it is), a hop to follow, or an
 * error when the policy refuses it.
 * @param hops - redirects already followed for this request
 * @param baseOrigin - the connection's origin
 * @param currentUrl - the absolute URL that answered
 */
export function nextHop(
  policy: ConnectionPolicy['redirects'],
  response: HttpResponse,
  hops: number,
  method: HttpMethod,
  baseOrigin: string,
  currentUrl: string,
): RedirectHop | { error: HttpError } | null {
  const location = response.headers['location'];
  if (policy === 'none' || !REDIRECT_STATUSES.has(response.status) || location == null) return null;
  if (hops >= MAX_REDIRECTS) {
    return { error: statusError(response, `more than ${MAX_REDIRECTS} redirects`, 'SW_UPSTREAM_REDIRECT_LIMIT') };
  }
  const target = resolveLocation(currentUrl, location);
  if (target == null) {
    return {
      error: statusError(response, 'redirect to a non-http(s) location refused', 'SW_UPSTREAM_REDIRECT_SCHEME'),
    };
  }
  const crossOrigin = target.origin !== baseOrigin;
  if (crossOrigin && policy === 'same_origin') {
    return { error: statusError(response, 'redirect to another origin refused', 'SW_UPSTREAM_REDIRECT_CROSS_ORIGIN') };
  }
  // RFC 9110 §15.4.4: 303 means "GET the other resource". §15.4.2/3 allow a
  // POST to become GET on 301/302, which every browser and fetch do; 307/308
  // keep method and body.
  const toGet =
    (response.status === 303 && method !== 'HEAD') ||
    ((response.status === 301 || response.status === 302) && method === 'POST');
  return { origin: target.origin, path: target.path, method: toGet ? 'GET' : method, keepBody: !toGet, crossOrigin };
}
