/** What the HTTP server serves of its state: the Prometheus text and whether the process is draining. */

/** Where `/metrics` gets its text. */
export interface MetricsSource {
  text(): Promise<string>;
  readonly contentType: string;
}

/** `/ready` turns 503 once `drain()` was called (SIGTERM). */
export interface Readiness {
  readonly draining: boolean;
  drain(): void;
}

/** A readiness that is ready until drained. */
export function createReadiness(): Readiness {
  let draining = false;
  return {
    get draining() {
      return draining;
    },
    drain() {
      draining = true;
    },
  };
}
