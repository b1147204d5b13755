/**
 * Reading an API description for `slotwire import openapi`: finding the
 * root file in a folder, refusing what is not Swagger 2.0 / OpenAPI 3.0 /
 * 3.1, validating it and dereferencing it with @readme/openapi-parser (a
 * maintained fork of swagger-parser; @apidevtools/swagger-parser 13 needs
 * Node 22). Every failure is an OpenApiError with a one-line message that
 * names the file, never a stack or a code frame.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { dereference, validate } from '@readme/openapi-parser';
import { parse as parseYaml } from 'yaml';
import type { ImportErrorCode } from './errors.js';
import { ImportError } from './import-error.js';
import { jsonLinePointers } from './openapi-json-lines.js';

/** What went wrong, for callers and tests to match on (never the wording); docs/import.md says what each means. */
export type OpenApiErrorCode = Extract<ImportErrorCode, `SW_OPENAPI_${string}`>;

/** Why an API description cannot be imported; the message is one line naming the file. */
export class OpenApiError extends ImportError<OpenApiErrorCode> {
  override readonly name = 'OpenApiError';
}

/** Which specification a description follows. */
export type OpenApiVersion = '2.0' | '3.0' | '3.1';

/** A description, read and checked. */
export interface LoadedDescription {
  /** The root file (absolute). */
  readonly file: string;
  /** How to name it in messages: the path as the user gave it (a folder's root file joined to it). */
  readonly shown: string;
  readonly version: OpenApiVersion;
  /** The root file as written, `$ref`s left in place (for JSON pointers into the original). */
  readonly raw: Record<string, unknown>;
  /** Every `$ref` replaced by its target (shared objects; circular where the description is). */
  readonly document: Record<string, unknown>;
}

// The names a folder's root description goes by, in the order they are tried.
const rootNames = ['openapi.yaml', 'openapi.yml', 'openapi.json', 'swagger.yaml', 'swagger.yml', 'swagger.json'];
const descriptionFile = /\.(ya?ml|json)$/i;
// A top-level `openapi:` or `swagger:` key: in YAML at the start of a line (generators sort keys, so it
// may come after 60 KB of components), in JSON quoted, possibly right after the opening brace.
const topLevelMarker = /^(?:(?:openapi|swagger)\s*:|\s*\{?\s*["'](?:openapi|swagger)["']\s*:)/m;

/**
 * Reads `path` (a file, or a folder holding the root description), checks
 * it is Swagger 2.0 or OpenAPI 3.0/3.1 and valid, and dereferences it,
 * `$ref`s across files included.
 */
export async function loadDescription(path: string): Promise<LoadedDescription> {
  const found = await rootFile(path);
  const { file, shown } = found;
  const raw = await readRoot(file, shown);
  const version = versionOf(raw, shown);
  await validateDescription(file, shown, version);
  let document: unknown;
  try {
    document = await dereference(file);
  } catch (err) {
    throw parserError(err, file, shown);
  }
  return { file, shown, version, raw, document: document as Record<string, unknown> };
}

/** The file to read: `path` itself, or the root description in the folder `path`. */
async function rootFile(path: string): Promise<{ file: string; shown: string }> {
  const info = await stat(path).catch(() => null);
  if (info === null) throw new OpenApiError('SW_OPENAPI_NOT_FOUND', `${path}: no such file or folder`);
  if (!info.isDirectory()) return { file: path, shown: path };
  const names = (await readdir(path)).sort();
  for (const name of rootNames) {
    if (names.includes(name)) return { file: join(path, name), shown: join(path, name) };
  }
  // Otherwise the one file that says it is a description; a folder of
  // several (versions side by side, say) is the user's choice to make.
  const candidates: string[] = [];
  for (const name of names.filter((n) => descriptionFile.test(n))) {
    const text = await readFile(join(path, name), 'utf8').catch(() => '');
    if (topLevelMarker.test(text)) candidates.push(name);
  }
  if (candidates.length === 1) return { file: join(path, candidates[0]), shown: join(path, candidates[0]) };
  if (candidates.length === 0)
    throw new OpenApiError(
      'SW_OPENAPI_NO_DESCRIPTION',
      `${path}: no OpenAPI or Swagger description in this folder (looked for ${rootNames.join(', ')} and files with openapi: or swagger: at the top)`,
    );
  throw new OpenApiError(
    'SW_OPENAPI_SEVERAL_DESCRIPTIONS',
    `${path}: several descriptions in this folder (${candidates.join(', ')}); pass the file to import`,
  );
}

async function readRoot(file: string, shown: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new OpenApiError(
      'SW_OPENAPI_NOT_FOUND',
      `${shown}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let data: unknown;
  try {
    // YAML 1.2 reads JSON too. Duplicate keys are left to the validator's parser to report.
    data = parseYaml(text, { uniqueKeys: false });
  } catch (err) {
    // A file that never says it is a description (a README) is not one; one that does has a syntax error.
    if (!topLevelMarker.test(text))
      throw new OpenApiError(
        'SW_OPENAPI_NOT_OPENAPI',
        `${shown}: not an OpenAPI or Swagger description (it has no openapi: or swagger: at the top)`,
      );
    throw new OpenApiError(
      'SW_OPENAPI_UNPARSABLE',
      `${shown}: not valid YAML or JSON: ${firstLine((err as Error).message).replace(/:$/, '')}`,
    );
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data) || !('openapi' in data || 'swagger' in data)) {
    throw new OpenApiError(
      'SW_OPENAPI_NOT_OPENAPI',
      `${shown}: not an OpenAPI or Swagger description (it has no openapi: or swagger: at the top)`,
    );
  }
  return data;
}

function versionOf(raw: Record<string, unknown>, shown: string): OpenApiVersion {
  if ('swagger' in raw) {
    if (String(raw['swagger']).startsWith('2')) return '2.0';
    throw new OpenApiError(
      'SW_OPENAPI_UNSUPPORTED_VERSION',
      `${shown}: Swagger ${String(raw['swagger'])} is not supported; slotwire imports Swagger 2.0 and OpenAPI 3.0 and 3.1`,
    );
  }
  const v = String(raw['openapi']);
  if (/^3\.0(\.|$)/.test(v)) return '3.0';
  if (/^3\.1(\.|$)/.test(v)) return '3.1';
  throw new OpenApiError(
    'SW_OPENAPI_UNSUPPORTED_VERSION',
    `${shown}: OpenAPI ${v} is not supported; slotwire imports Swagger 2.0 and OpenAPI 3.0 and 3.1`,
  );
}

const specName: Readonly<Record<OpenApiVersion, string>> = {
  '2.0': 'Swagger 2.0',
  '3.0': 'OpenAPI 3.0',
  '3.1': 'OpenAPI 3.1',
};

async function validateDescription(file: string, shown: string, version: OpenApiVersion): Promise<void> {
  let result: Awaited<ReturnType<typeof validate>>;
  try {
    result = await validate(file);
  } catch (err) {
    throw parserError(err, file, shown);
  }
  if (result.valid) return;
  const first = result.errors[0]?.message ?? 'invalid';
  const more = result.errors.length - 1 + result.additionalErrors;
  const where = await pointerOfFrame(file, first);
  const extra = more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : '';
  throw new OpenApiError(
    'SW_OPENAPI_INVALID',
    `${shown}: not a valid ${specName[version]} description: ${oneLine(first, where)}${extra}`,
  );
}

/**
 * The validator's message as one line. Schema errors come from
 * better-ajv-errors as a headline ("TYPE must be string"), a blank line and
 * a code frame of the dereferenced description printed as JSON, whose
 * marked line says what is wrong there ("^ type must be string"); rule
 * errors ("`/paths/a/{id}/get` is missing path parameter(s)…") are one line.
 */
function oneLine(message: string, where: string | null): string {
  const [head = '', ...rest] = message.split(/\n\s*\n/);
  // The headline starts with the failed keyword in capitals (TYPE, ADDITIONAL PROPERTY).
  const headline = head
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:[A-Z]+ )+(?=[a-z])/, '');
  const caret = /\|\s*\^+\s+(.+)$/m.exec(rest.join('\n'))?.[1]?.trim() ?? '';
  let text = headline;
  if (where !== null) text += ` at ${where === '' ? '/' : where}`;
  if (caret !== '' && !saysTheSame(caret, headline)) text += ` (${caret})`;
  return text;
}

/** True when most words of `a` are in `b` ("type must be string" and "must be string"). */
function saysTheSame(a: string, b: string): boolean {
  const words = (t: string) => t.toLowerCase().match(/[a-z0-9']+/g) ?? [];
  const inB = new Set(words(b));
  const wordsA = words(a);
  return wordsA.filter((w) => inB.has(w)).length >= 0.6 * wordsA.length;
}

/**
 * The JSON pointer of the line a code frame marks. The frame numbers lines
 * of `JSON.stringify(description, null, 2)` after the validator's own
 * dereferencing (circular `$ref`s left in place), so the same is done here
 * and the marked line's text compared: on any doubt there is no pointer.
 */
async function pointerOfFrame(file: string, message: string): Promise<string | null> {
  const marked = /^>\s*(\d+)\s\|\s?(.*)$/m.exec(message);
  if (!marked) return null;
  try {
    const doc: unknown = await dereference(file, { dereference: { circular: 'ignore' } });
    const { lines, pointers } = jsonLinePointers(doc);
    const index = Number(marked[1]) - 1;
    return lines[index]?.trim() === marked[2]?.trim() ? (pointers[index] ?? null) : null;
  } catch {
    return null;
  }
}

/** A parser failure (a `$ref` that cannot be read, a file that does not parse) as an OpenApiError. */
function parserError(err: unknown, root: string, shown: string): OpenApiError {
  const message = firstLine(err instanceof Error ? err.message : String(err));
  const name = (p: string) => relative(dirname(root), p) || basename(p);
  const missing = /^Error opening file (.+?): ENOENT/.exec(message);
  if (missing)
    return new OpenApiError(
      'SW_OPENAPI_BAD_REF',
      `${shown}: a $ref points to ${name(missing[1])}, which does not exist`,
    );
  const unparsable = /^Error parsing (.+?): (.*)$/.exec(message);
  if (unparsable)
    return new OpenApiError('SW_OPENAPI_UNPARSABLE', `${shown}: cannot parse ${name(unparsable[1])}: ${unparsable[2]}`);
  const code = err instanceof Error && err.name === 'ResolverError' ? 'SW_OPENAPI_BAD_REF' : 'SW_OPENAPI_INVALID';
  return new OpenApiError(code, `${shown}: ${message}`);
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}
