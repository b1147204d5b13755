/**
 * CORS for the browser-facing routes (`/health`, `/ready`, `/actions`) only. Rasa
 * calls `/webhook` server-to-server, and hono's `cors()` halves the
 * webhook's throughput on node (21k → 10k calls/s, measured): it sets
 * headers before `next()`, which takes node-server off its lightweight
 * Request/Response path. So this small middleware is never mounted there.
 * Default in the CLI: no origins, as rasa-sdk's `--cors`.
 */
import type { MiddlewareHandler } from 'hono';
import { compileOrigins } from './cors-origins.js';

/** Options of `cors`. */
export interface CorsOptions {
  /** allowed origins, `*` globs (`https://*.example.com`), or `'*'` for any (docs/server.md#cors) */
  readonly origins: readonly string[];
  /** preflight cache in seconds. Default: 600 (10 min) */
  readonly maxAge?: number;
}

/**
 * Middleware adding `Access-Control-Allow-Origin` for allowed origins and
 * answering `OPTIONS` preflights with 204. Throws a TypeError naming the
 * first pattern that is no origin, glob or `*`.
 * @example
 * app.use('/health', cors({ origins: ['https://ops.example.com', 'https://*.staging.example.com'] }));
 */
export function cors(options: CorsOptions): MiddlewareHandler {
  const { maxAge = 600 } = options;
  const origins = compileOrigins(options.origins);
  if (!origins.ok) throw new TypeError(`CORS origin ${JSON.stringify(origins.pattern)} ${origins.problem}`);
  const { any } = origins;
  return async function cors(c, next) {
    const origin = c.req.header('origin');
    const allowed = origin !== undefined && origins.allows(origin);
    if (c.req.method === 'OPTIONS') {
      if (!allowed) return c.body(null, 204);
      return c.body(null, 204, {
        'access-control-allow-origin': any ? '*' : origin,
        'access-control-allow-methods': 'GET, OPTIONS',
        'access-control-allow-headers': c.req.header('access-control-request-headers') ?? '',
        'access-control-max-age': String(maxAge),
        vary: 'Origin',
      });
    }
    await next();
    if (allowed) {
      c.res.headers.set('access-control-allow-origin', any ? '*' : origin);
      c.res.headers.append('vary', 'Origin');
    }
    return undefined;
  };
}
