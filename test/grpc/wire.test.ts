// Reading and writing the wire by hand (runtime/grpc/wire.ts, call.ts,
// response.ts): what a newer Rasa may add is skipped, what is cut short is
// refused, and the bytes agree with protobufjs's (proto-loader's) both ways.
import { loadSync } from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import { jsonToStruct, LOADER_OPTIONS, PROTO_DIR, structToJson } from '../../runtime/grpc/index.js';
import type { ProtoStruct } from '../../runtime/grpc/index.js';
import { decodeCall } from '../../runtime/grpc/call.js';
import { encodeStreamEvent, encodeWebhookResponse } from '../../runtime/grpc/response.js';
import { WireError } from '../../runtime/grpc/wire.js';

const definition = loadSync('action_webhook.proto', { ...LOADER_OPTIONS, includeDirs: [PROTO_DIR] });
const webhook = (
  definition['action_server_webhook.ActionService'] as Record<
    string,
    { requestSerialize(v: object): Buffer; responseDeserialize(b: Buffer): Record<string, unknown> }
  >
)['Webhook'];
const webhookResponse = (
  definition['action_server_webhook.ActionService'] as Record<string, { responseSerialize(v: object): Buffer }>
)['Webhook'];
const stream = (
  definition['action_server_webhook.ActionService'] as Record<
    string,
    { responseDeserialize(b: Buffer): Record<string, unknown> }
  >
)['WebhookStream'];

const request = webhook.requestSerialize({
  next_action: 'a',
  sender_id: 's',
  version: '3.13.4',
  domain_digest: 'D',
  tracker: {
    sender_id: 's',
    events: [jsonToStruct({ event: 'user', text: 'hi' })],
    slots: jsonToStruct({ n: 1.5, t: true, l: ['x', null] }),
  },
});

describe('decodeCall', () => {
  it('reads what protobufjs wrote', () => {
    expect(decodeCall(request, () => true)).toEqual({
      next_action: 'a',
      sender_id: 's',
      version: '3.13.4',
      domain_digest: 'D',
      tracker: { sender_id: 's', events: [{ event: 'user', text: 'hi' }], slots: { n: 1.5, t: true, l: ['x', null] } },
    });
  });

  it('leaves the events out for an action that does not read them', () => {
    expect(
      ((decodeCall(request, () => false) as Record<string, unknown>).tracker as Record<string, unknown>)['events'],
    ).toEqual([]);
  });

  it('skips fields it does not know, of every wire type (a newer Rasa)', () => {
    // field 20 varint, field 21 fixed64, field 22 length-delimited, field 23 fixed32
    const unknown = Buffer.from([
      0xa0, 0x01, 0x05, 0xa9, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0xb2, 0x01, 0x02, 0x61, 0x62, 0xbd, 0x01, 1, 2, 3, 4,
    ]);
    expect(decodeCall(Buffer.concat([unknown, request, unknown]), () => true)).toEqual(decodeCall(request, () => true));
  });

  it.each([
    ['a truncated message', request.subarray(0, request.length - 5)],
    ['a length past the end', Buffer.from([0x0a, 0x10, 0x61])],
    ['an unfinished varint', Buffer.from([0x0a, 0xff])],
    ['a group (proto2 only)', Buffer.from([0x0b])],
  ])('refuses %s', (_name, bytes) => {
    expect(() => decodeCall(bytes, () => true)).toThrow(WireError);
  });
});

describe('encodeWebhookResponse and encodeStreamEvent', () => {
  it('write what protobufjs reads', () => {
    const body = {
      events: [{ event: 'slot', timestamp: null, name: 'x', value: { deep: [1, 'é', false] } }],
      responses: [{ text: 'Hi', buttons: [] }],
    };
    const decoded = webhook.responseDeserialize(encodeWebhookResponse(body as never));
    expect((decoded['events'] as ProtoStruct[]).map(structToJson)).toEqual(body.events);
    expect((decoded['responses'] as ProtoStruct[]).map(structToJson)).toEqual(body.responses);
    expect(
      stream.responseDeserialize(encodeStreamEvent({ chunk: { response_id: 'r1', text: 'One moment…' } })),
    ).toEqual({ event: 'chunk', chunk: { response_id: 'r1', text: 'One moment…' } });
    expect(stream.responseDeserialize(encodeStreamEvent({ final_result: Buffer.alloc(0) }))).toEqual({
      event: 'final_result',
      final_result: {},
    });
    expect(stream.responseDeserialize(encodeStreamEvent({ error: { action_name: 'a', message: 'm' } }))).toEqual({
      event: 'error',
      error: { action_name: 'a', message: 'm' },
    });
  });
  it('writes the bytes protobufjs writes, for long and multi-byte text, deep nesting and what JSON changes', () => {
    // Lengths past 127 bytes take two-byte varints; a 20 000-character text, three.
    const long = 'ü'.repeat(100);
    const value = {
      [long]: long.repeat(100),
      at: new Date(0),
      list: [1, undefined, () => 1, Number.POSITIVE_INFINITY, [[[{ k: 'v' }]]]],
      gone: undefined,
      deep: { a: { b: { c: { d: [true, false, null, -0.5] } } } },
      // Short ASCII text is measured and copied in JS, the rest by Buffer: both sides of that line, and short non-ASCII.
      texts: [
        '',
        'a'.repeat(63),
        'b'.repeat(64),
        'c'.repeat(65),
        'é',
        'x€',
        '\u{1F600}',
        'tab\tnul\u0000',
        '\u007f\u0080',
      ],
    };
    const body = { events: [{ event: 'slot', name: 'x', value }, {}], responses: [{ text: 'Hi' }] };
    // What JSON makes of it (a Date as its text, holes in a list as null, undefined keys left out), as protobufjs writes it.
    const json = JSON.parse(JSON.stringify(body)) as { events: object[]; responses: object[] };
    const expected = webhookResponse.responseSerialize({
      events: json.events.map((e) => jsonToStruct(e as Record<string, unknown>)),
      responses: json.responses.map((m) => jsonToStruct(m as Record<string, unknown>)),
    });
    expect(encodeWebhookResponse(body as never).equals(expected)).toBe(true);
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(() => encodeWebhookResponse({ events: [{ event: 'slot', value: cycle }], responses: [] } as never)).toThrow(
      TypeError,
    );
  });
});
