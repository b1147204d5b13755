/** The authoring page (`slotwire studio`, docs/studio.md): the public surface of runtime/studio. */
export { newToken } from './auth.js';
export { createStudio } from './server.js';
export { studioErrors } from './errors.js';
export type { StudioErrorCode, StudioStatus } from './errors.js';
export type { Studio, StudioOptions } from './server.js';
export type { ProjectSource } from './workspace.js';
export type * from './api.js';
