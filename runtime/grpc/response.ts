/**
 * The ActionService's answers as bytes, written by hand like requests are
 * read (call.ts): field numbers of proto/action_webhook.proto.
 * WebhookResponse { repeated Struct events = 1; repeated Struct responses = 2; }
 * WebhookStreamEvent { oneof event { ChunkStart chunk_start = 1; Chunk chunk = 2;
 *   ChunkEnd chunk_end = 3; WebhookResponse final_result = 4; StreamError error = 5; } }
 * ActionsResponse { repeated Struct actions = 1; }
 */
import type { WebhookResponseBody } from '../call-rules/index.js';
import { writeStructFields } from './struct-wire.js';
import { delimitedField, stringField } from './wire.js';

/** One event of a WebhookStream, `final_result` already written (encodeWebhookResponse). */
export type StreamEvent =
  | { readonly chunk_start: { readonly response_id: string } }
  | { readonly chunk: { readonly response_id: string; readonly text: string } }
  | { readonly chunk_end: { readonly response_id: string } }
  | { readonly final_result: Buffer }
  | { readonly error: { readonly action_name: string; readonly message: string } };

/** A WebhookResponse; throws a TypeError for what JSON could not hold either (a BigInt, a cycle). */
export function encodeWebhookResponse(body: WebhookResponseBody): Buffer {
  return writeStructFields([
    [1, body.events],
    [2, body.responses],
  ]);
}

/** An empty WebhookResponse: rasa-sdk's answer to a call without an action, and after a barge-in timeout. */
export const EMPTY_WEBHOOK_RESPONSE: Buffer = Buffer.alloc(0);

/** A WebhookStreamEvent. */
export function encodeStreamEvent(event: StreamEvent): Buffer {
  if ('chunk_start' in event) return delimitedField(1, stringField(1, event.chunk_start.response_id));
  if ('chunk' in event)
    return delimitedField(
      2,
      Buffer.concat([stringField(1, event.chunk.response_id), stringField(2, event.chunk.text)]),
    );
  if ('chunk_end' in event) return delimitedField(3, stringField(1, event.chunk_end.response_id));
  if ('final_result' in event) return delimitedField(4, event.final_result);
  return delimitedField(
    5,
    Buffer.concat([stringField(1, event.error.action_name), stringField(2, event.error.message)]),
  );
}

/** An ActionsResponse. */
export function encodeActions(actions: readonly Readonly<Record<string, unknown>>[]): Buffer {
  return writeStructFields([[1, actions]]);
}
