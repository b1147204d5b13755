/**
 * Rasa's `ActionService` over the engine (docs/server.md#grpc): the same
 * calls as the HTTP webhook, through the same runWebhook (action lookup
 * before the domain, the domain cache, the run, the event checks), with
 * gRPC's messages and statuses (status.ts) in place of JSON bodies and HTTP
 * statuses. WebhookStream adds the action's `progress:` messages as stream
 * chunks (stream.ts).
 */
import { status } from '@grpc/grpc-js';
import type {
  Metadata,
  sendUnaryData,
  ServerUnaryCall,
  ServerWritableStream,
  ServiceDefinition,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { readsTrackerEvents } from '../engine/index.js';
import type { Engine } from '../engine/index.js';
import { checkCall } from '../rasa/index.js';
import type { EventTarget } from '../rasa/index.js';
import { createDomainCache, fixedFieldLogger, logCallEnd } from '../call-rules/index.js';
import type { RequestWatch, ServerObserver, WebhookDeps } from '../call-rules/index.js';
import { decodeCall } from './call.js';
import type { Refusal } from './call-limits.js';
import { endOf, startCall } from './run-call.js';
import type { CallEnd, StartedCall } from './run-call.js';
import { forwardWhenUnknown, shadowCall } from './fallback-call.js';
import type { Fallback } from '../fallback/index.js';
import { EMPTY_WEBHOOK_RESPONSE, encodeActions, encodeStreamEvent } from './response.js';
import type { StreamEvent } from './response.js';
import { httpStatusOf, statusError } from './status.js';
import { webhookStream } from './stream.js';
import type { BargeIns } from './stream.js';
import { DEFAULT_BARGE_IN_TIMEOUT_MS } from './defaults.js';

/** The part of the engine the service uses. */
export type GrpcEngine = Pick<Engine, 'action' | 'actions' | 'run'>;

/** Options of {@link createActionService}. */
export interface ActionServiceOptions {
  /** what runs the actions; a reload inside it swaps them atomically */
  readonly engine: GrpcEngine;
  /** where the one line per call goes */
  readonly logger: Logger;
  /** event types the Rasa in front accepts (docs/protocol.md#which-event-types-each-rasa-accepts). Default: `'classic'` */
  readonly eventTarget?: EventTarget;
  /** opt-in event types, `'export'` and/or `'stack'`. Default: none */
  readonly allowEvents?: readonly string[];
  /** domains kept by digest (docs/protocol.md#where-slotwire-differs-and-why). Default: 4 */
  readonly domainCacheSize?: number;
  /** how long a run may take to end after a barge-in (AckStreamChunks) before the stream ends with an empty final result. Default: 30 000 ms */
  readonly bargeInTimeoutMs?: number;
  /**
   * told of every Webhook and WebhookStream call (`ActionServer.observer`):
   * request metrics and a server span that continues the `traceparent`
   * Rasa sends as metadata. Default: none
   */
  readonly observer?: ServerObserver;
  /** the existing action server that answers undeclared and shadowed actions (docs/migrating.md). Default: none */
  readonly fallback?: Fallback;
}

const asIs = (bytes: Buffer): Buffer => bytes;

/** The service, for `server.addService(definition, implementation)`. */
export interface ActionService {
  /** the proto's, with requests read by call.ts and answers written by response.ts */
  readonly definition: ServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

/**
 * The ActionService over the engine.
 * @param definition - `loadServices().action`
 */
export function createActionService(options: ActionServiceOptions, definition: ServiceDefinition): ActionService {
  const {
    engine,
    logger,
    eventTarget = 'classic',
    allowEvents = [],
    bargeInTimeoutMs = DEFAULT_BARGE_IN_TIMEOUT_MS,
  } = options;
  const deps: WebhookDeps = { engine, domains: createDomainCache(options.domainCacheSize), eventTarget, allowEvents };
  const callLog = fixedFieldLogger(logger);
  const bargeIns: BargeIns = new Map();
  const { fallback } = options;
  const readsEvents = (name: string): boolean => {
    const action = engine.action(name);
    // A call the fallback answers is sent on whole: its events are read too.
    if (action === undefined || fallback?.shadows(name) === true) return fallback !== undefined;
    return readsTrackerEvents(action);
  };
  /** startCall, with the fallback in place for the calls it answers. */
  const start = (
    call: { metadata: Metadata; request: Record<string, unknown> },
    w: RequestWatch | undefined,
  ): StartedCall => {
    const run = (): StartedCall => startCall(call.request, deps, w?.trace);
    if (fallback === undefined) return run();
    const context = { metadata: call.metadata, watch: w };
    const name = call.request.next_action;
    // A malformed call is answered by slotwire, as always: it never reaches the fallback.
    const shadowed =
      typeof name === 'string' && fallback.shadows(name) && checkCall(call.request) === null
        ? engine.action(name)
        : undefined;
    if (shadowed !== undefined) return shadowCall(shadowed, call.request, fallback, context, run);
    return forwardWhenUnknown(run(), call.request, fallback, context);
  };
  // A refusal never reaches the handlers: the call-limits interceptor ends the call with it.
  const decode = (bytes: Buffer): Record<string, unknown> | Refusal => decodeCall(bytes, readsEvents);
  const { observer } = options;
  /** The call's watch: its route is the RPC's HTTP/2 path, as bounded as the app's routes. */
  const watch = (
    rpc: 'Webhook' | 'WebhookStream',
    call: { metadata: Metadata; request: Record<string, unknown> },
  ): RequestWatch | undefined => {
    const w = observer?.request(
      'POST',
      `/action_server_webhook.ActionService/${rpc}`,
      (name) => metadataText(call.metadata, name),
      true,
    );
    w?.call(call.request);
    return w;
  };
  const log = (
    rpc: string,
    end: CallEnd | 'cancelled',
    actionName: string | null,
    started: number,
    w: RequestWatch | undefined,
    extra: object = {},
  ): void => {
    w?.end(httpStatusOf(end === 'cancelled' ? 'CANCELLED' : end.ok ? status.OK : end.status.code));
    logCall(
      callLog,
      logger,
      rpc,
      end,
      actionName,
      performance.now() - started,
      w?.traceId === undefined ? extra : { ...extra, trace_id: w.traceId },
    );
  };

  const implementation: UntypedServiceImplementation = {
    Webhook(call: ServerUnaryCall<Record<string, unknown>, Buffer>, callback: sendUnaryData<Buffer>): void {
      const started = performance.now();
      const w = watch('Webhook', call);
      void start(call, w).outcome.then((outcome) => {
        const end = endOf(outcome, 'Webhook');
        log('Webhook', end, end.actionName, started, w);
        // rasa-sdk answers an empty WebhookResponse to a call without an action.
        if (end.ok) callback(null, end.response ?? EMPTY_WEBHOOK_RESPONSE);
        else callback(statusError(end.status));
      });
    },
    WebhookStream(call: ServerWritableStream<Record<string, unknown>, StreamEvent>): void {
      const started = performance.now();
      const w = watch('WebhookStream', call);
      const run = start(call, w);
      webhookStream(call, run, { bargeIns, bargeInTimeoutMs }, (end, chunks) =>
        log('WebhookStream', end, run.actionName, started, w, { chunks }),
      );
    },
    // Barge-in (docs/server.md#webhookstream-and-progress): the channel heard the user over a streamed
    // response. An id of a stream that already ended is normal, as in rasa-sdk.
    AckStreamChunks(call: ServerUnaryCall<{ response_id?: string }, object>, callback: sendUnaryData<object>): void {
      bargeIns.get(call.request.response_id ?? '')?.();
      callback(null, {});
    },
    // rasa-sdk lists {name}; the description rides along as on GET /actions.
    Actions(_call: ServerUnaryCall<object, Buffer>, callback: sendUnaryData<Buffer>): void {
      const declared = engine.actions();
      const listed = declared.map((a): Readonly<Record<string, string>> =>
        a.description === null ? { name: a.name } : { name: a.name, description: a.description },
      );
      // With a fallback, the names only it serves follow, once each, as on GET /actions.
      const ours = new Set(declared.map((a) => a.name));
      for (const name of fallback?.names() ?? []) if (!ours.has(name)) listed.push({ name });
      callback(null, encodeActions(listed));
    },
  };
  return {
    definition: {
      ...definition,
      // Answers are written to bytes before they are sent (response.ts), so a value that cannot be is a crash the caller sees, not a serialization error.
      Webhook: { ...definition['Webhook'], requestDeserialize: decode, responseSerialize: asIs },
      WebhookStream: {
        ...definition['WebhookStream'],
        requestDeserialize: decode,
        responseSerialize: encodeStreamEvent,
      },
      Actions: { ...definition['Actions'], responseSerialize: asIs },
    },
    implementation,
  };
}

/** A metadata entry as text (`traceparent`, `tracestate`); binary (`-bin`) entries are not. */
function metadataText(metadata: Metadata, name: string): string | undefined {
  const value = metadata.get(name)[0];
  return typeof value === 'string' ? value : undefined;
}

/** One line per call, as the webhook logs it (logCallEnd): the RPC, the action, the status by name, the duration. */
function logCall(
  callLog: Logger,
  logger: Logger,
  rpc: string,
  end: CallEnd | 'cancelled',
  action: string | null,
  ms: number,
  extra: object,
): void {
  const durationMs = Math.round(ms * 100) / 100;
  if (end === 'cancelled') callLog.info({ rpc, action, status: 'CANCELLED', durationMs, ...extra }, 'grpc');
  else
    logCallEnd(
      callLog,
      logger,
      { rpc, action, status: status[end.ok ? status.OK : end.status.code], durationMs, ...extra },
      end.outcome,
      'grpc',
    );
}
