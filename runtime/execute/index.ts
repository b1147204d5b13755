/** Running compiled actions: the public surface of runtime/execute. */
export { runAction } from './run-action.js';
export { userTurnId } from './scope.js';
export type { ActionError, ActionRun } from './run-action.js';
export type { ExecuteDeps, ExecuteLogger } from './deps.js';
