/* Generated from schemas/actions.schema.json by `npm run gen:types`. Do not edit. */

/**
 * How to authenticate. Secrets must come from ${VAR}.
 */
export type Auth = {
  type: 'bearer' | 'basic' | 'api_key' | 'oauth2_client_credentials';
} & Auth1;
export type Auth1 =
  | {
      type: 'bearer';
      token: string;
    }
  | {
      type: 'basic';
      username: string;
      password: string;
    }
  | {
      type: 'api_key';
      /**
       * Default: header.
       */
      in?: 'header' | 'query';
      /**
       * Header or query parameter name.
       */
      name: string;
      value: string;
    }
  | {
      type: 'oauth2_client_credentials';
      token_url: string;
      client_id: string;
      client_secret: string;
      scope?: string;
      audience?: string;
    };
/**
 * A duration with a unit: 250ms, 3s, 1.5s, 2m, 1h.
 */
export type Duration = string;
export type Action = {
  /**
   * What the action does, for people and for /actions.
   */
  description?: string;
  /**
   * This action as an MCP tool: false to keep it out, true to make it one (a validation action, or under mcp: { tools: marked }), or its name and optional parameters. Its parameters are the slots it reads.
   */
  tool?:
    | boolean
    | {
        /**
         * The tool's name. Default: the action's name.
         */
        name?: string;
        /**
         * Slots the tool may be called without; every other slot the action reads is a required parameter.
         */
        optional?: string[];
      };
  /**
   * A duration with a unit: 250ms, 3s, 1.5s, 2m, 1h.
   */
  deadline?: string;
  /**
   * De-duplicate re-runs: a second run of this action for the same user turn within this window answers with the first run's result and calls nothing; a run that overlaps the first waits for it. A duration, or { window, if_store_down }. Default: off.
   */
  dedupe?:
    | Duration
    | {
        window: Duration;
        /**
         * When the shared state store (serve --redis) cannot answer: fail calls nothing and runs on_error with error.code SW_DEDUPE_STORE_DOWN; run de-duplicates in this process only and calls. Default: fail.
         */
        if_store_down?: 'fail' | 'run';
      };
  /**
   * What to say while the action runs, for a slow API: each item (text: or a domain response:) is said after: a time from the start, and/or every: so long while the action still runs. Sent as stream chunks to Rasa Pro over gRPC (slotwire serve --grpc, WebhookStream); the HTTP webhook cannot stream, so there the action runs without them. Default: none.
   *
   * @minItems 1
   */
  progress?: [
    {
      /**
       * A duration with a unit: 250ms, 3s, 1.5s, 2m, 1h.
       */
      after?: string;
      /**
       * A duration with a unit: 250ms, 3s, 1.5s, 2m, 1h.
       */
      every?: string;
      /**
       * The words, said as written ({{ }} is not evaluated here). Give text: or response:.
       */
      text?: string;
      /**
       * A response of the Rasa domain to say instead (its first text variation for the conversation's channel, {slot} placeholders filled), e.g. utter_checking_availability. Give text: or response:.
       */
      response?: string;
    },
    ...{
      /**
       * A duration with a unit: 250ms, 3s, 1.5s, 2m, 1h.
       */
      after?: string;
      /**
       * A duration with a unit: 250ms, 3s, 1.5s, 2m, 1h.
       */
      every?: string;
      /**
       * The words, said as written ({{ }} is not evaluated here). Give text: or response:.
       */
      text?: string;
      /**
       * A response of the Rasa domain to say instead (its first text variation for the conversation's channel, {slot} placeholders filled), e.g. utter_checking_availability. Give text: or response:.
       */
      response?: string;
    }[]
  ];
  request?: Request;
  /**
   * Several calls, in order; a parallel: group runs its steps at the same time.
   *
   * @minItems 1
   */
  steps?: [Step | ParallelGroup, ...(Step | ParallelGroup)[]];
  /**
   * Refuse to run (Rasa gets a 400 rejection and predicts another action) when the condition is true. Checked before any call.
   */
  reject?: {
    when: Expression;
    message?: StringTemplate;
  };
  validate?: Validation;
  slots?: Slots;
  responses?: Responses;
  events?: Events;
  on_error?: Outcome;
  /**
   * Slots whose values are masked in logs and in `slotwire run` output.
   */
  sensitive?: string[];
};
/**
 * One HTTP call to a connection.
 */
export type Request = {
  /**
   * Name of a connection under connections:.
   */
  connection: string;
  /**
   * Default: GET.
   */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  /**
   * Path after the connection's base_url, starting with /. Interpolated values are percent-encoded as one path segment.
   */
  path: string;
  query?: TemplateMap;
  /**
   * Extra headers (no secrets: put those in the connection).
   */
  headers?: {
    [k: string]: StringTemplate;
  };
  /**
   * A value. A string with {{ expr }} is evaluated with JSONata: exactly one {{ }} keeps the result's type, text around it interpolates. Any other value is a literal.
   */
  body?: unknown;
  form?: TemplateMap1;
  /**
   * A string, possibly with {{ expr }} parts.
   */
  text?: string;
  /**
   * What the body must be. auto: JSON when the content type says so, else text. Default: auto.
   */
  expect?: 'auto' | 'json' | 'text';
  /**
   * When the call counts as a success. Default: a 2xx status.
   */
  success_when?: string | boolean;
  retry?: Retry;
  /**
   * Send an Idempotency-Key header that stays the same for the same user turn, so a re-run does not repeat a change. Default: false.
   */
  idempotency_key?: boolean;
  /**
   * Cache successful responses for the same final request.
   */
  cache?: {
    ttl: Duration;
    /**
     * Default: 1000.
     */
    max_entries?: number;
    /**
     * Keep the entries in the shared state store (serve --redis), so every replica answers from them; otherwise each process caches in its own memory. Default: false.
     */
    shared?: boolean;
  };
  /**
   * The answer's shape, for validate to check the mappings' response paths against (docs/actions-yml.md, "The answer's shape"): a JSON Schema or OpenAPI file relative to actions.yml and a JSON pointer, e.g. petstore.yaml#/paths/~1pet~1{petId}/get/responses/200/content/application~1json/schema (slotwire import openapi writes it), or the JSON Schema itself as a mapping. Not checked at run time.
   */
  response_schema?:
    | string
    | {
        [k: string]: unknown;
      };
};
/**
 * A value. A string with {{ expr }} is evaluated with JSONata: exactly one {{ }} keeps the result's type, text around it interpolates. Any other value is a literal.
 */
export type Template = unknown;
/**
 * A string, possibly with {{ expr }} parts.
 */
export type StringTemplate = string;
/**
 * A name: letters, digits, underscores, dashes and dots; starts with a letter or underscore.
 */
export type Identifier = string;
/**
 * A condition: usually "{{ expr }}", evaluated with JSONata and read as true or false. A literal true/false is allowed.
 */
export type Expression = string | boolean;
/**
 * Validation sugar: a validate_<slot> action for a CALM collect step, or a validate_<form> action for an NLU form.
 */
export type Validation = {
  /**
   * The slot to check. Default: the action name without validate_.
   */
  slot?: string;
  /**
   * The value is accepted when true. Default: true.
   */
  accept_when?: string | boolean;
  /**
   * The value to store when accepted. Default: the value as given.
   */
  normalize?: unknown;
  on_reject?: OnReject;
  /**
   * Validate the slots of this form (validate_<form>) instead of one slot.
   */
  form?: string;
  /**
   * With form: how each of the form's slots is checked; slots not listed are accepted.
   */
  slots?: {
    [k: string]: SlotCheck;
  };
};
export type Responses = ResponseMessage[];
/**
 * An event besides slots and messages.
 */
export type Event = {
  event:
    | 'followup'
    | 'reset_slots'
    | 'restart'
    | 'pause'
    | 'resume'
    | 'rewind'
    | 'undo'
    | 'reminder'
    | 'cancel_reminder'
    | 'active_loop'
    | 'loop_interrupted';
} & Event1;
export type Event1 =
  | {
      event: 'followup';
      /**
       * A value. A string with {{ expr }} is evaluated with JSONata: exactly one {{ }} keeps the result's type, text around it interpolates. Any other value is a literal.
       */
      name: unknown;
      when?: Expression;
    }
  | {
      /**
       * reset_slots: all slots back to their initial values; restart: a new conversation; pause/resume: stop/start answering the user; rewind: forget the latest user message; undo: revert the latest action.
       */
      event: 'reset_slots' | 'restart' | 'pause' | 'resume' | 'rewind' | 'undo';
      when?: Expression;
    }
  | {
      event: 'reminder';
      intent: Template;
      /**
       * A value. A string with {{ expr }} is evaluated with JSONata: exactly one {{ }} keeps the result's type, text around it interpolates. Any other value is a literal.
       */
      date_time: unknown;
      entities?: Template;
      name?: Template;
      kill_on_user_message?: boolean;
      when?: Expression;
    }
  | {
      event: 'cancel_reminder';
      name?: Template;
      intent?: Template;
      entities?: Template;
      when?: Expression;
    }
  | {
      event: 'active_loop';
      /**
       * A value. A string with {{ expr }} is evaluated with JSONata: exactly one {{ }} keeps the result's type, text around it interpolates. Any other value is a literal.
       */
      name: unknown;
      when?: Expression;
    }
  | {
      event: 'loop_interrupted';
      is_interrupted: Template;
      when?: Expression;
    };
export type Events = Event[];

/**
 * Rasa custom actions declared as HTTP calls mapped to slots and responses. Language reference: docs/actions-yml.md.
 */
export interface SlotwireActionsYml {
  /**
   * Version of the actions.yml language. Only 1 exists.
   */
  version: 1;
  /**
   * Named upstream APIs: base URL, auth, headers and limits. Secrets enter only here, through ${VAR}.
   */
  connections?: {
    [k: string]: Connection;
  };
  /**
   * How the actions are served as MCP tools (slotwire serve --mcp, slotwire mcp): docs/mcp.md.
   */
  mcp?: {
    /**
     * all: every action except validation actions is a tool unless it says tool: false (the default); marked: only actions with a tool: key.
     */
    tools?: 'all' | 'marked';
  };
  /**
   * The actions Rasa may call, by name (the name in the domain's actions: list).
   */
  actions: {
    [k: string]: Action;
  };
}
export interface Connection {
  /**
   * Absolute http(s) URL of the API, optionally with a base path. Fixed at load: never built from slots.
   */
  base_url: string;
  /**
   * Headers sent on every request to this connection. Literal strings or ${VAR}.
   */
  headers?: {
    [k: string]: string;
  };
  auth?: Auth;
  /**
   * Time allowed for one attempt (connect, headers and body). Default: 10s.
   */
  timeout?: string;
  /**
   * Time allowed to open a connection. Default: 5s.
   */
  connect_timeout?: string;
  /**
   * Default deadline for actions using this connection: every attempt, backoff and step together. Default: 10s.
   */
  deadline?: string;
  retry?: Retry;
  limits?: {
    /**
     * Largest response body accepted; a larger one fails as too_large. Default: 10MB.
     */
    max_response_size?: string;
    /**
     * Keep-alive connections to this API at most. Default: 64.
     */
    max_connections?: number;
  };
  /**
   * Private PKI: files with a CA bundle and a client certificate and key (PEM).
   */
  tls?: {
    /**
     * Path of a PEM CA bundle, relative to actions.yml.
     */
    ca?: string;
    /**
     * Path of a PEM client certificate.
     */
    cert?: string;
    /**
     * Path of the PEM key of the client certificate.
     */
    key?: string;
    /**
     * Verify the server certificate. Default: true.
     */
    reject_unauthorized?: boolean;
  };
  /**
   * Which redirects to follow. Default: same_origin.
   */
  redirects?: 'none' | 'same_origin' | 'any';
  /**
   * Stop calling an API that keeps failing: open after `failures` consecutive failures, probe again after `cooldown`. Default: off; when given, failures 5 and cooldown 30s unless set.
   */
  circuit_breaker?:
    | false
    | {
        failures?: number;
        cooldown?: Duration;
      };
}
/**
 * Retries of failed attempts (network errors, timeouts, 408, 429, 5xx), with exponential backoff and jitter. GET and HEAD only unless `unsafe: true`.
 */
export interface Retry {
  /**
   * Total tries, 1 = no retry. Default: 1.
   */
  attempts?: number;
  /**
   * First backoff; doubles each retry. Default: 200ms.
   */
  backoff?: string;
  /**
   * Longest single backoff. Default: 5s.
   */
  max_backoff?: string;
  /**
   * Also retry POST, PUT, PATCH and DELETE (only in an action's request). Default: false.
   */
  unsafe?: boolean;
}
/**
 * Query parameters; an array value repeats the key, a null value leaves it out.
 */
export interface TemplateMap {
  [k: string]: Template;
}
/**
 * An application/x-www-form-urlencoded body.
 */
export interface TemplateMap1 {
  [k: string]: Template;
}
/**
 * A named call in a multi-step action; later steps and mappings see its result as steps.<name>.
 */
export interface Step {
  name: Identifier;
  /**
   * Run this step only when true. A skipped step's steps.<name> is null.
   */
  when?: string | boolean;
  request: Request;
}
export interface ParallelGroup {
  /**
   * Steps that run at the same time; none of them may read another's result.
   *
   * @minItems 1
   */
  parallel: [Step, ...Step[]];
}
/**
 * When rejected the slot goes back to null; these messages explain why.
 */
export interface OnReject {
  responses?: ResponseMessage[];
  slots?: TemplateMap3;
}
/**
 * A bot message, as rasa-sdk's utter_message: text, a domain response with variables, buttons, image, attachment, custom, elements.
 */
export interface ResponseMessage {
  /**
   * A condition: usually "{{ expr }}", evaluated with JSONata and read as true or false. A literal true/false is allowed.
   */
  when?: string | boolean;
  text?: StringTemplate;
  /**
   * Name of a response in the domain (utter_...).
   */
  response?: string;
  variables?: TemplateMap2;
  /**
   * A value. A string with {{ expr }} is evaluated with JSONata: exactly one {{ }} keeps the result's type, text around it interpolates. Any other value is a literal.
   */
  buttons?: unknown;
  image?: StringTemplate;
  attachment?: Template;
  custom?: Template;
  elements?: Template;
}
/**
 * Values for the {placeholders} of the domain response.
 */
export interface TemplateMap2 {
  [k: string]: Template;
}
/**
 * Names to values; each value follows the value rule.
 */
export interface TemplateMap3 {
  [k: string]: Template;
}
/**
 * How one slot value is checked. The value is visible to expressions as `value`.
 */
export interface SlotCheck {
  /**
   * A condition: usually "{{ expr }}", evaluated with JSONata and read as true or false. A literal true/false is allowed.
   */
  accept_when?: string | boolean;
  /**
   * A value. A string with {{ expr }} is evaluated with JSONata: exactly one {{ }} keeps the result's type, text around it interpolates. Any other value is a literal.
   */
  normalize?: unknown;
  on_reject?: OnReject;
}
/**
 * Slot name to value. Every string follows the value rule.
 */
export interface Slots {
  [k: string]: Template;
}
/**
 * The outcome when a call fails (non-2xx, timeout, network, bad body, too large, circuit open) or an expression fails. `error` has kind, reason, status, message and step.
 */
export interface Outcome {
  slots?: TemplateMap4;
  responses?: Responses;
  events?: Events;
}
/**
 * Names to values; each value follows the value rule.
 */
export interface TemplateMap4 {
  [k: string]: Template;
}
