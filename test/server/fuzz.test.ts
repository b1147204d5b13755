// The webhook fuzz, in-suite slice: no body may crash or stall the server.
// Fixed-seed mutations of a real Rasa body through the real app (an actions.yml
// plus code actions, as `slotwire serve` builds it). Every answer is one of
// FUZZ_STATUSES with a JSON body; a caller's shape mistake is a 400 naming the
// field, never a 500. The full 100 000: `npm run build && node --import tsx
// bench/fuzz-webhook.mjs`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as slotwire from '../../runtime/index.js';
import type { ActionServer } from '../../runtime/index.js';
import { validateClassic } from '../rasa/response-schema.js';
import { FUZZ_ACTIONS_YML, FUZZ_STATUSES, fuzzCodeActions, fuzzRequests } from '../support/fuzz-bodies.js';
import { silent } from './helpers.js';

const SEED = 12;
const COUNT = 3_000;

let dir: string;
let server: ActionServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slotwire-fuzz-'));
  await writeFile(join(dir, 'actions.yml'), FUZZ_ACTIONS_YML);
  server = await slotwire.createActionServer({
    actionsFile: join(dir, 'actions.yml'),
    codeActions: fuzzCodeActions(slotwire),
    logger: silent,
  });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function post(
  body: string | Buffer | Record<string, unknown>,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<Response> {
  return Promise.resolve(
    server.app.request('/webhook', {
      method: 'POST',
      body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
      headers,
    }),
  );
}

describe('webhook fuzz', () => {
  it(`answers ${COUNT} fuzzed bodies (seed ${SEED}) with ${FUZZ_STATUSES.join('/')} and a JSON body`, async () => {
    const histogram: Record<number, number> = {};
    const wrong: string[] = [];
    for (const request of fuzzRequests(SEED, COUNT)) {
      const response = await post(request.body, { ...request.headers });
      const text = await response.text();
      histogram[response.status] = (histogram[response.status] ?? 0) + 1;
      const problem = checkAnswer(response, text);
      if (problem !== null) wrong.push(`${request.mutation} → ${response.status} ${problem}: ${text.slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
    // Every allowed status is reached: the mutations are not all stopped by one check.
    expect(
      Object.keys(histogram)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual([...FUZZ_STATUSES].sort((a, b) => a - b));
  });

  it.each([
    ['a string tracker', { tracker: 'not a tracker' }, 'tracker'],
    ['an array tracker', { tracker: [] }, 'tracker'],
    [
      'entities as an object',
      { tracker: { sender_id: 'u', latest_message: { entities: { city: 'Berlin' } } } },
      'tracker.latest_message.entities',
    ],
    ['a tracker without sender_id', { tracker: { slots: {} } }, 'tracker.sender_id'],
    [
      'an event that is not an object',
      { tracker: { sender_id: 'u', events: [{ event: 'user' }, 7] } },
      'tracker.events[1]',
    ],
  ])("the issue's case: %s is a 400 naming the field, without action_name", async (_name, extra, field) => {
    const response = await post({ next_action: 'action_fuzz_helpers', sender_id: 'u', ...extra });
    expect(response.status).toBe(400);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error: expect.any(String), field });
    expect(body).not.toHaveProperty('action_name');
  });
});

/** Why an answer breaks the contract, or null. */
function checkAnswer(response: Response, text: string): string | null {
  if (!FUZZ_STATUSES.includes(response.status)) return 'status';
  if (!(response.headers.get('content-type') ?? '').startsWith('application/json')) return 'content type';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'body is not JSON';
  }
  if (response.status === 200)
    return body === null || validateClassic(body) ? null : "body fails Rasa's response schema";
  if (typeof body !== 'object' || body === null || typeof (body as { error?: unknown }).error !== 'string')
    return 'no error text';
  const { field } = body as { field?: unknown };
  return field === undefined || typeof field === 'string' ? null : 'field is not a string';
}
