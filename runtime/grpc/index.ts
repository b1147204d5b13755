/** The gRPC front-end: Rasa's ActionService and the health service over the engine (docs/server.md, "gRPC"). */
export { createActionService } from './action-service.js';
export { DEFAULT_BARGE_IN_TIMEOUT_MS } from './defaults.js';
export type { ActionService, ActionServiceOptions, GrpcEngine } from './action-service.js';
export { ACTION_SERVER_HEALTH_NAME, createHealthService } from './health.js';
export type { HealthService, ServingStatus } from './health.js';
export { listenGrpc } from './listen.js';
export type { GrpcListenOptions, GrpcServerHandle, GrpcTlsOptions } from './listen.js';
export { LOADER_OPTIONS, loadServices, PROTO_DIR } from './proto.js';
export type { GrpcServices } from './proto.js';
export { jsonToStruct, jsonToValue, structToJson, valueToJson } from './struct.js';
export type { ProtoStruct, ProtoValue } from './struct.js';
