/**
 * Serving the ActionService and the health service on a port, in plain
 * text or TLS with rasa-sdk's options (a certificate and key; a CA file to
 * require client certificates, as `--ssl-ca-file` does), and a graceful
 * close: in-flight calls finish, what is left is cut after the grace period.
 */
import { createPrivateKey } from 'node:crypto';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../call-rules/index.js';
import { createActionService } from './action-service.js';
import type { ActionServiceOptions } from './action-service.js';
import { callLimits } from './call-limits.js';
import { DEFAULT_MAX_CALLS, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_STREAMS_PER_CONNECTION } from './defaults.js';
import { createHealthService } from './health.js';
import type { HealthService } from './health.js';
import { loadServices } from './proto.js';

/** TLS material: PEM contents, not paths (the CLI reads the files). */
export interface GrpcTlsOptions {
  /** certificate chain (rasa-sdk `--ssl-certificate`) */
  readonly cert: string | Buffer;
  /** private key (`--ssl-keyfile`) */
  readonly key: string | Buffer;
  /** the key's passphrase (`--ssl-password`; rasa-sdk's gRPC server has none): the key is decrypted in memory */
  readonly passphrase?: string;
  /** CA certificates clients must present a certificate from (`--ssl-ca-file`): mutual TLS. Default: no client certificates */
  readonly clientCa?: string | Buffer;
}

/** Options of {@link listenGrpc}. */
export interface GrpcListenOptions {
  /** TCP port; 0 picks a free one */
  readonly port: number;
  /** interface to bind. Default: `'0.0.0.0'` */
  readonly hostname?: string;
  /** serve over TLS. Default: plain text (Rasa's `grpc://` without `cafile`) */
  readonly tls?: GrpcTlsOptions;
  /** how long `close()` waits for in-flight calls before cutting them. Default: 10 000 ms */
  readonly gracePeriodMs?: number;
  /**
   * largest request message, after decompression; a larger one gets
   * RESOURCE_EXHAUSTED as soon as its length prefix arrives, so it is
   * never buffered. Default: 4 MiB, rasa-sdk's (grpcio's default)
   */
  readonly maxMessageBytes?: number;
  /**
   * time a call has, from its headers, to send its whole request message
   * and end its side; then DEADLINE_EXCEEDED and the stream is reset. The
   * action's run time does not count. 0: no limit. Default: 30 000 ms, the
   * HTTP server's request timeout
   */
  readonly requestTimeoutMs?: number;
  /**
   * calls open at once on one connection (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS);
   * the client waits for a free one, a stream over it is refused.
   * 0: no limit. Default: 100
   */
  readonly maxStreamsPerConnection?: number;
  /**
   * calls in flight at once over every connection; one more ends at once
   * with RESOURCE_EXHAUSTED. With `maxMessageBytes` it bounds what requests
   * can hold. 0: no limit. Default: 512, the HTTP server's connection cap
   */
  readonly maxCalls?: number;
}

/** A running gRPC server. */
export interface GrpcServerHandle {
  /** e.g. `grpc://127.0.0.1:5055` (the bound port when 0 was asked): what Rasa's `action_endpoint.url` names */
  readonly url: string;
  readonly port: number;
  /** SERVING until `drain()` */
  readonly health: HealthService;
  /** Health turns NOT_SERVING; calls are still served. */
  drain(): void;
  /** Ends Watch streams, lets in-flight calls finish and cuts what is left after the grace period. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serve the actions over gRPC.
 * @example
 * const handle = await listenGrpc({ engine, logger }, { port: 5055 });
 * // endpoints.yml: action_endpoint: { url: "grpc://localhost:5055" }
 */
export async function listenGrpc(service: ActionServiceOptions, options: GrpcListenOptions): Promise<GrpcServerHandle> {
  const {
    port,
    hostname = '0.0.0.0',
    tls,
    gracePeriodMs = 10 * 1000,
    maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
    requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
    maxStreamsPerConnection = DEFAULT_MAX_STREAMS_PER_CONNECTION,
    maxCalls = DEFAULT_MAX_CALLS,
  } = options;
  const services = loadServices();
  const health = createHealthService();
  const server = new Server({
    'grpc.max_receive_message_length': maxMessageBytes,
    // 0: node's own default, 2^32 - 1 streams.
    ...(maxStreamsPerConnection > 0 ? { 'grpc.max_concurrent_streams': maxStreamsPerConnection } : {}),
    // Nothing reads channelz (no channelz service is served), and with it on
    // grpc-js counts and timestamps every call and message and makes a
    // tracker of closures per call.
    'grpc.enable_channelz': 0,
    interceptors: [callLimits({ requestTimeoutMs, maxCalls })],
  });
  const action = createActionService(service, services.action);
  server.addService(action.definition, action.implementation);
  server.addService(services.health, health.implementation);
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  const bound = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, credentialsOf(tls), (err, actual) =>
      err ? reject(withCode(err)) : resolve(actual),
    );
  });
  let closing: Promise<void> | null = null;
  return {
    url: `grpc://${host}:${bound}`,
    port: bound,
    health,
    drain: () => health.setServing(false),
    close() {
      closing ??= new Promise<void>((done) => {
        health.close();
        const cut = setTimeout(() => server.forceShutdown(), gracePeriodMs);
        server.tryShutdown(() => {
          clearTimeout(cut);
          done();
        });
      });
      return closing;
    },
  };
}

function credentialsOf(tls: GrpcTlsOptions | undefined): ServerCredentials {
  if (tls === undefined) return ServerCredentials.createInsecure();
  // grpc-js takes no passphrase: decrypt the key here, never on disk.
  const key =
    tls.passphrase === undefined
      ? Buffer.from(tls.key)
      : Buffer.from(
          createPrivateKey({ key: tls.key, passphrase: tls.passphrase }).export({ type: 'pkcs8', format: 'pem' }),
        );
  const ca = tls.clientCa === undefined ? null : Buffer.from(tls.clientCa);
  return ServerCredentials.createSsl(ca, [{ private_key: key, cert_chain: Buffer.from(tls.cert) }], ca !== null);
}

/** grpc-js reports a failed bind in its message only; the system code (EADDRINUSE…) is put back as `code`, as node's listen has it. */
function withCode(err: Error): Error {
  const code = /\b(EADDRINUSE|EACCES|EADDRNOTAVAIL)\b/.exec(err.message)?.[1];
  return code === undefined ? err : Object.assign(err, { code });
}
