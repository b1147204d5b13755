/**
 * The existing action server behind slotwire, while actions move over one
 * at a time (docs/migrating.md): undeclared actions are forwarded to it,
 * and moved ones can be shadowed. Used by the HTTP server and gRPC alike.
 */
export {
  createFallback,
  DEFAULT_FALLBACK_REFRESH_MS,
  shadowProblem,
  ShadowRefusedError,
  shownUrlOf,
} from './fallback.js';
export type { Fallback, FallbackObserver, FallbackOptions, FallbackStatus } from './fallback.js';
export { DEFAULT_FALLBACK_MAX_RESPONSE_BYTES, DEFAULT_FALLBACK_TIMEOUT_MS } from './forward.js';
export type { Forwarded, ForwardFailure, ForwardRequest } from './forward.js';
export { forwardFailure, outcomeOfForwarded } from './outcome.js';
export { unsafeToShadow } from './shadow.js';
export type { ShadowResult } from './shadow.js';
