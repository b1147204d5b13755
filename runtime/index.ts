/**
 * slotwire as a library: run actions.yml (and TypeScript code actions)
 * through the engine from any code, or serve them to Rasa from one Hono app.
 * The CLI (`slotwire serve`, `run`, `test`) uses the same entry points.
 */
export {
  createEngine,
  ActionsFileError,
  EngineError,
  loadPlan,
  maskText,
  maskValue,
  sentCalls,
  watchedRun,
} from './engine/index.js';
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
  CompileResult,
  ConnectionPolicy,
  Plan,
  PreparedRequest,
  SendRule,
  WatchedRun,
  WatchedRunOptions,
} from './engine/index.js';
export { connectRedisState, createMemoryState, StateStoreUnavailable } from './state/index.js';
export type {
  MemoryStateOptions,
  RedisState,
  RedisStateOptions,
  StateChange,
  StateStore,
  StoreHealth,
} from './state/index.js';
export { runtimeErrors } from './errors/index.js';
export type { RuntimeErrorCode } from './errors/index.js';
export { createActionServer } from './action-server.js';
export type { ActionServer, ActionServerOptions, MetricsOptions } from './action-server.js';
export { tracingFromEnv } from './telemetry/index.js';
export type { Tracing, TracingChoice, TracingOptions } from './telemetry/index.js';
export { createTracing, exportersFor } from './telemetry/tracing.js';
export {
  ActionRejection,
  createDispatcher,
  serveCodeAction,
  activeLoopName,
  appliedEvents,
  collectingSlot,
  eventsAfterLatestRestart,
  getLastEventFor,
  getSlot,
  intentOfLatestMessage,
  isPaused,
  lastExecutedActionHas,
  latestEntityValues,
  latestInputChannel,
  slotsToValidate,
  topStackFrame,
} from './rasa/index.js';
export * as events from './rasa/events.js';
export type {
  ActionInput,
  ActionOutput,
  BotMessage,
  CodeAction,
  CodeActionContext,
  Dispatcher,
  DomainDict,
  RasaEvent,
  ServedAction,
  TrackerState,
} from './rasa/index.js';
export { closeOnSignals, createLogger, createMetricsApp, createReadiness, listen } from './server/index.js';
export type { ListenOptions, MetricsSource, Readiness, ServerHandle } from './server/index.js';
export type { Diagnostic } from './config/index.js';
export { createMcpFront, createMcpHttp, slotTypesFrom } from './mcp/index.js';
export type { McpFront, McpFrontOptions, McpHttp, McpHttpOptions, SlotTypes, ToolSpec } from './mcp/index.js';
export { listenGrpc } from './grpc/index.js';
export type { ActionServiceOptions, GrpcListenOptions, GrpcServerHandle, GrpcTlsOptions } from './grpc/index.js';
