/** The Rasa protocol: wire types, event builders, messages, tracker helpers, actions. */
export type {
  ActiveLoopState,
  BotMessage,
  Button,
  DomainDict,
  EntityDict,
  IntentDict,
  JsonObject,
  LatestMessage,
  TrackerEvent,
  TrackerState,
  WebhookRequest,
} from './types.js';
export type {
  ActionEvent,
  BareEventType,
  CancelReminderEvent,
  EntitiesEvent,
  EventEnvelope,
  LoopInterruptedEvent,
  NamedEvent,
  RasaEvent,
  ReminderEvent,
  ReminderOptions,
  SlotEvent,
  UserEvent,
  UtteranceEvent,
} from './events.js';
export {
  actionExecuted,
  actionExecutionRejected,
  actionReverted,
  activeLoop,
  agentUttered,
  allSlotsReset,
  botUttered,
  conversationPaused,
  conversationResumed,
  entitiesAdded,
  followupAction,
  loopInterrupted,
  reminderCancelled,
  reminderScheduled,
  restarted,
  sessionEnded,
  sessionStarted,
  slotSet,
  userUtteranceReverted,
  userUttered,
} from './events.js';
export type { CallProblem, FieldType, JsonKind } from './call-check.js';
export { CallShapeError, checkCall, checkTracker, describeProblem } from './call-check.js';
export type { EventCheck, EventProblem, EventTarget } from './event-check.js';
export {
  allowedEventTypes,
  checkEvents,
  CLASSIC_EVENT_TYPES,
  OPT_IN_EVENT_TYPES,
  PRO_EVENT_TYPES,
} from './event-check.js';
export type { MessageFields } from './message.js';
export { botMessage } from './message.js';
export type { LastEventOptions } from './tracker.js';
export {
  activeLoopName,
  appliedEvents,
  collectingSlot,
  eventsAfterLatestRestart,
  getLastEventFor,
  getSlot,
  idxAfterLatestRestart,
  intentOfLatestMessage,
  isPaused,
  lastExecutedActionHas,
  latestEntityValues,
  latestInputChannel,
  slotsToValidate,
  topStackFrame,
  trackerFromDict,
  trackerWithDefaults,
} from './tracker.js';
export type { ActionInput, ActionOutput, ServedAction } from './action.js';
export { ActionNameClashError, ActionRejection, defaultRejectionMessage } from './action.js';
export type { CodeAction, CodeActionContext, Dispatcher } from './code-action.js';
export { createDispatcher, serveCodeAction } from './code-action.js';
export { isObject } from './is-object.js';
