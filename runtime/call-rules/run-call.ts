/**
 * One `POST /webhook` call after the body was parsed and its shape checked
 * (app.ts, 400): find the action, settle the domain
 * (docs/protocol.md#the-domain-digest-and-449), run it, check what it
 * returned. The order of checks is rasa-sdk's (docs/protocol.md#errors):
 * action lookup (404) before the tracker and the domain (449), so an
 * unknown action without a domain is a 404.
 */
import type { Context } from '@opentelemetry/api';
import { readsTrackerEvents } from '../engine/index.js';
import type { ActionInfo, Engine, TrackerInput } from '../engine/index.js';
import { checkEvents, isObject, trackerWithDefaults } from '../rasa/index.js';
import type { ActionOutput, BotMessage, DomainDict, EventTarget, RasaEvent } from '../rasa/index.js';
import type { DomainCache } from './domain-cache.js';
import { errorMessage } from './error-message.js';
import type { WebhookFailure } from './failure.js';
import { echoed } from '../errors/index.js';

/** What a webhook call needs besides the request. */
export interface WebhookDeps {
  /** what runs the actions */
  readonly engine: WebhookEngine;
  /** the app's domain cache */
  readonly domains: DomainCache;
  /** which event types the Rasa in front accepts */
  readonly eventTarget: EventTarget;
  /** opt-in event types (`export`, `stack`) */
  readonly allowEvents: readonly string[];
}

/** The part of the engine the webhook uses. */
export type WebhookEngine = Pick<Engine, 'action' | 'run'>;

/** The 200 body. */
export interface WebhookResponseBody {
  events: RasaEvent[];
  responses: BotMessage[];
}

/** How the call ended; `actionName` is for the log line. */
export type WebhookOutcome =
  | {
      readonly ok: true;
      readonly actionName: string | null;
      readonly body: WebhookResponseBody | null;
      readonly dropped: number;
    }
  | {
      readonly ok: false;
      readonly actionName: string | null;
      readonly failure: WebhookFailure;
      readonly cause?: unknown;
    };

type DomainChoice = { readonly ok: true; readonly domain: DomainDict | null } | { readonly ok: false };

/**
 * The domain for this call. rasa-sdk's rule
 * (docs/protocol.md#the-domain-digest-and-449): a truthy domain is cached
 * under the request's digest and used; a request without a domain uses the
 * cache for its digest; nothing usable → 449. Unlike rasa-sdk, the 449 is
 * only for actions that read the domain, which spares the others a round
 * trip and the double 449 of selective domain
 * (docs/protocol.md#where-slotwire-differs-and-why): they run with the
 * request's or cached domain, else null.
 * `"domain": {}` is "present": no 449 (rasa-sdk's tests rely on it).
 */
function chooseDomain(call: Record<string, unknown>, action: ActionInfo, domains: DomainCache): DomainChoice {
  const sent = sentDomain(call);
  const digest = digestOf(call);
  // Old Rasa sends a domain and no digest: used, not cached.
  if (sent !== null && Object.keys(sent).length > 0 && digest !== null) domains.set(digest, sent);
  const known = knownDomain(call, domains);
  if (known !== null) return { ok: true, domain: known };
  if (sent === null && action.readsDomain) return { ok: false };
  return { ok: true, domain: sent };
}

/**
 * The domain a call has, when one is known: the one it sent (not empty),
 * else the one cached for its digest. After runWebhook chose it, a
 * streaming front-end reads the same one (gRPC's `progress: response:`).
 */
export function knownDomain(call: Record<string, unknown>, domains: DomainCache): DomainDict | null {
  const sent = sentDomain(call);
  if (sent !== null && Object.keys(sent).length > 0) return sent;
  const digest = digestOf(call);
  return (digest === null ? undefined : domains.get(digest)) ?? null;
}

function sentDomain(call: Record<string, unknown>): DomainDict | null {
  return isObject(call.domain) ? call.domain : null;
}

function digestOf(call: Record<string, unknown>): string | null {
  return typeof call.domain_digest === 'string' && call.domain_digest !== '' ? call.domain_digest : null;
}

function crashed(actionName: string, message: string, requestBody: unknown, cause?: unknown): WebhookOutcome {
  return { ok: false, actionName, failure: { kind: 'crashed', message, requestBody }, cause };
}

/**
 * A call that failed after Rasa's rules were done with it: the front-end's
 * own code threw, or the answer could not be written (a BigInt or a cycle
 * in what the action returned). A crash, without the request echoed.
 */
export function crashOutcome(actionName: string | null, err: unknown): Extract<WebhookOutcome, { ok: false }> {
  return {
    ok: false,
    actionName,
    failure: { kind: 'crashed', message: errorMessage(err), requestBody: null },
    cause: err,
  };
}

/**
 * Check an action's output against what the target Rasa accepts: one event
 * of a type or shape Rasa refuses makes it drop the whole answer without a
 * word (docs/protocol.md#the-answer-200), so it is a 500 that names the
 * event instead. A YAML action's events and messages come from
 * runtime/rasa's builders, checked as they were built (execute/outcome.ts),
 * and only of types every target accepts (the schema's `event` list): only
 * code actions' output is checked here.
 */
function checkOutput(
  output: ActionOutput,
  action: ActionInfo,
  requestBody: () => unknown,
  deps: WebhookDeps,
): WebhookOutcome {
  const actionName = action.name;
  if (action.kind === 'yaml')
    return { ok: true, actionName, body: { events: output.events, responses: output.responses }, dropped: 0 };
  const events: unknown = output?.events ?? [];
  const responses: unknown = output?.responses ?? [];
  if (!Array.isArray(events) || !Array.isArray(responses)) {
    return crashed(actionName, `Action '${actionName}' returned no events/responses lists.`, requestBody());
  }
  const check = checkEvents(events, deps.eventTarget, deps.allowEvents);
  if (!check.ok) {
    const detail =
      check.problem === 'not_allowed'
        ? `a type the ${deps.eventTarget} Rasa target does not accept`
        : `an invalid '${check.field}'`;
    return crashed(
      actionName,
      `Action '${actionName}' returned event ${check.index} ('${check.event}') with ${detail}.`,
      requestBody(),
    );
  }
  const badMessage = responses.findIndex((m) => !isObject(m));
  if (badMessage !== -1)
    return crashed(
      actionName,
      `Action '${actionName}' returned response ${badMessage} that is not an object.`,
      requestBody(),
    );
  return {
    ok: true,
    actionName,
    body: { events: check.events, responses: responses as BotMessage[] },
    dropped: check.dropped,
  };
}

/**
 * Run one webhook call; never throws. `call` is the parsed body, already
 * known to be an object that passed `checkCall` (so `next_action` is a
 * string or absent, and with an action there is a well-formed tracker).
 * What the action needs is taken from `call` before anything waits, so
 * neither the call nor, for an action that does not read them, the
 * tracker's events stay alive across the action's upstream calls;
 * `requestBody` rebuilds the body for the one answer that echoes it (500);
 * `trace` is the request's span, which the action's run continues.
 */
export function runWebhook(
  call: Record<string, unknown>,
  deps: WebhookDeps,
  requestBody: () => unknown,
  trace?: Context,
): Promise<WebhookOutcome> {
  const name = call.next_action;
  // rasa-sdk answers 200 `null` to a call without an action (docs/protocol.md#the-trackers-defaults).
  if (typeof name !== 'string' || name === '')
    return Promise.resolve({ ok: true, actionName: null, body: null, dropped: 0 });
  const action = deps.engine.action(name);
  if (action === undefined) {
    // The name is the caller's own text, of any length: the answer and the log line repeat it cut (errors/echo.ts).
    const shown = echoed(name);
    return Promise.resolve({ ok: false, actionName: shown, failure: { kind: 'action_not_found', actionName: shown } });
  }
  const domain = chooseDomain(call, action, deps.domains);
  if (!domain.ok)
    return Promise.resolve({ ok: false, actionName: name, failure: { kind: 'missing_domain', actionName: name } });
  // app.ts checked the whole call (checkCall), the tracker with it.
  const tracker = trackerWithDefaults(call.tracker as Record<string, unknown>, readsTrackerEvents(action));
  const input: TrackerInput = {
    tracker,
    senderId: typeof call.sender_id === 'string' ? call.sender_id : tracker.sender_id,
    domain: domain.domain,
    version: typeof call.version === 'string' ? call.version : null,
  };
  // No await between the lookup above and run(): both see the same generation.
  return runAction(action, input, deps, requestBody, trace);
}

async function runAction(
  action: ActionInfo,
  input: TrackerInput,
  deps: WebhookDeps,
  requestBody: () => unknown,
  trace: Context | undefined,
): Promise<WebhookOutcome> {
  const { name } = action;
  try {
    const result = await deps.engine.run(name, input, trace === undefined ? undefined : { trace });
    if (result.outcome.status === 'rejected')
      return {
        ok: false,
        actionName: name,
        failure: { kind: 'rejected', actionName: name, message: result.outcome.message },
      };
    return checkOutput(result, action, requestBody, deps);
  } catch (err) {
    return crashed(name, errorMessage(err), requestBody(), err);
  }
}
