/**
 * The demo API that `npm start` runs next to slotwire and that every
 * example calls: restaurants, weather, a CRM behind OAuth2, an email check,
 * a slow endpoint and a failing one. Deterministic (no randomness) and
 * offline, so an example behaves the same on every machine.
 *
 * @example
 * const api = createDemoApi();
 * const res = await api.request('/restaurants/trattoria-roma/availability?party=4&time=19:00', {
 *   headers: { authorization: 'Bearer demo-token' },
 * });
 */
import { Hono } from 'hono';
import { crmRoutes } from './crm.js';
import { emailCheckRoutes } from './email-checks.js';
import { fail } from './http.js';
import { restaurantRoutes } from './restaurants.js';
import { weatherRoutes } from './weather.js';

/** Options of {@link createDemoApi}; the defaults are the ones the examples use. */
export interface DemoApiOptions {
  /** bearer token of `/restaurants`. Default: `'demo-token'` */
  readonly restaurantToken?: string;
  /** `appid` of `/weather`. Default: `'demo-weather-key'` */
  readonly weatherKey?: string;
  /** OAuth2 client of the CRM. Default: `demo-client` / `demo-secret` */
  readonly crmClient?: { readonly id: string; readonly secret: string };
  /** CRM token lifetime. Default: 3600 s */
  readonly tokenTtlSeconds?: number;
  /** first forecast day, YYYY-MM-DD. Default: today (UTC) */
  readonly today?: () => string;
  /** clock for token expiry, ms. Default: `Date.now` */
  readonly now?: () => number;
  /** how long `GET /slow` waits without `?ms=`. Default: 3000 ms */
  readonly slowMs?: number;
}

/** The longest `GET /slow?ms=` may ask for, so nobody ties up a server by accident. */
const MAX_SLOW_MS = 30_000;

/** Builds the demo API. Each call has its own state (bookings, issued tokens). */
export function createDemoApi(options: DemoApiOptions = {}): Hono {
  const {
    restaurantToken = 'demo-token',
    weatherKey = 'demo-weather-key',
    crmClient = { id: 'demo-client', secret: 'demo-secret' },
    tokenTtlSeconds = 3600,
    today = () => new Date().toISOString().slice(0, 10),
    now = Date.now,
    slowMs = 3000,
  } = options;
  const app = new Hono();
  const crm = crmRoutes({ clientId: crmClient.id, clientSecret: crmClient.secret, tokenTtlSeconds, now });

  app.get('/', (c) =>
    c.json({
      service: 'slotwire demo API',
      endpoints: [
        'GET  /restaurants?city=&cuisine=            (Authorization: Bearer demo-token)',
        'GET  /restaurants/{id}',
        'GET  /restaurants/{id}/availability?party=&time=',
        'POST /restaurants/{id}/bookings              (JSON body, Idempotency-Key)',
        'GET  /weather/cities?q=                      (?appid=demo-weather-key)',
        'GET  /weather/forecast?city=&days=&units=',
        'POST /oauth/token                            (client_credentials: demo-client / demo-secret)',
        'GET  /crm/customers?email=                   (Authorization: Bearer <access_token>)',
        'GET  /crm/customers/{id}/orders',
        'GET  /crm/customers/{id}/tickets?status=',
        'GET  /email-checks/{address}',
        'GET  /slow?ms=3000',
        'GET  /unavailable                            (always 503)',
      ],
    }),
  );
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.route('/restaurants', restaurantRoutes({ token: restaurantToken }));
  app.route('/weather', weatherRoutes({ apiKey: weatherKey, today }));
  app.route('/oauth', crm.tokenRoutes);
  app.route('/crm', crm.api);
  app.route('/email-checks', emailCheckRoutes());

  app.get('/slow', async (c) => {
    const asked = c.req.query('ms');
    const ms = asked === undefined ? slowMs : Number(asked);
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_SLOW_MS)
      return fail(c, 400, 'invalid_ms', `ms must be 0 to ${MAX_SLOW_MS}`);
    await sleep(ms, c.req.raw.signal);
    return c.json({ status: 'ok', waited_ms: ms });
  });

  app.get('/unavailable', (c) => {
    c.header('Retry-After', '30');
    return fail(c, 503, 'service_unavailable', 'This endpoint is always down, to show what an outage looks like.');
  });

  app.notFound((c) => fail(c, 404, 'not_found', `No route ${c.req.method} ${c.req.path}. GET / lists them.`));
  return app;
}

/** Waits, but stops early when the caller hangs up (no timer left behind). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
