// listen(): graceful close with a request in flight, forced close after the
// grace period, signal handlers, and HTTPS with a passphrase-protected key.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { slotSet } from '../../runtime/rasa/index.js';
import type { CodeAction } from '../../runtime/rasa/index.js';
import { codeEngine } from './fixture-actions.js';
import { closeOnSignals, createApp, listen } from '../../runtime/server/index.js';
import type { ListenOptions, ServerHandle } from '../../runtime/server/index.js';
import { call, expectOk, post, silent } from './helpers.js';
import { needs } from '../support/services.js';

/** A server whose `action_slow` waits until the test releases it. */
async function slowServer(
  options: Partial<ListenOptions> = {},
): Promise<{ handle: ServerHandle; started: Promise<void>; release: () => void }> {
  let markStarted = (): void => {};
  let release = (): void => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const slow: CodeAction = {
    name: 'action_slow',
    async run() {
      markStarted();
      await gate;
      return [slotSet('slow', 'done')];
    },
  };
  const app = createApp({ engine: await codeEngine([slow]), logger: silent });
  const handle = await listen(app, { port: 0, hostname: '127.0.0.1', ...options });
  return { handle, started, release };
}

describe('graceful close', () => {
  it('finishes an in-flight request after close() begins, then refuses new connections', async () => {
    const { handle, started, release } = await slowServer();
    const inFlight = post(handle.url, call('action_slow'));
    await started;
    let closed = false;
    const closing = handle.close().then(() => {
      closed = true;
    });
    // Refused: close() stopped listening at once. By the time that answer is in, a close()
    // that did not wait for the request in flight would have resolved.
    await expect(fetch(`${handle.url}/health`)).rejects.toThrow(TypeError);
    expect(closed).toBe(false);
    release();
    const releasedAt = performance.now();
    const body = await expectOk(await inFlight);
    expect(body.events).toEqual([slotSet('slow', 'done')]);
    await closing;
    // The finished request's keep-alive socket must not hold close() until the grace period.
    expect(performance.now() - releasedAt).toBeLessThan(2_000);
    expect(closed).toBe(true);
    expect(handle.close()).toBe(handle.close());
  });

  it('cuts requests still running after the grace period', async () => {
    const { handle, started, release } = await slowServer({ gracePeriodMs: 100 });
    const inFlight = post(handle.url, call('action_slow'));
    await started;
    const begun = performance.now();
    await handle.close();
    expect(performance.now() - begun).toBeLessThan(5_000);
    await expect(inFlight).rejects.toBeInstanceOf(Error);
    release();
  });

  it('closes on SIGTERM through closeOnSignals and reports it', async () => {
    const { handle } = await slowServer();
    const closed = new Promise<unknown>((resolve) => {
      closeOnSignals(handle, { signals: ['SIGTERM'], onClosed: resolve });
    });
    // Emitting runs the handlers without delivering a real signal to the test runner.
    process.emit('SIGTERM', 'SIGTERM');
    expect(await closed).toBeNull();
    expect(handle.server.listening).toBe(false);
  });
});

describe('TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slotwire-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  needs('openssl').it('serves HTTPS with a passphrase-protected key (openssl self-signed cert)', async () => {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-passout',
        'pass:hunter2',
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(certFile);
    const app = createApp({
      engine: await codeEngine([{ name: 'a', run: () => [slotSet('tls', true)] }]),
      logger: silent,
    });
    const handle = await listen(app, {
      port: 0,
      hostname: '127.0.0.1',
      tls: { cert, key: readFileSync(keyFile), passphrase: 'hunter2' },
    });
    try {
      expect(handle.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const body = JSON.stringify(call('a'));
      const text = await new Promise<string>((resolve, reject) => {
        const req = httpsRequest(
          `${handle.url}/webhook`,
          { method: 'POST', ca: cert, headers: { 'content-type': 'application/json' } },
          (res) => {
            let data = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              data += chunk;
            });
            res.on('end', () => resolve(data));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      expect(JSON.parse(text).events).toEqual([slotSet('tls', true)]);
    } finally {
      await handle.close();
    }
  });
});
