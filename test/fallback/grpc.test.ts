// serve --grpc --fallback (docs/migrating.md#how-forwarding-works): a gRPC
// call for an undeclared action goes to the HTTP fallback, and its answer
// comes back as rasa-sdk's gRPC server would give it.
import { status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionServer } from '../../runtime/index.js';
import type { ActionServer } from '../../runtime/index.js';
import { writeActionsFile } from '../support/actions-file.js';
import { holdRefusedAddress } from '../support/refused-address.js';
import { startUpstream } from '../support/upstream.js';
import type { Upstream } from '../support/upstream.js';
import { plain, request, startGrpc } from '../grpc/helpers.js';
import type { TestGrpc } from '../grpc/helpers.js';
import { silent } from '../server/helpers.js';
import { waitFor } from '../support/wait-for.js';
import { actionsFile, startLegacy, startRecorder } from './helpers.js';
import type { Legacy } from './helpers.js';

async function failure(call: Promise<unknown>): Promise<ServiceError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e as ServiceError,
  );
  if (err === null) throw new Error('the call succeeded');
  return err;
}

let api: Upstream;
let legacy: Legacy;
let server: ActionServer;
let grpc: TestGrpc;

const serverFor = (url: string): Promise<ActionServer> =>
  createActionServer({
    actionsFile: writeActionsFile(actionsFile(api.origin)),
    env: {},
    logger: silent,
    fallback: { url: new URL(url), timeoutMs: 2000 },
  });

beforeAll(async () => {
  api = await startUpstream([{ match: { path: '/weather' }, reply: { json: { temperature: 21, code: 'A1' } } }]);
  legacy = await startLegacy();
  server = await serverFor(legacy.webhook);
  grpc = await startGrpc({ engine: server.engine, fallback: server.fallback ?? undefined });
});
afterAll(async () => {
  await grpc.stop();
  await server.close();
  await legacy.stop();
  await api.close();
});

describe('Webhook with an HTTP fallback', () => {
  it('asks for the domain as rasa-sdk does (NOT_FOUND, resource_type DOMAIN), then answers with it', async () => {
    const err = await failure(grpc.webhook(request('action_greet', { domain_digest: 'g-1' })));
    expect(err.code).toBe(status.NOT_FOUND);
    expect(JSON.parse(err.details)).toMatchObject({ action_name: 'action_greet', resource_type: 'DOMAIN' });
    const answer = await grpc.webhook(
      request('action_greet', {
        domain_digest: 'g-1',
        domain: { slots: {} },
        tracker: { slots: { guest_name: 'Ann' } },
      }),
    );
    expect(plain(answer).responses).toMatchObject([{ text: 'Hello, Ann! How can I help?' }]);
  });

  it("passes on the fallback's unknown action as NOT_FOUND with resource_type ACTION", async () => {
    const err = await failure(grpc.webhook(request('action_nowhere')));
    expect(err.code).toBe(status.NOT_FOUND);
    expect(JSON.parse(err.details)).toMatchObject({ action_name: 'action_nowhere', resource_type: 'ACTION' });
  });

  it("passes on the fallback's rejection as a rejection naming the action", async () => {
    await grpc.webhook(request('action_greet', { domain_digest: 'g-2', domain: { slots: {} } }));
    const err = await failure(grpc.webhook(request('action_cancel_booking', { domain_digest: 'g-2' })));
    expect(err.code).toBe(status.INTERNAL);
    expect(JSON.parse(err.details)).toEqual({
      action_name: 'action_cancel_booking',
      message: 'There is no booking to cancel.',
    });
  });

  it('answers declared actions itself, and lists both servers in Actions', async () => {
    const answer = await grpc.webhook(request('check_weather', { tracker: { slots: { city: 'Rome' } } }));
    expect(plain(answer).events).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'temperature', value: 21 })]),
    );
    expect((await grpc.actions()).map((a) => a.name)).toEqual([
      'check_weather',
      'book_table',
      'action_greet',
      'check_restaurant_availability',
      'action_cancel_booking',
      'action_broken',
    ]);
  });

  it('ends a call the fallback cannot take with UNAVAILABLE naming the action', async () => {
    const refused = await holdRefusedAddress();
    const down = await serverFor(`${refused.origin}/webhook`);
    const downGrpc = await startGrpc({ engine: down.engine, fallback: down.fallback ?? undefined });
    try {
      const err = await failure(downGrpc.webhook(request('action_greet')));
      expect(err.code).toBe(status.UNAVAILABLE);
      expect(JSON.parse(err.details)).toMatchObject({ action_name: 'action_greet' });
      const declared = await downGrpc.webhook(request('check_weather', { tracker: { slots: { city: 'Rome' } } }));
      expect(plain(declared).events.length).toBeGreaterThan(0);
    } finally {
      await downGrpc.stop();
      await down.close();
      await refused.close();
    }
  });
});

describe('Webhook with --shadow', () => {
  it("answers a shadowed action with the fallback's answer, and counts the comparison", async () => {
    const answer = JSON.stringify({
      events: [{ event: 'slot', timestamp: null, name: 'temperature', value: 19 }],
      responses: [],
    });
    const recorder = await startRecorder(
      () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: answer }),
      ['check_weather'],
    );
    const shadowing = await createActionServer({
      actionsFile: writeActionsFile(actionsFile(api.origin)),
      env: {},
      logger: silent,
      fallback: { url: new URL(recorder.webhook), shadow: ['check_weather'] },
    });
    const shadowGrpc = await startGrpc({ engine: shadowing.engine, fallback: shadowing.fallback ?? undefined });
    try {
      const got = await shadowGrpc.webhook(request('check_weather', { tracker: { slots: { city: 'Rome' } } }));
      expect(plain(got).events).toEqual([{ event: 'slot', timestamp: null, name: 'temperature', value: 19 }]);
      await waitFor(
        async () =>
          /slotwire_shadow_calls_total\{action="check_weather",result="different"\} 1/.test(
            (await shadowing.metrics?.text()) ?? '',
          ),
        { timeoutMs: 5000, what: 'the comparison counted' },
      );
      expect(recorder.seen).toHaveLength(1);
    } finally {
      await shadowGrpc.stop();
      await shadowing.close();
      await recorder.close();
    }
  });
});
