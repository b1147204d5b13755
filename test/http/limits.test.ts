import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../runtime/http/index.js';
import type { HttpClient } from '../../runtime/http/index.js';
import { decodeResponse } from '../../runtime/http/limits.js';
import { waitFor } from '../support/wait-for.js';
import { closeAll, connection, json, noDeadline, prepared, startServer } from './helpers.js';
import type { TestServer } from './helpers.js';

let server: TestServer | undefined;
let http: HttpClient | undefined;
afterEach(async () => {
  await closeAll(http, server);
  [server, http] = [undefined, undefined];
});

function reply(status: number, contentType: string | null, body: string) {
  return (_req: unknown, res: ServerResponse): void => {
    res.writeHead(status, contentType == null ? {} : { 'content-type': contentType });
    res.end(body);
  };
}

const HTML = '<!doctype html><html><body>Please log in</body></html>';

describe('parsing by content type and expectation', () => {
  it('fails as parse when a JSON content type carries invalid JSON', async () => {
    server = await startServer(reply(200, 'application/json', '{"available": tru'));
    http = createHttpClient([connection(server.origin)]);
    const out = await http.send(prepared('/x'), noDeadline);
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'parse', status: 200, response: { status: 200, body: '{"available": tru' } },
    });
  });

  it('fails as parse when an HTML page comes back with 200 where JSON is expected', async () => {
    server = await startServer(reply(200, 'text/html; charset=utf-8', HTML));
    http = createHttpClient([connection(server.origin)]);
    const out = await http.send(prepared('/x', { expect: 'json' }), noDeadline);
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'parse', reason: null, status: 200, response: { body: HTML } },
    });
  });

  it('fails as parse when an HTML page is labelled as JSON', async () => {
    server = await startServer(reply(200, 'application/json', HTML));
    http = createHttpClient([connection(server.origin)]);
    const out = await http.send(prepared('/x'), noDeadline);
    expect(out).toMatchObject({ ok: false, error: { kind: 'parse' } });
  });

  it('fails as parse on an empty 200 where JSON is expected', async () => {
    server = await startServer(reply(200, 'application/json', ''));
    http = createHttpClient([connection(server.origin)]);
    const out = await http.send(prepared('/x'), noDeadline);
    expect(out).toMatchObject({ ok: false, error: { kind: 'parse' } });
  });

  it('fails as parse when an HTML page comes back with 200 and the action expects whatever comes (auto)', async () => {
    server = await startServer(reply(200, 'text/html', HTML));
    http = createHttpClient([connection(server.origin)]);
    const out = await http.send(prepared('/x'), noDeadline);
    expect(out).toMatchObject({ ok: false, error: { kind: 'parse', status: 200, response: { body: HTML } } });
  });

  it('keeps an HTML page as text when the action asks for text', async () => {
    server = await startServer(reply(200, 'text/html', HTML));
    http = createHttpClient([connection(server.origin)]);
    const out = await http.send(prepared('/x', { expect: 'text' }), noDeadline);
    expect(out).toMatchObject({ ok: true, response: { body: HTML } });
  });

  it('keeps "007" a string and parses +json types', async () => {
    server = await startServer(reply(200, 'application/problem+json', '{"id":"007","n":7}'));
    http = createHttpClient([connection(server.origin)]);
    const out = await http.send(prepared('/x'), noDeadline);
    expect(out).toMatchObject({ ok: true, response: { body: { id: '007', n: 7 } } });
  });

  it('keeps JSON as a string when the action expects text', async () => {
    server = await startServer(reply(200, 'application/json', '{"a":1}'));
    http = createHttpClient([connection(server.origin)]);
    const out = await http.send(prepared('/x', { expect: 'text' }), noDeadline);
    expect(out).toMatchObject({ ok: true, response: { body: '{"a":1}' } });
  });

  it('gives a null body for 204', async () => {
    server = await startServer(reply(204, null, ''));
    http = createHttpClient([connection(server.origin)]);
    const out = await http.send(prepared('/x', { method: 'DELETE' }), noDeadline);
    expect(out).toMatchObject({ ok: true, response: { status: 204, body: null } });
  });

  it('decodes a declared charset', () => {
    const bytes = Buffer.from([0x63, 0x61, 0x66, 0xe9]); // "café" in latin1
    const out = decodeResponse(200, { 'content-type': 'text/plain; charset=ISO-8859-1' }, bytes, 'GET', 'auto');
    expect(out).toMatchObject({ ok: true, response: { body: 'café' } });
  });

  it('accepts JSON with a byte order mark', () => {
    const out = decodeResponse(
      200,
      { 'content-type': 'application/json' },
      Buffer.from('\uFEFF{"a":1}'),
      'GET',
      'auto',
    );
    expect(out).toMatchObject({ ok: true, response: { body: { a: 1 } } });
  });
});

describe('status failures', () => {
  it.each([
    [400, 'bad_request'],
    [422, 'bad_request'],
    [401, 'rejected'],
    [403, 'rejected'],
    [404, 'not_found'],
    [429, 'rate_limited'],
    [500, 'unavailable'],
    [503, 'unavailable'],
    [409, 'other'],
  ])('reports %i as status with reason %s and the parsed body attached', async (code, reason) => {
    server = await startServer((_req, res) => json(res, code, { error: 'nope' }));
    http = createHttpClient([connection(server.origin)]);
    const out = await http.send(prepared('/x'), noDeadline);
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'status', reason, status: code, response: { status: code, body: { error: 'nope' } } },
    });
  });

  it('attaches an HTML error page as text, never as a parse error', async () => {
    server = await startServer(reply(502, 'text/html', HTML));
    http = createHttpClient([connection(server.origin)]);
    const out = await http.send(prepared('/x', { expect: 'json' }), noDeadline);
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'status', reason: 'unavailable', response: { body: HTML } },
    });
  });
});

describe('response size limit', () => {
  const FIFTY_MB = 50 * 1024 * 1024;
  const CHUNK = Buffer.alloc(64 * 1024, 'x');

  /** Streams up to 50 MB, honouring backpressure; counts what it managed to write. */
  async function bigServer(declareLength: boolean): Promise<{ written: () => number; closed: () => boolean }> {
    let written = 0;
    let closed = false;
    server = await startServer((_req, res) => {
      res.on('close', () => {
        closed = true;
      });
      res.writeHead(
        200,
        declareLength
          ? { 'content-type': 'application/json', 'content-length': String(FIFTY_MB) }
          : { 'content-type': 'application/json' },
      );
      res.on('error', () => {});
      const pump = (): void => {
        while (written < FIFTY_MB && !res.destroyed) {
          written += CHUNK.length;
          if (!res.write(CHUNK)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
    });
    return { written: () => written, closed: () => closed };
  }

  it('cuts off a 50 MB chunked body at the limit with flat memory', async () => {
    const big = await bigServer(false);
    http = createHttpClient([connection(server!.origin, { maxResponseBytes: 1024 * 1024 })]);
    const before = process.memoryUsage();
    const t0 = performance.now();
    const out = await http.send(prepared('/big'), noDeadline);
    const took = performance.now() - t0;
    const after = process.memoryUsage();
    expect(out).toMatchObject({ ok: false, error: { kind: 'too_large', status: 200, response: null } });
    expect(took).toBeLessThan(2000);
    // Heap plus Buffers grew by far less than the 50 MB sent at us.
    expect(after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers)).toBeLessThan(
      16 * 1024 * 1024,
    );
    await waitFor(big.closed, { timeoutMs: 5_000, what: 'the server sees the socket closed' });
    expect(big.written()).toBeLessThan(FIFTY_MB / 2); // the socket was closed, the server stopped
  });

  it('refuses a declared 50 MB body before reading it', async () => {
    const big = await bigServer(true);
    http = createHttpClient([connection(server!.origin, { maxResponseBytes: 1024 * 1024 })]);
    const out = await http.send(prepared('/big'), noDeadline);
    expect(out).toMatchObject({ ok: false, error: { kind: 'too_large' } });
    await waitFor(big.closed, { timeoutMs: 5_000, what: 'the server sees the socket closed' });
    expect(big.written()).toBeLessThan(FIFTY_MB / 2);
  });

  it('accepts a body of exactly the limit', async () => {
    server = await startServer(reply(200, 'text/plain', 'x'.repeat(1000)));
    http = createHttpClient([connection(server.origin, { maxResponseBytes: 1000 })]);
    const out = await http.send(prepared('/x'), noDeadline);
    expect(out.ok).toBe(true);
  });
});
