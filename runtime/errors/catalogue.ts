/**
 * The catalogue of every code a running action, the engine or the server
 * can produce, in the manner of fastify's `lib/errors.js` and beside the
 * load-time catalogue (config/diagnostics.ts). Codes are stable: tools and
 * flows match on them (`error.code` in on_error), never on wording, and a
 * retired code is never reused. docs/errors.md has one row per code; a test
 * keeps the two in step.
 *
 * Upstream codes sit under the `error.kind` a flow branches on
 * (docs/actions-yml.md#errors-on_error); the low-level cause (an errno such as
 * ECONNREFUSED, an undici code) travels beside the code as `cause`, for logs.
 */

/** Where a code comes from. */
export type ErrorArea = 'upstream' | 'token' | 'action' | 'engine' | 'webhook';

/** One catalogue entry (docs/errors.md has the same columns). */
export interface RuntimeErrorEntry {
  readonly area: ErrorArea;
  /** What happened. */
  readonly meaning: string;
  /** What to do about it. */
  readonly hint: string;
}

export const runtimeErrors = {
  // --- upstream calls (runtime/http): error.kind given first ----------------
  SW_UPSTREAM_STATUS: {
    area: 'upstream',
    meaning: 'status: the upstream answered outside 2xx; error.reason says which family',
    hint: 'Branch on error.reason (bad_request, rejected, not_found, rate_limited, unavailable, other) in on_error.',
  },
  SW_UPSTREAM_SUCCESS_WHEN: {
    area: 'upstream',
    meaning: "status: the answer arrived but the request's success_when was false",
    hint: 'Check success_when against a recorded answer (slotwire run).',
  },
  SW_UPSTREAM_ATTEMPT_TIMEOUT: {
    area: 'upstream',
    meaning: "timeout: one attempt took longer than the connection's timeout; it may be retried",
    hint: "Raise the connection's timeout, or add retry attempts.",
  },
  SW_UPSTREAM_DEADLINE: {
    area: 'upstream',
    meaning: "timeout: the action's deadline passed; no further attempt is made",
    hint: "Raise the action's deadline, or lower timeout × attempts (slotwire validate warns when they cannot fit).",
  },
  SW_UPSTREAM_NETWORK: {
    area: 'upstream',
    meaning: 'network: the connection failed (refused, reset, DNS, TLS); `cause` holds the system code',
    hint: 'Check base_url, the network path and the TLS settings; the log line has the cause.',
  },
  SW_UPSTREAM_PARSE: {
    area: 'upstream',
    meaning: 'parse: a 2xx whose body is not what was expected (e.g. an HTML page where JSON was expected)',
    hint: "Check the upstream's content type, or set expect: text.",
  },
  SW_UPSTREAM_TOO_LARGE: {
    area: 'upstream',
    meaning: "too_large: the body exceeded the connection's limits.max_response_size and was cut off",
    hint: 'Raise limits.max_response_size, or ask the API for less (paging, fields).',
  },
  SW_UPSTREAM_CIRCUIT_OPEN: {
    area: 'upstream',
    meaning: "circuit_open: the connection's circuit breaker is open; nothing was sent",
    hint: 'The upstream failed repeatedly; a probe is let through after the cooldown.',
  },
  SW_UPSTREAM_REDIRECT_LIMIT: {
    area: 'upstream',
    meaning: 'status: more redirects than slotwire follows (5)',
    hint: 'Point base_url or the path at the final location.',
  },
  SW_UPSTREAM_REDIRECT_SCHEME: {
    area: 'upstream',
    meaning: 'status: a redirect to a location that is not http(s) was refused',
    hint: 'Point base_url or the path at the final location.',
  },
  SW_UPSTREAM_REDIRECT_CROSS_ORIGIN: {
    area: 'upstream',
    meaning: 'status: a redirect to another origin was refused (redirects: same_origin)',
    hint: 'Set redirects: any on the connection if the other origin is trusted.',
  },

  // --- OAuth2 token endpoint (runtime/http/auth.ts) ---------------------------
  SW_TOKEN_STATUS: {
    area: 'token',
    meaning: 'status: the token endpoint refused the client credentials or failed',
    hint: 'Check token_url, client_id and client_secret (the variables behind them).',
  },
  SW_TOKEN_PARSE: {
    area: 'token',
    meaning: 'parse: the token endpoint answered without an access_token',
    hint: 'Check token_url: it must be the OAuth2 token endpoint.',
  },
  SW_TOKEN_TIMEOUT: {
    area: 'token',
    meaning: "timeout: the token endpoint did not answer within the connection's timeout",
    hint: "Check the token endpoint, or raise the connection's timeout.",
  },

  // --- running an action (runtime/execute) -------------------------------------
  SW_ACTION_EXPRESSION: {
    area: 'action',
    meaning: 'expression: an expression failed or hit a bound while the action ran',
    hint: 'Run the action with slotwire run to see the failing expression and its input.',
  },
  SW_EVAL_TOO_LARGE: {
    area: 'action',
    meaning:
      'expression: a value an expression built passed the size bound (1 000 000 characters, counted through shared parts); in error.message, under SW_ACTION_EXPRESSION',
    hint: 'Build less: take fields of the answer rather than whole documents (docs/actions-yml.md, Bounds).',
  },
  SW_EVAL_REGEX_INPUT: {
    area: 'action',
    meaning:
      'expression: a regular expression was given more than 100 000 characters to search; in error.message, under SW_ACTION_EXPRESSION',
    hint: 'Search a shorter value, e.g. one field of the answer.',
  },
  SW_EVAL_PICTURE: {
    area: 'action',
    meaning:
      'expression: a picture or width ($formatNumber, $formatInteger, $pad…) passed 1 000 characters; in error.message, under SW_ACTION_EXPRESSION',
    hint: 'Use a shorter picture or width.',
  },
  SW_ACTION_INVALID_REQUEST: {
    area: 'action',
    meaning:
      'invalid_request: a rendered request cannot be sent as it stands (a path segment of "." or "..", a header value outside Latin-1); nothing was sent',
    hint: 'Check the slot values the request is built from; branch on error.kind in on_error.',
  },
  SW_ACTION_NOT_SENT: {
    area: 'action',
    meaning: 'a call was held back outside Rasa (slotwire run --dry-run, or a call that changes data without --yes)',
    hint: 'Add --yes to send calls that change data.',
  },
  SW_DEDUPE_STORE_DOWN: {
    area: 'action',
    meaning:
      'a dedupe: action with if_store_down: fail (the default) called nothing because the shared state store (serve --redis) could not answer; error.kind is network',
    hint: 'Bring Redis back (slotwire reconnects on its own), or set if_store_down: run to de-duplicate in each process while it is down.',
  },
  SW_DEDUPE_IN_PROGRESS: {
    area: 'action',
    meaning:
      'a dedupe: action called nothing because another run of the same user turn (on this or another replica) was still in progress when this run reached its deadline; error.kind is network',
    hint: "Expected when Rasa re-sends a turn while its first run is slow; the first run's result answers the next re-run. Raise the action's deadline if its calls need longer.",
  },
  SW_ACTION_REJECTED: {
    area: 'action',
    meaning: 'the action rejected execution (reject: or ActionRejection); Rasa gets 400 and predicts another action',
    hint: "Expected when the action's reject.when holds.",
  },
  SW_ACTION_NAME_CLASH: {
    area: 'action',
    meaning: 'two actions share a name (e.g. in actions.yml and as a code action); start-up stops',
    hint: 'Rename one of them.',
  },

  // --- the engine (runtime/engine) -----------------------------------------------
  SW_ENGINE_UNKNOWN_ACTION: {
    area: 'engine',
    meaning: 'engine.run was asked for an action that is not served',
    hint: 'Check the name against engine.actions().',
  },
  SW_ENGINE_CLOSED: {
    area: 'engine',
    meaning: 'engine.run was called after engine.close()',
    hint: 'Create a new engine.',
  },
  SW_CALL_SHAPE: {
    area: 'engine',
    meaning:
      "a tracker given to trackerFromDict (a test case's tracker:, engine.run) has a field of the wrong type; `field` names it",
    hint: 'Fix the named field of the tracker.',
  },
  SW_ACTIONS_FILE_INVALID: {
    area: 'engine',
    meaning: 'the actions file has errors and cannot be served; its diagnostics say where',
    hint: 'Run slotwire validate on the file.',
  },

  // --- the webhook (runtime/server) ------------------------------------------------
  SW_WEBHOOK_INVALID_BODY: {
    area: 'webhook',
    meaning: '400: the body is empty, JSON null, or not an object',
    hint: 'Send the JSON object Rasa sends (docs/server.md).',
  },
  SW_WEBHOOK_MALFORMED_JSON: {
    area: 'webhook',
    meaning: '400: the body is not JSON',
    hint: 'Send the JSON object Rasa sends (docs/server.md).',
  },
  SW_WEBHOOK_INVALID_CALL: {
    area: 'webhook',
    meaning: "400: a field of the call has the wrong type, or a required one is missing; the body's `field` names it",
    hint: 'Fix the named field; Rasa itself never sends such a call.',
  },
  SW_WEBHOOK_INCOMPLETE_BODY: {
    area: 'webhook',
    meaning: '400: the client hung up, or was cut off, before the body was complete',
    hint: 'Check the client and the network between it and slotwire.',
  },
  SW_WEBHOOK_HEADERS_TOO_LARGE: {
    area: 'webhook',
    meaning: "431: the request headers are over node's limit (16 KiB)",
    hint: 'Send fewer or shorter headers.',
  },
  SW_WEBHOOK_REQUEST_TIMEOUT: {
    area: 'webhook',
    meaning: '408: the headers or the whole request took longer than the server allows',
    hint: 'Raise --headers-timeout or --request-timeout for slow links.',
  },
  SW_WEBHOOK_BAD_REQUEST: {
    area: 'webhook',
    meaning: '400: not a valid HTTP request (bad framing, no Host, a bad path)',
    hint: 'Check the client.',
  },
  SW_WEBHOOK_INTERNAL_ERROR: {
    area: 'webhook',
    meaning: '500: the HTTP adapter failed before the app ran',
    hint: 'Report it with the log line.',
  },
  SW_WEBHOOK_UNSUPPORTED_ENCODING: {
    area: 'webhook',
    meaning: '415: a Content-Encoding other than deflate or gzip',
    hint: 'Send the body plain, or deflate it as Rasa does.',
  },
  SW_WEBHOOK_TOO_LARGE: {
    area: 'webhook',
    meaning: '413: the body, or its inflated form, is above the limit',
    hint: "Raise the server's body limit, or keep trackers shorter (session expiry).",
  },
  SW_WEBHOOK_TOO_MANY_VALUES: {
    area: 'webhook',
    meaning: '413: the body opens more objects and arrays than the limit (--max-body-values)',
    hint: 'Keep trackers shorter (session expiry), or raise serve --max-body-values.',
  },
  SW_WEBHOOK_UNAUTHORIZED: {
    area: 'webhook',
    meaning: '401: the configured token or credentials did not match',
    hint: "Set the same token in Rasa's endpoints.yml and slotwire serve --auth-token.",
  },
  SW_WEBHOOK_ACTION_NOT_FOUND: {
    area: 'webhook',
    meaning: '404: next_action is not served',
    hint: 'Add the action to actions.yml, or check the name in the domain.',
  },
  SW_WEBHOOK_MISSING_DOMAIN: {
    area: 'webhook',
    meaning: '449: the action reads the domain and none is cached for the digest; Rasa retries with it',
    hint: 'Expected once per model; nothing to do.',
  },
  SW_WEBHOOK_CRASHED: {
    area: 'webhook',
    meaning: '500: action code failed, or returned events Rasa would refuse',
    hint: 'The log line has the action and the reason.',
  },
  SW_FALLBACK_TIMEOUT: {
    area: 'webhook',
    meaning:
      '504 (gRPC DEADLINE_EXCEEDED): the fallback action server did not answer an undeclared action within --fallback-timeout',
    hint: 'Check the fallback server and its load; /ready shows its last error. Declared actions are not affected.',
  },
  SW_FALLBACK_UNAVAILABLE: {
    area: 'webhook',
    meaning: '502 (gRPC UNAVAILABLE): the fallback action server could not be reached, or its answer was too large',
    hint: 'Check --fallback and that the server runs; the log line has the cause (e.g. ECONNREFUSED).',
  },
} as const;

/** Every code a running action, the engine or the server can produce. */
export type RuntimeErrorCode = keyof typeof runtimeErrors;

// Checked here rather than with `satisfies`, which isolatedDeclarations refuses on an exported literal.
const _entries: Readonly<Record<RuntimeErrorCode, RuntimeErrorEntry>> = runtimeErrors;
void _entries; // oxlint-disable-line typescript/no-meaningless-void-operator -- uses the check above, which noUnusedLocals would refuse
