// progress: over WebhookStream (docs/server.md#webhookstream-and-progress):
// a slow loopback upstream, the declared messages as
// chunk_start/chunk/chunk_end in order before the final_result, none for a
// fast call, barge-in and cancellation.
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../runtime/index.js';
import type { Engine } from '../../runtime/index.js';
import { json, startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';
import { writeActionsFile } from '../support/actions-file.js';
import { drain, plain, request, startGrpc } from './helpers.js';
import type { TestGrpc } from './helpers.js';

const ACTIONS = `version: 1
connections:
  api:
    base_url: \${API}
    timeout: 10s
actions:
  check_availability:
    deadline: 10s
    progress:
      - { after: 100ms, text: "One moment, I'm checking the availability…" }
      - { after: 400ms, text: "Still checking." }
    request: { connection: api, path: /slow, query: { ms: "{{ slots.ms }}" } }
    slots: { available: "{{ response.body.available }}" }
  say_response:
    progress:
      - { after: 100ms, response: utter_checking }
    request: { connection: api, path: /slow, query: { ms: "{{ slots.ms }}" } }
    slots: { available: "{{ response.body.available }}" }
  keep_saying:
    progress:
      - { every: 1s, text: "Still there…" }
    request: { connection: api, path: /slow, query: { ms: "{{ slots.ms }}" } }
    slots: { available: "{{ response.body.available }}" }
`;

let api: TestServer;
let engine: Engine;
let grpc: TestGrpc;
/** Upstream requests answered so far. */
let answered = 0;

beforeAll(async () => {
  api = await startServer((req, res) => {
    const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? '0');
    // As slow as the call asks (?ms=): how long a run takes is what the progress tests vary.
    setTimeout(() => {
      answered += 1;
      json(res, 200, { available: true });
    }, ms);
  });
  engine = await createEngine({ actionsFile: writeActionsFile(ACTIONS), env: { API: api.origin } });
  grpc = await startGrpc({ engine, bargeInTimeoutMs: 300 });
});

afterAll(async () => {
  await grpc.stop();
  await engine.close();
  await api.close();
});

const slow = (action: string, ms: number) => request(action, { tracker: { slots: { ms } } });
const SLOT_AVAILABLE = [{ event: 'slot', timestamp: null, name: 'available', value: true }];

/** The events of a stream as `kind:text` labels, e.g. `chunk:One moment…`. */
function labels(messages: readonly Record<string, unknown>[]): string[] {
  return messages.map((m) => {
    const kind = String(m['event']);
    const body = m[kind] as Record<string, unknown>;
    return kind === 'chunk' ? `chunk:${String(body['text'])}` : kind;
  });
}

describe('WebhookStream with progress:', () => {
  it('says the declared messages in order, each its own response, then the final result without them', async () => {
    const { messages, error } = await drain(grpc.stream(slow('check_availability', 1200)));
    expect(error).toBeNull();
    expect(labels(messages)).toEqual([
      'chunk_start',
      "chunk:One moment, I'm checking the availability…",
      'chunk_end',
      'chunk_start',
      'chunk:Still checking.',
      'chunk_end',
      'final_result',
    ]);
    const ids = messages.slice(0, 6).map((m) => (m[String(m['event'])] as { response_id: string }).response_id);
    expect(new Set(ids.slice(0, 3)).size).toBe(1);
    expect(new Set(ids.slice(3, 6)).size).toBe(1);
    expect(ids[0]).not.toBe(ids[3]);
    expect(plain(messages[6]?.['final_result'] as Record<string, unknown>)).toEqual({
      events: SLOT_AVAILABLE,
      responses: [],
    });
  });

  it('repeats an every: message while the run lasts', async () => {
    const { messages } = await drain(grpc.stream(slow('keep_saying', 2600)));
    const said = labels(messages).filter((l) => l.startsWith('chunk:'));
    expect(said.length).toBeGreaterThanOrEqual(1);
    expect(said.length).toBeLessThanOrEqual(3);
    expect(new Set(said)).toEqual(new Set(['chunk:Still there…']));
    expect(labels(messages).at(-1)).toBe('final_result');
  });

  it('says a domain response: its variation without a channel or condition, {slot} filled, from the domain sent or cached for its digest', async () => {
    const domain = {
      responses: {
        utter_checking: [
          { text: 'Checking {restaurant} on the phone…', channel: 'twilio_voice' },
          { text: 'Checking if {restaurant} is free…', condition: [{ type: 'slot', name: 'vip', value: true }] },
          { text: 'Checking {restaurant} for {party}, one moment…' },
        ],
      },
    };
    const tracker = { slots: { ms: 600, restaurant: 'Roma', party: null } };
    const sent = await drain(grpc.stream(request('say_response', { domain, domain_digest: 'd-progress', tracker })));
    expect(labels(sent.messages)).toEqual([
      'chunk_start',
      'chunk:Checking Roma for {party}, one moment…',
      'chunk_end',
      'final_result',
    ]);
    const cached = await drain(grpc.stream(request('say_response', { domain_digest: 'd-progress', tracker })));
    expect(labels(cached.messages)).toEqual([
      'chunk_start',
      'chunk:Checking Roma for {party}, one moment…',
      'chunk_end',
      'final_result',
    ]);
    // No domain known: nothing to say, the result still comes.
    const none = await drain(grpc.stream(request('say_response', { tracker })));
    expect(labels(none.messages)).toEqual(['final_result']);
  });

  it('says nothing for a fast call', async () => {
    const { messages } = await drain(grpc.stream(slow('check_availability', 0)));
    expect(labels(messages)).toEqual(['final_result']);
  });

  it('the unary Webhook never says progress messages', async () => {
    expect(plain(await grpc.webhook(slow('check_availability', 600)))).toEqual({
      events: SLOT_AVAILABLE,
      responses: [],
    });
  });

  it('barge-in: AckStreamChunks stops further messages and the result still comes', async () => {
    // The default barge-in timeout (30 s): the run ends well within it.
    const patient = await startGrpc({ engine });
    try {
      const { messages } = await drain(patient.stream(slow('check_availability', 900)), (m) => {
        if (m['event'] === 'chunk_end') void patient.ack((m['chunk_end'] as { response_id: string }).response_id);
      });
      // Without the ack, "Still checking." would come at 400 ms.
      expect(labels(messages)).toEqual([
        'chunk_start',
        "chunk:One moment, I'm checking the availability…",
        'chunk_end',
        'final_result',
      ]);
      expect(plain(messages[3]?.['final_result'] as Record<string, unknown>).events).toEqual(SLOT_AVAILABLE);
    } finally {
      await patient.stop();
    }
  });

  it('an ack for a response id no stream has is answered, as rasa-sdk does', async () => {
    await expect(grpc.ack('0123456789abcdef')).resolves.toBeUndefined();
  });

  it('barge-in: a run that outlasts the barge-in timeout ends the stream with an empty final_result', async () => {
    const { messages, error } = await drain(grpc.stream(slow('check_availability', 1500)), (m) => {
      if (m['event'] === 'chunk_end') void grpc.ack((m['chunk_end'] as { response_id: string }).response_id);
    });
    expect(error).toBeNull();
    expect(labels(messages)).toEqual([
      'chunk_start',
      "chunk:One moment, I'm checking the availability…",
      'chunk_end',
      'final_result',
    ]);
    expect(plain(messages[3]?.['final_result'] as Record<string, unknown>)).toEqual({ events: [], responses: [] });
  });

  it('a client that cancels mid-stream gets CANCELLED, nothing more is sent, the server keeps serving', async () => {
    const before = answered;
    const stream = grpc.stream(slow('check_availability', 800));
    const { messages, error } = await drain(stream, (m) => {
      if (m['event'] === 'chunk_end') stream.cancel();
    });
    expect(error?.code).toBe(status.CANCELLED);
    expect(labels(messages)).toEqual(['chunk_start', "chunk:One moment, I'm checking the availability…", 'chunk_end']);
    // The run goes on to its end (the engine cannot abort it); the server is unharmed.
    await expect.poll(() => answered - before, { timeout: 5000 }).toBe(1);
    const { messages: next } = await drain(grpc.stream(slow('check_availability', 0)));
    expect(labels(next)).toEqual(['final_result']);
  });
});
