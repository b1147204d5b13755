/**
 * One served version of the actions file: its plan, its HTTP client and
 * its actions, swapped as a whole by a reload, never edited. A generation
 * counts the runs that started on it; once retired by a reload it closes its
 * client when the last of them ends (or, as a backstop, when the longest
 * deadline of its actions has passed), so a run that is between two steps
 * during a reload finishes on the pools it started with (docs/engine.md#reloads).
 */
import type { ActionEntry, ServablePlan } from '../compile/index.js';
import { runAction, userTurnId } from '../execute/index.js';
import { maskedConnection, maskText, secretValuesOf } from '../http/index.js';
import type { ConnectionPolicy, HttpClient, PreparedRequest, UpstreamRegistry } from '../http/index.js';
import { ActionNameClashError, ActionRejection, defaultRejectionMessage, serveCodeAction } from '../rasa/index.js';
import type { ActionInput, CodeAction } from '../rasa/index.js';
import { dedupedRun } from './dedupe.js';
import { maskedLogger } from './masked-logger.js';
import type { DedupeRefusal } from './dedupe.js';
import { refusingClient, runClient } from './observe.js';
import type { EngineStores } from './stores.js';
import type { ActionInfo, EngineLogger, RunOptions, RunResult } from './types.js';

/** Why a `dedupe:` action called nothing. */
const DEDUPE_REFUSALS = {
  'store-down': {
    code: 'SW_DEDUPE_STORE_DOWN',
    message: 'not sent: the state store that de-duplicates this action cannot answer (if_store_down: fail)',
  },
  'in-progress': {
    code: 'SW_DEDUPE_IN_PROGRESS',
    message: "not sent: another run of this user turn was still in progress at this run's deadline",
  },
} as const;

/** Extra time a retired generation waits past its longest deadline before closing anyway. */
const RETIRE_SLACK_MS = 5 * 1000; // 5 s

/** An action of a generation: what `actions()` says of it, and how to run it. */
export interface GenerationAction {
  readonly info: ActionInfo;
  run(input: ActionInput, options: RunOptions): Promise<RunResult>;
}

/** A served version. */
export interface Generation {
  /** sha256 prefix of the file text; null without a file. */
  readonly hash: string | null;
  /** The connections, their secrets masked, for showing a request as it is sent. */
  readonly connections: readonly ConnectionPolicy[];
  /** Every secret value of the connections, for masking what is shown or logged. */
  readonly secrets: ReadonlySet<string>;
  readonly actions: ReadonlyMap<string, GenerationAction>;
  readonly list: readonly ActionInfo[];
  /** Enters a run: the generation stays open until `leave()`. */
  enter(): void;
  leave(): void;
  /** No new runs will come: close once the running ones ended. */
  retire(): void;
  /** Closes now, waiting for the pools' in-flight requests. */
  close(): Promise<void>;
}

/** What a generation is built from. */
export interface GenerationSource {
  readonly plan: ServablePlan | null;
  readonly hash: string | null;
  readonly codeActions: readonly CodeAction[];
  readonly upstreams: UpstreamRegistry;
  readonly stores: EngineStores;
  readonly logger: EngineLogger;
}

/**
 * Builds a generation. Throws ActionNameClashError when a YAML and a code
 * action share a name.
 */
export function createGeneration(source: GenerationSource): Generation {
  const { plan, hash, codeActions, upstreams, stores } = source;
  const secrets = secretValuesOf(plan?.connections ?? [], plan?.secrets ?? new Set());
  const connections = (plan?.connections ?? []).map((c) => maskedConnection(c, secrets));
  const logger = maskedLogger(source.logger, secrets);
  const actions = new Map<string, GenerationAction>();
  const add = (action: GenerationAction): void => {
    if (actions.has(action.info.name)) throw new ActionNameClashError(action.info.name);
    actions.set(action.info.name, action);
  };
  const client = plan === null ? null : upstreams.client(plan.connections);
  try {
    // File order first, then code actions (as GET /actions lists them).
    for (const action of plan?.actions.values() ?? [])
      add(yamlAction(action, client as HttpClient, stores, logger, secrets));
    for (const action of codeActions) add(codeAction(action));
  } catch (err) {
    void client?.close();
    throw err;
  }
  const list = [...actions.values()].map((a) => a.info);
  const longestDeadline = Math.max(0, ...[...(plan?.actions.values() ?? [])].map((a) => a.deadlineMs));

  let running = 0;
  let retired = false;
  let backstop: NodeJS.Timeout | null = null;
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    if (backstop !== null) clearTimeout(backstop);
    closing ??= client?.close() ?? Promise.resolve();
    return closing;
  };
  return {
    hash,
    connections,
    secrets,
    actions,
    list,
    enter() {
      running += 1;
    },
    leave() {
      running -= 1;
      if (retired && running === 0) void close();
    },
    retire() {
      retired = true;
      if (running === 0) {
        void close();
        return;
      }
      backstop = setTimeout(() => void close(), longestDeadline + RETIRE_SLACK_MS);
      backstop.unref();
    },
    close,
  };
}

function yamlAction(
  entry: ActionEntry,
  client: HttpClient,
  stores: EngineStores,
  logger: EngineLogger,
  secrets: ReadonlySet<string>,
): GenerationAction {
  const { footprint } = entry;
  const info: ActionInfo = {
    name: entry.name,
    // Listed to anyone who asks (/actions, MCP tools): a secret's text written into it is masked as everywhere.
    description: entry.description === null ? null : maskText(entry.description, secrets),
    kind: 'yaml',
    readsDomain: footprint.readsDomain,
    slotsRead: footprint.slotsRead,
    readsAllSlots: footprint.readsAllSlots,
    slotsSet: footprint.slotsSet,
    trackerParts: footprint.trackerParts,
    sensitiveSlots: entry.sensitive,
    methods: footprint.methods,
    tool: entry.tool,
    progress: entry.progress,
  };
  /** @param msLeft - the deadline, when less than the action's is left (a de-duplicated run that waited) */
  const runOnce = async (
    input: ActionInput,
    options: RunOptions,
    inner: HttpClient = client,
    msLeft?: number,
  ): Promise<RunResult> => {
    const full = entry.plan();
    const plan = msLeft === undefined ? full : { ...full, deadlineMs: msLeft };
    let held: { message: string; request: PreparedRequest } | null = null;
    const guard = options.hold;
    const hold =
      guard === undefined
        ? undefined
        : (request: PreparedRequest): string | null => {
            const why = guard(request);
            if (why !== null) held ??= { message: why, request };
            return why;
          };
    const http = runClient(inner, hold === undefined ? options : { ...options, hold });
    try {
      const run = await runAction(plan, input, { http, logger, trace: options.trace });
      // The held call failed the run on purpose: what on_error made of it is not what Rasa would get.
      if (held !== null)
        return {
          events: [],
          responses: [],
          outcome: { status: 'held', ...(held as { message: string; request: PreparedRequest }) },
          replayed: false,
        };
      return {
        events: run.events,
        responses: run.responses,
        outcome: run.error ? { status: 'error', error: run.error } : { status: 'ok' },
        replayed: false,
      };
    } catch (err) {
      if (err instanceof ActionRejection) return rejected(entry.name, err);
      throw err;
    }
  };
  return {
    info,
    run(input, options) {
      const { dedupe, deadlineMs } = entry.plan();
      if (dedupe === null) return runOnce(input, options);
      const target = {
        state: stores.dedupe,
        local: stores.local,
        ifStoreDown: dedupe.ifStoreDown,
        onStoreDown: (error: unknown) => stores.unavailable('dedupe', error),
        action: entry.name,
        senderId: input.senderId,
        turnId: userTurnId(input.tracker),
        windowMs: dedupe.windowMs,
        deadlineMs,
      };
      return dedupedRun(
        target,
        (msLeft: number) => runOnce(input, options, client, msLeft),
        (why: DedupeRefusal) => runOnce(input, options, refusingClient(client, DEDUPE_REFUSALS[why])),
      );
    },
  };
}

function codeAction(action: CodeAction): GenerationAction {
  const served = serveCodeAction(action);
  const info: ActionInfo = {
    name: action.name,
    description: null,
    kind: 'code',
    readsDomain: served.readsDomain,
    // Code is opaque to the compiler: it may read anything.
    slotsRead: [],
    readsAllSlots: true,
    slotsSet: [],
    trackerParts: ['*'],
    sensitiveSlots: [],
    methods: null,
    tool: null,
    progress: [],
  };
  return {
    info,
    async run(input) {
      try {
        const { events, responses } = await served.run(input);
        return { events, responses, outcome: { status: 'ok' }, replayed: false };
      } catch (err) {
        if (err instanceof ActionRejection) return rejected(action.name, err);
        throw err;
      }
    },
  };
}

function rejected(name: string, err: ActionRejection): RunResult {
  return {
    events: [],
    responses: [],
    outcome: { status: 'rejected', message: err.usesDefaultMessage ? defaultRejectionMessage(name) : err.message },
    replayed: false,
  };
}
