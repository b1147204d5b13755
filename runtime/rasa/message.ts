/**
 * A bot message (docs/protocol.md#bot-messages), as rasa-sdk's
 * `CollectingDispatcher.utter_message` builds it: the eight keys always
 * present, `template` equal to `response` for older Rasa, extra fields at
 * top level where Rasa's NLG reads them as template variables.
 */
import type { BotMessage, Button, JsonObject } from './types.js';

/** What a message is built from; any other key is an extra (a template variable). */
export interface MessageFields {
  /** text to send */
  readonly text?: string | null;
  /** domain response to render, e.g. `"utter_greet"` */
  readonly response?: string | null;
  /** deprecated alias of `response`, used when `response` is absent (rasa-sdk) */
  readonly template?: string | null;
  readonly buttons?: readonly Button[] | null;
  readonly elements?: readonly unknown[] | null;
  /** channel-specific JSON */
  readonly custom?: JsonObject | null;
  /** rasa-sdk's name for `custom` */
  readonly json_message?: JsonObject | null;
  readonly image?: string | null;
  readonly attachment?: unknown;
  /** template variables and channel extras */
  readonly [variable: string]: unknown;
}

/**
 * Build a message with all eight keys; empties are `null`, `[]` or `{}`
 * as rasa-sdk sends them (Rasa drops falsy keys itself).
 * @example
 * botMessage({ response: 'utter_greet', name: 'Anna' })
 * // → { text: null, buttons: [], elements: [], custom: {}, template: 'utter_greet',
 * //     response: 'utter_greet', image: null, attachment: null, name: 'Anna' }
 */
export function botMessage(fields: MessageFields = {}): BotMessage {
  const {
    text,
    response,
    template,
    buttons,
    elements,
    custom,
    json_message: jsonMessage,
    image,
    attachment,
    ...extras
  } = fields;
  const name = response ?? template ?? null;
  // The eight keys come first as in rasa-sdk; extras cannot collide with
  // them because they were destructured out above.
  return {
    text: text ?? null,
    buttons: buttons ? [...buttons] : [],
    elements: elements ? [...elements] : [],
    custom: custom ?? jsonMessage ?? {},
    template: name,
    response: name,
    image: image ?? null,
    attachment: attachment ?? null,
    ...extras,
  };
}
