/**
 * What the authoring page and its server say to each other (JSON over
 * `/api/…`, docs/studio.md). Types only: the page (runtime/studio/page/)
 * imports them too, so nothing here may pull in node code.
 */

/** A problem in the actions file, as `slotwire validate` reports it. */
export interface StudioDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly hint: string;
  /** The file it is in (the actions file, or the domain), relative to the studio's folder when inside it. */
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** A slot an action reads, and how the form asks for it. */
export interface StudioSlotInput {
  readonly name: string;
  /**
   * The value's type for the form: from the domain (--project/--domain),
   * else from the values the test file gives it, else `any` (JSON or text).
   */
  readonly type: 'text' | 'number' | 'boolean' | 'choice' | 'list' | 'any';
  /** For `choice`: the values allowed. */
  readonly choices: readonly string[];
  /** Where the type came from. */
  readonly from: 'domain' | 'tests' | null;
  /** A `sensitive:` slot: the form hides what is typed, results show `***`. */
  readonly sensitive: boolean;
}

/** A test case that can answer an action's calls (its `http:` fixtures). */
export interface StudioFixture {
  /** Index in the test file's `tests:` list. */
  readonly index: number;
  readonly name: string;
  /** The case's slot values (sensitive ones as `***`), to fill the form. */
  readonly slots: Readonly<Record<string, unknown>>;
}

/** One action of the file, as the list and the form show it. */
export interface StudioAction {
  readonly name: string;
  readonly description: string | null;
  /** The connections its calls go to, in order. */
  readonly connections: readonly string[];
  /** `GET /path` per call, as written (templates unrendered). */
  readonly calls: readonly string[];
  /** True when a call changes data (POST, PUT, PATCH, DELETE): live runs ask first. */
  readonly changesData: boolean;
  readonly reads: readonly StudioSlotInput[];
  /** Slots it may set (a mapping's target list starts with these). */
  readonly sets: readonly string[];
  /** Test cases of this action that have fixtures. */
  readonly fixtures: readonly StudioFixture[];
  /** Where the action's name is in the file. */
  readonly line: number;
}

/** `GET /api/state`: the file as it is on disk now. */
export interface StudioState {
  /** The actions file, as given on the command line. */
  readonly file: string;
  /** The test file the page reads fixtures from and saves cases to. */
  readonly testFile: string;
  /** Counts the versions seen: +1 each time the file changed on disk. */
  readonly version: number;
  /** False when the file has errors: the actions listed are those of the last good version. */
  readonly ok: boolean;
  readonly diagnostics: readonly StudioDiagnostic[];
  readonly actions: readonly StudioAction[];
  /** Slot names of the domain, when a project is given (mapping targets). */
  readonly domainSlots: readonly string[];
}

/** How to run: answered by a test case's fixtures, the live API, or nothing sent. */
export type StudioRunMode = 'fixture' | 'live' | 'dry-run';

/** `POST /api/run`. */
export interface StudioRunRequest {
  readonly action: string;
  /** Slot values; in a fixture run, `***` for a sensitive slot means "the case's value" (the page was never shown it). */
  readonly slots: Readonly<Record<string, unknown>>;
  readonly mode: StudioRunMode;
  /** For `fixture`: the case whose `http:` answers (its index in the test file). */
  readonly fixture?: number;
  /** For `live`: send calls that change data (the page asked the user first). */
  readonly confirmed?: boolean;
}

/** One upstream call as the page shows it: secrets and sensitive values are `***`. */
export interface StudioExchange {
  /** The step it belongs to (`response` for an action with `request:`). */
  readonly step: string;
  /** What a mapping reads this call's body as: `response.body` or `steps.<name>.body`. */
  readonly bodyPath: string;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    /** The body as sent (text), or null. */
    readonly body: string | null;
  };
  /** What came back; null when nothing did (network error, timeout, not sent). */
  readonly response: {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    /** Parsed JSON, or text. */
    readonly body: unknown;
  } | null;
  readonly timeMs: number;
  readonly attempts: number;
  readonly fromCache: boolean;
  /** Why the call failed or was not sent; null when it succeeded. */
  readonly error: { readonly kind: string; readonly code: string | null; readonly message: string } | null;
  /** True when it was held back (a dry run, a change not confirmed). */
  readonly held: boolean;
}

/** `POST /api/run` (and `/api/map`): what the run did, as a person reads it. */
export interface StudioRunResult {
  /** Names this run for `/api/map` and `/api/save-test`, while the studio runs. */
  readonly runId: string;
  readonly action: string;
  readonly mode: StudioRunMode;
  readonly exchanges: readonly StudioExchange[];
  /** ok, error (on_error ran), rejected, or held (a call was kept back: no outcome ran). */
  readonly outcome: {
    readonly status: 'ok' | 'error' | 'rejected' | 'held';
    readonly message: string | null;
    readonly error: {
      readonly kind: string;
      readonly reason: string | null;
      readonly status: number | null;
      readonly code: string;
      readonly message: string;
    } | null;
  };
  /** The slots it set, in order. */
  readonly slots: readonly { readonly name: string; readonly value: unknown; readonly sensitive: boolean }[];
  /** What the bot would say. */
  readonly messages: readonly Readonly<Record<string, unknown>>[];
  /** Events other than slots (followups, resets…). */
  readonly events: readonly Readonly<Record<string, unknown>>[];
  /** What the engine warned about during the run. */
  readonly warnings: readonly string[];
  /** True when a held call changes data: a live run with `confirmed` would send it. */
  readonly needsConfirmation: boolean;
}

/** `POST /api/map`: set a slot to a field of a run's response. */
export interface StudioMapRequest {
  readonly runId: string;
  /** Which exchange of the run (its index in `exchanges`). */
  readonly exchange: number;
  /** The field, from the body's root: names and list indexes. */
  readonly path: readonly (string | number)[];
  readonly slot: string;
}

/** What `/api/map` did. */
export interface StudioMapResult {
  /** The expression written, e.g. `{{ response.body.times[0].time }}`. */
  readonly expression: string;
  /** The line of the actions file it is on. */
  readonly line: number;
  /** The run again, on the same answers, with the new mapping. */
  readonly run: StudioRunResult;
}

/** `POST /api/save-test`: the run as a `slotwire test` case. */
export interface StudioSaveTestRequest {
  readonly runId: string;
  readonly name: string;
}

/** What `/api/save-test` did. */
export interface StudioSaveTestResult {
  readonly testFile: string;
  /** The case's line in the test file. */
  readonly line: number;
}

/** Every error answer: what went wrong, its code, and the request field it is about, if one. */
export interface StudioError {
  readonly error: string;
  /**
   * What went wrong, to match on (never the wording): an `SW_STUDIO_*` code
   * (docs/studio.md, Error codes), or validate's or the engine's code when
   * they name the problem too (`SW_DOMAIN_UNKNOWN_SLOT`, `SW_FILE_TOO_LARGE`).
   */
  readonly code: string;
  readonly field?: string;
  /** With a code from validate or the engine: how to fix this case (for an unknown slot, the domain entry to add). */
  readonly hint?: string;
}
