/**
 * The weather API: city search and a daily forecast. The key comes as
 * `?appid=` in the query, as many public weather APIs take it. A forecast
 * is derived from the city's climate and a stable hash of the date, so the
 * same city and day always get the same weather.
 */
import { Hono } from 'hono';
import { cities } from './data.js';
import type { City } from './data.js';
import { fail, stableHash } from './http.js';

const SUMMARIES = [
  { from: 70, summary: 'Rain', icon: 'rain' },
  { from: 45, summary: 'Showers', icon: 'showers' },
  { from: 25, summary: 'Partly cloudy', icon: 'partly-cloudy' },
  { from: 0, summary: 'Sunny', icon: 'sun' },
] as const;

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** Options of {@link weatherRoutes}. */
export interface WeatherRoutesOptions {
  /** the `appid` callers must send */
  readonly apiKey: string;
  /** today's date, YYYY-MM-DD: the first forecast day */
  readonly today: () => string;
}

/** The `/weather` routes. */
export function weatherRoutes(options: WeatherRoutesOptions): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    if (c.req.query('appid') !== options.apiKey)
      return fail(c, 401, 'invalid_api_key', 'Send ?appid=<key> (the demo key is demo-weather-key).');
    await next();
  });

  app.get('/cities', (c) => {
    const q = (c.req.query('q') ?? '').trim().toLowerCase();
    if (q.length < 2) return fail(c, 400, 'query_too_short', 'q needs at least 2 characters');
    const results = cities.filter((city) => city.name.toLowerCase().startsWith(q)).map(placeOf);
    return c.json({ query: q, results, total: results.length });
  });

  app.get('/forecast', (c) => {
    const wanted = (c.req.query('city') ?? '').trim();
    const matches = cities.filter((city) => city.id === wanted || city.name.toLowerCase() === wanted.toLowerCase());
    if (matches.length === 0)
      return fail(c, 404, 'city_not_found', `No city "${wanted}". Search with /weather/cities?q=…`);
    if (matches.length > 1)
      return fail(c, 409, 'ambiguous_city', `There are ${matches.length} places called ${wanted}; pass an id.`, {
        candidates: matches.map(placeOf),
      });
    const days = Number(c.req.query('days') ?? '3');
    if (!Number.isInteger(days) || days < 1 || days > 7) return fail(c, 400, 'invalid_days', 'days must be 1 to 7');
    const units = c.req.query('units') ?? 'metric';
    if (units !== 'metric' && units !== 'imperial')
      return fail(c, 400, 'invalid_units', 'units must be metric or imperial');
    const city = matches[0];
    const start = Date.parse(`${options.today()}T00:00:00Z`);
    return c.json({
      city: placeOf(city),
      units,
      temperature_unit: units === 'metric' ? 'C' : 'F',
      days: Array.from({ length: days }, (_, i) => dayOf(city, new Date(start + i * 86_400_000), units)),
    });
  });

  return app;
}

function placeOf(city: City): Record<string, unknown> {
  return { id: city.id, name: city.name, region: city.region, country: city.country, lat: city.lat, lon: city.lon };
}

function dayOf(city: City, day: Date, units: 'metric' | 'imperial'): Record<string, unknown> {
  const date = day.toISOString().slice(0, 10);
  const h = stableHash(`${city.id}/${date}`);
  const high = city.high + (h % 7) - 3;
  const low = Math.min(high - 2, city.low + ((h >>> 3) % 5) - 2);
  const rain = Math.max(0, Math.min(95, Math.round(city.wetness * 100 + ((h >>> 6) % 41) - 20)));
  const { summary, icon } = SUMMARIES.find((s) => rain >= s.from)!;
  const windKph = 5 + ((h >>> 9) % 25);
  const temp = (celsius: number): number => (units === 'metric' ? celsius : Math.round(celsius * 1.8 + 32));
  return {
    date,
    weekday: WEEKDAYS[day.getUTCDay()],
    summary,
    icon,
    temp_min: temp(low),
    temp_max: temp(high),
    precipitation_probability: rain,
    wind: units === 'metric' ? windKph : Math.round(windKph / 1.609),
    wind_unit: units === 'metric' ? 'km/h' : 'mph',
  };
}
