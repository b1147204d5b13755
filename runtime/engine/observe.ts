/**
 * An HTTP client seen through a run's options: each call reported to
 * `onCall`, and calls that `hold` names held back (only `slotwire run` and
 * `test` ask for this). Otherwise runs use the generation's client as is;
 * the run's trace context goes with the executor's send options
 * (ExecuteDeps.trace), so a traced run needs no client of its own.
 */
import type { HttpClient, HttpOutcome, PreparedRequest } from '../http/index.js';
import type { RunOptions } from './types.js';

/**
 * The client a run uses: `inner` itself when the run asks for neither,
 * else `inner` with the run's watcher and guard around it.
 */
export function runClient(inner: HttpClient, options: RunOptions): HttpClient {
  const { onCall, hold } = options;
  if (onCall === undefined && hold === undefined) return inner;
  return {
    async send(request, signal, sendOptions) {
      const why = hold?.(request) ?? null;
      const outcome =
        why === null
          ? await inner.send(request, signal, sendOptions)
          : notSent(request, inner.urlOf(request), { code: 'SW_ACTION_NOT_SENT', message: why });
      onCall?.({ request, outcome, step: sendOptions?.step ?? null });
      return outcome;
    },
    urlOf: (request) => inner.urlOf(request),
    // The generation owns the pools; a run's view of them closes nothing.
    close: () => Promise.resolve(),
  };
}

/**
 * A client that sends nothing: every call fails with `why`, so the action's
 * on_error runs as for an upstream it could not reach.
 */
export function refusingClient(inner: HttpClient, why: NotSent): HttpClient {
  return {
    send: async (request) => notSent(request, inner.urlOf(request), why),
    urlOf: (request) => inner.urlOf(request),
    close: () => Promise.resolve(),
  };
}

/** Why a call was not sent. */
interface NotSent {
  readonly code: 'SW_ACTION_NOT_SENT' | 'SW_DEDUPE_STORE_DOWN' | 'SW_DEDUPE_IN_PROGRESS';
  readonly message: string;
}

/** The outcome of a call not sent: a `network` failure with no attempts. */
function notSent(request: PreparedRequest, url: string, why: NotSent): HttpOutcome {
  return {
    ok: false,
    error: { kind: 'network', reason: null, status: null, message: why.message, response: null, code: why.code },
    exchange: { method: request.method, url, status: null, timeMs: 0, attempts: 0, fromCache: false },
  };
}
