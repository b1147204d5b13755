import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../runtime/http/index.js';
import type { HttpClient } from '../../runtime/http/index.js';
import { attemptSignal, sleep } from '../../runtime/http/deadline.js';
import { holdRefusedAddress } from '../support/refused-address.js';
import { closeAll, connection, json, noDeadline, prepared, startServer } from './helpers.js';
import type { TestServer } from './helpers.js';

let server: TestServer | undefined;
let http: HttpClient | undefined;
afterEach(async () => {
  await closeAll(http, server);
  [server, http] = [undefined, undefined];
});

describe('timeouts', () => {
  it('gives up on a server that never answers within the attempt timeout', async () => {
    server = await startServer(() => {}); // reads the request, never answers
    http = createHttpClient([connection(server.origin, { timeoutMs: 150 })]);
    const t0 = performance.now();
    const out = await http.send(prepared('/slow'), noDeadline);
    const took = performance.now() - t0;
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'timeout', code: 'SW_UPSTREAM_ATTEMPT_TIMEOUT', status: null },
    });
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(1000); // our timer, not undici's 1 s fast timers
  });

  it('stops at the action deadline even when the attempt timeout is longer', async () => {
    server = await startServer(() => {});
    http = createHttpClient([
      connection(server.origin, { timeoutMs: 10_000, retry: { attempts: 3, backoffMs: 10, maxBackoffMs: 10 } }),
    ]);
    const t0 = performance.now();
    const out = await http.send(prepared('/slow'), AbortSignal.timeout(200), { deadlineMs: 200 });
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'timeout', code: 'SW_UPSTREAM_DEADLINE' },
      exchange: { attempts: 1 },
    });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('keeps the deadline from the time left alone, with no signal', async () => {
    server = await startServer(() => {});
    http = createHttpClient([
      connection(server.origin, { timeoutMs: 10_000, retry: { attempts: 3, backoffMs: 10, maxBackoffMs: 10 } }),
    ]);
    const t0 = performance.now();
    const out = await http.send(prepared('/slow'), null, { deadlineMs: 200 });
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'timeout', code: 'SW_UPSTREAM_DEADLINE' },
      exchange: { attempts: 1 },
    });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('gives up at once when no time is left', async () => {
    server = await startServer(() => {});
    http = createHttpClient([connection(server.origin)]);
    const out = await http.send(prepared('/slow'), null, { deadlineMs: 0 });
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'timeout', code: 'SW_UPSTREAM_DEADLINE' },
      exchange: { attempts: 0 },
    });
    expect(server.seen).toHaveLength(0);
  });

  it('reports the deadline when only the signal knows it', async () => {
    server = await startServer(() => {});
    http = createHttpClient([connection(server.origin, { timeoutMs: 10_000 })]);
    const out = await http.send(prepared('/slow'), AbortSignal.timeout(100));
    expect(out).toMatchObject({ ok: false, error: { kind: 'timeout', code: 'SW_UPSTREAM_DEADLINE' } });
  });

  it('times out a body that stalls half-way', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"a":'); // and nothing more
    });
    http = createHttpClient([connection(server.origin, { timeoutMs: 150 })]);
    const out = await http.send(prepared('/x'), noDeadline);
    expect(out).toMatchObject({ ok: false, error: { kind: 'timeout' } });
  });

  it('retries an attempt that timed out and succeeds on the next', async () => {
    let hits = 0;
    server = await startServer((_req, res) => {
      if (++hits > 1) json(res, 200, { ok: 1 });
    });
    http = createHttpClient([
      connection(server.origin, { timeoutMs: 100, retry: { attempts: 2, backoffMs: 1, maxBackoffMs: 1 } }),
    ]);
    const out = await http.send(prepared('/x'), noDeadline);
    expect(out).toMatchObject({ ok: true, response: { body: { ok: 1 } }, exchange: { attempts: 2 } });
  });
});

describe('network failures', () => {
  it('reports a reset socket as network', async () => {
    server = await startServer((req) => req.socket.destroy());
    http = createHttpClient([connection(server.origin)]);
    const out = await http.send(prepared('/x'), noDeadline);
    expect(out).toMatchObject({ ok: false, error: { kind: 'network', reason: null, status: null, response: null } });
  });

  it('reports a refused connection as network with its code', async () => {
    const refused = await holdRefusedAddress();
    try {
      http = createHttpClient([connection(refused.origin)]);
      const out = await http.send(prepared('/x'), noDeadline);
      expect(out).toMatchObject({
        ok: false,
        error: { kind: 'network', code: 'SW_UPSTREAM_NETWORK', cause: 'ECONNREFUSED' },
        exchange: { status: null },
      });
    } finally {
      await refused.close();
    }
  });
});

describe('attemptSignal', () => {
  it('takes the smaller of the attempt timeout and the time left', () => {
    const a = attemptSignal(noDeadline, 1000, 300);
    const b = attemptSignal(noDeadline, 200, 300);
    expect([a.ms, b.ms]).toEqual([300, 200]);
    a.dispose();
    b.dispose();
  });

  it('aborts with the caller', () => {
    const caller = new AbortController();
    const a = attemptSignal(caller.signal, 1000, null);
    caller.abort();
    expect(a.signal.aborted).toBe(true);
    expect(a.cause()).toBe('deadline');
    a.dispose();
  });
});

describe('the attempt clock', () => {
  const settled = (a: ReturnType<typeof attemptSignal>): Promise<number> => {
    const t0 = performance.now();
    return new Promise((resolve) => a.signal.addEventListener('abort', () => resolve(performance.now() - t0)));
  };

  it('times out each attempt at its own budget, an earlier one added later included', async () => {
    const late = attemptSignal(null, 300, null);
    const early = attemptSignal(null, 60, null);
    const [lateMs, earlyMs] = await Promise.all([settled(late), settled(early)]);
    expect(earlyMs).toBeGreaterThanOrEqual(55);
    expect(earlyMs).toBeLessThan(250);
    expect(lateMs).toBeGreaterThanOrEqual(295);
    expect([early.cause(), late.cause(), early.signal.reason]).toEqual([
      'attempt',
      'attempt',
      expect.objectContaining({ name: 'TimeoutError' }),
    ]);
  });

  it('never fires for an attempt that ended, and an attempt cut by the time left ends as the deadline', async () => {
    const done = attemptSignal(null, 30, null);
    let fired = false;
    done.signal.addEventListener('abort', () => {
      fired = true;
    });
    done.dispose();
    const cut = attemptSignal(null, 5000, 50);
    await settled(cut);
    expect(fired).toBe(false);
    expect(done.signal.aborted).toBe(false);
    expect(cut.cause()).toBe('deadline');
  });

  it('runs the listeners once, and a removed listener not at all', async () => {
    const a = attemptSignal(null, 20, null);
    const calls: string[] = [];
    const removed = (): void => void calls.push('removed');
    a.signal.addEventListener('abort', () => calls.push('kept'));
    a.signal.addEventListener('abort', removed);
    a.signal.removeEventListener('abort', removed);
    await settled(a);
    // Nothing more may happen: this wait, past the 20 ms timer, is the test, not a guess.
    await sleep(30, null);
    expect(calls).toEqual(['kept']);
  });
});

describe('sleep', () => {
  it('wakes early when the deadline fires', async () => {
    const t0 = performance.now();
    await sleep(5000, AbortSignal.timeout(50));
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
