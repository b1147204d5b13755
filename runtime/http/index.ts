/**
 * The HTTP layer's public surface: a client that sends prepared requests
 * and returns outcomes, path encoding, and the defaults. Other folders
 * import through this file only.
 */
export { createHttpClient, createUpstreams } from './client.js';
export type { HttpClientOptions, UpstreamRegistry } from './client.js';
export { connectionDefaults, MASK, SAFE_METHODS } from './defaults.js';
export { reasonForStatus } from './errors.js';
export { encodePathSegment } from './url.js';
export { isCredentialHeader, maskedConnection, maskText, maskValue, secretValuesOf } from './mask.js';
export type { DispatcherFactory } from './pool.js';
export { Pool } from './undici.js';
export type {
  AttemptWatch,
  AuthPolicy,
  BreakerState,
  CachePolicy,
  ConnectionPolicy,
  ErrorKind,
  ErrorReason,
  Exchange,
  HttpClient,
  HttpError,
  HttpMethod,
  HttpObserver,
  HttpOutcome,
  HttpResponse,
  PreparedRequest,
  RequestBody,
  SendOptions,
} from './types.js';
