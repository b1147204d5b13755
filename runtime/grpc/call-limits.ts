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
import { ResponderBuilder, ServerInterceptingCall, ServerListenerBuilder, status } from '@grpc/grpc-js';
import type { ServerInterceptingCallInterface, ServerInterceptor, StatusObject } from '@grpc/grpc-js';

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
  let inFlight = 0;
  return (_method, call) => {
    const stream = http2StreamOf(call);
    if (maxCalls > 0 && inFlight >= maxCalls)
      return refuse(call, stream, {
        code: status.RESOURCE_EXHAUSTED,
        details: `${maxCalls} calls in flight, the server's limit; try again later`,
      });
    inFlight += 1;
    let ended = false;
    // DEADLINE_EXCEEDED, not CANCELLED: a client reads CANCELLED as its own
    // doing, and DEADLINE_EXCEEDED is what grpc-js itself answers when the
    // deadline a client sets (grpc-timeout) runs out on the server.
    const timer =
      requestTimeoutMs > 0
        ? setTimeout(
            () =>
              call.sendStatus({
                code: status.DEADLINE_EXCEEDED,
                details: `the request was not received whole within ${requestTimeoutMs} ms`,
              }),
            requestTimeoutMs,
          )
        : undefined;
    const listener = new ServerListenerBuilder()
      .withOnReceiveMessage((message: unknown, next: (message: unknown) => void) => {
        const refused = refusedOf(message);
        if (refused === null) next(message);
        else call.sendStatus(refused);
      })
      .withOnReceiveHalfClose((next: () => void) => {
        clearTimeout(timer);
        next();
      })
      // grpc-js calls it once per call, after its status or when the client hung up.
      .withOnCancel(() => {
        if (ended) return;
        ended = true;
        inFlight -= 1;
        clearTimeout(timer);
        closeUnread(stream);
      })
      .build();
    return new ServerInterceptingCall(call, new ResponderBuilder().withStart((next) => next(listener)).build());
  };
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
