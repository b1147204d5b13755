/**
 * A run's input as the executor takes it (runtime/rasa's ActionInput):
 * a Rasa call passes through; plain values become the tracker Rasa would
 * have sent for them, so YAML and code actions see one shape.
 */
import { randomUUID } from 'node:crypto';
import { isObject, trackerFromDict } from '../rasa/index.js';
import type { ActionInput, EntityDict } from '../rasa/index.js';
import type { ActionInfo, PlainInput, RunInput, TrackerInput } from './types.js';

/** Conversation id of plain runs that name none. */
const PLAIN_SENDER = 'slotwire';

/** True for a Rasa call: it carries the tracker. */
function isTrackerInput(input: RunInput): input is TrackerInput {
  return 'tracker' in input && isObject(input.tracker);
}

/** The executor's input for running `action` on `input`. */
export function actionInput(action: string, input: RunInput): ActionInput {
  if (isTrackerInput(input)) {
    return {
      nextAction: action,
      senderId: input.senderId ?? input.tracker.sender_id,
      tracker: input.tracker,
      domain: input.domain ?? null,
      version: input.version ?? null,
    };
  }
  const plain = input;
  const message = plain.message ?? {};
  const tracker = trackerFromDict({
    sender_id: plain.senderId ?? PLAIN_SENDER,
    slots: { ...plain.slots },
    latest_message: {
      text: message.text ?? null,
      intent: message.intent === undefined ? {} : { name: message.intent, confidence: 1 },
      entities: entityList(message.entities),
      // Without an id every plain run is a turn of its own (Idempotency-Key, dedupe:).
      message_id: message.messageId ?? randomUUID(),
    },
    events: [],
  });
  return { nextAction: action, senderId: tracker.sender_id, tracker, domain: plain.domain ?? null, version: null };
}

/**
 * Whether an action reads the tracker's events (or, as code does, the whole
 * tracker): a front-end need not parse, or keep, the events of a call to
 * any other (docs/server.md).
 */
export function readsTrackerEvents(action: Pick<ActionInfo, 'trackerParts'>): boolean {
  return action.trackerParts.includes('events') || action.trackerParts.includes('*');
}

/** Entities as Rasa lists them; a name → value map is the short form for plain callers. */
function entityList(entities: NonNullable<PlainInput['message']>['entities']): EntityDict[] {
  if (entities === undefined) return [];
  if (Array.isArray(entities)) return [...(entities as readonly EntityDict[])];
  return Object.entries(entities as Record<string, unknown>).map(([entity, value]) => ({ entity, value }));
}
