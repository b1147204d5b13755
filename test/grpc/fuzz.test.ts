// The hand-written request decoder (runtime/grpc/wire.ts, call.ts) on bytes
// an attacker chooses: mutations of a real WebhookRequest and a Struct
// nested far deeper than any tracker. Every one gets a gRPC status (or a
// result), none crashes the server or holds it, and it keeps serving.
import { Client, credentials, status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../runtime/grpc/defaults.js';
import { LOADER_OPTIONS, PROTO_DIR } from '../../runtime/grpc/index.js';
import { seededRandom } from '../support/seeded-random.js';
import { plain, request, startGrpc } from './helpers.js';
import type { TestGrpc } from './helpers.js';

const definition = loadSync('action_webhook.proto', { ...LOADER_OPTIONS, includeDirs: [PROTO_DIR] });
const serialize = (
  definition['action_server_webhook.ActionService'] as Record<string, { requestSerialize: (v: object) => Buffer }>
)['Webhook'].requestSerialize;

let grpc: TestGrpc;
let raw: Client;

beforeAll(async () => {
  grpc = await startGrpc();
  raw = new Client(`127.0.0.1:${grpc.handle.port}`, credentials.createInsecure());
});
afterAll(async () => {
  raw.close();
  await grpc.stop();
});

/** Sends `bytes` as a Webhook request; resolves with the status code (0: a result). */
function send(bytes: Buffer): Promise<number> {
  return new Promise((resolve) => {
    raw.makeUnaryRequest(
      '/action_server_webhook.ActionService/Webhook',
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      (err) => resolve(err === null ? status.OK : err.code),
    );
  });
}

describe('the gRPC request decoder on hostile bytes', () => {
  it('answers 2 000 mutations of a real request with a status, and keeps serving', async () => {
    const valid = serialize(
      request('action_set_slot', {
        tracker: { slots: { n: 1.5, t: true, l: ['x', null] }, events: [{ event: 'user', text: 'hi' }] },
      }),
    );
    const random = seededRandom(20);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(valid);
      const edits = 1 + Math.floor(random() * 4);
      for (let e = 0; e < edits; e++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const cut = random() < 0.3 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes;
      seen.add(await send(cut));
    }
    // Every answer is a status grpc-js or the service gave, never a dropped connection.
    expect(
      [...seen].every((code) =>
        [status.OK, status.INTERNAL, status.INVALID_ARGUMENT, status.NOT_FOUND, status.UNKNOWN].includes(code),
      ),
    ).toBe(true);
    expect(plain(await grpc.webhook(request('action_set_slot'))).events).toHaveLength(1);
  });

  it('refuses a Struct nested 200 000 deep without overflowing the stack, and keeps serving', async () => {
    // protobufjs cannot write it (it recurses): built as bytes from the inside out.
    const struct = nestedStructBytes(200_000);
    // WebhookRequest.tracker = 3, holding Tracker.sender_id = 1 and Tracker.slots = 2.
    const bytes = Buffer.concat([
      serialize({ next_action: 'action_set_slot', sender_id: '1' }),
      field(3, Buffer.concat([field(1, Buffer.from('1')), field(2, struct)])),
    ]);
    expect(bytes.length).toBeLessThan(DEFAULT_MAX_MESSAGE_BYTES);
    const code = await send(bytes);
    expect([status.INTERNAL, status.INVALID_ARGUMENT]).toContain(code);
    expect(plain(await grpc.webhook(request('action_set_slot'))).events).toHaveLength(1);
  });
});

/** A length-delimited field. */
function field(number: number, payload: Buffer): Buffer {
  return Buffer.concat([varint((number << 3) | 2), varint(payload.length), payload]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

/**
 * Struct{ fields: { "a": Value{ struct_value: … } } } `depth` times. Every
 * level is a prefix of the one inside it, so the prefixes are made from the
 * inside out and joined once.
 */
function nestedStructBytes(depth: number): Buffer {
  const prefixes: Buffer[] = [];
  let size = 0;
  for (let i = 0; i < depth; i++) {
    const value = Buffer.concat([varint((5 << 3) | 2), varint(size)]); // Value.struct_value = 5
    const key = field(1, Buffer.from('a'));
    const entry = Buffer.concat([key, varint((2 << 3) | 2), varint(value.length + size)]); // map entry: key 1, value 2
    const entrySize = entry.length + value.length + size;
    const prefix = Buffer.concat([varint((1 << 3) | 2), varint(entrySize), entry, value]); // Struct.fields = 1
    prefixes.push(prefix);
    size += prefix.length;
  }
  return Buffer.concat(prefixes.reverse());
}
