/**
 * What a front-end reports of each call it answers, HTTP request or gRPC
 * call, for metrics and traces (runtime/telemetry implements it).
 */
import type { Context } from '@opentelemetry/api';

/** Told of every request the app answers. */
export interface ServerObserver {
  /**
   * A request starts; what it returns ends it.
   * @param route - one of the app's routes, or '' for any other path (bounded labels)
   * @param header - reads a request header (the incoming `traceparent`)
   * @param traced - a call worth a span (the webhook), not a probe or a scrape
   */
  request(method: string, route: string, header: (name: string) => string | undefined, traced: boolean): RequestWatch;
}

/** One request being watched. */
export interface RequestWatch {
  /** The context its action run continues (its span); undefined when not tracing. */
  readonly trace: Context | undefined;
  /** Its trace's id, for the log line that joins it; undefined when not tracing. */
  readonly traceId: string | undefined;
  /** The webhook body, once parsed and checked: its span gets rasa-sdk's attributes. */
  call(call: Record<string, unknown>): void;
  /**
   * The call goes to the fallback action server (docs/migrating.md): its
   * span says so (`slotwire.served_by`), and the headers returned continue
   * its trace there (`traceparent`); empty when not tracing.
   */
  forwarded(): Readonly<Record<string, string>>;
  /** The answer's status. */
  end(status: number): void;
}
