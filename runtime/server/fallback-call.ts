/**
 * A webhook call for the fallback action server (docs/migrating.md): one
 * slotwire does not declare, or one it shadows. The call was read and
 * checked as every call is (a malformed body never reaches the fallback);
 * the body goes on as it arrived, and the fallback's answer comes back
 * unchanged: status, body, content type.
 */
import type { Context } from 'hono';
import type { Logger } from 'pino';
import { logCallEnd } from '../call-rules/index.js';
import type { WebhookOutcome } from '../call-rules/index.js';
import type { ActionInfo, Engine } from '../engine/index.js';
import { forwardFailure } from '../fallback/index.js';
import type { Fallback, Forwarded } from '../fallback/index.js';
import type { ServerEnv } from './env.js';
import { failureJson } from './json.js';

/** What a forwarded call needs of the webhook route. */
export interface FallbackCall {
  readonly fallback: Fallback;
  readonly engine: Pick<Engine, 'action'>;
  /** the line per call (call-log.ts) */
  readonly callLog: Logger;
  readonly logger: Logger;
}

/**
 * A checked call when there is a fallback: a shadowed action's goes to it
 * first; any other is run (`run`), and sent on if slotwire has no such
 * action. Costs a declared action one set lookup (`shadows`).
 */
export async function withFallback(
  c: Context<ServerEnv>,
  deps: FallbackCall,
  call: Record<string, unknown>,
  wire: Buffer,
  run: () => Promise<WebhookOutcome>,
): Promise<WebhookOutcome | Response> {
  const name = call.next_action;
  const shadowed = typeof name === 'string' && deps.fallback.shadows(name) ? deps.engine.action(name) : undefined;
  if (shadowed !== undefined) return (await shadowCall(c, deps, shadowed, call, wire, run)) ?? run();
  const outcome = await run();
  if (outcome.ok || outcome.failure.kind !== 'action_not_found' || typeof name !== 'string') return outcome;
  return forwardCall(c, deps, name, wire);
}

/** The fallback's answer as this call's response, or the failure that names the action; one log line. */
async function forwardCall(
  c: Context<ServerEnv>,
  deps: FallbackCall,
  actionName: string,
  wire: Buffer,
): Promise<Response> {
  const started = performance.now();
  const answer = await send(c, deps.fallback, actionName, wire);
  return answerOf(c, deps, actionName, answer, started);
}

/**
 * A shadowed call: the fallback answers Rasa, and slotwire's own run
 * (`run`) is compared with its answer in the background. A fallback that
 * does not serve the action (404) leaves it to slotwire, which answers.
 */
async function shadowCall(
  c: Context<ServerEnv>,
  deps: FallbackCall,
  action: ActionInfo,
  call: Record<string, unknown>,
  wire: Buffer,
  run: () => Promise<WebhookOutcome>,
): Promise<Response | null> {
  const started = performance.now();
  const answer = await send(c, deps.fallback, action.name, wire);
  if (answer.ok && answer.status === 404) return null;
  const slots = (call.tracker as { slots?: Record<string, unknown> } | undefined)?.slots ?? {};
  deps.fallback.compare(action, slots, answer, run);
  return answerOf(c, deps, action.name, answer, started);
}

function send(c: Context<ServerEnv>, fallback: Fallback, actionName: string, wire: Buffer): Promise<Forwarded> {
  const url = c.req.url;
  const query = url.indexOf('?');
  const incoming = c.env?.incoming;
  return fallback.forward(actionName, {
    body: wire,
    search: query === -1 ? '' : url.slice(query),
    headers: incoming?.headers ?? Object.fromEntries(c.req.raw.headers),
    trace: c.get('watch')?.forwarded() ?? {},
  });
}

function answerOf(
  c: Context<ServerEnv>,
  deps: FallbackCall,
  actionName: string,
  answer: Forwarded,
  started: number,
): Response {
  const durationMs = Math.round((performance.now() - started) * 100) / 100;
  const traceId = c.get('watch')?.traceId;
  const line = {
    action: actionName,
    served_by: 'fallback',
    durationMs,
    ...(traceId === undefined ? {} : { trace_id: traceId }),
  };
  if (!answer.ok) {
    const failure = forwardFailure(actionName, answer.failure);
    const response = failureJson(failure);
    logCallEnd(
      deps.callLog,
      deps.logger,
      { ...line, status: response.status, reason: answer.failure.reason },
      { ok: false, actionName, failure },
      'webhook',
    );
    return response;
  }
  deps.callLog.info({ ...line, status: answer.status }, 'webhook');
  return new Response(answer.body, {
    status: answer.status,
    headers: answer.contentType === null ? {} : { 'content-type': answer.contentType },
  });
}
