/** Compiling a loaded actions.yml into a plan: the public surface of runtime/compile. */
export { compilePlan, loadPlan } from './compile-plan.js';
export type { CompileOptions, CompileResult, LoadPlanOptions } from './compile-plan.js';
export { createActionCache } from './action-cache.js';
export type { ActionCache } from './action-cache.js';
export type { ReadText } from './read-file.js';
export { responseFieldsOf } from './response-fields.js';
export type { ShapeField } from './response-shape.js';
export { checkedFileOf, servableFromChecked, servableOf } from './servable-plan.js';
export type { ActionEntry, CheckedAction, CheckedFile, ServablePlan } from './servable-plan.js';
export { SINGLE_STEP } from './action.js';
export { slotReadsOf } from './slot-reads.js';
export type { SlotReadSite } from './slot-reads.js';
export { DEFAULT_DEADLINE_MS } from './connection.js';
export { expressionLimits } from './expression.js';
export type { CompiledExpression, NameRead } from './expression.js';
export type {
  ActionFootprint,
  ActionPlan,
  TrackerPart,
  EventPlan,
  MessagePlan,
  OutcomePlan,
  Plan,
  ProgressPlan,
  RequestPlan,
  SlotCheckPlan,
  StepPlan,
  ToolPlan,
  ValidatePlan,
} from './plan.js';
export type { CompiledValue } from './template.js';
export { expressionsIn } from './template.js';
export { buttonProblem, describeValue, isActionName, isIsoDateTime } from './rasa-values.js';
export type { RasaValueRule } from './rasa-values.js';
