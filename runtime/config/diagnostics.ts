/**
 * The catalogue of every problem slotwire reports about an actions.yml, in the
 * manner of fastify's `lib/errors.js`: one entry per code, a message template
 * with `%s` placeholders and a hint that says how to fix it. Codes are stable
 * (tools match on them, never on wording) and a retired code is never reused.
 * docs/diagnostics.md has one row per code; a test keeps the two in step.
 */

/** `error` stops a file from loading; `warning` is shown but the file is served. */
export type Severity = 'error' | 'warning';

interface CatalogueEntry {
  readonly severity: Severity;
  /** Message template; each `%s` is filled from the arguments in order. */
  readonly message: string;
  /** How to fix it, shown under the code frame. */
  readonly hint: string;
}

export const catalogue = {
  // --- the file itself -----------------------------------------------------
  SW_FILE_READ: {
    severity: 'error',
    message: 'cannot read %s: %s',
    hint: 'Check the path; slotwire reads ./actions.yml unless told otherwise.',
  },
  SW_FILE_TOO_LARGE: {
    severity: 'error',
    message: '%s is larger than %s',
    hint: 'A hand-written file is far smaller; check that this is the right file, and keep bulk data in the upstream API, not in the file.',
  },

  // --- YAML syntax (positions come from the yaml parser) --------------------
  SW_YAML_SYNTAX: {
    severity: 'error',
    message: 'YAML syntax: %s',
    hint: 'Check the indentation and quoting on this line; strings with ": " or "#" need quotes.',
  },
  SW_YAML_DUPLICATE_KEY: {
    severity: 'error',
    message: 'the key "%s" appears twice in this mapping',
    hint: 'Remove or rename one of them; YAML keeps only one.',
  },
  SW_YAML_TAB_INDENT: {
    severity: 'error',
    message: 'tabs are not allowed for indentation',
    hint: 'Indent with spaces (two per level is the convention).',
  },
  SW_YAML_UNQUOTED_ENV: {
    severity: 'error',
    message: 'an unquoted ${VAR} inside { } ends the flow mapping early',
    hint: 'Quote it (token: "${TOKEN}"), or write the mapping as indented lines.',
  },
  SW_YAML_UNQUOTED_EXPR: {
    severity: 'error',
    message: 'an unquoted {{ }} is a YAML mapping, not an expression',
    hint: 'Quote the value: order_status: "{{ response.body.status }}".',
  },
  SW_YAML_UNCLOSED_BRACKET: {
    severity: 'error',
    message: 'the "%s" opened here is never closed by "%s"',
    hint: 'Close it, or quote the value if the bracket is meant as text.',
  },
  SW_YAML_ALIAS: {
    severity: 'error',
    message: 'anchors and aliases (&name, *name) are not supported',
    hint: 'Write the value out; put shared settings (headers, auth) in a connection.',
  },
  SW_YAML_EMPTY: {
    severity: 'error',
    message: 'the file is empty',
    hint: 'Start from `slotwire init`, or write `version: 1` and an `actions:` mapping.',
  },

  // --- the schema (schemas/actions.schema.json) -----------------------------
  SW_SCHEMA_UNKNOWN_KEY: { severity: 'error', message: 'unknown key "%s" in %s', hint: '%sAllowed here: %s.' },
  SW_SCHEMA_MISSING_KEY: {
    severity: 'error',
    message: '%s needs the key "%s"',
    hint: 'Add it; see docs/actions-yml.md for an example.',
  },
  SW_SCHEMA_TYPE: {
    severity: 'error',
    message: '%s must be %s, not %s',
    hint: 'Change the value to the expected type; quote it to make it a string.',
  },
  SW_SCHEMA_ENUM: {
    severity: 'error',
    message: '%s must be one of %s, not %s',
    hint: '%sUse one of the listed values.',
  },
  SW_SCHEMA_DURATION: {
    severity: 'error',
    message: '%s is not a duration: %s',
    hint: 'Write a number and a unit, e.g. 250ms, 3s, 1.5s, 2m.',
  },
  SW_SCHEMA_SIZE: {
    severity: 'error',
    message: '%s is not a size: %s',
    hint: 'Write a number and a unit, e.g. 512KB, 1MB.',
  },
  SW_SCHEMA_NAME: {
    severity: 'error',
    message: '"%s" is not a valid name',
    hint: 'Names start with a letter or _ and use letters, digits, _, - and . only.',
  },
  SW_SCHEMA_EXCLUSIVE: { severity: 'error', message: '%s cannot have both "%s" and "%s"', hint: 'Keep one of them.' },
  SW_SCHEMA_VALUE: { severity: 'error', message: '%s %s', hint: 'See docs/actions-yml.md for what this key accepts.' },

  // --- ${VAR} environment references ---------------------------------------
  SW_ENV_MISSING: {
    severity: 'error',
    message: 'environment variable %s is not set (%s)',
    hint: 'Set %s in the environment that starts slotwire. To check the file without the real values (in CI), run slotwire validate --placeholder-env.',
  },
  SW_ENV_OUTSIDE_CONNECTION: {
    severity: 'error',
    message: '${%s} is only allowed inside connections:',
    hint: 'Put secrets and environment-specific values in a connection; expressions cannot see the environment.',
  },
  SW_ENV_SYNTAX: {
    severity: 'error',
    message: 'malformed environment reference "%s"',
    hint: 'Write ${NAME} or ${NAME:-default}; NAME is letters, digits and _. Write $${ for a literal ${.',
  },

  // --- {{ }} templates and JSONata expressions ------------------------------
  SW_EXPR_SYNTAX: {
    severity: 'error',
    message: 'JSONata syntax error: %s',
    hint: 'Fix the expression; try it at https://try.jsonata.org with a sample input.',
  },
  SW_EXPR_UNCLOSED: { severity: 'error', message: '"{{" is not closed by "}}"', hint: 'Close the expression with }}.' },
  SW_EXPR_EMPTY: {
    severity: 'error',
    message: 'empty expression "{{ }}"',
    hint: 'Write an expression between the braces, e.g. {{ slots.city }}.',
  },
  SW_EXPR_UNKNOWN_NAME: {
    severity: 'error',
    message: '"%s" is not something an expression can read here',
    hint: '%sReadable here: %s.',
  },
  SW_EXPR_NOT_HERE: { severity: 'error', message: '"%s" cannot be read in %s', hint: '%s' },
  SW_EXPR_EVAL: {
    severity: 'error',
    message: '$eval is disabled',
    hint: 'Write the expression directly; expressions built at run time cannot be checked at load.',
  },
  SW_EXPR_UNKNOWN_FUNCTION: {
    severity: 'error',
    message: '"$%s" is not a JSONata function',
    hint: '%sDefine your own with $name := function($x) { … }; the built-ins are listed at https://docs.jsonata.org.',
  },
  SW_EXPR_ARGUMENTS: {
    severity: 'error',
    message: '$%s takes %s, not %s',
    hint: "Check the arguments; each function's are at https://docs.jsonata.org.",
  },
  SW_EXPR_NOT_WHOLE: {
    severity: 'error',
    message: '%s must be a whole expression, not text with {{ }} inside',
    hint: 'Write the value as exactly "{{ expr }}".',
  },
  SW_EXPR_REGEX_UNSUPPORTED: {
    severity: 'error',
    message: 'the regular expression /%s/ uses %s, which RE2 does not have',
    hint: 'Expressions match with RE2, in time linear in the input: no backreferences (\\1) and no lookaround ((?=…), (?!…), (?<=…), (?<!…)). Match more loosely and check the rest with a second condition.',
  },
  SW_EXPR_REGEX_TOO_LARGE: {
    severity: 'error',
    message: 'the regular expression /%s/ is too large for RE2: %s',
    hint: 'RE2 allows repeat counts up to 1000, nested counts multiplied; write \\d+ or {1,} and check the length with $length.',
  },

  // --- references between parts of the file ---------------------------------
  SW_REF_UNKNOWN_CONNECTION: {
    severity: 'error',
    message: 'unknown connection "%s"',
    hint: '%sDeclared connections: %s.',
  },
  SW_REF_UNKNOWN_STEP: { severity: 'error', message: 'unknown step "%s"', hint: '%sSteps of this action: %s.' },
  SW_REF_STEP_ORDER: {
    severity: 'error',
    message: 'step "%s" is read before it runs',
    hint: 'A step can read only steps that finished before it; steps in one parallel group cannot read each other.',
  },
  SW_REF_DUPLICATE_STEP: {
    severity: 'error',
    message: 'two steps are named "%s"',
    hint: 'Give every step of an action its own name.',
  },
  SW_REF_NO_STEPS: {
    severity: 'error',
    message: '"steps" is read but the action has no steps',
    hint: 'Use steps: to name calls, or read `response` for the single request.',
  },

  // --- connections, URLs, secrets -------------------------------------------
  SW_URL_INVALID: {
    severity: 'error',
    message: 'base_url %s is not an absolute http(s) URL',
    hint: 'Write it as https://host[:port][/base/path].',
  },
  SW_URL_NO_TEMPLATE: {
    severity: 'error',
    message: '%s is fixed at load and cannot contain {{ }}',
    hint: 'Only request paths, query, headers and bodies are built from slots.',
  },
  SW_URL_USER_INFO: {
    severity: 'error',
    message: 'base_url %s has user info (user:password@), which would be printed wherever the URL is',
    hint: 'Remove it from the URL and declare the credentials as auth: (type: basic, username: …, password: "${PASSWORD}").',
  },
  SW_URL_QUERY: {
    severity: 'error',
    message: 'base_url %s has a query (?…), which requests would drop',
    hint: 'Put fixed parameters in each request\'s query:, and an API key in auth: { type: api_key, in: query, name: …, value: "${KEY}" }.',
  },
  SW_URL_FRAGMENT: {
    severity: 'error',
    message: 'base_url %s has a fragment (#…), which is never sent',
    hint: 'Remove the #… part: a fragment is not part of an HTTP request (RFC 9110 §7.1).',
  },
  SW_SEC_LITERAL_SECRET: {
    severity: 'error',
    message: '%s holds a literal secret',
    hint: 'Secrets must come from the environment: write ${NAME} and set NAME when starting slotwire.',
  },
  SW_SEC_AUTH_HEADER: {
    severity: 'error',
    message: 'an action cannot set the %s header',
    hint: 'Declare auth on the connection (auth: { type: bearer, token: ${TOKEN} }).',
  },
  SW_TLS_FILE: {
    severity: 'error',
    message: 'cannot read %s file %s: %s',
    hint: 'The path is relative to actions.yml; check it exists and is readable.',
  },

  // --- MCP tools (docs/mcp.md) ------------------------------------------------
  SW_TOOL_NAME_CLASH: {
    severity: 'error',
    message: 'actions "%s" and "%s" are both the MCP tool "%s"',
    hint: 'Give one of them tool: { name: … } of its own.',
  },

  // --- validation sugar -------------------------------------------------------
  SW_VALIDATE_NAME: {
    severity: 'error',
    message: 'a validation action must be named validate_<slot> or validate_<form>, not "%s"',
    hint: 'Rename the action, e.g. validate_%s.',
  },

  // --- events and messages Rasa would reject ------------------------------------
  SW_EVENT_FOLLOWUP_NAME: {
    severity: 'error',
    message: 'a followup event needs the name of the action to run, not %s',
    hint: 'Write name: action_… (or an expression that yields one).',
  },
  SW_EVENT_DATE_TIME: {
    severity: 'error',
    message: 'reminder date_time %s is not an ISO 8601 date-time',
    hint: 'Write it as 2026-05-01T09:30:00Z (date, T, time, and a zone), or build it with {{ $fromMillis($millis() + 60000) }}.',
  },
  SW_MESSAGE_BUTTON: {
    severity: 'error',
    message: 'button %s is %s, not a mapping with title and payload',
    hint: 'Write each button as { title: "Yes", payload: "/affirm" }; build a list of them with {{ options.{ "title": name, "payload": id } }}.',
  },

  // --- the Rasa project (validate --domain / --project) ------------------------
  SW_DOMAIN_UNKNOWN_SLOT: {
    severity: 'error',
    message: 'slot "%s" is not in the domain',
    hint: '%sDeclare it under slots: in the domain, or fix the name.',
  },
  SW_DOMAIN_FLOW_SLOT: {
    severity: 'error',
    message: 'flow %s branches on slot "%s", which is not in the domain',
    hint: '%sDeclare it under slots: in the domain, or fix the name.',
  },
  SW_DOMAIN_SLOT_TYPE: {
    severity: 'error',
    message: 'slot "%s" is %s in the domain, but this sets %s',
    hint: "Write a value of the slot's type; Rasa would store the wrong type without complaint.",
  },
  SW_DOMAIN_UNKNOWN_RESPONSE: {
    severity: 'error',
    message: 'response "%s" is not in the domain',
    hint: '%sRasa skips a message whose response does not exist; declare it under responses:.',
  },
  SW_DOMAIN_FILE: {
    severity: 'error',
    message: 'cannot read the Rasa project: %s',
    hint: 'Pass --domain with domain.yml or a domain folder, or --project with the Rasa project folder.',
  },

  // --- warnings ---------------------------------------------------------------
  SW_WARN_DEADLINE: {
    severity: 'warning',
    message: '%s: timeout %s × %s attempts plus backoff needs %s, more than the deadline %s',
    hint: 'Lower the timeout or attempts, or raise the deadline; retries past the deadline are skipped.',
  },
  SW_WARN_UNUSED_CONNECTION: {
    severity: 'warning',
    message: 'connection "%s" is not used by any action',
    hint: 'Remove it, or use it in a request.',
  },
  SW_WARN_ACTION_NOT_IN_DOMAIN: {
    severity: 'warning',
    message: 'action "%s" is not listed under actions: in the domain',
    hint: 'Rasa only calls actions its domain lists; add it (slotwire validate prints the block to paste).',
  },
  SW_WARN_NO_DEDUPE: {
    severity: 'warning',
    message: 'action "%s" makes a call that changes data (%s) and has no dedupe:',
    hint: 'Rasa or a channel may run an action twice for one message; add dedupe: 1m so a re-run answers with the first result instead of calling again.',
  },
  SW_WARN_TOOL_NO_DESCRIPTION: {
    severity: 'warning',
    message: 'action "%s" is an MCP tool without a description',
    hint: 'Agents pick tools by what their description says: add description: saying what it does and when to use it, or tool: false.',
  },
  SW_WARN_TOOL_OPTIONAL: {
    severity: 'warning',
    message: 'tool.optional lists "%s", a slot action "%s" does not read',
    hint: 'Parameters are the slots the action reads; remove it or fix the name. Slots read: %s.',
  },
  SW_WARN_RESPONSE_FIELD: {
    severity: 'warning',
    message: '"%s" is not a field of %s in the answer described by %s',
    hint: '%sFields there: %s.',
  },
  SW_WARN_SLOT_SHAPE_TYPE: {
    severity: 'warning',
    message: 'slot "%s" is %s in the domain, but %s is %s in the answer described by %s',
    hint: "Rasa would store null or a converted value; map a field of the slot's type, or change the slot's type in the domain.",
  },
  SW_WARN_RESPONSE_SCHEMA: {
    severity: 'warning',
    message: 'response_schema %s cannot be read: %s',
    hint: 'Give a JSON Schema or OpenAPI file relative to actions.yml and a JSON pointer to the schema, e.g. api.yaml#/components/schemas/Pet.',
  },
  SW_WARN_NO_OUTCOME: {
    severity: 'warning',
    message: 'action "%s" calls an API but sets no slots and sends no responses',
    hint: 'Map the answer with slots: so the flow can branch on it.',
  },
  SW_WARN_SLOT_NEVER_SET: {
    severity: 'warning',
    message: 'slot "%s" is read, but no action sets it and no test gives it',
    hint: "%sCheck the name, or validate with --project so the domain's slots are known.",
  },
  SW_WARN_PROGRESS_NOT_STREAMED: {
    severity: 'warning',
    message:
      'action "%s" has progress: messages, but endpoints.yml points Rasa at an HTTP action server, which cannot stream them',
    hint: 'They are sent only over gRPC streaming: set action_endpoint url: grpc://… and run slotwire serve --grpc. Over HTTP the action runs without them.',
  },
  SW_WARN_FLOW_SLOT_UNSET: {
    severity: 'warning',
    message: 'flow %s branches on slot "%s", which only actions fill and no action here sets',
    hint: "Set it from an action's slots:; if a flow's set_slots: or another action server sets it, this is fine.",
  },
  SW_WARN_COMMENT_EXPR: {
    severity: 'warning',
    message: 'the text after " #" is a YAML comment, so the {{ }} in it is never used',
    hint: 'Quote the whole value: text: "Order #{{ slots.order_id }} ready".',
  },
} as const;

/** A stable diagnostic code, `SW_<AREA>_<WHAT>`. */
export type DiagnosticCode = keyof typeof catalogue;

/** One problem, located in a file. Lines and columns are 1-based. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly hint: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The one change the hint names, when it names exactly one (an editor offers it as a quick fix). */
  readonly fix?: Fix;
}

/**
 * A change that fixes a diagnostic, said as data so a tool applies it
 * without reading the hint's English.
 */
export type Fix =
  /** The first `from` at or after the diagnostic's position, on its line, becomes `to` (a did-you-mean). */
  | { readonly kind: 'rename'; readonly from: string; readonly to: string }
  /** The value that starts at the diagnostic's position and runs to the end of its line gets quotes. */
  | { readonly kind: 'quote' }
  /** The action is added to the `actions:` list of the Rasa domain. */
  | { readonly kind: 'list-action'; readonly action: string };

/** A rename from `from` to the suggestion, or nothing without one. */
export function renameFix(from: string, to: string | null): Fix | undefined {
  return to === null ? undefined : { kind: 'rename', from, to };
}

/** Where a diagnostic points. */
export interface Position {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** Fills a `%s` template in order; missing arguments stay visible as `%s`. */
function fill(template: string, args: readonly string[]): string {
  let i = 0;
  return template.replace(/%s/g, () => (i < args.length ? args[i++] : '%s'));
}

/**
 * Builds a diagnostic from the catalogue. `messageArgs` fill the message,
 * `hintArgs` the hint; `fix` is the change the hint names, when it names one.
 */
export function diagnostic(
  code: DiagnosticCode,
  at: Position,
  messageArgs: readonly string[] = [],
  hintArgs: readonly string[] = [],
  fix?: Fix,
): Diagnostic {
  const entry: CatalogueEntry = catalogue[code];
  return {
    code,
    severity: entry.severity,
    message: fill(entry.message, messageArgs),
    hint: fill(entry.hint, hintArgs),
    file: at.file,
    line: at.line,
    col: at.col,
    ...(fix ? { fix } : {}),
  };
}

/** True when any diagnostic is an error (the file cannot be served). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * Hints that send the reader to actions.yml or its page, reworded for a
 * `slotwire test` file: the YAML and schema checks are shared, but a test
 * file's keys are documented in docs/testing.md.
 */
const testFileHints: Partial<Record<DiagnosticCode, string>> = {
  SW_FILE_READ:
    'Check the path; slotwire test reads actions.test.yml and tests/*.yml next to the actions file unless given files.',
  SW_YAML_EMPTY: 'Write a tests: list; docs/testing.md shows a test file, and slotwire init writes one.',
  SW_SCHEMA_MISSING_KEY: 'Add it; see docs/testing.md for an example.',
  SW_SCHEMA_VALUE: 'See docs/testing.md for what this key accepts.',
};

/** The diagnostic as shown for a `slotwire test` file: its hint points at docs/testing.md. */
export function forTestFile(d: Diagnostic): Diagnostic {
  const hint = testFileHints[d.code];
  return hint === undefined ? d : { ...d, hint };
}
