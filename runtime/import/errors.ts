/**
 * The catalogue of every code `slotwire import` can refuse with, in the
 * manner of fastify's `lib/errors.js` and beside the load-time
 * (config/diagnostics.ts) and runtime (errors/catalogue.ts) catalogues.
 * Codes are stable: scripts and tests match on them, never on wording, and
 * a retired code is never reused. The thrown message says what was found
 * (the flag, the file, the operationId); the entry says what the code means
 * and how to get past it. docs/import.md has one row per code; a test keeps
 * the two in step.
 */

/** Which importer, or the write into the actions file, a code comes from. */
export type ImportArea = 'curl' | 'openapi' | 'write';

/** One catalogue entry (docs/import.md has the same columns). */
export interface ImportErrorEntry {
  readonly area: ImportArea;
  /** What happened. */
  readonly meaning: string;
  /** What to do about it. */
  readonly hint: string;
}

export const importErrors = {
  // --- slotwire import curl (runtime/import/curl*.ts) ---------------------------
  SW_CURL_SYNTAX: {
    area: 'curl',
    meaning:
      'the command cannot be read as a shell would: an unclosed quote, a command substitution ($(…), backticks), typographic quotes, an unquoted &, or a -H that is not a header',
    hint: 'Paste the command as the docs show it, with straight quotes; paste the output of a substitution instead of the substitution.',
  },
  SW_CURL_NOT_CURL: {
    area: 'curl',
    meaning: 'the text has no curl command',
    hint: "Paste the whole command, starting with curl (a leading $ prompt is fine): slotwire import curl 'curl …'.",
  },
  SW_CURL_UNKNOWN_FLAG: {
    area: 'curl',
    meaning: 'a flag curl does not have, or one the importer does not know',
    hint: 'Check the spelling (curl has no --flag=value form); drop a flag that only changes what curl prints.',
  },
  SW_CURL_MISSING_ARGUMENT: {
    area: 'curl',
    meaning: 'a flag that takes an argument (-H, -d, -X…) ends the command',
    hint: 'Give the flag its argument, or remove it.',
  },
  SW_CURL_UNSUPPORTED: {
    area: 'curl',
    meaning: 'a flag or header slotwire has no equivalent for (digest, NTLM or AWS auth, a Host override…)',
    hint: 'Import the command without it, then set what the connection allows by hand (docs/actions-yml.md, Connections).',
  },
  SW_CURL_READS_FILE: {
    area: 'curl',
    meaning: 'the request depends on a file (@file, -T, -K, -H @file): what it sends is not in the command',
    hint: "Paste the data itself (--data-raw, -H 'Name: value').",
  },
  SW_CURL_MULTIPART: {
    area: 'curl',
    meaning: '-F: a multipart/form-data body, which an action does not send',
    hint: 'Send the fields as form data (-d name=value) or JSON if the API takes them.',
  },
  SW_CURL_URL: {
    area: 'curl',
    meaning:
      'no URL, several URLs, or one curl would refuse (a space, a scheme other than http(s), a bad host or port), or one with {{ in it',
    hint: 'Give one http(s) URL, percent-encoded (%20 for a space).',
  },
  SW_CURL_METHOD: {
    area: 'curl',
    meaning: 'a method slotwire does not send (-X OPTIONS), or two at once (-I with -d)',
    hint: 'Use GET, POST, PUT, PATCH, DELETE or HEAD.',
  },
  SW_CURL_CREDENTIALS: {
    area: 'curl',
    meaning:
      "more credentials than a connection carries, or a credential's value that would still be written into the draft",
    hint: 'Remove the second credential (or the copy of it in the URL, headers or body) from the command and import again.',
  },

  // --- slotwire import openapi (runtime/import/openapi*.ts) ----------------------
  SW_OPENAPI_NOT_FOUND: {
    area: 'openapi',
    meaning: 'no such file or folder, or it cannot be read',
    hint: 'Check the path and its permissions.',
  },
  SW_OPENAPI_NO_DESCRIPTION: {
    area: 'openapi',
    meaning:
      'a folder without a root description (openapi.{yaml,yml,json}, swagger.*, or one file with openapi: or swagger: at its top)',
    hint: 'Pass the description file itself.',
  },
  SW_OPENAPI_SEVERAL_DESCRIPTIONS: {
    area: 'openapi',
    meaning: 'a folder with several files that say they are descriptions, and none of the usual root names',
    hint: 'Pass the file to import.',
  },
  SW_OPENAPI_NOT_OPENAPI: {
    area: 'openapi',
    meaning: 'the file has no openapi: or swagger: at its top',
    hint: 'Pass an OpenAPI 3.0/3.1 or Swagger 2.0 description (YAML or JSON).',
  },
  SW_OPENAPI_UNSUPPORTED_VERSION: {
    area: 'openapi',
    meaning: 'neither Swagger 2.0 nor OpenAPI 3.0 or 3.1 (e.g. OpenAPI 3.2, Swagger 1.2)',
    hint: 'Convert the description to OpenAPI 3.1 or 3.0, or write the actions by hand.',
  },
  SW_OPENAPI_UNPARSABLE: {
    area: 'openapi',
    meaning: 'the description, or a file one of its $refs names, is not YAML or JSON',
    hint: 'Fix the syntax at the place the message names.',
  },
  SW_OPENAPI_BAD_REF: {
    area: 'openapi',
    meaning: 'a $ref names a file that does not exist or cannot be read',
    hint: 'Fix the $ref, or put the file it names beside the description.',
  },
  SW_OPENAPI_INVALID: {
    area: 'openapi',
    meaning: 'the description does not validate; the message names the first problem and its JSON pointer',
    hint: 'Fix the description at that pointer (a validator such as the Swagger editor lists every problem).',
  },
  SW_OPENAPI_NO_OPERATION: {
    area: 'openapi',
    meaning: 'no operation was chosen',
    hint: 'Run the import without --operation to list them, then pass one or more with --operation.',
  },
  SW_OPENAPI_UNKNOWN_OPERATION: {
    area: 'openapi',
    meaning: 'an --operation the description does not have; the message names the closest',
    hint: 'Run the import without --operation to list the operationIds.',
  },
  SW_OPENAPI_UNSENDABLE_METHOD: {
    area: 'openapi',
    meaning: 'an OPTIONS or TRACE operation, which an action does not send',
    hint: 'Choose another operation.',
  },
  SW_OPENAPI_BAD_CONNECTION_NAME: {
    area: 'openapi',
    meaning: '--connection is not a name a connection can have',
    hint: 'Start with a letter or _, then letters, digits, _, - or . (docs/actions-yml.md, Top level).',
  },

  // --- --write: adding the draft to the actions file (runtime/import/emit.ts) -----
  SW_IMPORT_FILE_NOT_YAML: {
    area: 'write',
    meaning: 'the actions file to add to is not valid YAML; nothing was written',
    hint: 'Fix the file first (slotwire validate shows where), or write to another with --actions.',
  },
  SW_IMPORT_FILE_NOT_MAPPING: {
    area: 'write',
    meaning: 'the actions file to add to is not a mapping with connections: and actions:; nothing was written',
    hint: 'Check that --actions names an actions file.',
  },
  SW_IMPORT_CONNECTION_EXISTS: {
    area: 'write',
    meaning: 'the file already has a connection of that name with another base_url; nothing was written',
    hint: 'Pass --connection with a new name.',
  },
  SW_IMPORT_ACTION_EXISTS: {
    area: 'write',
    meaning: 'the file already has an action of that name; nothing was written',
    hint: 'Rename or remove the existing action, or (curl) pass --name.',
  },
} as const;

/** Every code `slotwire import` can refuse with. */
export type ImportErrorCode = keyof typeof importErrors;

// Checked here rather than with `satisfies`, which isolatedDeclarations refuses on an exported literal.
const _entries: Readonly<Record<ImportErrorCode, ImportErrorEntry>> = importErrors;
void _entries; // oxlint-disable-line typescript/no-meaningless-void-operator -- uses the check above, which noUnusedLocals would refuse
