import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, encodePathSegment } from '../../runtime/http/index.js';
import type { HttpClient } from '../../runtime/http/index.js';
import { buildTarget, parseBaseUrl } from '../../runtime/http/url.js';
import { connection, json, noDeadline, prepared, startServer } from './helpers.js';
import type { TestServer } from './helpers.js';

describe('encodePathSegment', () => {
  it.each([
    ['../admin', '..%2Fadmin'],
    ['a?x=1', 'a%3Fx%3D1'],
    ['a#frag', 'a%23frag'],
    ['%2F', '%252F'],
    ['@evil.com', '%40evil.com'],
    ['a/b\\c', 'a%2Fb%5Cc'],
    ['x:y', 'x%3Ay'],
    ['007', '007'],
    ['..', '%2E%2E'],
    ['.', '%2E'],
  ])('encodes %j as one segment', (value, encoded) => {
    expect(encodePathSegment(value)).toBe(encoded);
  });

  it('does not throw on a lone surrogate', () => {
    expect(encodePathSegment('a\uD800b')).toBe('a%EF%BF%BDb');
  });
});

describe('buildTarget', () => {
  it('keeps the base path and strips a fragment', () => {
    const base = parseBaseUrl('https://api.example.com/v2/');
    expect(buildTarget(base, '/a#x', [['q', '1']])).toMatchObject({
      origin: 'https://api.example.com',
      path: '/v2/a?q=1',
    });
  });

  it('continues a query the path already has', () => {
    const base = parseBaseUrl('https://api.example.com');
    expect(buildTarget(base, '/s?fixed=1', [['q', '2']]).path).toBe('/s?fixed=1&q=2');
  });

  it('masks secret query values only in the masked path', () => {
    const base = parseBaseUrl('https://api.example.com');
    const t = buildTarget(
      base,
      '/s',
      [
        ['q', '1'],
        ['api_key', 's3cret'],
      ],
      new Set(['api_key']),
    );
    expect(t.path).toBe('/s?q=1&api_key=s3cret');
    expect(t.maskedPath).toBe('/s?q=1&api_key=***');
  });

  it('resolves the dot segments of a base URL once, when it is parsed', () => {
    expect(parseBaseUrl('https://api.example.com/v2/../v3/./x/')).toEqual({
      origin: 'https://api.example.com',
      basePath: '/v3/x',
    });
  });

  it("joins a path's own dot segments to the base path as written, resolving nothing", () => {
    expect(buildTarget(parseBaseUrl('https://api.example.com/v2'), '/a/../b/./c', []).path).toBe('/v2/a/../b/./c');
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => parseBaseUrl('file:///etc/passwd')).toThrow(TypeError);
  });

  it.each([
    'https://bot:s3cret@api.example.com',
    'https://api.example.com/v2?sig=s3cret',
    'https://api.example.com/v2?',
    'https://api.example.com/v2#s3cret',
  ])('refuses %s, whose user info, query or fragment the split would drop, without quoting it', (baseUrl) => {
    expect(() => parseBaseUrl(baseUrl)).toThrow(TypeError);
    expect(() => parseBaseUrl(baseUrl)).not.toThrow(/s3cret/);
  });
});

describe('dot segments on the wire', () => {
  let server: TestServer;
  let http: HttpClient;
  afterEach(async () => {
    await http?.close();
    await server?.close();
  });

  it('sends the dot segments of a path as written: the client does not resolve them', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    http = createHttpClient([connection(`${server.origin}/v2`)]);
    const out = await http.send(prepared(`/a/../b/./${encodePathSegment('..')}/${encodePathSegment('.')}`), noDeadline);
    expect(out.ok).toBe(true);
    expect(server.seen[0].url).toBe('/v2/a/../b/./%2E%2E/%2E');
  });
});

describe('hostile path values on the wire', () => {
  let server: TestServer;
  let http: HttpClient;
  afterEach(async () => {
    await http?.close();
    await server?.close();
  });

  it.each(['../../admin', '?admin=1', '#top', '%2F..%2F', '@evil.com', '..', 'a/b'])(
    'delivers %j to the configured host as one segment',
    async (value) => {
      server = await startServer((_req, res) => json(res, 200, {}));
      http = createHttpClient([connection(`${server.origin}/v2`)]);
      const out = await http.send(prepared(`/users/${encodePathSegment(value)}/orders`), noDeadline);
      expect(out.ok).toBe(true);
      const seen = server.seen[0];
      expect(seen.headers.host).toBe(`127.0.0.1:${server.port}`);
      const path = seen.url.split('?')[0];
      expect(path.split('/')).toHaveLength(5); // '', 'v2', 'users', <value>, 'orders'
      expect(path.startsWith('/v2/users/')).toBe(true);
      expect(path.endsWith('/orders')).toBe(true);
      expect(seen.url).not.toContain('?');
      expect(decodeURIComponent(path.split('/')[3])).toBe(value);
    },
  );
});
