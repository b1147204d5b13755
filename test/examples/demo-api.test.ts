/**
 * The demo API the examples and `npm start` use: its auth (bearer token,
 * query key, OAuth2 client credentials with scopes and expiry), bookings
 * with Idempotency-Key, determinism, and the slow and failing endpoints.
 * Through `app.request()`, as hono's own tests do: no socket needed.
 */
import { describe, expect, it } from 'vitest';
import { createDemoApi } from '../../examples/demo-api/app.js';

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const form = 'application/x-www-form-urlencoded';

async function tokenFrom(
  app: ReturnType<typeof createDemoApi>,
  body = 'grant_type=client_credentials',
): Promise<string> {
  const res = await app.request('/oauth/token', {
    method: 'POST',
    headers: { 'content-type': form, authorization: basic('demo-client', 'demo-secret') },
    body,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('restaurants: bearer token', () => {
  const app = createDemoApi();
  const path = '/restaurants/trattoria-roma/availability?party=4&time=19:00';

  it('answers 401 with WWW-Authenticate and a JSON body without a token', async () => {
    const res = await app.request(path);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="restaurants"/);
    expect(await res.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('answers 401 for a wrong token', async () => {
    expect((await app.request(path, { headers: bearer('nope') })).status).toBe(401);
  });

  it('answers availability with the demo token', async () => {
    const res = await app.request(path, { headers: bearer('demo-token') });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      restaurant_id: 'trattoria-roma',
      party: 4,
      requested_time: '19:00',
      available: true,
      reason: null,
    });
  });

  it('says why there is no table', async () => {
    const reasons = await Promise.all(
      [
        '/restaurants/sakura-sushi/availability?party=4&time=19:30',
        '/restaurants/sakura-sushi/availability?party=7&time=20:30',
        '/restaurants/sakura-sushi/availability?party=2&time=23:00',
      ].map(
        async (p) =>
          ((await (await app.request(p, { headers: bearer('demo-token') })).json()) as { reason: string }).reason,
      ),
    );
    expect(reasons).toEqual(['fully_booked', 'party_too_large', 'closed']);
  });

  it('accepts an ISO date-time and refuses a party that is not a whole number', async () => {
    const iso = await app.request('/restaurants/green-garden/availability?party=2&time=2025-06-02T19:00:00', {
      headers: bearer('demo-token'),
    });
    expect(await iso.json()).toMatchObject({ requested_time: '19:00', available: true });
    const bad = await app.request('/restaurants/green-garden/availability?party=two&time=19:00', {
      headers: bearer('demo-token'),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_party' });
  });

  it('answers 404 for an unknown restaurant', async () => {
    const res = await app.request('/restaurants/nowhere/availability?party=2&time=19:00', {
      headers: bearer('demo-token'),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'restaurant_not_found' });
  });
});

describe('restaurants: bookings and Idempotency-Key', () => {
  const book = (app: ReturnType<typeof createDemoApi>, body: unknown, key?: string): Promise<Response> =>
    Promise.resolve(
      app.request('/restaurants/trattoria-roma/bookings', {
        method: 'POST',
        headers: {
          ...bearer('demo-token'),
          'content-type': 'application/json',
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: JSON.stringify(body),
      }),
    );
  const booking = { party: 4, time: '19:00', name: 'Ada Lovelace' };

  it('returns 201 with a reference', async () => {
    const res = await book(createDemoApi(), booking);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      reference: 'BK-1001',
      status: 'confirmed',
      restaurant_id: 'trattoria-roma',
      restaurant_name: 'Trattoria Roma',
      party: 4,
      time: '19:00',
      name: 'Ada Lovelace',
    });
  });

  it('replays the first answer for the same key and body', async () => {
    const app = createDemoApi();
    const first = await book(app, booking, 'turn-1');
    const again = await book(app, booking, 'turn-1');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    const other = await book(app, booking, 'turn-2');
    expect(((await other.json()) as { reference: string }).reference).toBe('BK-1002');
  });

  it('refuses the same key with another body (422)', async () => {
    const app = createDemoApi();
    await book(app, booking, 'turn-1');
    const res = await book(app, { ...booking, party: 2 }, 'turn-1');
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: 'idempotency_key_reused' });
  });

  it('books again without a key', async () => {
    const app = createDemoApi();
    await book(app, booking);
    expect(((await (await book(app, booking)).json()) as { reference: string }).reference).toBe('BK-1002');
  });

  it('answers 409 with alternatives when the seating is full, 422 when the booking is incomplete', async () => {
    const app = createDemoApi();
    const full = await book(app, { ...booking, time: '19:30' });
    expect(full.status).toBe(409);
    expect(await full.json()).toMatchObject({
      error: 'slot_unavailable',
      alternatives: [
        { time: '18:00' },
        { time: '18:30' },
        { time: '19:00' },
        { time: '20:00' },
        { time: '20:30' },
        { time: '21:00' },
      ],
    });
    const incomplete = await book(app, { party: 0, time: 'soon' });
    expect(incomplete.status).toBe(422);
    expect(await incomplete.json()).toMatchObject({
      error: 'invalid_booking',
      details: [expect.stringMatching(/^party/), expect.stringMatching(/^time/), expect.stringMatching(/^name/)],
    });
  });

  it('needs the token to book', async () => {
    const res = await createDemoApi().request('/restaurants/trattoria-roma/bookings', {
      method: 'POST',
      body: JSON.stringify(booking),
    });
    expect(res.status).toBe(401);
  });
});

describe('CRM: OAuth2 client credentials', () => {
  it('issues a token for the client in HTTP Basic (RFC 6749 §2.3.1)', async () => {
    const res = await createDemoApi().request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': form, authorization: basic('demo-client', 'demo-secret') },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      access_token: 'crm-at-0001',
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'customers:read orders:read tickets:read',
    });
  });

  it('issues a token for the client in the form body', async () => {
    const res = await createDemoApi().request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': form },
      body: 'grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret&scope=customers%3Aread',
    });
    expect(await res.json()).toMatchObject({ token_type: 'Bearer', scope: 'customers:read' });
  });

  it('refuses a wrong secret (401 invalid_client), another grant, a JSON body and an unknown scope (400)', async () => {
    const app = createDemoApi();
    const wrong = await app.request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': form, authorization: basic('demo-client', 'nope') },
      body: 'grant_type=client_credentials',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    const grant = await app.request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': form, authorization: basic('demo-client', 'demo-secret') },
      body: 'grant_type=password',
    });
    expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const json = await app.request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":"client_credentials"}',
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
    const scope = await app.request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': form, authorization: basic('demo-client', 'demo-secret') },
      body: 'grant_type=client_credentials&scope=admin',
    });
    expect(await scope.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('answers 401 without a token or with one it never issued', async () => {
    const app = createDemoApi();
    for (const headers of [{}, bearer('crm-at-9999')]) {
      const res = await app.request('/crm/customers?email=ada@example.com', { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    }
  });

  it('serves customers, orders and tickets with a token', async () => {
    const app = createDemoApi();
    const token = await tokenFrom(app);
    const found = (await (
      await app.request('/crm/customers?email=ADA@example.com', { headers: bearer(token) })
    ).json()) as { customers: { id: string }[]; total: number };
    expect(found.total).toBe(1);
    expect(found.customers[0].id).toBe('000417');
    expect(await (await app.request('/crm/customers/000417/orders', { headers: bearer(token) })).json()).toMatchObject({
      customer_id: '000417',
      total: 3,
    });
    expect(
      await (await app.request('/crm/customers/000417/tickets?status=open', { headers: bearer(token) })).json(),
    ).toMatchObject({ total: 1, tickets: [{ id: 'T-5521' }] });
    expect((await app.request('/crm/customers/999999/orders', { headers: bearer(token) })).status).toBe(404);
  });

  it('answers 403 insufficient_scope for a token without the scope', async () => {
    const app = createDemoApi();
    const token = await tokenFrom(app, 'grant_type=client_credentials&scope=customers%3Aread');
    expect((await app.request('/crm/customers?email=ada@example.com', { headers: bearer(token) })).status).toBe(200);
    const res = await app.request('/crm/customers/000417/orders', { headers: bearer(token) });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'insufficient_scope' });
  });

  it('refuses a token after expires_in', async () => {
    let now = 1_000_000;
    const app = createDemoApi({ now: () => now, tokenTtlSeconds: 60 });
    const token = await tokenFrom(app);
    expect((await app.request('/crm/customers', { headers: bearer(token) })).status).toBe(200);
    now += 60_000;
    expect((await app.request('/crm/customers', { headers: bearer(token) })).status).toBe(401);
  });
});

describe('weather: key in the query, deterministic forecasts', () => {
  const today = (): string => '2025-06-02';

  it('answers 401 without ?appid=', async () => {
    const res = await createDemoApi().request('/weather/forecast?city=berlin-de');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_api_key' });
  });

  it('gives the same forecast from two apps, one day per requested day', async () => {
    const url = '/weather/forecast?city=Berlin&days=4&appid=demo-weather-key';
    const a = await (await createDemoApi({ today }).request(url)).json();
    const b = await (await createDemoApi({ today }).request(url)).json();
    expect(a).toEqual(b);
    expect(a).toMatchObject({ city: { id: 'berlin-de' }, units: 'metric', temperature_unit: 'C' });
    const days = (a as { days: { date: string; weekday: string; temp_min: number; temp_max: number }[] }).days;
    expect(days.map((d) => `${d.date} ${d.weekday}`)).toEqual([
      '2025-06-02 Monday',
      '2025-06-03 Tuesday',
      '2025-06-04 Wednesday',
      '2025-06-05 Thursday',
    ]);
    for (const d of days) expect(d.temp_min).toBeLessThan(d.temp_max);
  });

  it('answers 409 with candidates for an ambiguous name and 404 for an unknown one', async () => {
    const app = createDemoApi({ today });
    const ambiguous = await app.request('/weather/forecast?city=springfield&appid=demo-weather-key');
    expect(ambiguous.status).toBe(409);
    expect(await ambiguous.json()).toMatchObject({
      error: 'ambiguous_city',
      candidates: [{ id: 'springfield-il-us' }, { id: 'springfield-ma-us' }, { id: 'springfield-mo-us' }],
    });
    expect((await app.request('/weather/forecast?city=Atlantis&appid=demo-weather-key')).status).toBe(404);
  });
});

describe('email checks, slow and failing endpoints', () => {
  const app = createDemoApi();

  it('checks syntax, throwaway domains and typos', async () => {
    const check = async (address: string): Promise<unknown> =>
      (await app.request(`/email-checks/${encodeURIComponent(address)}`)).json();
    expect(await check('Ada@Example.com')).toEqual({
      address: 'Ada@Example.com',
      normalized: 'ada@example.com',
      deliverable: true,
      reason: null,
      suggestion: null,
    });
    expect(await check('ada@gmial.com')).toMatchObject({
      deliverable: false,
      reason: 'domain_typo',
      suggestion: 'ada@gmail.com',
    });
    expect(await check('bot@mailinator.com')).toMatchObject({ deliverable: false, reason: 'disposable' });
    expect(await check('ada at home')).toMatchObject({ deliverable: false, reason: 'invalid_syntax' });
  });

  it('waits as long as asked on /slow, up to 30 s', async () => {
    const started = Date.now();
    const res = await app.request('/slow?ms=150');
    expect(await res.json()).toEqual({ status: 'ok', waited_ms: 150 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await app.request('/slow?ms=999999')).status).toBe(400);
    const slowMs = await (await createDemoApi({ slowMs: 20 }).request('/slow')).json();
    expect(slowMs).toEqual({ status: 'ok', waited_ms: 20 });
  });

  it('answers 503 with Retry-After on /unavailable', async () => {
    const res = await app.request('/unavailable');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(await res.json()).toMatchObject({ error: 'service_unavailable' });
  });

  it('answers unknown paths with a JSON 404', async () => {
    const res = await app.request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });
});
