// A grpc-js client built from rasa-sdk's proto (proto/action_webhook.proto),
// as Rasa Pro builds its own, and a server on a loopback port.
import { connect } from 'node:http2';
import type { ClientHttp2Session, ClientHttp2Stream, IncomingHttpHeaders } from 'node:http2';
import { credentials, loadPackageDefinition, Metadata } from '@grpc/grpc-js';
import type { ChannelCredentials, ChannelOptions, Client, ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { jsonToStruct, listenGrpc, LOADER_OPTIONS, PROTO_DIR, structToJson } from '../../runtime/grpc/index.js';
import type {
  ActionServiceOptions,
  GrpcListenOptions,
  GrpcServerHandle,
  ProtoStruct,
} from '../../runtime/grpc/index.js';
import { silent } from '../server/helpers.js';
import { codeEngine } from '../server/fixture-actions.js';

const definition = loadPackageDefinition(
  loadSync(['action_webhook.proto', 'health.proto'], { ...LOADER_OPTIONS, includeDirs: [PROTO_DIR] }),
);
type ClientClass = new (address: string, creds: ChannelCredentials, options?: ChannelOptions) => Client;
const ActionService = (definition['action_server_webhook'] as Record<string, unknown>)['ActionService'] as ClientClass;
const Health = (
  (definition['grpc'] as Record<string, Record<string, unknown>>)['health'] as Record<string, Record<string, unknown>>
)['v1']?.['Health'] as ClientClass;

/** A unary method of a generated client. */
type Unary = (
  request: object,
  metadata: Metadata,
  callback: (err: ServiceError | null, response: Record<string, unknown>) => void,
) => void;
/** A server-streaming method. */
type Streaming = (request: object) => ClientReadableStream<Record<string, unknown>>;

/** The ActionService and health clients of one server. */
export interface Clients {
  webhook(request: object): Promise<Record<string, unknown>>;
  /** Webhook with call metadata, as Rasa sends its endpoint's headers and `traceparent`. */
  webhookWith(request: object, metadata: Metadata): Promise<Record<string, unknown>>;
  stream(request: object): ClientReadableStream<Record<string, unknown>>;
  ack(responseId: string): Promise<void>;
  actions(): Promise<Record<string, unknown>[]>;
  check(service: string): Promise<string>;
  watch(service: string): ClientReadableStream<Record<string, unknown>>;
  close(): void;
}

/** Clients for `address` (host:port). */
export function clients(
  address: string,
  creds: ChannelCredentials = credentials.createInsecure(),
  options: ChannelOptions = {},
): Clients {
  const action = new ActionService(address, creds, options) as unknown as Record<string, Unary & Streaming> & Client;
  const health = new Health(address, creds, options) as unknown as Record<string, Unary & Streaming> & Client;
  const unary = (client: Record<string, Unary>, method: string, request: object, metadata = new Metadata()) =>
    new Promise<Record<string, unknown>>((resolve, reject) =>
      client[method].call(client, request, metadata, (err, response) => (err ? reject(err) : resolve(response))),
    );
  return {
    webhook: (request) => unary(action, 'Webhook', request),
    webhookWith: (request, metadata) => unary(action, 'Webhook', request, metadata),
    stream: (request) => action['WebhookStream'].call(action, request),
    ack: async (responseId) => {
      await unary(action, 'AckStreamChunks', { response_id: responseId });
    },
    actions: async () =>
      (((await unary(action, 'Actions', {}))['actions'] as ProtoStruct[] | undefined) ?? []).map(structToJson),
    check: async (service) => String((await unary(health, 'Check', { service }))['status']),
    watch: (service) => health['Watch'].call(health, { service }),
    close: () => {
      action.close();
      health.close();
    },
  };
}

/** A started server with its clients. */
export interface TestGrpc extends Clients {
  readonly handle: GrpcServerHandle;
  stop(): Promise<void>;
}

/** The server on 127.0.0.1, port 0, serving the webhook suite's code actions unless an engine is given. */
export async function startGrpc(
  service: Partial<ActionServiceOptions> = {},
  listen: Partial<GrpcListenOptions> = {},
): Promise<TestGrpc> {
  const handle = await listenGrpc(
    { engine: await codeEngine(), logger: silent, ...service },
    { port: 0, hostname: '127.0.0.1', ...listen },
  );
  const c = clients(`127.0.0.1:${handle.port}`);
  return {
    ...c,
    handle,
    async stop() {
      c.close();
      await handle.close();
    },
  };
}

/** A WebhookRequest as Rasa Pro builds it from its JSON body (ParseDict). */
export function request(
  nextAction: string,
  extra: { domain?: Record<string, unknown>; domain_digest?: string; tracker?: Record<string, unknown> } = {},
): object {
  const tracker = { sender_id: '1', ...extra.tracker };
  return {
    next_action: nextAction,
    sender_id: '1',
    version: '3.13.4',
    tracker: trackerMessage(tracker),
    ...(extra.domain ? { domain: domainMessage(extra.domain) } : {}),
    ...(extra.domain_digest !== undefined ? { domain_digest: extra.domain_digest } : {}),
  };
}

function trackerMessage(t: Record<string, unknown>): object {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(t)) {
    if (key === 'slots' || key === 'latest_message') out[key] = jsonToStruct(value as Record<string, unknown>);
    else if (key === 'events' || key === 'stack')
      out[key] = (value as Record<string, unknown>[]).map((v) => jsonToStruct(v));
    else out[key] = value;
  }
  return out;
}

/** The domain with its name-or-mapping lists wrapped, as the proto's Domain has them. */
export function domainMessage(d: Record<string, unknown>): object {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(d)) {
    if (key === 'intents' || key === 'entities' || key === 'actions') {
      out[key] = (value as unknown[]).map((item) =>
        typeof item === 'string'
          ? { string_value: item }
          : { dict_value: jsonToStruct(item as Record<string, unknown>) },
      );
    } else if (key === 'e2e_actions') out[key] = (value as Record<string, unknown>[]).map((v) => jsonToStruct(v));
    else out[key] = jsonToStruct(value as Record<string, unknown>);
  }
  return out;
}

/** A response's events and messages as plain JSON. */
export function plain(response: Record<string, unknown>): {
  events: Record<string, unknown>[];
  responses: Record<string, unknown>[];
} {
  return {
    events: ((response['events'] as ProtoStruct[] | undefined) ?? []).map(structToJson),
    responses: ((response['responses'] as ProtoStruct[] | undefined) ?? []).map(structToJson),
  };
}

/** Every message of a stream until it ends, and how it ended (null: OK). */
export function drain(
  stream: ClientReadableStream<Record<string, unknown>>,
  onMessage: (m: Record<string, unknown>) => void = () => {},
): Promise<{ messages: Record<string, unknown>[]; error: ServiceError | null }> {
  const messages: Record<string, unknown>[] = [];
  return new Promise((resolve) => {
    let error: ServiceError | null = null;
    stream.on('data', (m: Record<string, unknown>) => {
      messages.push(m);
      onMessage(m);
    });
    stream.on('error', (err: ServiceError) => {
      error = err;
    });
    // 'status' comes last, after 'end' or 'error'.
    stream.on('status', () => resolve({ messages, error }));
  });
}

/** How a raw HTTP/2 call ended: its gRPC status (null: none came), when, and the stream's reset code. */
export interface RawEnd {
  readonly status: number | null;
  /** ms from the request to the status, or to the close when no status came */
  readonly ms: number;
  /** the RST_STREAM code the stream closed with (0: NO_ERROR) */
  readonly rstCode: number | undefined;
}

/** A call sent as raw HTTP/2 frames, as a hostile client would. */
export interface RawCall {
  readonly stream: ClientHttp2Stream;
  /** resolves when the stream closes */
  readonly ended: Promise<RawEnd>;
}

/**
 * Opens `path` on `session` and sends a gRPC length prefix declaring
 * `declared` bytes, then `sent` bytes of it; the request is left open
 * unless `end`.
 */
export function rawCall(
  session: ClientHttp2Session,
  path: string,
  { declared, sent, end = false }: { declared: number; sent: number; end?: boolean },
): RawCall {
  const started = performance.now();
  const stream = session.request(
    { ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' },
    { endStream: false },
  );
  let status: number | null = null;
  let ms: number | null = null;
  const read = (headers: IncomingHttpHeaders): void => {
    if (headers['grpc-status'] === undefined) return;
    status = Number(headers['grpc-status']);
    ms = performance.now() - started;
  };
  stream.on('response', read);
  stream.on('trailers', read);
  // A reset after the status is how the server ends a call it stopped reading.
  stream.on('error', () => {});
  stream.resume();
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(declared, 1);
  const body = Buffer.concat([prefix, Buffer.alloc(sent)]);
  if (end) stream.end(body);
  else stream.write(body);
  const ended = new Promise<RawEnd>((resolve) =>
    stream.on('close', () => resolve({ status, ms: ms ?? performance.now() - started, rstCode: stream.rstCode })),
  );
  return { stream, ended };
}

/** An HTTP/2 connection to the server at `port` on 127.0.0.1. */
export async function rawSession(port: number): Promise<ClientHttp2Session> {
  // Node's client refuses its own new streams past 10 MB of unsent data; tests send more.
  const session = connect(`http://127.0.0.1:${port}`, { maxSessionMemory: 256 });
  session.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    session.once('remoteSettings', () => resolve());
    session.once('error', reject);
  });
  return session;
}
