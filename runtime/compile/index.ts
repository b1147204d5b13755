/** Compiling a loaded actions.yml into a plan: the public surface of runtime/compile. */
export { compilePlan, loadPlan } from './compile-plan.js';
export type { CompileOptions, CompileResult, LoadPlanOptions } from './compile-plan.js';
export { SINGLE_STEP } from './action.js';
export { DEFAULT_DEADLINE_MS } from './connection.js';
export { expressionLimits } from './expression.js';
export type { CompiledExpression } from './expression.js';
export type { ActionPlan, EventPlan, MessagePlan, OutcomePlan, Plan, RequestPlan, SlotCheckPlan, StepPlan, ValidatePlan } from './plan.js';
export type { CompiledValue } from './template.js';
