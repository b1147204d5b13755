/** The action server: the Hono app, its node listener, the logger. */
export type { AppEngine, AppOptions, ServerEnv } from './app.js';
export { createApp, DEFAULT_MAX_BODY_BYTES } from './app.js';
export { DEFAULT_MAX_BODY_VALUES } from './body-values.js';
export type { AuthOptions } from './auth.js';
export { auth, checkAuth } from './auth.js';
export type { CorsOptions } from './cors.js';
export { cors } from './cors.js';
export { logCallEnd } from './call-log.js';
export { createDomainCache } from './domain-cache.js';
export type { DomainCache } from './domain-cache.js';
export { errorMessage, maskSecrets } from './error-message.js';
export type { FailureResponse, WebhookFailure } from './failure.js';
export { actionNotFoundMessage, failureCodes, failureResponse, MISSING_DOMAIN_MESSAGE } from './failure.js';
export { knownDomain, runWebhook } from './webhook.js';
export type { WebhookDeps, WebhookEngine, WebhookOutcome, WebhookResponseBody } from './webhook.js';
export type { FetchApp, ListenOptions, ServerHandle, SignalOptions, TlsOptions } from './listen.js';
export {
  closeOnSignals,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  listen,
} from './listen.js';
export type { LoggerOptions } from './logger.js';
export { createMetricsApp } from './metrics-route.js';
export type { MetricsSource, Readiness, RequestWatch, ServerObserver } from './observer.js';
export { createReadiness } from './observer.js';
export { createLogger, fixedFieldLogger, REDACT_PATHS } from './logger.js';
