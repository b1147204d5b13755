/**
 * An HTTP client seen through a run's options: each call reported to
 * `onCall`, calls that `hold` names held back (only `slotwire run` and
 * `test` ask for this), and every call carrying the run's trace context
 * (only when tracing). Otherwise runs use the generation's client as is.
 */
import type { Context } from '@opentelemetry/api';
import type { HttpClient, HttpOutcome, PreparedRequest } from '../http/index.js';
import type { RunOptions } from './types.js';

/** The client `inner` with the run's watcher and guard around it. */
export function observedClient(inner: HttpClient, options: RunOptions): HttpClient {
  const { onCall, hold } = options;
  return {
    async send(request, signal, sendOptions) {
      const why = hold?.(request) ?? null;
      const outcome = why === null ? await inner.send(request, signal, sendOptions) : notSent(request, inner.urlOf(request), why);
      onCall?.({ request, outcome });
      return outcome;
    },
    urlOf: (request) => inner.urlOf(request),
    // The generation owns the pools; a run's view of them closes nothing.
    close: () => Promise.resolve(),
  };
}

/** The client `inner`, each of its calls continuing the run's trace `trace`. */
export function tracedClient(inner: HttpClient, trace: Context): HttpClient {
  return {
    send: (request, signal, sendOptions) => inner.send(request, signal, { ...sendOptions, trace }),
    urlOf: (request) => inner.urlOf(request),
    close: () => Promise.resolve(),
  };
}

/** The outcome of a held-back call: a `network` failure with no attempts. */
function notSent(request: PreparedRequest, url: string, why: string): HttpOutcome {
  return {
    ok: false,
    error: { kind: 'network', reason: null, status: null, message: why, response: null, code: 'SW_ACTION_NOT_SENT' },
    exchange: { method: request.method, url, status: null, timeMs: 0, attempts: 0, fromCache: false },
  };
}
