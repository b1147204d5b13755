import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../runtime/http/index.js';
import type { HttpClient } from '../../runtime/http/index.js';
import { connection, json, noDeadline, prepared, startServer } from './helpers.js';
import type { TestServer } from './helpers.js';

let server: TestServer;
let http: HttpClient;
afterEach(async () => {
  await http?.close();
  await server?.close();
});

async function echo(): Promise<void> {
  server = await startServer((req, res, body) => json(res, 200, { method: req.method, url: req.url, body }));
}

describe('request building', () => {
  it('appends the path to the base path and repeats array query keys', async () => {
    await echo();
    http = createHttpClient([connection(`${server.origin}/v2/`)]);
    const out = await http.send(
      prepared('/restaurants/42/availability', {
        query: [
          ['time', '19:00 h'],
          ['tag', 'a&b'],
          ['tag', 'c'],
        ],
      }),
      noDeadline,
    );
    expect(out.ok).toBe(true);
    expect(server.seen[0]?.url).toBe('/v2/restaurants/42/availability?time=19%3A00%20h&tag=a%26b&tag=c');
    expect(out.exchange).toMatchObject({ method: 'GET', status: 200, attempts: 1, fromCache: false });
    expect(out.exchange.url).toBe(`${server.origin}/v2/restaurants/42/availability?time=19%3A00%20h&tag=a%26b&tag=c`);
  });

  it('sends a JSON body with its content type', async () => {
    await echo();
    http = createHttpClient([connection(server.origin)]);
    await http.send(
      prepared('/bookings', { method: 'POST', body: { kind: 'json', value: { party: 4, id: '007' } } }),
      noDeadline,
    );
    expect(server.seen[0]).toMatchObject({ method: 'POST', body: '{"party":4,"id":"007"}' });
    expect(server.seen[0]?.headers['content-type']).toBe('application/json');
  });

  it('sends form fields url-encoded, in order, repeated keys kept', async () => {
    await echo();
    http = createHttpClient([connection(server.origin)]);
    const fields: Array<[string, string]> = [
      ['name', 'Zoë & co'],
      ['tag', 'x'],
      ['tag', 'y'],
    ];
    await http.send(prepared('/form', { method: 'POST', body: { kind: 'form', fields } }), noDeadline);
    expect(server.seen[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect([...new URLSearchParams(server.seen[0]?.body)]).toEqual(fields);
  });

  it('sends a text body as UTF-8 plain text', async () => {
    await echo();
    http = createHttpClient([connection(server.origin)]);
    await http.send(prepared('/note', { method: 'PUT', body: { kind: 'text', value: 'grüße' } }), noDeadline);
    expect(server.seen[0]).toMatchObject({ method: 'PUT', body: 'grüße' });
    expect(server.seen[0]?.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('keeps a content type the request sets itself', async () => {
    await echo();
    http = createHttpClient([connection(server.origin)]);
    await http.send(
      prepared('/x', {
        method: 'POST',
        headers: { 'Content-Type': 'application/vnd.api+json' },
        body: { kind: 'json', value: {} },
      }),
      noDeadline,
    );
    expect(server.seen[0]?.headers['content-type']).toBe('application/vnd.api+json');
  });

  it('sends the Idempotency-Key header when one is set', async () => {
    await echo();
    http = createHttpClient([connection(server.origin)]);
    await http.send(
      prepared('/bookings', { method: 'POST', idempotencyKey: 'turn-abc-1', body: { kind: 'json', value: {} } }),
      noDeadline,
    );
    await http.send(prepared('/bookings', { method: 'POST', body: { kind: 'json', value: {} } }), noDeadline);
    expect(server.seen[0]?.headers['idempotency-key']).toBe('turn-abc-1');
    expect(server.seen[1]?.headers['idempotency-key']).toBeUndefined();
  });

  it('merges connection and request headers, the request winning', async () => {
    await echo();
    http = createHttpClient([connection(server.origin, { headers: { 'X-Tenant': 'a', 'X-Env': 'prod' } })]);
    await http.send(prepared('/x', { headers: { 'x-tenant': 'b' } }), noDeadline);
    expect(server.seen[0]?.headers).toMatchObject({ 'x-tenant': 'b', 'x-env': 'prod', 'user-agent': 'slotwire' });
  });

  it('answers HEAD with a null body', async () => {
    await echo();
    http = createHttpClient([connection(server.origin)]);
    const out = await http.send(prepared('/x', { method: 'HEAD' }), noDeadline);
    expect(out).toMatchObject({ ok: true, response: { status: 200, body: null } });
  });

  it('refuses to send to a connection it does not know', async () => {
    http = createHttpClient([]);
    expect(() => http.send(prepared('/x', { connection: 'nope' }), noDeadline)).toThrow(TypeError);
  });

  it('keeps connections alive between calls', async () => {
    const ports = new Set<number>();
    server = await startServer((req, res) => {
      ports.add(req.socket.remotePort ?? 0);
      json(res, 200, {});
    });
    http = createHttpClient([connection(server.origin)]);
    for (let i = 0; i < 10; i++) await http.send(prepared('/x'), noDeadline);
    // undici may open a second socket while the first is being released; never one per call.
    expect(ports.size).toBeLessThanOrEqual(2);
  });
});

describe('injected dispatchers', () => {
  it('routes through a MockAgent for hosts no local server can be', async () => {
    const { MockAgent } = await import('undici');
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock
      .get('https://api.example.test')
      .intercept({ path: '/v1/orders/42', method: 'GET' })
      .reply(200, { status: 'shipped' }, { headers: { 'content-type': 'application/json' } });
    http = createHttpClient([connection('https://api.example.test/v1')], { dispatcherFactory: () => mock });
    const out = await http.send(prepared('/orders/42'), noDeadline);
    expect(out).toMatchObject({ ok: true, response: { body: { status: 'shipped' } } });
    mock.assertNoPendingInterceptors(); // http.close() closes the mock too
  });
});
