/**
 * The shapes of running one action for one call: its input, its output, a
 * runnable `ServedAction` (what a code action becomes), and the errors an
 * action or a set of actions raises.
 */
import type { RasaEvent } from './events.js';
import type { BotMessage, DomainDict, TrackerState } from './types.js';

/** One webhook call, as an action receives it. */
export interface ActionInput {
  /** the action Rasa asked for (`next_action`) */
  readonly nextAction: string;
  /** conversation id (`sender_id`) */
  readonly senderId: string;
  /** the tracker with rasa-sdk's defaults filled (`trackerFromDict`) */
  readonly tracker: TrackerState;
  /**
   * The domain: the request's, or the one cached for its digest; null
   * when neither exists (only possible when `readsDomain` is false).
   */
  readonly domain: DomainDict | null;
  /** Rasa's version, when sent */
  readonly version: string | null;
}

/** What an action returns; the server sends it as the 200 body. */
export interface ActionOutput {
  /** events in order; checked against the event target (docs/protocol.md#which-event-types-each-rasa-accepts) */
  events: RasaEvent[];
  /** bot messages (docs/protocol.md#bot-messages) */
  responses: BotMessage[];
}

/** An action the server can run. */
export interface ServedAction {
  /** the name Rasa calls it by */
  readonly name: string;
  /** false: the server never answers 449 for it (docs/protocol.md#where-slotwire-differs-and-why) */
  readonly readsDomain: boolean;
  /**
   * Run the action. Throw `ActionRejection` to reject (400); any other
   * throw is a crash (500). YAML actions report upstream failures as
   * events, never by throwing.
   */
  run(input: ActionInput): Promise<ActionOutput>;
}

/**
 * Thrown by an action to reject execution (rasa-sdk's
 * `ActionExecutionRejection`). The server answers 400 `{error,
 * action_name}`; Rasa then records `action_execution_rejected` and predicts
 * another action (docs/protocol.md#errors).
 * @example
 * throw new ActionRejection('No restaurant selected yet.');
 */
export class ActionRejection extends Error {
  /** stable code, for matching without reading the message */
  readonly code = 'SW_ACTION_REJECTED' as const;
  /** true when no message was given: the server uses rasa-sdk's default text */
  readonly usesDefaultMessage: boolean;

  /** @param message sent as `error`. Default: `Custom action '<name>' rejected execution.` */
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message ?? 'Custom action rejected execution.', options);
    this.name = 'ActionRejection';
    this.usesDefaultMessage = message === undefined;
  }
}

/** rasa-sdk's default rejection text (docs/server.md#status-codes-of-post-webhook). */
export function defaultRejectionMessage(actionName: string): string {
  return `Custom action '${actionName}' rejected execution.`;
}

/** Thrown when two served actions share a name: a start-up error. */
export class ActionNameClashError extends Error {
  /** stable code */
  readonly code = 'SW_ACTION_NAME_CLASH' as const;
  /** the name declared twice */
  readonly actionName: string;

  constructor(actionName: string) {
    super(`Action '${actionName}' is defined more than once (e.g. in actions.yml and as a code action).`);
    this.name = 'ActionNameClashError';
    this.actionName = actionName;
  }
}
