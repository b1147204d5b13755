/**
 * `POST /webhook`: a Rasa call over HTTP. The body is read within its
 * limits and parsed as far as the action reads it, then run by Rasa's call
 * rules (call-rules/); the outcome becomes a status through
 * `failureResponse` alone, and one log line.
 */
import { crashOutcome, createDomainCache, fixedFieldLogger, logCallEnd, runWebhook } from '../call-rules/index.js';
import type { WebhookOutcome } from '../call-rules/index.js';
import type { Context, Handler } from 'hono';
import type { Logger } from 'pino';
import { readsTrackerEvents } from '../engine/index.js';
import type { ActionInfo } from '../engine/index.js';
import type { EventTarget } from '../rasa/index.js';
import type { Fallback } from '../fallback/index.js';
import type { AppEngine, ServerEnv } from './env.js';
import { checkAuth } from './auth.js';
import type { AuthOptions } from './auth.js';
import { withFallback } from './fallback-call.js';
import { failureJson, json } from './json.js';
import { parseCall } from './parse-call.js';
import type { EventsNeed } from './parse-call.js';
import { readBody } from './read-body.js';

/** What the webhook route needs. */
export interface WebhookRouteOptions {
  readonly engine: AppEngine;
  readonly logger: Logger;
  readonly auth: AuthOptions | null;
  readonly maxBodyBytes: number;
  readonly maxBodyValues: number;
  readonly eventTarget: EventTarget;
  readonly allowEvents: readonly string[];
  readonly domainCacheSize: number | undefined;
  /** where calls for undeclared and shadowed actions go (docs/migrating.md); null: none */
  readonly fallback: Fallback | null;
}

/** The handler of `POST /webhook`. */
export function webhookRoute(options: WebhookRouteOptions): Handler<ServerEnv> {
  const { engine, logger, auth: authOptions, maxBodyBytes, maxBodyValues, eventTarget, allowEvents } = options;
  const domains = createDomainCache(options.domainCacheSize);
  const callLog = fixedFieldLogger(logger);
  const events = eventsNeed(engine);
  const { fallback } = options;
  const fallbackCall = fallback === null ? null : { fallback, engine, callLog, logger };
  const deps = { engine, domains, eventTarget, allowEvents };

  /** The outcome to answer with, or the fallback's answer, already logged. */
  async function handle(c: Context<ServerEnv>): Promise<WebhookOutcome | Response> {
    // Checked inline rather than as middleware: /webhook is the hot path.
    if (
      authOptions !== null &&
      !checkAuth(authOptions, { query: (n) => c.req.query(n), header: (n) => c.req.header(n) })
    ) {
      return { ok: false, actionName: null, failure: { kind: 'unauthorized', basic: authOptions.basic !== undefined } };
    }
    const body = await readBody({ incoming: c.env?.incoming, request: c.req.raw }, maxBodyBytes);
    if (!body.ok) return { ok: false, actionName: null, failure: body.failure };
    const parsed = parseCall(body.bytes, events, maxBodyValues);
    if (!parsed.ok) return { ok: false, actionName: null, failure: parsed.failure };
    const watch = c.get('watch');
    watch?.call(parsed.call);
    // rasa-sdk's 500 echoes the request: rebuilt from the bytes (kept off
    // the heap), whole, even when the events were not parsed.
    const { bytes } = body;
    const requestBody = (): unknown => JSON.parse(bytes.toString('utf8'));
    if (fallbackCall === null) return runWebhook(parsed.call, deps, requestBody, watch?.trace);
    return withFallback(c, fallbackCall, parsed.call, body.wire, () =>
      runWebhook(parsed.call, deps, requestBody, watch?.trace),
    );
  }

  return async function webhook(c) {
    const started = performance.now();
    let outcome: WebhookOutcome;
    try {
      const handled = await handle(c);
      if (handled instanceof Response) return handled;
      outcome = handled;
    } catch (err) {
      outcome = crashOutcome(null, err);
    }
    let response: Response;
    if (outcome.ok) {
      try {
        response = json(outcome.body);
      } catch (err) {
        outcome = crashOutcome(outcome.actionName, err);
        response = failureJson(outcome.failure);
      }
    } else response = failureJson(outcome.failure);
    logCall(callLog, logger, outcome, response.status, performance.now() - started, c.get('watch')?.traceId);
    return response;
  };
}

/**
 * Which calls need the tracker's events (parse-call.ts). Whether any
 * served action can do without them is remembered per served list (a
 * reload makes a new one); parsing and running are in one synchronous
 * stretch, so both see the same list.
 */
function eventsNeed(engine: AppEngine): EventsNeed {
  let served: readonly ActionInfo[] | null = null;
  let skippable = false;
  return {
    get skippable(): boolean {
      const list = engine.actions();
      if (list !== served) {
        served = list;
        skippable = !list.every(readsTrackerEvents);
      }
      return skippable;
    },
    readBy(nextAction) {
      const action = typeof nextAction === 'string' ? engine.action(nextAction) : undefined;
      return action !== undefined && readsTrackerEvents(action);
    },
  };
}

function logCall(
  callLog: Logger,
  logger: Logger,
  outcome: WebhookOutcome,
  status: number,
  ms: number,
  traceId: string | undefined,
): void {
  const durationMs = Math.round(ms * 100) / 100;
  // With tracing, the trace id joins the line to the call's spans.
  const line =
    traceId === undefined
      ? { action: outcome.actionName, status, durationMs }
      : { action: outcome.actionName, status, durationMs, trace_id: traceId };
  logCallEnd(callLog, logger, line, outcome, 'webhook');
}
