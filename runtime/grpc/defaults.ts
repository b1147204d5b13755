/**
 * The gRPC front-end's defaults, apart from the modules that load grpc-js:
 * `slotwire serve` shows them in its usage and loads gRPC only with --grpc.
 */

/** Default time a run may take to end after a barge-in before an empty final result ends the stream: 30 s, rasa-sdk's ACTION_SERVER_STREAM_BARGE_IN_TIMEOUT_SECONDS. */
export const DEFAULT_BARGE_IN_TIMEOUT_MS: number = 30 * 1000;
