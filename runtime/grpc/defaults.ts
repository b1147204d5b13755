/**
 * The gRPC front-end's defaults, apart from the modules that load grpc-js:
 * `slotwire serve` shows them in its usage and loads gRPC only with --grpc.
 */

/** Default time a run may take to end after a barge-in before an empty final result ends the stream: 30 s, rasa-sdk's ACTION_SERVER_STREAM_BARGE_IN_TIMEOUT_SECONDS. */
export const DEFAULT_BARGE_IN_TIMEOUT_MS: number = 30 * 1000;
/** Default largest request message: 4 MiB, what rasa-sdk's gRPC server accepts (grpcio's default), about 14 000 tracker events. */
export const DEFAULT_MAX_MESSAGE_BYTES: number = 4 * 1024 * 1024;
/** Default calls open at once on one connection: 100, the least HTTP/2 recommends (RFC 9113, section 6.5.2). */
export const DEFAULT_MAX_STREAMS_PER_CONNECTION: number = 100;
/** Default calls in flight at once over every connection: 512, as many as the HTTP server's connection cap lets in. */
export const DEFAULT_MAX_CALLS: number = 512;
/**
 * Most tracker events one call may carry; more end the call with
 * RESOURCE_EXHAUSTED while it is read, before their objects are built.
 * 100 000 is far past a real conversation and reads in a few tens of ms:
 * a 4 MiB message of 2 million empty events took 0.9 s.
 */
export const MAX_EVENTS: number = 100_000;
