// Starting a real server on a loopback port and talking to it over HTTP.
import { pino } from 'pino';
import type { Logger } from 'pino';
import { expect } from 'vitest';
import { createApp, listen } from '../../runtime/server/index.js';
import type { AppOptions, ListenOptions, ServerHandle } from '../../runtime/server/index.js';
import { validateClassic, validatePro } from '../rasa/response-schema.js';
import { codeEngine } from './fixture-actions.js';

/** A logger that writes nothing. */
export const silent: Logger = pino({ level: 'silent' });

/** Start the real server on 127.0.0.1, port 0. */
export async function startServer(
  options: Partial<AppOptions> = {},
  listenOptions: Partial<ListenOptions> = {},
): Promise<ServerHandle> {
  const app = createApp({ engine: await codeEngine(), logger: silent, ...options });
  return listen(app, { port: 0, hostname: '127.0.0.1', ...listenOptions });
}

/** A webhook call as Rasa sends it. */
export function call(nextAction: string | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    next_action: nextAction,
    sender_id: '1',
    tracker: { sender_id: '1', conversation_id: 'default' },
    version: '3.13.4',
    ...extra,
  };
}

/** POST a body to /webhook; a Buffer is sent with no Content-Type, as rasa-sdk's tests do. */
export function post(
  url: string,
  body: string | Buffer | Record<string, unknown>,
  headers: Record<string, string> = {},
  path = '/webhook',
): Promise<Response> {
  const payload = typeof body === 'object' && !Buffer.isBuffer(body) ? Buffer.from(JSON.stringify(body)) : body;
  return fetch(`${url}${path}`, { method: 'POST', body: payload, headers });
}

/** Assert a 200 JSON answer whose body passes Rasa's response schema (docs/protocol.md#the-answer-200); returns the body. */
export async function expectOk(
  response: Response,
  target: 'classic' | 'pro' = 'classic',
): Promise<{ events: Record<string, unknown>[]; responses: Record<string, unknown>[] }> {
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body: unknown = JSON.parse(text);
  const validate = target === 'pro' ? validatePro : validateClassic;
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  return body as { events: Record<string, unknown>[]; responses: Record<string, unknown>[] };
}

/** Assert an error status with a JSON body; returns the body. */
export async function expectError(response: Response, status: number): Promise<Record<string, unknown>> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return JSON.parse(text) as Record<string, unknown>;
}
