import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../runtime/http/index.js';
import type { HttpClient } from '../../runtime/http/index.js';
import { cacheKey } from '../../runtime/http/cache.js';
import { createMemoryState } from '../../runtime/state/index.js';
import { closeAll, connection, json, noDeadline, prepared, startServer } from './helpers.js';
import type { TestServer } from './helpers.js';

describe('response cache in the memory state store', () => {
  it("evicts the least recently used entry of a scope beyond its bound, not other scopes' entries", async () => {
    const state = createMemoryState({ now: () => 0 });
    await state.putCached('s', 'a', 1, 1000, 2);
    await state.putCached('s', 'b', 2, 1000, 2);
    await state.putCached('other', 'x', 9, 1000, 1);
    await state.getCached('s', 'a'); // a is now the most recent
    await state.putCached('s', 'c', 3, 1000, 2);
    expect([
      await state.getCached('s', 'a'),
      await state.getCached('s', 'b'),
      await state.getCached('s', 'c'),
      await state.getCached('other', 'x'),
    ]).toEqual([1, undefined, 3, 9]);
  });

  it('expires entries after their TTL', async () => {
    let now = 0;
    const state = createMemoryState({ now: () => now });
    await state.putCached('s', 'a', 1, 1000, 10);
    now = 999;
    expect(await state.getCached('s', 'a')).toBe(1);
    now = 1000;
    expect(await state.getCached('s', 'a')).toBeUndefined();
  });
});

describe('cacheKey', () => {
  it('keys on method, URL, headers in any order and body', () => {
    const k = cacheKey('api', 'GET', 'http://x/a', { A: '1', b: '2' }, '');
    expect(cacheKey('api', 'GET', 'http://x/a', { b: '2', a: '1' }, '')).toBe(k);
    expect(cacheKey('api', 'POST', 'http://x/a', { a: '1', b: '2' }, '')).not.toBe(k);
    expect(cacheKey('api', 'GET', 'http://x/a?q=1', { a: '1', b: '2' }, '')).not.toBe(k);
    expect(cacheKey('api', 'GET', 'http://x/a', { a: '1', b: '2' }, '{}')).not.toBe(k);
  });
});

describe('response cache against a real server', () => {
  let server: TestServer | undefined;
  let http: HttpClient | undefined;
  afterEach(async () => {
    await closeAll(http, server);
    [server, http] = [undefined, undefined];
  });

  it('answers a repeated request from the cache until the TTL ends', async () => {
    server = await startServer((req, res) => json(res, 200, { url: req.url }));
    let now = 0;
    http = createHttpClient([connection(server.origin)], { now: () => now });
    const req = prepared('/menu', { query: [['day', 'mon']], cache: { ttlMs: 60_000, maxEntries: 10 } });
    const first = await http.send(req, noDeadline);
    const second = await http.send(req, noDeadline);
    expect(first).toMatchObject({ ok: true, exchange: { fromCache: false, attempts: 1 } });
    expect(second).toMatchObject({
      ok: true,
      response: { body: { url: '/menu?day=mon' } },
      exchange: { fromCache: true, attempts: 0, status: 200 },
    });
    expect(server.seen).toHaveLength(1);

    await http.send(prepared('/menu', { query: [['day', 'tue']], cache: req.cache }), noDeadline);
    expect(server.seen).toHaveLength(2); // a different final URL is a different entry

    now = 60_000;
    expect(await http.send(req, noDeadline)).toMatchObject({ exchange: { fromCache: false } });
    expect(server.seen).toHaveLength(3);
  });

  it('never caches a failure', async () => {
    let hits = 0;
    server = await startServer((_req, res) => json(res, ++hits === 1 ? 503 : 200, { hits }));
    http = createHttpClient([connection(server.origin)]);
    const req = prepared('/x', { cache: { ttlMs: 60_000, maxEntries: 10 } });
    expect(await http.send(req, noDeadline)).toMatchObject({ ok: false });
    expect(await http.send(req, noDeadline)).toMatchObject({ ok: true, exchange: { fromCache: false } });
    expect(await http.send(req, noDeadline)).toMatchObject({ ok: true, exchange: { fromCache: true } });
  });

  it('holds at most maxEntries per scope', async () => {
    server = await startServer((req, res) => json(res, 200, { url: req.url }));
    http = createHttpClient([connection(server.origin)]);
    const cache = { ttlMs: 60_000, maxEntries: 2, scope: 'menu_action' };
    for (const id of ['1', '2', '3']) await http.send(prepared(`/item/${id}`, { cache }), noDeadline);
    expect(server.seen).toHaveLength(3);
    await http.send(prepared('/item/3', { cache }), noDeadline); // still cached
    await http.send(prepared('/item/1', { cache }), noDeadline); // evicted: fetched again
    expect(server.seen.map((s) => s.url)).toEqual(['/item/1', '/item/2', '/item/3', '/item/1']);
  });

  it('does not cache requests that did not ask for it', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    http = createHttpClient([connection(server.origin)]);
    await http.send(prepared('/x'), noDeadline);
    await http.send(prepared('/x'), noDeadline);
    expect(server.seen).toHaveLength(2);
  });
});
