/**
 * The existing action server behind slotwire (docs/migrating.md): which
 * calls go to it, what it serves (its `/actions`, fetched at start-up and
 * refreshed), whether it answers, and the shadowing of moved actions. The
 * HTTP server and gRPC both use it; each keeps its own wire format.
 */
import type { Logger } from 'pino';
import type { ActionInfo, Engine } from '../engine/index.js';
import type { WebhookOutcome } from '../call-rules/index.js';
import { createForwarder } from './forward.js';
import type { Forwarded, ForwardRequest } from './forward.js';
import { compareAnswers, hiderFor, MAX_DIFFERENCES, unsafeToShadow } from './shadow.js';
import type { ShadowResult } from './shadow.js';

/** Default time between two reads of the fallback's `/actions`: 30 s. */
export const DEFAULT_FALLBACK_REFRESH_MS: number = 30_000;

/** Told of each forwarded and shadowed call (metrics: runtime/telemetry). */
export interface FallbackObserver {
  /** @param action - a name the fallback lists, else `_other` (bounded labels); @param status - its HTTP status, or `timeout`, `unreachable`, `too_large` */
  forwarded(action: string, status: string, seconds: number): void;
  shadowed(action: string, result: ShadowResult): void;
}

/** Options of {@link createFallback}. */
export interface FallbackOptions {
  /** the existing server's webhook, checked by the caller (http: or https:) */
  readonly url: URL;
  /** per forwarded call, connecting to the last byte. Default: 10 000 ms */
  readonly timeoutMs?: number;
  /** between two reads of its `/actions`; 0: read once. Default: 30 000 ms */
  readonly refreshMs?: number;
  /** the actions to shadow, or `'all'` for every declared action it serves that may run twice. Default: none */
  readonly shadow?: readonly string[] | 'all';
  readonly engine: Pick<Engine, 'action' | 'actions' | 'secretValues'>;
  readonly logger: Logger;
  readonly observer?: FallbackObserver;
}

/** What `/health` and `/ready` say of the fallback. */
export interface FallbackStatus {
  /** its webhook, without credentials or query */
  readonly url: string;
  /** whether its last answer (to a call or to `/actions`) came; null before any */
  readonly reachable: boolean | null;
  readonly last_error: string | null;
  /** how many actions its `/actions` listed last */
  readonly actions: number;
  /** declared here and served there: slotwire answers them */
  readonly shadowed: readonly string[];
  /** of those, the ones whose calls are compared (--shadow) */
  readonly shadow: readonly string[];
}

/** A running fallback. */
export interface Fallback {
  /** Its webhook as shown in logs and status: no credentials, no query. */
  readonly shownUrl: string;
  /** Reads its `/actions` now; resolves once read or failed. */
  refresh(): Promise<void>;
  /** The names its `/actions` listed last, in its order. */
  names(): readonly string[];
  /** Whether a call to this declared action goes to the fallback and is compared (--shadow). */
  shadows(name: string): boolean;
  /** Sends a call on; records the answer for status and metrics. */
  forward(actionName: string, request: ForwardRequest): Promise<Forwarded>;
  /**
   * Compares slotwire's own run of a shadowed call with the fallback's
   * answer, in the background: counted, and logged when they differ.
   */
  compare(
    action: ActionInfo,
    slots: Readonly<Record<string, unknown>>,
    answer: Forwarded,
    run: () => Promise<WebhookOutcome>,
  ): void;
  status(): FallbackStatus;
  /** Stops refreshing, waits for comparisons in flight, closes the connections. */
  close(): Promise<void>;
}

/** A URL as safe to show: no user, password or query (a token may sit in either). */
export function shownUrlOf(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** A --shadow action that cannot be shadowed; the message is one line that says why. */
export class ShadowRefusedError extends Error {
  override readonly name = 'ShadowRefusedError';
}

/** Why the shadow list cannot be used, or null: each name must be declared, and safe to run twice. */
export function shadowProblem(engine: Pick<Engine, 'action'>, shadow: readonly string[]): string | null {
  for (const name of shadow) {
    const action = engine.action(name);
    if (action === undefined)
      return `--shadow ${name}: not declared in the actions file; shadowing compares slotwire's version with the fallback's`;
    const unsafe = unsafeToShadow(action);
    if (unsafe !== null) return `--shadow ${name}: cannot be shadowed: ${unsafe}`;
  }
  return null;
}

/**
 * Starts the fallback: its `/actions` is read once before this resolves,
 * then every `refreshMs`. Throws ShadowRefusedError for a --shadow action
 * that is not declared, or whose calls change data.
 */
export async function createFallback(options: FallbackOptions): Promise<Fallback> {
  const { url, engine, logger, observer, refreshMs = DEFAULT_FALLBACK_REFRESH_MS } = options;
  const refused = options.shadow === 'all' ? null : shadowProblem(engine, options.shadow ?? []);
  if (refused !== null) throw new ShadowRefusedError(refused);
  const forwarder = createForwarder({
    url,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  const shownUrl = shownUrlOf(url);
  let names: readonly string[] = [];
  let known: ReadonlySet<string> = new Set();
  let reachable: boolean | null = null;
  let lastError: string | null = null;
  const pending = new Set<Promise<void>>();
  const explicit = options.shadow === 'all' ? null : new Set(options.shadow ?? []);

  const note = (error: string | null): void => {
    reachable = error === null;
    if (error !== null) lastError = error;
  };

  async function refresh(): Promise<void> {
    const answer = await forwarder.get('actions');
    if (!answer.ok) return note(`GET /actions: ${answer.failure.reason}`);
    const listed = answer.status === 200 ? namesIn(answer.body) : null;
    if (listed === null) return note(`GET /actions answered ${answer.status} without a list of {name}`);
    names = listed;
    known = new Set(listed);
    note(null);
  }

  await refresh();
  const timer = refreshMs > 0 ? setInterval(() => void refresh(), refreshMs) : null;
  timer?.unref();

  // --shadow all: the declared actions it serves that may run twice, worked out again when either list changes.
  let allFor: { declared: readonly ActionInfo[]; known: ReadonlySet<string>; names: ReadonlySet<string> } | null = null;
  const isShadow = (name: string): boolean => {
    if (explicit !== null) return explicit.has(name);
    const declared = engine.actions();
    if (allFor?.declared !== declared || allFor.known !== known)
      allFor = {
        declared,
        known,
        names: new Set(declared.filter((a) => known.has(a.name) && unsafeToShadow(a) === null).map((a) => a.name)),
      };
    return allFor.names.has(name);
  };

  return {
    shownUrl,
    refresh,
    names: () => names,
    shadows: (name) => (explicit === null || explicit.size > 0) && isShadow(name),
    async forward(actionName, request) {
      const started = performance.now();
      const answer = await forwarder.forward(request);
      const label = known.has(actionName) ? actionName : '_other';
      observer?.forwarded(
        label,
        answer.ok ? String(answer.status) : answer.failure.kind,
        (performance.now() - started) / 1000,
      );
      // The front-end's line for the call says it failed; status and /ready keep why.
      note(answer.ok ? null : answer.failure.reason);
      return answer;
    },
    compare(action, slots, answer, run) {
      // A 449 is answered again with the domain: that call is the one compared.
      if (answer.ok && answer.status === 449) return;
      const done = compareInBackground(action, slots, answer, run).finally(() => pending.delete(done));
      pending.add(done);
    },
    status() {
      const declared = engine.actions();
      const shadowed = declared.filter((a) => known.has(a.name)).map((a) => a.name);
      return {
        url: shownUrl,
        reachable,
        last_error: lastError,
        actions: names.length,
        shadowed,
        shadow: declared.filter((a) => isShadow(a.name)).map((a) => a.name),
      };
    },
    async close() {
      if (timer !== null) clearInterval(timer);
      await Promise.allSettled(pending);
      await forwarder.close();
    },
  };

  async function compareInBackground(
    action: ActionInfo,
    slots: Readonly<Record<string, unknown>>,
    answer: Forwarded,
    run: () => Promise<WebhookOutcome>,
  ): Promise<void> {
    const { name } = action;
    // A reload may have given a shadowed action a call that changes data: it is then not run twice.
    const unsafe = unsafeToShadow(action);
    if (unsafe !== null) {
      observer?.shadowed(name, 'error');
      logger.warn({ action: name, result: 'error', reason: `not run: ${unsafe}` }, 'shadow');
      return;
    }
    let ours: WebhookOutcome;
    try {
      ours = await run();
    } catch (err) {
      ours = { ok: false, actionName: name, failure: { kind: 'crashed', message: String(err), requestBody: null } };
    }
    if (!answer.ok) {
      observer?.shadowed(name, 'error');
      logger.warn({ action: name, result: 'error', reason: `the fallback: ${answer.failure.reason}` }, 'shadow');
      return;
    }
    const theirEvents = eventsIn(answer.body);
    const ourEvents = ours.ok ? (ours.body?.events ?? []) : [];
    const hider = hiderFor(action, engine.secretValues(), slots, [theirEvents, ourEvents]);
    const { result, differences, reason } = compareAnswers(answer, ours, hider);
    observer?.shadowed(name, result);
    if (result === 'same') logger.debug({ action: name, result }, 'shadow');
    else if (result === 'error') logger.warn({ action: name, result, reason }, 'shadow');
    else
      logger.info(
        {
          action: name,
          result,
          differences: differences.slice(0, MAX_DIFFERENCES),
          ...(differences.length > MAX_DIFFERENCES ? { more: true } : {}),
        },
        'shadow',
      );
  }
}

/** The names of rasa-sdk's `/actions` answer, `[{name}, …]`; null when it is not that. */
function namesIn(body: Buffer): string[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const names = parsed.map((a: unknown) =>
    a !== null && typeof a === 'object' ? (a as { name?: unknown }).name : null,
  );
  return names.every((n): n is string => typeof n === 'string') ? names : null;
}

function eventsIn(body: Buffer): unknown {
  try {
    return (JSON.parse(body.toString('utf8')) as { events?: unknown } | null)?.events ?? [];
  } catch {
    return [];
  }
}
