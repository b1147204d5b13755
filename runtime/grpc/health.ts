/**
 * The standard gRPC health service (grpc.health.v1, proto/health.proto).
 * rasa-sdk registers its action server as "ActionServer"; "" is the whole
 * server, which Kubernetes' grpc probes and grpc_health_probe ask by
 * default. Both are SERVING until the server drains (SIGTERM), then
 * NOT_SERVING: the gRPC form of `/ready` answering 503.
 */
import { status } from '@grpc/grpc-js';
import type { sendUnaryData, ServerUnaryCall, ServerWritableStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import { statusError } from './status.js';

/** The service name rasa-sdk's gRPC server registers (grpc_server.py GRPC_ACTION_SERVER_NAME). */
export const ACTION_SERVER_HEALTH_NAME = 'ActionServer';

/** `HealthCheckResponse.ServingStatus`. */
export type ServingStatus = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/** The health service and the switch the server flips when it drains. */
export interface HealthService {
  /** for `server.addService(services.health, …)` */
  readonly implementation: UntypedServiceImplementation;
  /** SERVING (true) or NOT_SERVING (false), told to every Watch. */
  setServing(serving: boolean): void;
  /** Ends every Watch stream (they never end on their own), so the server can shut down. */
  close(): void;
}

type Request = { service?: string };

/** A health service for "" and "ActionServer". */
export function createHealthService(): HealthService {
  let current: ServingStatus = 'SERVING';
  const known = new Set(['', ACTION_SERVER_HEALTH_NAME]);
  const watchers = new Set<ServerWritableStream<Request, { status: ServingStatus }>>();
  const statusOf = (service: string): ServingStatus => (known.has(service) ? current : 'SERVICE_UNKNOWN');

  return {
    implementation: {
      Check(
        call: ServerUnaryCall<Request, { status: ServingStatus }>,
        callback: sendUnaryData<{ status: ServingStatus }>,
      ): void {
        const service = call.request.service ?? '';
        // The protocol: an unknown service is NOT_FOUND on Check, SERVICE_UNKNOWN on Watch.
        if (!known.has(service))
          callback(statusError({ code: status.NOT_FOUND, details: `unknown service '${service}'` }));
        else callback(null, { status: current });
      },
      Watch(call: ServerWritableStream<Request, { status: ServingStatus }>): void {
        call.write({ status: statusOf(call.request.service ?? '') });
        watchers.add(call);
        call.once('cancelled', () => watchers.delete(call));
      },
    },
    setServing(serving: boolean): void {
      const next: ServingStatus = serving ? 'SERVING' : 'NOT_SERVING';
      if (next === current) return;
      current = next;
      for (const call of watchers) if (known.has(call.request.service ?? '')) call.write({ status: current });
    },
    close(): void {
      for (const call of watchers) call.end();
      watchers.clear();
    },
  };
}
