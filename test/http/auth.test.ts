import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../runtime/http/index.js';
import type { AuthPolicy, HttpClient } from '../../runtime/http/index.js';
import { TOKEN_CLAIM_SLACK_MS } from '../../runtime/http/defaults.js';
import { createMemoryState } from '../../runtime/state/index.js';
import type { StateStore } from '../../runtime/state/index.js';
import { closeAll, connection, json, noDeadline, prepared, startServer } from './helpers.js';
import type { TestServer } from './helpers.js';
import { waitFor } from '../support/wait-for.js';

let server: TestServer | undefined;
let http: HttpClient | undefined;
afterEach(async () => {
  await closeAll(http, server);
  [server, http] = [undefined, undefined];
});

async function echo(): Promise<TestServer> {
  return startServer((_req, res) => json(res, 200, {}));
}

describe('static auth', () => {
  it('sends a bearer token', async () => {
    server = await echo();
    http = createHttpClient([connection(server.origin, { auth: { type: 'bearer', token: 'tok' } })]);
    await http.send(prepared('/x'), noDeadline);
    expect(server.seen[0]?.headers.authorization).toBe('Bearer tok');
  });

  it('sends basic credentials as UTF-8 (RFC 7617)', async () => {
    server = await echo();
    http = createHttpClient([connection(server.origin, { auth: { type: 'basic', username: 'zoë', password: 'p:w' } })]);
    await http.send(prepared('/x'), noDeadline);
    expect(server.seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('zoë:p:w').toString('base64')}`);
  });

  it('sends an API key in a header', async () => {
    server = await echo();
    http = createHttpClient([
      connection(server.origin, { auth: { type: 'api_key', in: 'header', name: 'X-Api-Key', value: 'k1' } }),
    ]);
    await http.send(prepared('/x'), noDeadline);
    expect(server.seen[0]?.headers['x-api-key']).toBe('k1');
  });

  it('sends an API key in the query and masks it in the Exchange url', async () => {
    server = await echo();
    http = createHttpClient([
      connection(server.origin, { auth: { type: 'api_key', in: 'query', name: 'api_key', value: 's3cr3t' } }),
    ]);
    const out = await http.send(prepared('/x', { query: [['q', 'pizza']] }), noDeadline);
    expect(server.seen[0]?.url).toBe('/x?q=pizza&api_key=s3cr3t');
    expect(out.exchange.url).toBe(`${server.origin}/x?q=pizza&api_key=***`);
    expect(JSON.stringify(out)).not.toContain('s3cr3t');
  });

  it('keeps the secret out of a failure', async () => {
    server = await startServer((_req, res) => json(res, 500, {}));
    http = createHttpClient([
      connection(server.origin, { auth: { type: 'api_key', in: 'query', name: 'key', value: 's3cr3t' } }),
    ]);
    const out = await http.send(prepared('/x'), noDeadline);
    expect(out.ok).toBe(false);
    expect(JSON.stringify(out)).not.toContain('s3cr3t');
  });
});

describe('OAuth2 client credentials', () => {
  /** A token endpoint and an API on one server; `revoke()` makes the API refuse the current token. */
  async function oauthServer(expiresIn: number | null = 3600) {
    let issued = 0;
    let refuseAll = false;
    const valid = new Set<string>();
    const tokenRequests: Array<{ auth: string | undefined; body: string }> = [];
    server = await startServer((req, res, body) => {
      if (req.url === '/oauth/token') {
        tokenRequests.push({ auth: req.headers.authorization, body });
        const token = `t${++issued}`;
        valid.add(token);
        // Slow enough that concurrent callers overlap the fetch.
        setTimeout(
          () =>
            json(res, 200, {
              access_token: token,
              token_type: 'Bearer',
              ...(expiresIn == null ? {} : { expires_in: expiresIn }),
            }),
          30,
        );
        return;
      }
      const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (valid.has(token) && !refuseAll) json(res, 200, { token });
      else json(res, 401, { error: 'invalid_token' });
    });
    const auth: AuthPolicy = {
      type: 'oauth2_client_credentials',
      tokenUrl: `${server.origin}/oauth/token`,
      clientId: 'app',
      clientSecret: 's&cret',
      scope: 'read',
    };
    return { auth, tokenRequests, revokeAll: () => valid.clear(), refuseAll: () => void (refuseAll = true) };
  }

  it('fetches one token for many concurrent calls and caches it', async () => {
    const o = await oauthServer();
    http = createHttpClient([connection(server!.origin, { auth: o.auth })]);
    const outs = await Promise.all(Array.from({ length: 20 }, () => http!.send(prepared('/data'), noDeadline)));
    expect(outs.every((r) => r.ok)).toBe(true);
    await http.send(prepared('/data'), noDeadline);
    expect(o.tokenRequests).toHaveLength(1);
    expect(new URLSearchParams(o.tokenRequests[0].body).get('grant_type')).toBe('client_credentials');
    expect(new URLSearchParams(o.tokenRequests[0].body).get('scope')).toBe('read');
    // RFC 6749 §2.3.1: id and secret form-encoded, then Basic.
    expect(o.tokenRequests[0].auth).toBe(`Basic ${Buffer.from('app:s%26cret').toString('base64')}`);
  });

  it("fetches its own token when another process's claim on the fetch still holds at the end of its wait", async () => {
    const o = await oauthServer();
    const memory = createMemoryState();
    // Another process claims the token fetch just before this one, and is still at it (a live claim).
    const live = { state: 'running', owner: 'another-replica', deadline: Date.now() + 60_000 };
    let claimed: string | null = null;
    const state: StateStore = {
      ...memory,
      async add(key, value, ttlMs) {
        if (claimed === null && key.startsWith('token:')) {
          claimed = key;
          await memory.add(key, live, 60_000);
        }
        return memory.add(key, value, ttlMs);
      },
    };
    const timeoutMs = 200;
    http = createHttpClient([connection(server!.origin, { auth: o.auth, timeoutMs })], { state });
    const started = Date.now();
    // The request itself gives up at its own timeout; the wait for the token goes on behind it.
    const first = await http.send(prepared('/data'), noDeadline);
    expect(first.ok ? null : first.error.kind).toBe('timeout');
    await waitFor(() => o.tokenRequests.length === 1, { timeoutMs: 3000, what: 'this process fetches a token' });
    // It waited for the other fetch as long as a token request may take, plus the slack.
    expect(Date.now() - started).toBeGreaterThanOrEqual(timeoutMs + TOKEN_CLAIM_SLACK_MS - 20);
    expect((await http.send(prepared('/data'), noDeadline)).ok).toBe(true);
    expect(o.tokenRequests).toHaveLength(1);
    // The other process's claim is its own: this one did not delete or overwrite it.
    expect(await memory.get(claimed ?? '')).toEqual(live);
  });

  it('refreshes the token once on a 401 and re-sends the request', async () => {
    const o = await oauthServer();
    http = createHttpClient([connection(server!.origin, { auth: o.auth })]);
    expect(await http.send(prepared('/data'), noDeadline)).toMatchObject({
      ok: true,
      response: { body: { token: 't1' } },
    });
    o.revokeAll();
    const out = await http.send(prepared('/data'), noDeadline);
    expect(out).toMatchObject({ ok: true, response: { body: { token: 't2' } }, exchange: { attempts: 1 } });
    expect(o.tokenRequests).toHaveLength(2);
  });

  it('reports rejected when the fresh token is refused too', async () => {
    const o = await oauthServer();
    http = createHttpClient([
      connection(server!.origin, { auth: o.auth, retry: { attempts: 3, backoffMs: 1, maxBackoffMs: 1 } }),
    ]);
    o.refuseAll();
    const out = await http.send(prepared('/data'), noDeadline);
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'status', reason: 'rejected', status: 401 },
      exchange: { attempts: 1 },
    });
    expect(server!.seen.map((s) => s.url)).toEqual(['/oauth/token', '/data', '/oauth/token', '/data']);
  });

  it('fetches a new token once the old one is about to expire', async () => {
    const o = await oauthServer(120);
    let now = 0;
    http = createHttpClient([connection(server!.origin, { auth: o.auth })], { now: () => now });
    await http.send(prepared('/data'), noDeadline);
    now = 89_000; // 120 s minus the 30 s skew, not yet
    await http.send(prepared('/data'), noDeadline);
    expect(o.tokenRequests).toHaveLength(1);
    now = 90_000;
    await http.send(prepared('/data'), noDeadline);
    expect(o.tokenRequests).toHaveLength(2);
  });

  it('can send client credentials in the form body', async () => {
    const o = await oauthServer();
    http = createHttpClient([connection(server!.origin, { auth: { ...o.auth, clientAuth: 'body' } as AuthPolicy })]);
    await http.send(prepared('/data'), noDeadline);
    const form = new URLSearchParams(o.tokenRequests[0].body);
    expect([form.get('client_id'), form.get('client_secret'), o.tokenRequests[0].auth]).toEqual([
      'app',
      's&cret',
      undefined,
    ]);
  });

  it('reports a refused token request as rejected, without the secret', async () => {
    server = await startServer((_req, res) => json(res, 401, { error: 'invalid_client' }));
    http = createHttpClient([
      connection(server.origin, {
        auth: {
          type: 'oauth2_client_credentials',
          tokenUrl: `${server.origin}/token`,
          clientId: 'app',
          clientSecret: 'hunter2',
        },
      }),
    ]);
    const out = await http.send(prepared('/data'), noDeadline);
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'status', reason: 'rejected', status: 401, code: 'SW_TOKEN_STATUS' },
    });
    expect(JSON.stringify(out)).not.toContain('hunter2');
    expect(server.seen.map((s) => s.url)).toEqual(['/token']); // the API was never called
  });
});
