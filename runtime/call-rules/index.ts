/**
 * Rasa's call rules, the same on every transport: the action lookup, the
 * domain's choice and cache, the checks of what an action returns, the
 * failures and rasa-sdk's messages for them, the call's log line and what a
 * front-end reports of each call. The HTTP server (server/) and gRPC
 * (grpc/) each translate their protocol to `runWebhook` and back.
 */
export { fixedFieldLogger, logCallEnd } from './call-log.js';
export { createDomainCache } from './domain-cache.js';
export type { DomainCache } from './domain-cache.js';
export { errorMessage, maskSecrets } from './error-message.js';
export { actionNotFoundMessage, fallbackFailedMessage, failureCodes, MISSING_DOMAIN_MESSAGE } from './failure.js';
export type { WebhookFailure } from './failure.js';
export { checkingIntervalMs, DEFAULT_REQUEST_TIMEOUT_MS } from './limits.js';
export type { RequestWatch, ServerObserver } from './observer.js';
export { crashOutcome, knownDomain, runWebhook } from './run-call.js';
export type { WebhookDeps, WebhookEngine, WebhookOutcome, WebhookResponseBody } from './run-call.js';
