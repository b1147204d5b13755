/**
 * The catalogue of every code the authoring page's API refuses a request
 * with, in the manner of fastify's `lib/errors.js`: one entry per code, its
 * HTTP status, what it means and how to get past it. Codes are stable: the
 * page and scripts match on `code`, never on the wording, and a retired code
 * is never reused. A refusal that `slotwire validate` or the engine names
 * too (a slot the domain lacks, a file past 1 MiB, a tracker of the wrong
 * shape) keeps that catalogue's code and its hint instead. docs/studio.md
 * has one row per code; a test keeps the two in step.
 */
import type { Context } from 'hono';
import type { StudioError } from './api.js';

/** The statuses the API refuses with. */
export type StudioStatus = 400 | 401 | 403 | 404 | 409 | 413 | 500;

/** One catalogue entry (docs/studio.md has the same columns). */
export interface StudioErrorEntry {
  readonly status: StudioStatus;
  /** What happened. */
  readonly meaning: string;
  /** What to do about it. */
  readonly hint: string;
}

export const studioErrors = {
  // --- who may ask (auth.ts) --------------------------------------------------------
  SW_STUDIO_NO_TOKEN: {
    status: 401,
    meaning: "the request carries no token, or not this start's (neither the cookie nor Authorization: Bearer)",
    hint: 'Open the address slotwire studio printed (a new token each start); a script sends Authorization: Bearer <token>.',
  },
  SW_STUDIO_WRONG_TOKEN: {
    status: 401,
    meaning: 'GET /?token= with a token that is not the one this studio printed',
    hint: 'Open the address slotwire studio printed (a new token each start).',
  },
  SW_STUDIO_HOST: {
    status: 403,
    meaning: 'on a loopback address, a Host header that names another host (as a DNS-rebinding page sends)',
    hint: 'Open the page at 127.0.0.1 or localhost.',
  },
  SW_STUDIO_CROSS_SITE: {
    status: 403,
    meaning: "a request that changes something came from another origin (its Origin header is not the page's)",
    hint: 'Use the page itself, or a script that sends no Origin header.',
  },

  // --- the request (server.ts) --------------------------------------------------------
  SW_STUDIO_UNKNOWN_ROUTE: {
    status: 404,
    meaning: 'no API route has that method and path',
    hint: 'Use one of the routes listed in docs/studio.md (The API).',
  },
  SW_STUDIO_BODY_TOO_LARGE: {
    status: 413,
    meaning: 'the request body is larger than 1 MiB; the rest is not read and the connection is closed',
    hint: 'Send fewer or shorter slot values.',
  },
  SW_STUDIO_NOT_JSON: {
    status: 400,
    meaning: 'the body is not sent as application/json, or does not parse as JSON',
    hint: 'Send a JSON object with content-type: application/json.',
  },
  SW_STUDIO_BODY_NOT_OBJECT: {
    status: 400,
    meaning: 'the body is JSON, but not an object',
    hint: "Send a JSON object with the route's fields.",
  },
  SW_STUDIO_BAD_FIELD: {
    status: 400,
    meaning: 'a field of the request is missing, or has the wrong type or form; `field` names it',
    hint: "Fix the named field (docs/studio.md, The API, lists each route's fields).",
  },
  SW_STUDIO_UNKNOWN_ACTION: {
    status: 404,
    meaning: 'the actions file has no action of that name',
    hint: "Take the name from GET /api/state's actions.",
  },
  SW_STUDIO_UNKNOWN_CASE: {
    status: 404,
    meaning: 'the test file has no case at that index',
    hint: "Take the index from the action's fixtures in GET /api/state.",
  },
  SW_STUDIO_CASE_OTHER_ACTION: {
    status: 400,
    meaning: 'the chosen test case is for another action',
    hint: "Choose one of this action's fixtures (GET /api/state).",
  },
  SW_STUDIO_UNKNOWN_RUN: {
    status: 404,
    meaning: 'that run is not kept: the studio keeps the last 32 runs, until it stops',
    hint: 'Run the action again, then map or save from the new run.',
  },
  SW_STUDIO_UNKNOWN_EXCHANGE: {
    status: 400,
    meaning: 'the run has no exchange (upstream call) at that index',
    hint: "Take the index from the run's exchanges.",
  },
  SW_STUDIO_NO_JSON_ANSWER: {
    status: 400,
    meaning: 'the chosen call has no JSON answer to map from (nothing came back, or text did)',
    hint: 'Map from a call that answered a JSON object or list.',
  },
  SW_STUDIO_PATH_NOT_IN_ANSWER: {
    status: 400,
    meaning: 'the answer has no field at that path',
    hint: "Take the path from the exchange's response body.",
  },
  SW_STUDIO_PATH_UNWRITABLE: {
    status: 400,
    meaning:
      'a field name cannot be written as a JSONata path inside {{ }} (it is empty or holds a backtick, {{ or }}), or a list position is negative',
    hint: 'Write the mapping by hand, with $lookup.',
  },
  SW_STUDIO_NOTHING_SENT: {
    status: 400,
    meaning:
      'the run sent nothing (a dry run, or a change not confirmed), so there is no answer to save as a test case',
    hint: 'Run it with a fixture or live first, then save that run.',
  },

  // --- the files (runs.ts, yaml-edit.ts) ----------------------------------------------
  SW_STUDIO_FILE_BROKEN: {
    status: 409,
    meaning: 'the actions file has errors (the message names the first), so it cannot be run or written to',
    hint: "Fix the file (the page's diagnostics, or slotwire validate), then try again.",
  },
  SW_STUDIO_TEST_FILE_BROKEN: {
    status: 409,
    meaning: 'the test file is not valid YAML, not a mapping, or its tests: is not a list; nothing was written',
    hint: 'Fix the test file (slotwire test names the problem), then save again.',
  },
  SW_STUDIO_ACTION_GONE: {
    status: 409,
    meaning:
      "the run's action is no longer in the actions file (removed or renamed since the run); nothing was written",
    hint: 'Run the action as the file has it now, then map again.',
  },
  SW_STUDIO_EDIT_REFUSED: {
    status: 409,
    meaning: "the change cannot be spliced into the file's text as it is written; nothing was written",
    hint: 'Write the mapping or the case by hand.',
  },
  SW_STUDIO_INTERNAL: {
    status: 500,
    meaning:
      'the studio failed on the request (a file it could not read or write, or a bug); the message says what failed',
    hint: 'Check the file the message names; otherwise report it with the message.',
  },
} as const;

/** Every code the studio's API refuses with, besides those it takes from validate or the engine. */
export type StudioErrorCode = keyof typeof studioErrors;

// Checked here rather than with `satisfies`, which isolatedDeclarations refuses on an exported literal.
const _entries: Readonly<Record<StudioErrorCode, StudioErrorEntry>> = studioErrors;
void _entries; // oxlint-disable-line typescript/no-meaningless-void-operator -- uses the check above, which noUnusedLocals would refuse

/**
 * A refusal another catalogue names (validate's diagnostics, the runtime
 * errors): its code, and a hint that fits this case (the domain entry to
 * add), at the status the studio answers with.
 */
export interface BorrowedCode {
  readonly code: string;
  readonly hint: string;
  readonly status: 400 | 404 | 409;
}

/** A request the studio refuses; `field` names the request field it is about, if one. */
export class StudioRequestError extends Error {
  override readonly name = 'StudioRequestError';
  /** A key of `studioErrors`, or the borrowed code. */
  readonly code: string;
  readonly status: StudioStatus;
  /** The request field it is about, if one. */
  readonly field: string | undefined;
  /** A borrowed code's hint; the studio's own codes have theirs in docs/studio.md. */
  readonly hint: string | undefined;

  constructor(code: StudioErrorCode | BorrowedCode, message: string, field?: string) {
    super(message);
    const entry = typeof code === 'string' ? { code, status: studioErrors[code].status, hint: undefined } : code;
    this.code = entry.code;
    this.status = entry.status;
    this.field = field;
    this.hint = entry.hint;
  }
}

/** The refusal as the API answers it: a `StudioError` at its status. */
export function refuse(c: Context, err: StudioRequestError): Response {
  const body: StudioError = {
    error: err.message,
    code: err.code,
    ...(err.field === undefined ? {} : { field: err.field }),
    ...(err.hint === undefined ? {} : { hint: err.hint }),
  };
  return c.json(body, err.status);
}
