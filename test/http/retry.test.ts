import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../runtime/http/index.js';
import type { HttpClient, HttpError } from '../../runtime/http/index.js';
import { backoffDelay, parseRetryAfter, retryDelay, shouldRetry } from '../../runtime/http/retry.js';
import { holdRefusedAddress } from '../support/refused-address.js';
import { closeAll, connection, json, noDeadline, prepared, startServer } from './helpers.js';
import type { TestServer } from './helpers.js';

const RETRY = { attempts: 3, backoffMs: 100, maxBackoffMs: 2000 };
const status = (s: number, headers: Record<string, string> = {}): HttpError => ({
  kind: 'status',
  reason: null,
  status: s,
  message: '',
  response: { status: s, headers, body: null },
  code: 'SW_UPSTREAM_STATUS',
});

describe('shouldRetry', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries a GET on %i', (s) => {
    expect(shouldRetry(1, 'GET', status(s), { attempts: 3, allowUnsafeRetry: false })).toBe(true);
  });

  it.each([400, 401, 404, 422, 501])('does not retry %i', (s) => {
    expect(shouldRetry(1, 'GET', status(s), { attempts: 3, allowUnsafeRetry: false })).toBe(false);
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'] as const)('does not retry a %s without opt-in', (method) => {
    expect(shouldRetry(1, method, status(503), { attempts: 3, allowUnsafeRetry: false })).toBe(false);
    expect(shouldRetry(1, method, status(503), { attempts: 3, allowUnsafeRetry: true })).toBe(true);
  });

  it('retries a POST whose connection was refused: nothing was sent', () => {
    const refused: HttpError = {
      kind: 'network',
      reason: null,
      status: null,
      message: '',
      response: null,
      code: 'SW_UPSTREAM_NETWORK',
      cause: 'ECONNREFUSED',
    };
    const reset: HttpError = { ...refused, cause: 'UND_ERR_SOCKET' };
    expect(shouldRetry(1, 'POST', refused, { attempts: 2, allowUnsafeRetry: false })).toBe(true);
    expect(shouldRetry(1, 'POST', reset, { attempts: 2, allowUnsafeRetry: false })).toBe(false);
  });

  it('never retries past the attempts, the deadline, a parse error or a size error', () => {
    const opts = { attempts: 3, allowUnsafeRetry: true };
    expect(shouldRetry(3, 'GET', status(503), opts)).toBe(false);
    const base = { reason: null, status: null, message: '', response: null };
    expect(shouldRetry(1, 'GET', { ...base, kind: 'timeout', code: 'SW_UPSTREAM_DEADLINE' }, opts)).toBe(false);
    expect(shouldRetry(1, 'GET', { ...base, kind: 'timeout', code: 'SW_UPSTREAM_ATTEMPT_TIMEOUT' }, opts)).toBe(true);
    expect(shouldRetry(1, 'GET', { ...base, kind: 'parse', code: 'SW_UPSTREAM_PARSE' }, opts)).toBe(false);
    expect(shouldRetry(1, 'GET', { ...base, kind: 'too_large', code: 'SW_UPSTREAM_TOO_LARGE' }, opts)).toBe(false);
  });
});

describe('backoff', () => {
  it('grows exponentially, is capped, and is fully jittered', () => {
    expect([1, 2, 3, 4, 10].map((a) => backoffDelay(a, RETRY, () => 0.999999))).toEqual([99, 199, 399, 799, 1999]);
    expect(backoffDelay(5, RETRY, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or as an HTTP-date (RFC 9110 §10.2.3)', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:02 GMT', now)).toBe(2000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('waits what Retry-After says instead of the backoff', () => {
    expect(retryDelay(1, status(503, { 'retry-after': '1' }), RETRY, null, 0, () => 0.5)).toBe(1000);
  });

  it('gives up when Retry-After exceeds the backoff cap', () => {
    expect(retryDelay(1, status(429, { 'retry-after': '60' }), RETRY, null, 0, () => 0.5)).toBeNull();
  });

  it('never sleeps past the deadline', () => {
    expect(retryDelay(1, status(503, { 'retry-after': '1' }), RETRY, 900, 0, () => 0.5)).toBeNull();
    expect(retryDelay(1, status(503, { 'retry-after': '1' }), RETRY, 1100, 0, () => 0.5)).toBe(1000);
  });
});

describe('retries against a real server', () => {
  let server: TestServer | undefined;
  let http: HttpClient | undefined;
  afterEach(async () => {
    await closeAll(http, server);
    [server, http] = [undefined, undefined];
  });

  function flaky(failures: number, headers: Record<string, string> = {}): Promise<TestServer> {
    let hits = 0;
    return startServer((_req, res) => {
      if (++hits <= failures) json(res, 503, { error: 'busy' }, headers);
      else json(res, 200, { hits });
    });
  }

  it('retries a 503 after its Retry-After, then succeeds', async () => {
    server = await flaky(1, { 'retry-after': '1' });
    const slept: number[] = [];
    http = createHttpClient([connection(server.origin, { retry: RETRY })], {
      sleep: async (ms) => void slept.push(ms),
    });
    const out = await http.send(prepared('/x'), noDeadline);
    expect(out).toMatchObject({ ok: true, response: { body: { hits: 2 } }, exchange: { attempts: 2, status: 200 } });
    expect(slept).toEqual([1000]);
  });

  it('really waits the Retry-After with the default sleep', async () => {
    server = await flaky(1, { 'retry-after': '1' });
    http = createHttpClient([connection(server.origin, { retry: RETRY })]);
    const t0 = performance.now();
    const out = await http.send(prepared('/x'), noDeadline);
    expect(out.ok).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(990);
  });

  it('does not retry a POST without opt-in', async () => {
    server = await flaky(1);
    http = createHttpClient([connection(server.origin, { retry: RETRY })], { sleep: async () => {} });
    const out = await http.send(prepared('/book', { method: 'POST', body: { kind: 'json', value: {} } }), noDeadline);
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'status', reason: 'unavailable', status: 503 },
      exchange: { attempts: 1 },
    });
    expect(server.seen).toHaveLength(1);
  });

  it('retries a POST when the action allows it', async () => {
    server = await flaky(1);
    http = createHttpClient([connection(server.origin, { retry: RETRY })], { sleep: async () => {} });
    const out = await http.send(
      prepared('/book', { method: 'POST', allowUnsafeRetry: true, body: { kind: 'json', value: { n: 1 } } }),
      noDeadline,
    );
    expect(out).toMatchObject({ ok: true, exchange: { attempts: 2 } });
    expect(server.seen.map((s) => s.body)).toEqual(['{"n":1}', '{"n":1}']);
  });

  it('returns the last error after the last attempt', async () => {
    server = await flaky(10);
    http = createHttpClient([connection(server.origin, { retry: RETRY })], { sleep: async () => {} });
    const out = await http.send(prepared('/x'), noDeadline);
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'status', status: 503, response: { body: { error: 'busy' } } },
      exchange: { attempts: 3 },
    });
    expect(server.seen).toHaveLength(3);
  });

  it('stops retrying at once when the backoff would pass the deadline', async () => {
    server = await flaky(10, { 'retry-after': '2' });
    http = createHttpClient([connection(server.origin, { retry: RETRY })]);
    const t0 = performance.now();
    const out = await http.send(prepared('/x'), AbortSignal.timeout(1000), { deadlineMs: 1000 });
    expect(out).toMatchObject({ ok: false, error: { kind: 'status', status: 503 }, exchange: { attempts: 1 } });
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('retries a refused connection, for any method', async () => {
    const refused = await holdRefusedAddress();
    const slept: number[] = [];
    try {
      http = createHttpClient([connection(refused.origin, { retry: RETRY })], {
        sleep: async (ms) => void slept.push(ms),
        random: () => 0.5,
      });
      const out = await http.send(prepared('/x', { method: 'POST' }), noDeadline);
      expect(out).toMatchObject({
        ok: false,
        error: { kind: 'network', code: 'SW_UPSTREAM_NETWORK', cause: 'ECONNREFUSED' },
        exchange: { attempts: 3 },
      });
    } finally {
      await refused.close();
    }
    expect(slept).toEqual([50, 100]); // full jitter at 0.5 of 100 ms, then of 200 ms
  });
});
