/**
 * What one client can hold of the gRPC server, as runtime/server/listen.ts
 * bounds it for HTTP (docs/grpc.md#6-limits): a time to send the whole
 * request, a cap on calls in flight over every connection, and the end of
 * a refused call's HTTP/2 stream, so nothing it sent stays buffered.
 * Streams per connection and the message size are grpc-js options
 * (listen.ts); this is the one server interceptor.
 */
import { constants as http2 } from 'node:http2';
import type { ServerHttp2Stream } from 'node:http2';
import { ResponderBuilder, ServerInterceptingCall, status } from '@grpc/grpc-js';
import type { Metadata, ServerInterceptingCallInterface, ServerInterceptor, StatusObject } from '@grpc/grpc-js';
import { checkingIntervalMs } from '../call-rules/index.js';

type Call = ServerInterceptingCallInterface;
/** What grpc-js's own call tells of a call's events (its index does not export the type). */
type InterceptingServerListener = Parameters<Call['start']>[0];

/** A status to end a call with, as a request deserializer can ask for one (see {@link refusal}). */
export type Refused = Pick<StatusObject, 'code' | 'details'>;

const REFUSED: unique symbol = Symbol('refused');

/** What a request deserializer returns in place of a message to end the call with `status`. */
export interface Refusal {
  readonly [REFUSED]: Refused;
}

/**
 * A refusal for a deserializer to return: grpc-js answers anything a
 * deserializer throws with INTERNAL, which says "server bug", not "your
 * request is over a limit".
 */
export function refusal(refused: Refused): Refusal {
  return { [REFUSED]: refused };
}

function refusedOf(message: unknown): Refused | null {
  return typeof message === 'object' && message !== null && REFUSED in message ? (message as Refusal)[REFUSED] : null;
}

/** Options of {@link callLimits}. */
export interface CallLimitsOptions {
  /** time from a call's headers to the end of its request (the client's half-close); then DEADLINE_EXCEEDED. 0: no limit */
  readonly requestTimeoutMs: number;
  /** calls in flight at once over every connection, from headers to status; one more gets RESOURCE_EXHAUSTED at once. 0: no limit */
  readonly maxCalls: number;
}

/**
 * The server interceptor that applies the limits; it must be the first
 * (grpc-js's own call, the one holding the HTTP/2 stream, is only handed
 * to the first).
 */
export function callLimits(options: CallLimitsOptions): ServerInterceptor {
  const { requestTimeoutMs, maxCalls } = options;
  const receiving = requestTimeoutMs > 0 ? new RequestClock(requestTimeoutMs) : null;
  let inFlight = 0;
  const onEnd = (): void => {
    inFlight -= 1;
  };
  return (_method, call) => {
    const stream = http2StreamOf(call);
    if (maxCalls > 0 && inFlight >= maxCalls)
      return refuse(call, stream, {
        code: status.RESOURCE_EXHAUSTED,
        details: `${maxCalls} calls in flight, the server's limit; try again later`,
      });
    inFlight += 1;
    // grpc-js's type asks for its own class, but grpc-js only calls the interface's methods on what an interceptor returns.
    return new LimitedCall(call, stream, receiving, onEnd) as unknown as ServerInterceptingCall;
  };
}

/**
 * A call within the limits: grpc-js's own call, whose events pass straight
 * through both ways. It stands in for grpc-js's ServerInterceptingCall and
 * listener builders, which make a responder, a listener and their closures
 * per call and relay every event through them.
 */
class LimitedCall implements Call, InterceptingServerListener {
  private listener: InterceptingServerListener | null = null;
  /** grpc-js sent its status or the client hung up: nothing more is passed on */
  private ended = false;

  private readonly call: Call;
  private readonly stream: ServerHttp2Stream | null;
  private readonly receiving: RequestClock | null;
  private readonly onEnd: () => void;

  constructor(call: Call, stream: ServerHttp2Stream | null, receiving: RequestClock | null, onEnd: () => void) {
    this.call = call;
    this.stream = stream;
    this.receiving = receiving;
    this.onEnd = onEnd;
    receiving?.add(this);
  }

  /** The request was not whole in time. */
  timedOut(limitMs: number): void {
    // DEADLINE_EXCEEDED, not CANCELLED: a client reads CANCELLED as its own
    // doing, and DEADLINE_EXCEEDED is what grpc-js itself answers when the
    // deadline a client sets (grpc-timeout) runs out on the server.
    this.call.sendStatus({
      code: status.DEADLINE_EXCEEDED,
      details: `the request was not received whole within ${limitMs} ms`,
    });
  }

  start(listener: InterceptingServerListener): void {
    this.listener = listener;
    this.call.start(this);
  }

  onReceiveMetadata(metadata: Metadata): void {
    if (!this.ended) this.listener?.onReceiveMetadata(metadata);
  }

  onReceiveMessage(message: unknown): void {
    if (this.ended) return;
    const refused = refusedOf(message);
    if (refused === null) this.listener?.onReceiveMessage(message);
    else this.call.sendStatus(refused);
  }

  onReceiveHalfClose(): void {
    if (this.ended) return;
    this.receiving?.delete(this);
    this.listener?.onReceiveHalfClose();
  }

  // grpc-js calls it once per call, after its status or when the client hung up.
  onCancel(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
    this.receiving?.delete(this);
    closeUnread(this.stream);
    this.listener?.onCancel();
  }

  sendMetadata(metadata: Metadata): void {
    this.call.sendMetadata(metadata);
  }

  sendMessage(message: unknown, callback: () => void): void {
    this.call.sendMessage(message, callback);
  }

  sendStatus(s: Parameters<Call['sendStatus']>[0]): void {
    this.call.sendStatus(s);
  }

  startRead(): void {
    this.call.startRead();
  }

  getPeer(): string {
    return this.call.getPeer();
  }

  getDeadline(): ReturnType<Call['getDeadline']> {
    return this.call.getDeadline();
  }

  getHost(): string {
    return this.call.getHost();
  }

  getAuthContext(): ReturnType<Call['getAuthContext']> {
    return this.call.getAuthContext();
  }

  getConnectionInfo(): ReturnType<Call['getConnectionInfo']> {
    return this.call.getConnectionInfo();
  }

  getMetricsRecorder(): ReturnType<Call['getMetricsRecorder']> {
    return this.call.getMetricsRecorder();
  }
}

/**
 * The calls whose request is not whole yet, checked together as node checks
 * HTTP requests (checkingIntervalMs): a call is cut within a quarter of the
 * limit (at most 1 s) after it. The check runs only while a call is receiving.
 */
class RequestClock {
  /** each receiving call and when its request must be whole (performance.now()); in order of arrival, so of deadline */
  private readonly due = new Map<LimitedCall, number>();
  private timer: NodeJS.Timeout | null = null;

  private readonly limitMs: number;

  constructor(limitMs: number) {
    this.limitMs = limitMs;
  }

  add(call: LimitedCall): void {
    this.due.set(call, performance.now() + this.limitMs);
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.check(), checkingIntervalMs([this.limitMs]));
    // A listening server keeps the process up; the check alone must not.
    this.timer.unref();
  }

  delete(call: LimitedCall): void {
    this.due.delete(call);
  }

  private check(): void {
    const now = performance.now();
    for (const [call, at] of this.due) {
      if (at > now) break;
      this.due.delete(call);
      call.timedOut(this.limitMs);
    }
    if (this.due.size === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

/** A call answered `refused` before its handler starts; the handler never sees it. */
function refuse(
  call: ServerInterceptingCallInterface,
  stream: ServerHttp2Stream | null,
  refused: Refused,
): ServerInterceptingCall {
  return new ServerInterceptingCall(
    call,
    new ResponderBuilder()
      .withStart(() => {
        call.sendStatus(refused);
        closeUnread(stream);
      })
      .build(),
  );
}

/**
 * Ends the HTTP/2 stream of a call that has its status while the client
 * has not finished sending. grpc-js leaves such a stream open, reading and
 * dropping whatever comes, and node closes a stream only once both sides
 * ended, so a client that never ends its side would keep the stream, its
 * slot on the connection and the partial message grpc-js buffered. A
 * server that answered may reset the stream with NO_ERROR (RFC 9113,
 * section 8.1); node sends the reset after the status went out.
 */
function closeUnread(stream: ServerHttp2Stream | null): void {
  if (stream !== null && !stream.closed && !stream.readableEnded) stream.close(http2.NGHTTP2_NO_ERROR);
}

/**
 * grpc-js's own call holds its HTTP/2 stream as `stream`; no API hands it
 * out. Null if a grpc-js version changes that: the statuses still go out,
 * only the reset is lost (test/grpc/limits.test.ts would tell).
 */
function http2StreamOf(call: ServerInterceptingCallInterface): ServerHttp2Stream | null {
  const stream = (call as { stream?: unknown }).stream;
  return typeof stream === 'object' && stream !== null && 'rstCode' in stream && 'readableEnded' in stream
    ? (stream as ServerHttp2Stream)
    : null;
}
