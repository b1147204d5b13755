import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../runtime/http/index.js';
import type { HttpClient } from '../../runtime/http/index.js';
import { storedBreaker, verdictOf } from '../../runtime/http/breaker.js';
import { createMemoryState } from '../../runtime/state/index.js';
import { closeAll, connection, json, noDeadline, prepared, startServer } from './helpers.js';
import type { TestServer } from './helpers.js';

describe('breaker policy over a state record', () => {
  const breaker = (policy: { failures: number; cooldownMs: number }, clock: () => number) =>
    storedBreaker(createMemoryState({ now: clock }), 'breaker:api', policy, clock);

  it('opens after N consecutive failures and probes once after the cooldown', async () => {
    let now = 0;
    const b = breaker({ failures: 3, cooldownMs: 1000 }, () => now);
    for (let i = 0; i < 3; i++) await b.record('failure', false);
    expect(await b.state()).toBe('open');
    expect(await b.acquire()).toEqual({ allowed: false, retryInMs: 1000 });
    now = 1000;
    expect(await b.state()).toBe('half_open');
    expect(await b.acquire()).toEqual({ allowed: true, probe: true });
    expect(await b.acquire()).toMatchObject({ allowed: false }); // one probe at a time
    await b.record('success', true);
    expect(await b.state()).toBe('closed');
  });

  it('reopens for a full cooldown when the probe fails', async () => {
    let now = 0;
    const b = breaker({ failures: 1, cooldownMs: 1000 }, () => now);
    await b.record('failure', false);
    now = 1500;
    expect(await b.acquire()).toEqual({ allowed: true, probe: true });
    await b.record('failure', true);
    expect(await b.state()).toBe('open');
    now = 2400;
    expect(await b.acquire()).toMatchObject({ allowed: false });
  });

  it('resets the count on a success in between', async () => {
    const b = breaker({ failures: 2, cooldownMs: 1000 }, () => 0);
    await b.record('failure', false);
    await b.record('success', false);
    await b.record('failure', false);
    expect(await b.state()).toBe('closed');
  });

  it('lets the next caller probe when a probe ended without a verdict', async () => {
    let now = 0;
    const b = breaker({ failures: 1, cooldownMs: 100 }, () => now);
    await b.record('failure', false);
    now = 100;
    expect(await b.acquire()).toMatchObject({ allowed: true, probe: true });
    await b.record('neutral', true);
    expect(await b.acquire()).toMatchObject({ allowed: true, probe: true });
  });

  it('gives up on a probe that never reported back after one cooldown (a replica died mid-probe)', async () => {
    let now = 0;
    const b = breaker({ failures: 1, cooldownMs: 100 }, () => now);
    await b.record('failure', false);
    now = 100;
    expect(await b.acquire()).toMatchObject({ allowed: true, probe: true });
    now = 150;
    expect(await b.acquire()).toMatchObject({ allowed: false });
    now = 200;
    expect(await b.acquire()).toMatchObject({ allowed: true, probe: true });
  });

  it('counts network errors, timeouts and 5xx, not 4xx or parse errors', () => {
    const e = { reason: null, message: '', response: null };
    expect(verdictOf({ ...e, kind: 'network', status: null, code: 'SW_UPSTREAM_NETWORK' })).toBe('failure');
    expect(verdictOf({ ...e, kind: 'timeout', status: null, code: 'SW_UPSTREAM_ATTEMPT_TIMEOUT' })).toBe('failure');
    expect(verdictOf({ ...e, kind: 'timeout', status: null, code: 'SW_UPSTREAM_DEADLINE' })).toBe('neutral');
    expect(verdictOf({ ...e, kind: 'status', status: 502, code: 'SW_UPSTREAM_STATUS' })).toBe('failure');
    expect(verdictOf({ ...e, kind: 'status', status: 404, code: 'SW_UPSTREAM_STATUS' })).toBe('success');
    expect(verdictOf({ ...e, kind: 'parse', status: 200, code: 'SW_UPSTREAM_PARSE' })).toBe('success');
  });
});

describe('circuit breaking against a real server', () => {
  let server: TestServer | undefined;
  let http: HttpClient | undefined;
  afterEach(async () => {
    await closeAll(http, server);
    [server, http] = [undefined, undefined];
  });

  it('fails fast with circuit_open after N failures, then recovers through one half-open probe', async () => {
    let healthy = false;
    server = await startServer((_req, res) => (healthy ? json(res, 200, { ok: true }) : json(res, 500, {})));
    let now = 1_000_000;
    http = createHttpClient([connection(server.origin, { breaker: { failures: 3, cooldownMs: 30_000 } })], {
      now: () => now,
    });

    for (let i = 0; i < 3; i++) {
      expect(await http.send(prepared('/x'), noDeadline)).toMatchObject({
        ok: false,
        error: { kind: 'status', status: 500 },
      });
    }
    const open = await http.send(prepared('/x'), noDeadline);
    expect(open).toMatchObject({ ok: false, error: { kind: 'circuit_open', status: null }, exchange: { attempts: 0 } });
    expect(server.seen).toHaveLength(3); // the fourth call never reached the server

    healthy = true;
    now += 29_999;
    expect(await http.send(prepared('/x'), noDeadline)).toMatchObject({ ok: false, error: { kind: 'circuit_open' } });
    now += 1;
    expect(await http.send(prepared('/x'), noDeadline)).toMatchObject({ ok: true, exchange: { attempts: 1 } });
    expect(await http.send(prepared('/x'), noDeadline)).toMatchObject({ ok: true });
    expect(server.seen).toHaveLength(5);
  });

  it('keeps breakers per connection', async () => {
    server = await startServer((req, res) => json(res, req.url === '/bad' ? 503 : 200, {}));
    http = createHttpClient([
      connection(server.origin, { name: 'a', breaker: { failures: 1, cooldownMs: 60_000 } }),
      connection(server.origin, { name: 'b', breaker: { failures: 1, cooldownMs: 60_000 } }),
    ]);
    await http.send(prepared('/bad', { connection: 'a' }), noDeadline);
    expect(await http.send(prepared('/ok', { connection: 'a' }), noDeadline)).toMatchObject({
      error: { kind: 'circuit_open' },
    });
    expect(await http.send(prepared('/ok', { connection: 'b' }), noDeadline)).toMatchObject({ ok: true });
  });

  it('stops retrying when the circuit opens mid-call and returns the real error', async () => {
    server = await startServer((_req, res) => json(res, 503, {}));
    http = createHttpClient(
      [
        connection(server.origin, {
          breaker: { failures: 2, cooldownMs: 60_000 },
          retry: { attempts: 5, backoffMs: 1, maxBackoffMs: 1 },
        }),
      ],
      { sleep: async () => {} },
    );
    const out = await http.send(prepared('/x'), noDeadline);
    expect(out).toMatchObject({ ok: false, error: { kind: 'status', status: 503 }, exchange: { attempts: 2 } });
    expect(server.seen).toHaveLength(2);
  });
});
