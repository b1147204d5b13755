/* Generated from schemas/actions-test.schema.json by `npm run gen:types`. Do not edit. */

/**
 * Test cases for actions.yml, run by `slotwire test`. Reference: docs/testing.md.
 */
export interface SlotwireTestFile {
  /**
   * The actions file under test, relative to this file. Default: actions.yml next to this file.
   */
  actions?: string;
  tests: Case[];
}
export interface Case {
  /**
   * Shown in the output.
   */
  name: string;
  /**
   * The action to run.
   */
  action: string;
  /**
   * Slot values in the tracker.
   */
  slots?: Record<string, unknown>;
  /**
   * The latest user message.
   */
  message?: {
    text?: string;
    /**
     * An intent name, or { name, confidence }.
     */
    intent?: string | {name: string; confidence?: number};
    entities?: Array<{entity: string; value: unknown; [k: string]: unknown}>;
    metadata?: Record<string, unknown>;
    message_id?: string;
  };
  /**
   * Other tracker fields (events, stack, active_loop, sender_id…), merged over slots and message.
   */
  tracker?: Record<string, unknown>;
  /**
   * The domain Rasa would send.
   */
  domain?: Record<string, unknown>;
  /**
   * Values for ${VAR} in connections; unset ones get a placeholder.
   */
  env?: {
    [k: string]: string;
  };
  http?: Fixture[];
  expect?: Expect;
}
export interface Fixture {
  /**
   * Which connection. Default: any.
   */
  connection?: string;
  /**
   * Default: GET.
   */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  /**
   * The path after the connection's base_url, exactly.
   */
  path: string;
  /**
   * Parameters that must be present with these values.
   */
  query?: {
    [k: string]: string | number | boolean | unknown[];
  };
  headers?: {
    [k: string]: string;
  };
  /**
   * A subset of the JSON body, or the exact text of a text or form body.
   */
  body?: unknown;
  /**
   * Requests it answers. Default: any number.
   */
  times?: number;
  reply: {
    /**
     * Default: 200.
     */
    status?: number;
    headers?: {
      [k: string]: string;
    };
    /**
     * A JSON body.
     */
    json?: unknown;
    /**
     * A text body.
     */
    text?: string;
    /**
     * Fail the call this way instead of answering.
     */
    error?: 'timeout' | 'network';
  };
}
export interface Expect {
  /**
   * Slot events that must be present with exactly these values.
   */
  slots?: Record<string, unknown>;
  /**
   * The messages, in order, each a subset.
   */
  responses?: Array<Record<string, unknown>>;
  /**
   * Other events that must be present, each a subset.
   */
  events?: Array<Record<string, unknown>>;
  /**
   * null for success, or a subset of `error`.
   */
  error?: Record<string, unknown> | null;
  /**
   * true, or the rejection message.
   */
  rejected?: boolean | string;
  /**
   * The calls made, in order, each a subset.
   */
  requests?: {
    connection?: string;
    method?: string;
    path?: string;
    query?: Record<string, unknown>;
    headers?: Record<string, string>;
    body?: unknown;
  }[];
  /**
   * slots and events must be the complete lists.
   */
  exact?: boolean;
}
