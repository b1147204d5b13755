/**
 * HTTP clients that hold calls back: outside Rasa, a call that changes data
 * (POST, PUT, PATCH, DELETE) reaches a live API only when the user says so
 * (DESIGN.md, "Calls that change data"), and a dry run sends nothing.
 */
import { SAFE_METHODS } from '../http/index.js';
import type { HttpClient, HttpOutcome, PreparedRequest } from '../http/index.js';

/** Sends GET and HEAD; every other call comes back not sent, with `why(method)` as the message. */
export function safeMethodsOnly(inner: HttpClient, why: (method: string) => string): HttpClient {
  return {
    send: (request, signal, options) => (SAFE_METHODS.has(request.method) ? inner.send(request, signal, options) : Promise.resolve(notSent(request, why(request.method)))),
    close: () => inner.close(),
  };
}

/** Sends nothing: every call comes back not sent, with `why` as the message. */
export function sendNothing(inner: HttpClient, why: string): HttpClient {
  return {
    send: (request) => Promise.resolve(notSent(request, why)),
    close: () => inner.close(),
  };
}

/** The outcome of a call that was held back: a `network` failure with no attempts. */
function notSent(request: PreparedRequest, why: string): HttpOutcome {
  return {
    ok: false,
    error: { kind: 'network', reason: null, status: null, message: why, response: null },
    exchange: { method: request.method, url: request.path, status: null, timeMs: 0, attempts: 0, fromCache: false },
  };
}
