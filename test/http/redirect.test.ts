import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../runtime/http/index.js';
import type { HttpClient } from '../../runtime/http/index.js';
import { connection, json, noDeadline, prepared, startServer } from './helpers.js';
import type { TestServer } from './helpers.js';

let servers: TestServer[] = [];
let http: HttpClient | undefined;
afterEach(async () => {
  await http?.close();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  http = undefined;
});

async function start(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const s = await startServer(...args);
  servers.push(s);
  return s;
}

/** `/go` redirects to `location` with `status`; everything else answers what it saw. */
async function redirecting(location: (origin: string) => string, status = 302): Promise<TestServer> {
  const s: TestServer = await start((req, res, body) => {
    if (req.url === '/go') {
      res.writeHead(status, { location: location(s.origin) });
      res.end('moved');
    } else {
      json(res, 200, { url: req.url, method: req.method, body, auth: req.headers.authorization ?? null });
    }
  });
  return s;
}

describe('redirects', () => {
  it('follows a same-origin redirect, keeping credentials', async () => {
    const s = await redirecting(() => '/there?x=1');
    http = createHttpClient([connection(s.origin, { auth: { type: 'bearer', token: 't' } })]);
    const out = await http.send(prepared('/go'), noDeadline);
    expect(out).toMatchObject({
      ok: true,
      response: { body: { url: '/there?x=1', auth: 'Bearer t' } },
      exchange: { status: 200 },
    });
  });

  it('refuses a redirect to another origin by default', async () => {
    const other = await start((_req, res) => json(res, 200, { stolen: true }));
    const s = await redirecting(() => `${other.origin}/x`);
    http = createHttpClient([connection(s.origin, { auth: { type: 'bearer', token: 't' } })]);
    const out = await http.send(prepared('/go'), noDeadline);
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'status', reason: 'other', status: 302, code: 'SW_UPSTREAM_REDIRECT_CROSS_ORIGIN' },
    });
    expect(other.seen).toHaveLength(0);
  });

  it('follows another origin when allowed, without the credentials', async () => {
    const other = await start((req, res) =>
      json(res, 200, { auth: req.headers.authorization ?? null, key: req.headers['x-key'] ?? null }),
    );
    const s = await redirecting(() => `${other.origin}/x`);
    http = createHttpClient([
      connection(s.origin, { redirects: 'any', auth: { type: 'api_key', in: 'header', name: 'X-Key', value: 'k' } }),
    ]);
    const out = await http.send(prepared('/go'), noDeadline);
    expect(out).toMatchObject({ ok: true, response: { body: { auth: null, key: null } } });
  });

  it('reports a redirect as a status when redirects are off', async () => {
    const s = await redirecting(() => '/there');
    http = createHttpClient([connection(s.origin, { redirects: 'none' })]);
    const out = await http.send(prepared('/go'), noDeadline);
    expect(out).toMatchObject({ ok: false, error: { kind: 'status', reason: 'other', status: 302 } });
    expect(s.seen).toHaveLength(1);
  });

  it('stops after 5 redirects', async () => {
    const s = await redirecting(() => '/go');
    http = createHttpClient([connection(s.origin)]);
    const out = await http.send(prepared('/go'), noDeadline);
    expect(out).toMatchObject({ ok: false, error: { kind: 'status', code: 'SW_UPSTREAM_REDIRECT_LIMIT' } });
    expect(s.seen).toHaveLength(6);
  });

  it('turns a POST into a GET without body on 303', async () => {
    const s = await redirecting(() => '/result', 303);
    http = createHttpClient([connection(s.origin)]);
    const out = await http.send(
      prepared('/go', { method: 'POST', body: { kind: 'json', value: { a: 1 } } }),
      noDeadline,
    );
    expect(out).toMatchObject({ ok: true, response: { body: { method: 'GET', body: '' } } });
    expect(s.seen[1]?.headers['content-type']).toBeUndefined();
  });

  it('keeps method and body on 307', async () => {
    const s = await redirecting(() => '/again', 307);
    http = createHttpClient([connection(s.origin)]);
    const out = await http.send(
      prepared('/go', { method: 'POST', body: { kind: 'json', value: { a: 1 } } }),
      noDeadline,
    );
    expect(out).toMatchObject({ ok: true, response: { body: { method: 'POST', body: '{"a":1}' } } });
  });

  it('refuses a redirect to a non-http scheme', async () => {
    const s = await redirecting(() => 'file:///etc/passwd');
    http = createHttpClient([connection(s.origin, { redirects: 'any' })]);
    const out = await http.send(prepared('/go'), noDeadline);
    expect(out).toMatchObject({ ok: false, error: { kind: 'status', code: 'SW_UPSTREAM_REDIRECT_SCHEME' } });
  });
});
