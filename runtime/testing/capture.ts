/**
 * An HttpClient that remembers every request and what came back, for test
 * expectations (`requests:`), `--record`, and `slotwire run`'s printout.
 */
import type { HttpClient, HttpOutcome, PreparedRequest } from '../http/index.js';

/** One call as the action made it. */
export interface CapturedCall {
  readonly request: PreparedRequest;
  readonly outcome: HttpOutcome;
}

/** Wraps a client; `calls` fills as the action runs. */
export function captureCalls(inner: HttpClient): { client: HttpClient; calls: CapturedCall[] } {
  const calls: CapturedCall[] = [];
  const client: HttpClient = {
    async send(request, signal, options) {
      const outcome = await inner.send(request, signal, options);
      calls.push({ request, outcome });
      return outcome;
    },
    close: () => inner.close(),
  };
  return { client, calls };
}
