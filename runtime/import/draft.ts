/**
 * What an importer (OpenAPI, cURL) makes of an API description: a
 * connection and actions, as plain data. emit.ts writes them as YAML, alone
 * or into an existing actions.yml. Secrets are never values here: every
 * credential is a `${VAR}` reference, and `variables` says which to set.
 */

/** A connection's auth, with `${VAR}` references for every secret. */
export type DraftAuth =
  | { readonly type: 'bearer'; readonly token: string }
  | { readonly type: 'basic'; readonly username: string; readonly password: string }
  | { readonly type: 'api_key'; readonly in: 'header' | 'query'; readonly name: string; readonly value: string }
  | {
      readonly type: 'oauth2_client_credentials';
      readonly token_url: string;
      readonly client_id: string;
      readonly client_secret: string;
      readonly scope?: string;
    };

/** The connection to the API. */
export interface DraftConnection {
  readonly name: string;
  /** Absolute http(s) URL, or a `${VAR}` (with a default) when the description gives none or several. */
  readonly baseUrl: string;
  readonly auth: DraftAuth | null;
  /** Headers every request sends (not secrets). Default: none */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request body: JSON (templates in string leaves), form fields, or text. */
export type DraftBody =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'form'; readonly fields: Readonly<Record<string, string>> }
  | { readonly kind: 'text'; readonly value: string };

/** One action. Strings may hold `{{ slots.x }}` templates. */
export interface DraftAction {
  /** An identifier: letters, digits, `_`; starts with a letter. */
  readonly name: string;
  readonly description: string | null;
  readonly method: string;
  /** Relative to the connection's base URL, starting with `/`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: DraftBody | null;
  /** `file#/json/pointer` of the success answer's schema, relative to the actions file; null when unknown. */
  readonly responseSchema: string | null;
  /**
   * Top-level fields of the success answer, for the comment that helps the
   * author write the mappings. Default: none known
   */
  readonly responseFields?: readonly string[];
  /** Lines said as comments above the action (what to check, what was left out). Default: none */
  readonly notes?: readonly string[];
}

/** A `${VAR}` the draft reads, and why. */
export interface DraftVariable {
  readonly name: string;
  readonly why: string;
  /** What `${NAME:-default}` falls back to when the variable is not set. Default: none, it must be set */
  readonly default?: string;
}

/** Everything one import produced. */
export interface Draft {
  readonly connection: DraftConnection;
  readonly actions: readonly DraftAction[];
  readonly variables: readonly DraftVariable[];
}

/** A name made into an identifier: `getPetById` → `get_pet_by_id`, `X-Api-Key` → `x_api_key`. */
export function identifier(text: string): string {
  const snake = text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  return /^[a-z]/.test(snake) ? snake : `x_${snake || 'value'}`;
}
