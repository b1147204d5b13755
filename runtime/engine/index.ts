/**
 * The engine: the public surface every front-end uses. What a front-end
 * needs of the layers below (compiling a file, the shape of a request, the
 * masking rules) is re-exported here, so no front-end reaches past it.
 */
export { createEngine } from './engine.js';
export { sensitiveValues, sentCalls, slotValues, watchedRun } from './watched-run.js';
export type { SendRule, WatchedRun, WatchedRunOptions } from './watched-run.js';
export { compilePlan, createActionCache, loadPlan, responseFieldsOf } from '../compile/index.js';
export type {
  ActionCache,
  ActionPlan,
  CompileResult,
  Plan,
  ProgressPlan,
  ReadText,
  ShapeField,
  TrackerPart,
} from '../compile/index.js';
export { isCredentialHeader, MASK, maskText, maskValue, Pool, SAFE_METHODS } from '../http/index.js';
export type { ConnectionPolicy, DispatcherFactory, HttpMethod, PreparedRequest, RequestBody } from '../http/index.js';
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
