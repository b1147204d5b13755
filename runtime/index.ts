/**
 * slotwire as a library: serve actions.yml and TypeScript code actions from
 * one Hono app. The CLI (`slotwire serve`) uses the same entry points.
 */
export { ActionsFileError, createActionServer } from './action-server.js';
export type { ActionServer, ActionServerOptions } from './action-server.js';
export {
  ActionRejection, createDispatcher, serveCodeAction,
  activeLoopName, appliedEvents, collectingSlot, eventsAfterLatestRestart, getLastEventFor, getSlot, intentOfLatestMessage,
  isPaused, lastExecutedActionHas, latestEntityValues, latestInputChannel, slotsToValidate, topStackFrame,
} from './rasa/index.js';
export * as events from './rasa/events.js';
export type { ActionInput, ActionOutput, BotMessage, CodeAction, CodeActionContext, Dispatcher, DomainDict, RasaEvent, ServedAction, TrackerState } from './rasa/index.js';
export { closeOnSignals, createLogger, listen } from './server/index.js';
export type { ListenOptions, ServerHandle } from './server/index.js';
export { loadPlan } from './compile/index.js';
export type { Diagnostic } from './config/index.js';
