// The configurable parts of the app: body limits, auth, CORS, event target,
// /health fields, reloads, logging; and the web-body path of app.request().
import { Writable } from 'node:stream';
import { deflateSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../runtime/engine/index.js';
import { slotSet } from '../../runtime/rasa/index.js';
import { createApp, createLogger } from '../../runtime/server/index.js';
import type { ServerHandle } from '../../runtime/server/index.js';
import { codeEngine } from './fixture-actions.js';
import { call, expectError, expectOk, post, silent, startServer } from './helpers.js';

const servers: ServerHandle[] = [];
async function start(...args: Parameters<typeof startServer>): Promise<string> {
  const handle = await startServer(...args);
  servers.push(handle);
  return handle.url;
}
afterAll(() => Promise.all(servers.map((s) => s.close())));

describe('body limit', () => {
  let small: string;
  beforeAll(async () => {
    small = await start({ maxBodyBytes: 1024 });
  });
  const big = call('action_set_slot', { tracker: { sender_id: '1', slots: { pad: 'x'.repeat(2048) } } });

  it('refuses a body whose Content-Length is over the limit with 413', async () => {
    await expectError(await post(small, big), 413);
  });

  it('refuses a chunked body that grows over the limit with 413', async () => {
    const body = Buffer.from(JSON.stringify(big));
    const response = await fetch(`${small}/webhook`, {
      method: 'POST',
      body: new Blob([body]).stream(),
      duplex: 'half',
    });
    await expectError(response, 413);
  });

  it('refuses a small deflated body that inflates over the limit with 413', async () => {
    const compressed = deflateSync(JSON.stringify(big));
    expect(compressed.length).toBeLessThan(1024);
    await expectError(await post(small, compressed, { 'content-encoding': 'deflate' }), 413);
  });

  it('refuses a deflate bomb under the default 32 MiB limit', async () => {
    const url = await start();
    const bomb = deflateSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    await expectError(await post(url, bomb, { 'content-encoding': 'deflate' }), 413);
  });
});

describe('auth', () => {
  it('requires ?token= on /webhook and /actions, not on /health', async () => {
    const url = await start({ auth: { token: { value: 'abc' } } });
    expect(await expectError(await post(url, call('action_set_slot')), 401)).toEqual({ error: 'Unauthorized' });
    await expectError(await post(url, call('action_set_slot'), {}, '/webhook?token=abd'), 401);
    await expectOk(await post(url, call('action_set_slot'), {}, '/webhook?token=abc&x=y'));
    await expectError(await fetch(`${url}/actions`), 401);
    expect((await fetch(`${url}/actions?token=abc`)).status).toBe(200);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it("uses a configured token name, as Rasa's token_name", async () => {
    const url = await start({ auth: { token: { value: 'abc', name: 'key' } } });
    await expectOk(await post(url, call('action_set_slot'), {}, '/webhook?key=abc'));
    await expectError(await post(url, call('action_set_slot'), {}, '/webhook?token=abc'), 401);
  });

  it('checks basic auth and a header secret together', async () => {
    const url = await start({
      auth: { basic: { username: 'rasa', password: 'pw' }, header: { name: 'X-Action-Secret', value: 'sh' } },
    });
    const basic = (user: string, pass: string): string => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    await expectOk(
      await post(url, call('action_set_slot'), { authorization: basic('rasa', 'pw'), 'x-action-secret': 'sh' }),
    );
    const wrong = await post(url, call('action_set_slot'), {
      authorization: basic('rasa', 'pX'),
      'x-action-secret': 'sh',
    });
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    await expectError(wrong, 401);
    await expectError(await post(url, call('action_set_slot'), { authorization: basic('rasa', 'pw') }), 401);
  });
});

describe('cors', () => {
  it('answers allowed origins on /health and /actions only, never on /webhook', async () => {
    const url = await start({ cors: ['https://ops.example'] });
    const origin = { origin: 'https://ops.example' };
    expect((await fetch(`${url}/health`, { headers: origin })).headers.get('access-control-allow-origin')).toBe(
      'https://ops.example',
    );
    expect(
      (await fetch(`${url}/health`, { headers: { origin: 'https://evil.example' } })).headers.get(
        'access-control-allow-origin',
      ),
    ).toBeNull();
    const preflight = await fetch(`${url}/actions`, {
      method: 'OPTIONS',
      headers: { ...origin, 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
    expect((await post(url, call('action_set_slot'), origin)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends no CORS headers by default', async () => {
    const url = await start();
    expect(
      (await fetch(`${url}/health`, { headers: { origin: 'https://ops.example' } })).headers.get(
        'access-control-allow-origin',
      ),
    ).toBeNull();
  });
});

describe('event target and health', () => {
  it("lets the 'pro' target emit session_ended", async () => {
    const url = await start({ eventTarget: 'pro' });
    const body = await expectOk(await post(url, call('action_session_ended')), 'pro');
    expect(body.events[0]?.event).toBe('session_ended');
  });

  it('reports the served file on /health beside status ok, and serves a reload from the next request on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slotwire-health-'));
    const file = join(dir, 'actions.yml');
    writeFileSync(file, 'version: 1\nactions:\n  action_old:\n    slots: { v: 1 }\n');
    const engine = await createEngine({ actionsFile: file });
    try {
      const url = await start({ engine });
      const health = await (await fetch(`${url}/health`)).json();
      expect(health).toEqual({ status: 'ok', actions: 1, actions_hash: engine.status().hash, last_reload_error: null });
      // What tooling compares to know its edit is served (docs/engine.md#reloads).
      const written = createHash('sha256').update(readFileSync(file, 'utf8')).digest('hex').slice(0, 16);
      expect(((await (await fetch(`${url}/ready`)).json()) as { actions_hash: string }).actions_hash).toBe(written);
      await expectError(await post(url, call('action_new')), 404);
      writeFileSync(file, 'version: 1\nactions:\n  action_new:\n    slots: { v: 2 }\n');
      expect(await engine.reload()).toMatchObject({ ok: true, changed: true });
      expect((await expectOk(await post(url, call('action_new')))).events[0]?.value).toBe(2);
    } finally {
      await engine.close();
    }
  });
});

describe('app.request() (no node request: the web body path)', async () => {
  const app = createApp({ engine: await codeEngine(), logger: silent, maxBodyBytes: 4096 });

  it('decodes deflate and answers like the node path', async () => {
    const response = await app.request('/webhook', {
      method: 'POST',
      body: deflateSync(JSON.stringify(call('action_set_slot'))),
      headers: { 'content-encoding': 'deflate' },
    });
    expect((await expectOk(response)).events).toEqual([slotSet('test', 'bar')]);
  });

  it('caps a body without Content-Length', async () => {
    const body = new Blob([JSON.stringify(call('action_set_slot', { pad: 'x'.repeat(8192) }))]).stream();
    await expectError(await app.request('/webhook', { method: 'POST', body, duplex: 'half' }), 413);
  });
});

describe('logging', () => {
  function capture(): { lines: Record<string, unknown>[]; stream: Writable } {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    return { lines, stream };
  }

  it('writes one line per webhook call with action, status and duration', async () => {
    const { lines, stream } = capture();
    const app = createApp({ engine: await codeEngine(), logger: pino({ level: 'info' }, stream) });
    await app.request('/webhook', { method: 'POST', body: JSON.stringify(call('action_set_slot')) });
    await app.request('/webhook', { method: 'POST', body: JSON.stringify(call('action_crash')) });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ action: 'action_set_slot', status: 200, durationMs: expect.any(Number) });
    expect(lines[1]).toMatchObject({ action: 'action_crash', status: 500, error: 'test exception' });
  });

  it('redacts secret-like fields', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ destination: stream, pretty: false });
    logger.info({ headers: { authorization: 'Basic x' }, token: 't', nested: { password: 'p' } }, 'x');
    expect(JSON.stringify(lines[0])).not.toMatch(/Basic x|"t"|"p"/);
    expect(lines[0]).toMatchObject({
      headers: { authorization: '[redacted]' },
      token: '[redacted]',
      nested: { password: '[redacted]' },
    });
  });
});
