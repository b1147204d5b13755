/**
 * Who may use the authoring page. It runs actions with the user's secrets
 * and writes their files, so a page of another site must not reach it:
 * - a token, new each start, printed in the URL; `GET /?token=` trades it
 *   for an HttpOnly, SameSite=Strict cookie, so it leaves the address bar
 *   and another site's requests never carry it; scripts may send it as
 *   `Authorization: Bearer`;
 * - on a loopback address, the `Host` must be a loopback name (a DNS
 *   rebinding page has the attacker's host name);
 * - a request that changes something must come from the page's own origin.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { refuse, StudioRequestError } from './errors.js';
import type { StudioErrorCode } from './errors.js';

/** A new token: 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Options of {@link studioAuth}. */
export interface StudioAuthOptions {
  readonly token: string;
  /** The port served, once known (the cookie is per port, so two studios do not clash). */
  readonly port: () => number;
  /** True when bound to a loopback address: then the Host header must name one. */
  readonly loopback: boolean;
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The middleware; every route of the studio is behind it. */
export function studioAuth(options: StudioAuthOptions): MiddlewareHandler {
  const expected = Buffer.from(options.token);
  const matches = (given: string | undefined): boolean => {
    if (given === undefined) return false;
    const buffer = Buffer.from(given);
    return buffer.length === expected.length && timingSafeEqual(buffer, expected);
  };
  return async (c, next) => {
    const cookieName = `slotwire_studio_${options.port()}`;
    if (options.loopback && !LOOPBACK_HOSTS.has(hostName(c.req.header('host'))))
      return refused(c, 'SW_STUDIO_HOST', 'This page answers on 127.0.0.1 or localhost only.');
    const query = c.req.query('token');
    if (c.req.method === 'GET' && c.req.path === '/' && query !== undefined) {
      if (!matches(query))
        return refused(
          c,
          'SW_STUDIO_WRONG_TOKEN',
          'This token is not the one slotwire studio printed; open the address it printed.',
        );
      setCookie(c, cookieName, options.token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      return c.redirect('/', 303);
    }
    const bearer = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!matches(getCookie(c, cookieName)) && !matches(bearer)) {
      return refused(
        c,
        'SW_STUDIO_NO_TOKEN',
        'Open the address slotwire studio printed: it carries the token this page needs.',
      );
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const origin = c.req.header('origin');
      if (origin !== undefined && origin !== new URL(c.req.url).origin)
        return refused(c, 'SW_STUDIO_CROSS_SITE', 'Requests from another site are refused.');
    }
    await next();
  };
}

/** `127.0.0.1` of `127.0.0.1:5056`, `[::1]` of `[::1]:5056`. */
function hostName(host: string | undefined): string {
  if (host === undefined) return '';
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
}

/** JSON with its code for the API; for the page, a line of text that ends with the code to look up. */
function refused(c: Context, code: StudioErrorCode, message: string): Response {
  const err = new StudioRequestError(code, message);
  return c.req.path.startsWith('/api/') ? refuse(c, err) : c.text(`${message} (${code})\n`, err.status);
}
