/**
 * Rasa's gRPC contract, read when a server starts from the .proto files in
 * the package's proto/ folder with @grpc/proto-loader, rather than compiled
 * to code ahead of time: the file Rasa Pro builds its client from is the
 * file slotwire serves (proto/action_webhook.proto, copied unchanged from
 * rasa-sdk), there is no protoc step or generated code to keep in step with
 * it, and reading it costs a few milliseconds once per server.
 */
import { fileURLToPath } from 'node:url';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { Options } from '@grpc/proto-loader';

/** proto/ at the package root: two levels up from runtime/grpc/ and from dist/grpc/ alike. */
export const PROTO_DIR: string = fileURLToPath(new URL('../../proto/', import.meta.url));

/**
 * How messages become objects: field names as in the .proto (rasa-sdk's
 * `preserving_proto_field_name`), enums by name, fields absent from the
 * wire left out (as `MessageToDict` does) and each oneof's present field
 * named in a virtual field (`kind` of a Struct value, `event` of a stream event).
 */
export const LOADER_OPTIONS: Options = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true };

/** The two services a slotwire gRPC server offers. */
export interface GrpcServices {
  /** `action_server_webhook.ActionService`: Webhook, WebhookStream, AckStreamChunks, Actions */
  readonly action: ServiceDefinition;
  /** `grpc.health.v1.Health`: Check, Watch */
  readonly health: ServiceDefinition;
}

/** Reads both .proto files; synchronous, at start-up only. */
export function loadServices(): GrpcServices {
  const definition = loadSync(['action_webhook.proto', 'health.proto'], {
    ...LOADER_OPTIONS,
    includeDirs: [PROTO_DIR],
  });
  return {
    action: definition['action_server_webhook.ActionService'] as ServiceDefinition,
    health: definition['grpc.health.v1.Health'] as ServiceDefinition,
  };
}
