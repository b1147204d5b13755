/**
 * The engine's surface: what every front-end (the HTTP and gRPC servers,
 * MCP, the authoring page, `slotwire run` and `test`, library users) knows
 * of slotwire's core. Nothing here is about HTTP servers or Rasa's
 * transport; every type a front-end needs is exported from engine/index.ts.
 */
import type { Context } from '@opentelemetry/api';
import type { Plan, ProgressPlan, ToolPlan, TrackerPart } from '../compile/index.js';
import type { Diagnostic, Env } from '../config/index.js';
import type { ActionError, ExecuteLogger } from '../execute/index.js';
import type { ConnectionPolicy, HttpClientOptions, HttpMethod, HttpOutcome, PreparedRequest } from '../http/index.js';
import type {
  ActionInput,
  BotMessage,
  CodeAction,
  DomainDict,
  EntityDict,
  RasaEvent,
  TrackerState,
} from '../rasa/index.js';
import type { StateStore, StoreHealth } from '../state/index.js';

export type { ActionError };

/** Options of `createEngine`. */
export interface EngineOptions {
  /** The actions file. Default: none (code actions only) */
  readonly actionsFile?: string;
  /**
   * The file compiled already (`loadPlan`'s answer, with a plan), served as
   * the first version so it is not compiled twice, its warnings logged as the
   * engine's own; `actionsFile`, when given too, is what reloads read.
   * Default: the engine compiles `actionsFile`
   */
  readonly compiled?: { readonly plan: Plan; readonly diagnostics: readonly Diagnostic[] };
  /** Where `${VAR}` in connections comes from. Default: an empty environment */
  readonly env?: Env;
  /**
   * An engine to run this one action (`slotwire run`, the studio's runs):
   * only the `${VAR}`s of the connections it calls must be set; another
   * connection missing one keeps `${NAME}` as written, so the other actions
   * are not for running. Default: every connection's variables must be set
   */
  readonly forAction?: string;
  /** TypeScript actions served beside the YAML ones; a name in both is an error. Default: none */
  readonly codeActions?: readonly CodeAction[];
  /** Watch the actions file and swap in each good version. Default: false */
  readonly autoReload?: boolean;
  /**
   * Where OAuth2 tokens, de-duplication records and shared cached responses
   * live: a shared store (connectRedisState) for several replicas. The
   * caller closes it. Breakers and unshared caches stay in memory. Default: this process's memory
   */
  readonly state?: StateStore;
  /** Where warnings about failing actions go. Default: nowhere */
  readonly logger?: EngineLogger;
  /** Options of the upstream HTTP client (tests inject clocks or dispatchers; telemetry its observer). Default: none */
  readonly http?: Omit<HttpClientOptions, 'state'>;
  /** Told of every run (metrics, traces; runtime/telemetry). Default: none */
  readonly observer?: EngineObserver;
}

/** What the engine reports of its runs. Action names come from the file: bounded labels. */
export interface EngineObserver {
  /**
   * A run of a served action starts; what it returns ends it.
   * @param trace - the context the front-end runs it in (its server span), if any
   */
  run(action: ActionInfo, input: ActionInput, trace: Context | undefined): RunWatch;
  /** The shared state store could not answer for `use` (docs/deploy.md says what happens then). */
  storeUnavailable?(use: StoreUse): void;
}

/** What a record in the state store is for. */
export type StoreUse = 'token' | 'cache' | 'dedupe';

/** One run being watched. */
export interface RunWatch {
  /** The context the run's upstream calls continue (the action's span); undefined when not tracing. */
  readonly trace: Context | undefined;
  /** The run ended with `result`, or threw `error` (result null). */
  end(result: RunResult | null, error?: unknown): void;
}

/** The part of a pino logger the engine uses. */
export interface EngineLogger extends ExecuteLogger {
  error(obj: object, msg: string): void;
}

/** A call as Rasa makes it (the webhook's and gRPC's input). */
export interface TrackerInput {
  /** The tracker, with rasa-sdk's defaults filled (`trackerFromDict`). */
  readonly tracker: TrackerState;
  /** The domain, when known. Default: null */
  readonly domain?: DomainDict | null;
  /** The conversation. Default: `tracker.sender_id` */
  readonly senderId?: string;
  /** Rasa's version, when sent. Default: null */
  readonly version?: string | null;
}

/** Plain values, for callers that are not Rasa (MCP tools, scripts, `slotwire run`). */
export interface PlainInput {
  /** Slot values by name. Default: none */
  readonly slots?: Readonly<Record<string, unknown>>;
  /** The latest user message. Default: none */
  readonly message?: {
    readonly text?: string;
    /** An intent name. */
    readonly intent?: string;
    /** Entities as Rasa lists them, or a name → value map. */
    readonly entities?: readonly EntityDict[] | Readonly<Record<string, unknown>>;
    /** Names the user turn (Idempotency-Key, de-duplication). Default: none, every run is a new turn */
    readonly messageId?: string;
  };
  /** The conversation. Default: "slotwire" */
  readonly senderId?: string;
  /** The domain, for actions that read it. Default: null */
  readonly domain?: DomainDict | null;
}

/** What `run` accepts: a Rasa call (it has `tracker`) or plain values. */
export type RunInput = TrackerInput | PlainInput;

/** How a run ended, for callers that are not Rasa. */
export type RunOutcome =
  /** the success outcome ran */
  | { readonly status: 'ok' }
  /** a call or an expression failed; the on_error outcome (if any) ran */
  | { readonly status: 'error'; readonly error: ActionError }
  /** the action rejected execution (Rasa: 400, another action is predicted) */
  | { readonly status: 'rejected'; readonly message: string }
  /**
   * `hold` kept a call back (a dry run, a call that changes data without
   * consent): the run stopped there and no outcome ran, so nothing here is
   * what Rasa would get. Only with `RunOptions.hold`.
   */
  | { readonly status: 'held'; readonly message: string; readonly request: PreparedRequest };

/** Events and messages as the webhook returns them, and how the run ended. */
export interface RunResult {
  readonly events: RasaEvent[];
  readonly responses: BotMessage[];
  readonly outcome: RunOutcome;
  /** True when a de-duplicated re-run answered with an earlier run's result (`dedupe:`). */
  readonly replayed: boolean;
}

/** One upstream call of a run, as sent, and what came back. */
export interface CallRecord {
  readonly request: PreparedRequest;
  readonly outcome: HttpOutcome;
  /** The step it is for: its `name:`, or `response` for an action with `request:`; null when not known (code actions). */
  readonly step: string | null;
}

/** Per-run options for tools that watch or hold back calls (`slotwire run`, `test`). */
export interface RunOptions {
  /** Called with each upstream call once it ended, in order. Default: none */
  readonly onCall?: (call: CallRecord) => void;
  /**
   * Holds a call back: return why it is not sent, or null to send it. The
   * run stops at a held call, runs no outcome, and ends `held` (with the
   * request that was not sent); `onCall` sees the call with code
   * SW_ACTION_NOT_SENT. Default: every call is sent
   */
  readonly hold?: (request: PreparedRequest) => string | null;
  /** The trace context the run continues (a front-end's server span); its upstream calls carry it on. Default: none */
  readonly trace?: Context;
}

/** One served action, as `actions()` lists it. */
export interface ActionInfo {
  readonly name: string;
  /** From actions.yml; null for code actions and actions without one. */
  readonly description: string | null;
  readonly kind: 'yaml' | 'code';
  /** False: a front-end never needs to fetch the domain for it (docs/protocol.md#the-domain-digest-and-449). */
  readonly readsDomain: boolean;
  /** Slots its expressions read by name. Empty for code actions (unknown). */
  readonly slotsRead: readonly string[];
  /** True when it reads every slot (or, for a code action, when unknown). */
  readonly readsAllSlots: boolean;
  /** Slots it may set. Empty for code actions (unknown). */
  readonly slotsSet: readonly string[];
  /** Top-level tracker fields it reads; ['*'] for code actions. */
  readonly trackerParts: readonly TrackerPart[];
  /** Slots whose values must never be shown (`sensitive:`): logs, tool output, fixtures. */
  readonly sensitiveSlots: readonly string[];
  /** The HTTP methods of its calls, each once; null for code actions (unknown). */
  readonly methods: readonly HttpMethod[] | null;
  /** How it is served as an MCP tool (`tool:`); null when it is not one, as for code actions. */
  readonly tool: ToolPlan | null;
  /** What to say while it runs (`progress:`), for front-ends that can stream (gRPC); empty for code actions. */
  readonly progress: readonly ProgressPlan[];
}

/** What a reload did. */
export type ReloadEvent =
  | { readonly ok: true; readonly changed: boolean; readonly hash: string | null; readonly actions: number }
  | { readonly ok: false; readonly error: string; readonly diagnostics: readonly Diagnostic[] };

/** Where the engine stands (for /health, /ready and logs). Holds no secrets. */
export interface EngineStatus {
  /** Actions served now. */
  readonly actions: number;
  /** sha256 (first 16 hex digits) of the file text served; null without a file. */
  readonly hash: string | null;
  /** Why the last reload was refused, until a good reload; positions and codes only, never values. */
  readonly lastReloadError: string | null;
  /** Counts the versions served: 1 for the first, +1 per good reload that changed something. */
  readonly generation: number;
  /** When the version served now was loaded (ISO 8601). */
  readonly loadedAt: string;
  /** When the file was last re-read, good or refused (ISO 8601); null before the first reload. */
  readonly lastReloadAt: string | null;
  /** The state store and whether it answers now (memory always does). */
  readonly state: StoreHealth;
}

/** The core of slotwire: a compiled actions file, its HTTP client and its state. */
export interface Engine {
  /**
   * Runs an action on the version served now. An upstream failure is an
   * outcome, never a throw. Throws EngineError for an unknown action or a
   * closed engine; a code action's own crash propagates.
   */
  run(action: string, input: RunInput, options?: RunOptions): Promise<RunResult>;
  /** The action with that name, or undefined. */
  action(name: string): ActionInfo | undefined;
  /** Every served action, in file order, then code actions. */
  actions(): readonly ActionInfo[];
  /** Re-reads the actions file; a bad file keeps the current version. */
  reload(): Promise<ReloadEvent>;
  /** Calls `listener` after every reload; returns a function that stops it. */
  onReload(listener: (event: ReloadEvent) => void): () => void;
  /** Where the engine stands. */
  status(): EngineStatus;
  /** The served version's connections, their secrets as `***` (for showing a request as it is sent). */
  connections(): readonly ConnectionPolicy[];
  /** The served version's secret values (what `${VAR}` put into connections): show each as `***` wherever it appears. */
  secretValues(): ReadonlySet<string>;
  /** Stops watching, waits for running actions, closes the pools (and the state store, when the engine made it). */
  close(): Promise<void>;
}
