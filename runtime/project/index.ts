/** Checking actions.yml against a Rasa project: the public surface of runtime/project. */
export { crossCheck } from './cross-check.js';
export type { CrossCheck } from './cross-check.js';
export {
  domainDictOf,
  findProjectFiles,
  findProjectFolder,
  loadDomain,
  loadFlowCalls,
  loadFlowConditions,
  NotYamlError,
} from './domain.js';
export type { DomainSlot, FlowCall, FlowCondition, ProjectDomain } from './domain.js';
export { checkActionsFile } from './check-file.js';
export type { FileCheck, Project } from './check-file.js';
export { checkActionsText } from './check-text.js';
export type { FileText, TextCheck, TextCheckInput } from './check-text.js';
export { actionTransportOf, readActionTransport, unstreamedProgress } from './endpoints.js';
export type { ActionTransport } from './endpoints.js';
