/**
 * The restaurant API: list, details, availability for a party at a time,
 * and bookings. Every route needs `Authorization: Bearer <token>`.
 * Bookings honour `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header):
 * the same key with the same body replays the first answer; with another
 * body it is a 422.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { restaurants } from './data.js';
import type { Restaurant } from './data.js';
import { bearerToken, clockOf, fail, minutesOf, unauthorized } from './http.js';

/** How far around the requested time alternatives are offered. */
const WINDOW_MINUTES = 90;

/** Options of {@link restaurantRoutes}. */
export interface RestaurantRoutesOptions {
  /** the bearer token callers must send */
  readonly token: string;
}

/** A booking as stored and answered. */
interface StoredAnswer {
  readonly fingerprint: string;
  readonly status: 201;
  readonly body: Record<string, unknown>;
}

/** The `/restaurants` routes. Bookings live in memory, per app instance. */
export function restaurantRoutes(options: RestaurantRoutesOptions): Hono {
  const app = new Hono();
  const byKey = new Map<string, StoredAnswer>();
  let bookings = 0;

  app.use('*', async (c, next) => {
    if (bearerToken(c) !== options.token)
      return unauthorized(c, 'restaurants', 'Send Authorization: Bearer <token> (the demo token is demo-token).');
    await next();
  });

  app.get('/', (c) => {
    const city = c.req.query('city')?.toLowerCase();
    const cuisine = c.req.query('cuisine')?.toLowerCase();
    const found = restaurants.filter(
      (r) => (!city || r.city.toLowerCase() === city) && (!cuisine || r.cuisine === cuisine),
    );
    return c.json({ restaurants: found.map(summaryOf), total: found.length });
  });

  app.get('/:id', (c) => {
    const restaurant = find(c.req.param('id'));
    if (!restaurant) return notFound(c);
    return c.json({
      ...summaryOf(restaurant),
      phone: restaurant.phone,
      max_party: restaurant.max_party,
      seating_times: Object.keys(restaurant.seatings),
    });
  });

  app.get('/:id/availability', (c) => {
    const restaurant = find(c.req.param('id'));
    if (!restaurant) return notFound(c);
    const party = Number(c.req.query('party'));
    if (!Number.isInteger(party) || party < 1)
      return fail(c, 400, 'invalid_party', 'party must be a whole number of at least 1');
    const requested = minutesOf(c.req.query('time') ?? '');
    if (requested === null) return fail(c, 400, 'invalid_time', 'time must look like 19:00 or 2025-06-01T19:00:00');
    const date = c.req.query('date');
    const free = restaurant.seatings[clockOf(requested)];
    const available = free !== undefined && free >= party;
    return c.json({
      restaurant_id: restaurant.id,
      restaurant_name: restaurant.name,
      ...(date ? { date } : {}),
      party,
      requested_time: clockOf(requested),
      available,
      reason: available ? null : reasonOf(restaurant, party, free),
      times: alternatives(restaurant, party, requested),
    });
  });

  app.post('/:id/bookings', async (c) => {
    const restaurant = find(c.req.param('id'));
    if (!restaurant) return notFound(c);
    const body: unknown = await c.req.json().catch(() => undefined);
    const key = c.req.header('idempotency-key');
    const fingerprint = JSON.stringify([restaurant.id, body]);
    if (key) {
      const earlier = byKey.get(key);
      if (earlier && earlier.fingerprint !== fingerprint)
        return fail(c, 422, 'idempotency_key_reused', 'This Idempotency-Key was used for a different booking.');
      if (earlier) {
        c.header('Idempotent-Replayed', 'true');
        return c.json(earlier.body, earlier.status);
      }
    }
    const problems = bookingProblems(body, restaurant);
    if (problems.length > 0)
      return fail(c, 422, 'invalid_booking', 'The booking is incomplete or invalid.', { details: problems });
    const { party, time, name, date } = body as { party: number; time: string; name: string; date?: string };
    const at = minutesOf(time)!;
    const free = restaurant.seatings[clockOf(at)];
    if (free === undefined || free < party) {
      return fail(c, 409, 'slot_unavailable', `No table for ${party} at ${clockOf(at)}.`, {
        alternatives: alternatives(restaurant, party, at),
      });
    }
    bookings++;
    const answer: StoredAnswer = {
      fingerprint,
      status: 201,
      body: {
        reference: `BK-${String(1000 + bookings)}`,
        status: 'confirmed',
        restaurant_id: restaurant.id,
        restaurant_name: restaurant.name,
        party,
        time: clockOf(at),
        ...(date ? { date } : {}),
        name: name.trim(),
      },
    };
    if (key) byKey.set(key, answer);
    return c.json(answer.body, answer.status);
  });

  return app;
}

function find(id: string): Restaurant | undefined {
  return restaurants.find((r) => r.id === id);
}

function notFound(c: Context): Response {
  return fail(c, 404, 'restaurant_not_found', `No restaurant with id "${c.req.param('id')}".`);
}

function summaryOf(r: Restaurant): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    cuisine: r.cuisine,
    city: r.city,
    address: r.address,
    price_range: r.price_range,
    rating: r.rating,
  };
}

function reasonOf(r: Restaurant, party: number, free: number | undefined): string {
  if (party > r.max_party) return 'party_too_large';
  if (free === undefined) return 'closed';
  return 'fully_booked';
}

/** Free seatings for the party within the window around the requested time, in time order. */
function alternatives(r: Restaurant, party: number, requested: number): { time: string; max_party: number }[] {
  return Object.entries(r.seatings)
    .filter(([time, free]) => free >= party && Math.abs(minutesOf(time)! - requested) <= WINDOW_MINUTES)
    .map(([time, free]) => ({ time, max_party: free }));
}

function bookingProblems(body: unknown, r: Restaurant): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['the body must be a JSON object'];
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  if (!Number.isInteger(b['party']) || (b['party'] as number) < 1)
    problems.push('party must be a whole number of at least 1');
  else if ((b['party'] as number) > r.max_party) problems.push(`${r.name} takes parties of up to ${r.max_party}`);
  if (typeof b['time'] !== 'string' || minutesOf(b['time']) === null) problems.push('time must look like 19:00');
  if (typeof b['name'] !== 'string' || b['name'].trim() === '') problems.push('name is required');
  if (b['date'] !== undefined && (typeof b['date'] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(b['date'])))
    problems.push('date must look like 2025-06-01');
  return problems;
}
