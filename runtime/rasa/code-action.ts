/**
 * The code-action interface for library users, in the spirit of rasa-sdk's
 * `Action`: a name and a `run({ tracker, dispatcher, domain })` that
 * returns events and utters messages through the dispatcher.
 */
import type { ActionInput, ActionOutput, ServedAction } from './action.js';
import type { RasaEvent } from './events.js';
import { botMessage } from './message.js';
import type { MessageFields } from './message.js';
import type { BotMessage, DomainDict, TrackerState } from './types.js';

/** Collects the messages an action sends (rasa-sdk's `CollectingDispatcher`). */
export interface Dispatcher {
  /**
   * Send one message: `text`, a domain `response` with its variables as
   * extra fields, `buttons`, `image`, `custom`, `attachment`, `elements`.
   * @example
   * dispatcher.utter({ response: 'utter_booking_done', time: '19:30' });
   * dispatcher.utter({ text: 'Pick one', buttons: [{ title: 'Yes', payload: '/affirm' }] });
   */
  utter(fields: MessageFields): void;
  /** the messages so far, in order */
  readonly messages: readonly BotMessage[];
}

/** What `CodeAction.run` receives. */
export interface CodeActionContext {
  /** the tracker (use the helpers of `tracker.ts`: `getSlot`, …) */
  readonly tracker: TrackerState;
  /** where messages go */
  readonly dispatcher: Dispatcher;
  /** the domain; null unless the action sets `readsDomain` (or Rasa sent it) */
  readonly domain: DomainDict | null;
}

/**
 * A TypeScript action served beside the YAML ones.
 * @example
 * const greet: CodeAction = {
 *   name: 'action_greet',
 *   run({ tracker, dispatcher }) {
 *     const name = getSlot(tracker, 'name');
 *     dispatcher.utter({ response: 'utter_greet', name });
 *     return [slotSet('greeted', true)];
 *   },
 * };
 */
export interface CodeAction {
  /** the name Rasa calls it by */
  readonly name: string;
  /**
   * Set to true when `run` reads `domain`: only then may the server answer
   * 449 to get it from Rasa (docs/protocol.md#the-domain-digest-and-449). Default: false
   */
  readonly readsDomain?: boolean;
  /** Return the events; throw `ActionRejection` to reject (400). */
  run(ctx: CodeActionContext): Promise<RasaEvent[]> | RasaEvent[];
}

/** A new dispatcher with no messages. */
export function createDispatcher(): Dispatcher {
  const messages: BotMessage[] = [];
  return {
    utter(fields: MessageFields): void {
      messages.push(botMessage(fields));
    },
    messages,
  };
}

/**
 * Wrap a code action so the server can run it.
 * @example
 * const output = await serveCodeAction(greet).run(input);
 */
export function serveCodeAction(action: CodeAction): ServedAction {
  return {
    name: action.name,
    readsDomain: action.readsDomain ?? false,
    async run(input: ActionInput): Promise<ActionOutput> {
      const dispatcher = createDispatcher();
      const events = await action.run({ tracker: input.tracker, dispatcher, domain: input.domain });
      // rasa-sdk treats a missing return value as no events.
      return { events: Array.isArray(events) ? [...events] : [], responses: [...dispatcher.messages] };
    },
  };
}
