// --cors patterns through a real server: exact origins, * globs and *, on
// preflights and simple requests; origins that only look like a glob's
// match are refused; regular expressions are refused when the app is built.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileOrigins, createApp } from '../../runtime/server/index.js';
import type { ServerHandle } from '../../runtime/server/index.js';
import { codeEngine } from './fixture-actions.js';
import { silent, startServer } from './helpers.js';

const PATTERNS = [
  'https://*.example.com',
  'https://app.example.org',
  'http://localhost:*',
  'https://app-*.example.net',
];

let server: ServerHandle;
beforeAll(async () => {
  server = await startServer({ cors: PATTERNS });
});
afterAll(() => server.close());

/** The Access-Control-Allow-Origin a simple GET with `origin` gets, or null. */
async function simple(origin: string, path = '/health'): Promise<string | null> {
  const response = await fetch(`${server.url}${path}`, { headers: { origin } });
  expect(response.status).toBe(200);
  return response.headers.get('access-control-allow-origin');
}

/** The preflight's answer for `origin`. */
function preflight(origin: string, path = '/actions'): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-trace' },
  });
}

describe('--cors patterns on a real server', () => {
  it.each([
    'https://a.example.com',
    'https://ops-1.example.com',
    'https://A.Example.COM',
    'https://app.example.org',
    'HTTPS://APP.EXAMPLE.ORG',
    'http://localhost:3000',
    'https://app-staging.example.net',
  ])('allows %s, echoing it back on a simple request and a preflight', async (origin) => {
    expect(await simple(origin)).toBe(origin);
    expect(await simple(origin, '/actions')).toBe(origin);
    const answer = await preflight(origin);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(origin);
    expect(answer.headers.get('access-control-allow-methods')).toContain('GET');
    expect(answer.headers.get('access-control-allow-headers')).toBe('x-trace');
    expect(answer.headers.get('vary')).toBe('Origin');
  });

  it.each([
    ['the bare domain of a *. glob', 'https://example.com'],
    ['two labels where the glob has one', 'https://a.b.example.com'],
    ['another domain', 'https://evil.com'],
    ['the glob as a prefix of another domain', 'https://a.example.com.evil.com'],
    ['the glob hidden in a path', 'https://evil.com/.example.com'],
    ['the glob hidden in a query', 'https://evil.com?.example.com'],
    ['the glob hidden in a fragment', 'https://evil.com#.example.com'],
    ['the glob as a user part', 'https://a.example.com@evil.com'],
    ['a look-alike label', 'https://evilexample.com'],
    ['another scheme', 'http://a.example.com'],
    ['a port the glob does not have', 'https://a.example.com:8443'],
    ['an exact origin as a prefix', 'https://app.example.org.evil.com'],
    ['an exact origin with a path', 'https://app.example.org/x'],
    ['an exact origin on another port', 'https://app.example.org:444'],
    ['a port glob without a port', 'http://localhost'],
    ['a port glob with a host after it', 'http://localhost:3000.evil.com'],
    ['a label glob with nothing for its *', 'https://app-.example.net'],
    ['a label glob past a dot', 'https://app-x.evil.example.net'],
    ['the literal pattern', 'https://*.example.com'],
    ['null', 'null'],
  ])('refuses %s (%s): no CORS headers on either kind of request', async (_, origin) => {
    expect(await simple(origin)).toBeNull();
    const answer = await preflight(origin);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('refuses an Origin longer than any origin can be, without matching it', async () => {
    expect(await simple(`https://${'a'.repeat(600)}.example.com`)).toBeNull();
  });

  it('never answers CORS on /webhook, whatever the pattern', async () => {
    const answer = await preflight('https://a.example.com', '/webhook');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('* and .*', () => {
  it.each(['*', '.*'])('%s allows any origin with a wildcard answer', async (pattern) => {
    const any = await startServer({ cors: [pattern] });
    try {
      const answer = await fetch(`${any.url}/health`, { headers: { origin: 'https://anything.test' } });
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    } finally {
      await any.close();
    }
  });
});

describe('patterns that are not origins', () => {
  it.each([
    ['https://.*\\.example\\.com', 'regular expression'],
    ['https://(a|b).example.com', 'regular expression'],
    ['https://a.example.com?', 'regular expression'],
    ['^https://a.example.com$', 'regular expression'],
    ['https://.*.example.com', 'not an origin'],
    ['https://a.example.com/', 'not an origin'],
    ['a.example.com', 'not an origin'],
    ['https://a..example.com', 'not an origin'],
    ['*://a.example.com', 'scheme'],
    ['http://[::*]:80', 'IPv6'],
    [`https://${'a'.repeat(600)}.com`, 'longer than'],
  ])('%s is refused when the app is built (%s)', async (pattern, problem) => {
    const compiled = compileOrigins(['https://ok.example.com', pattern]);
    expect(compiled).toMatchObject({ ok: false, pattern });
    expect(!compiled.ok && compiled.problem).toContain(problem);
    const engine = await codeEngine();
    expect(() => createApp({ engine, logger: silent, cors: [pattern] })).toThrow(TypeError);
  });

  it('takes IPv6 origins written out, and drops a default port', () => {
    const compiled = compileOrigins(['http://[::1]:8080', 'https://app.example.com:443', 'null']);
    expect(compiled.ok).toBe(true);
    const allows = compiled.ok ? compiled.allows : () => false;
    expect(allows('http://[::1]:8080')).toBe(true);
    expect(allows('http://[::1]:8081')).toBe(false);
    expect(allows('https://app.example.com')).toBe(true);
    expect(allows('null')).toBe(true);
  });

  it('matches a glob of many stars against a long label by its answer, not by trying every split', () => {
    const compiled = compileOrigins(['https://*a*a*a*a*a*a*a*a*b.example.com']);
    const allows = compiled.ok ? compiled.allows : () => true;
    expect(allows(`https://${'a'.repeat(60)}.example.com`)).toBe(false);
    expect(allows(`https://${'a'.repeat(60)}b.example.com`)).toBe(true);
  });
});
