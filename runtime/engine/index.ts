/** The engine: the public surface every front-end uses. */
export { createEngine } from './engine.js';
export { ActionsFileError, EngineError } from './errors.js';
export { readsTrackerEvents } from './input.js';
export { watchFile, watchFolder } from './watch-file.js';
export type {
  ActionError,
  ActionInfo,
  CallRecord,
  Engine,
  EngineLogger,
  EngineObserver,
  EngineOptions,
  EngineStatus,
  PlainInput,
  ReloadEvent,
  RunInput,
  RunOptions,
  RunOutcome,
  RunResult,
  RunWatch,
  StoreUse,
  TrackerInput,
} from './types.js';
