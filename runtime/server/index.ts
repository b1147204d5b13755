/** The HTTP action server: the Hono app, its node listener, the logger. Rasa's call rules are call-rules/. */
export type { AppOptions } from './app.js';
export type { AppEngine, ServerEnv } from './env.js';
export { createApp, DEFAULT_MAX_BODY_BYTES } from './app.js';
export { DEFAULT_MAX_BODY_VALUES } from './body-values.js';
export type { AuthOptions } from './auth.js';
export { auth, checkAuth } from './auth.js';
export type { CorsOptions } from './cors.js';
export { cors } from './cors.js';
export type { FailureResponse } from './failure-response.js';
export { failureResponse } from './failure-response.js';
export type { FetchApp, ListenOptions, ServerHandle, SignalOptions, TlsOptions } from './listen.js';
export { closeOnSignals, DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, listen } from './listen.js';
export type { LoggerOptions } from './logger.js';
export { createMetricsApp } from './metrics-route.js';
export type { MetricsSource, Readiness } from './observer.js';
export { createReadiness } from './observer.js';
export { createLogger, REDACT_PATHS } from './logger.js';
