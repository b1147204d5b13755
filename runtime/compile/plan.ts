/**
 * The compiled plan: everything the executor needs, decided at load. Nothing
 * here is parsed or compiled per request. The plan knows nothing of HTTP
 * servers, so another front-end can serve the same actions.
 */
import type { ConnectionPolicy, HttpMethod } from '../http/index.js';
import type { CompiledValue } from './template.js';

/** A whole actions.yml, ready to run. */
export interface Plan {
  readonly actions: ReadonlyMap<string, ActionPlan>;
  readonly connections: readonly ConnectionPolicy[];
  /** What `${VAR}` put into connections' credentials (config's LoadResult.secrets): shown as `***` wherever it appears. */
  readonly secrets: ReadonlySet<string>;
}

/** An action as an MCP tool (`tool:`, docs/mcp.md). */
export interface ToolPlan {
  /** The tool's name: `tool.name`, else the action's. */
  readonly name: string;
  /** Slots it may be called without; every other slot the action reads is required. */
  readonly optional: readonly string[];
}

/** An action's `dedupe:`. */
export interface DedupePolicy {
  readonly windowMs: number;
  /** When the shared state store cannot answer: call nothing and run on_error, or de-duplicate in this process only. */
  readonly ifStoreDown: 'fail' | 'run';
}

/**
 * One `progress:` message: said `afterMs` after the run started, then every
 * `everyMs` while it still runs. Only a streaming front-end says it (gRPC
 * WebhookStream); the plan does not know how.
 */
export interface ProgressPlan {
  readonly afterMs: number;
  /** null: said once */
  readonly everyMs: number | null;
  /** said as written; null when `response` is given */
  readonly text: string | null;
  /** a domain response to say (resolved per call, from the domain Rasa sent); null when `text` is given */
  readonly response: string | null;
}

/** One action. */
export interface ActionPlan {
  readonly name: string;
  readonly description: string | null;
  /** Bounds the whole action: every attempt, backoff and step. */
  readonly deadlineMs: number;
  /** `dedupe:`: how long a run's result answers re-runs of the same user turn; null when off. */
  readonly dedupe: DedupePolicy | null;
  /** `progress:`, in file order; empty when none. */
  readonly progress: readonly ProgressPlan[];
  /** True when any expression reads `domain` (or it validates a form); else the server never answers 449. */
  readonly readsDomain: boolean;
  /** What it reads of a call and may write back. */
  readonly footprint: ActionFootprint;
  readonly reject: { readonly when: CompiledValue; readonly message: CompiledValue | null } | null;
  /**
   * The calls, group by group; a group of more than one step runs in
   * parallel. An action with `request:` has one group with one step named
   * `response`, and its mappings read `response`.
   */
  readonly groups: readonly (readonly StepPlan[])[];
  /** True for `request:` (mappings read `response`), false for `steps:`. */
  readonly single: boolean;
  readonly success: OutcomePlan;
  readonly onError: OutcomePlan | null;
  readonly validate: ValidatePlan | null;
  /** Slot names masked in logs and run output. */
  readonly sensitive: ReadonlySet<string>;
  /** How it is served as an MCP tool; null when it is not one. */
  readonly tool: ToolPlan | null;
}

/** A top-level field of Rasa's tracker (docs/protocol.md#the-request), or '*' for all of it. */
export type TrackerPart =
  | 'slots'
  | 'latest_message'
  | 'events'
  | 'latest_event_time'
  | 'sender_id'
  | 'followup_action'
  | 'paused'
  | 'stack'
  | 'latest_input_channel'
  | 'active_loop'
  | 'latest_action'
  | 'latest_action_name'
  | 'user_id'
  | '*';

/**
 * What an action reads of a call and may write back, recorded by the
 * compiler (footprint.ts) for front-ends: MCP tool schemas, the domain
 * cross-check, and a webhook that builds only what is read.
 */
export interface ActionFootprint {
  /** Slots its expressions read by name (`slots.city`). */
  readonly slotsRead: readonly string[];
  /** True when an expression reads the slots as a whole (`$keys(slots)`, `slots[...]`, `tracker.slots`, `$$`). */
  readonly readsAllSlots: boolean;
  /** Slots it may set: its outcomes' `slots:` and the validated slots. */
  readonly slotsSet: readonly string[];
  /** Top-level tracker fields it reads; '*' when it reads the tracker whole. */
  readonly trackerParts: readonly TrackerPart[];
  /** True when it needs the domain. */
  readonly readsDomain: boolean;
  /** The HTTP methods of its calls, each once, in file order: whether running it twice changes data twice. */
  readonly methods: readonly HttpMethod[];
}

/** One named call. */
export interface StepPlan {
  readonly name: string;
  readonly when: CompiledValue | null;
  readonly request: RequestPlan;
}

/** A request template: rendered per call, never re-parsed. */
export interface RequestPlan {
  readonly connection: string;
  readonly method: HttpMethod;
  /** Literal text and expressions; expression results are encoded as one path segment each. */
  readonly path: CompiledValue;
  readonly query: readonly (readonly [string, CompiledValue])[];
  readonly headers: readonly (readonly [string, CompiledValue])[];
  readonly body: { readonly kind: 'json' | 'form' | 'text'; readonly value: CompiledValue } | null;
  readonly expect: 'auto' | 'json' | 'text';
  readonly successWhen: CompiledValue | null;
  readonly allowUnsafeRetry: boolean;
  /** Attempts for this request when it overrides the connection's retry. */
  readonly retry: { readonly attempts: number; readonly backoffMs: number; readonly maxBackoffMs: number } | null;
  readonly idempotencyKey: boolean;
  readonly cache: { readonly ttlMs: number; readonly maxEntries: number; readonly shared: boolean } | null;
}

/** Slots, messages and events of one outcome (success or on_error). */
export interface OutcomePlan {
  readonly slots: readonly (readonly [string, CompiledValue])[];
  readonly responses: readonly MessagePlan[];
  readonly events: readonly EventPlan[];
}

/** One bot message; `fields` are the rasa-sdk message keys, `variables` fill a domain response. */
export interface MessagePlan {
  readonly when: CompiledValue | null;
  readonly fields: readonly (readonly [string, CompiledValue])[];
  readonly variables: readonly (readonly [string, CompiledValue])[];
}

/** One event besides slots and messages, by its Rasa `event` name. */
export interface EventPlan {
  readonly when: CompiledValue | null;
  readonly event: string;
  readonly fields: readonly (readonly [string, CompiledValue])[];
}

/** How one slot value is checked (`value` is visible to the expressions). */
export interface SlotCheckPlan {
  readonly acceptWhen: CompiledValue | null;
  readonly normalize: CompiledValue | null;
  readonly onReject: {
    readonly slots: readonly (readonly [string, CompiledValue])[];
    readonly responses: readonly MessagePlan[];
  };
}

/** The validation sugar: one CALM slot, or the slots of an NLU form. */
export type ValidatePlan =
  | { readonly kind: 'slot'; readonly slot: string; readonly check: SlotCheckPlan }
  | { readonly kind: 'form'; readonly form: string; readonly checks: ReadonlyMap<string, SlotCheckPlan> };
