/**
 * `GET /metrics` in the Prometheus text format, on the action server's app
 * or on an app of its own for a separate port (`--metrics-port`), open or
 * behind the webhook's credentials (docs/operations.md).
 */
import { Hono } from 'hono';
import type { Env } from 'hono';
import { auth } from './auth.js';
import type { AuthOptions } from './auth.js';
import type { MetricsSource } from './observer.js';

/**
 * Adds `GET /metrics` (and a 405 for other methods) to `app`.
 * @param credentials - the webhook's auth, to ask for it here too; null for an open /metrics
 */
export function addMetricsRoute<E extends Env>(
  app: Hono<E>,
  source: MetricsSource,
  credentials: AuthOptions | null,
): void {
  if (credentials !== null) app.use('/metrics', auth(credentials));
  app.get(
    '/metrics',
    async () => new Response(await source.text(), { headers: { 'content-type': source.contentType } }),
  );
  app.all('/metrics', () => jsonError('Method not allowed', 405, { allow: 'GET, HEAD' }));
}

/**
 * An app that serves only `/metrics`, for a port of its own.
 * @example
 * const handle = await listen(createMetricsApp(metrics, null), { port: 9464 });
 */
export function createMetricsApp(source: MetricsSource, credentials: AuthOptions | null): Hono {
  const app = new Hono();
  addMetricsRoute(app, source, credentials);
  app.notFound(() => jsonError('Not found', 404));
  return app;
}

function jsonError(error: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}
