/**
 * Validates a parsed actions.yml against schemas/actions.schema.json (the
 * single source of truth of the language) and turns ajv's errors into
 * positioned diagnostics with hints.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { diagnostic, renameFix } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { asWritten } from './env.js';
import { schemaAjv } from './schema-ajv.js';
import { locate, positionOfNode, writtenText } from './source.js';
import type { NodePath, SourceFile } from './source.js';
import { closest, didYouMean } from './suggest.js';

/** The schema file, resolved from this module so it works from source and from dist/. */
export const schemaUrl: URL = new URL('../../schemas/actions.schema.json', import.meta.url);

/** The schema of `slotwire test` files (docs/testing.md). */
export const testSchemaUrl: URL = new URL('../../schemas/actions-test.schema.json', import.meta.url);

interface Validators {
  readonly ajv: Ajv;
  readonly file: ValidateFunction;
  readonly id: string;
  /** JSON pointer of every subschema object, to re-validate one oneOf branch by id. */
  readonly pointers: ReadonlyMap<object, string>;
}

// Compiled on first use and kept, per schema: ajv takes about 30 ms to compile a schema this large.
const validators = new Map<string, Validators>();

function getValidators(url: URL): Validators {
  const known = validators.get(url.href);
  if (known) return known;
  const schema = JSON.parse(readFileSync(url, 'utf8')) as { $id: string };
  const ajv = schemaAjv();
  const compiled: Validators = { ajv, file: ajv.compile(schema), id: schema.$id, pointers: pointersOf(schema) };
  validators.set(url.href, compiled);
  return compiled;
}

/**
 * The actions schema's validator as the build generated it
 * (scripts/build-schema-validator.mjs, beside this module in dist/, named
 * from the config folder so the executable's bundle in dist/cli/ finds it
 * too), with the same ajv set-up: loading it takes about 15 ms, where loading ajv and
 * compiling the schema took about 110 ms of every start. It only says
 * whether a file is valid; an invalid one is validated again by ajv
 * compiled here, whose errors (with the schemas they came from) make the
 * diagnostics. Null from the TypeScript sources (the test suite), which
 * compile the schema as before; undefined until first asked.
 */
let prebuilt: ((data: unknown) => boolean) | null | undefined;

function prebuiltValidator(): ((data: unknown) => boolean) | null {
  if (prebuilt !== undefined) return prebuilt;
  try {
    prebuilt = createRequire(import.meta.url)('../config/actions-schema-validator.cjs') as (data: unknown) => boolean;
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw err;
    prebuilt = null;
  }
  return prebuilt;
}

/**
 * ajv reports `schemaPath` relative to the definition a `$ref` led into, so
 * a oneOf is found again by its identity (verbose errors carry the very
 * schema object) rather than by that path.
 */
function pointersOf(schema: unknown): Map<object, string> {
  const out = new Map<object, string>();
  const walk = (node: unknown, pointer: string): void => {
    if (node === null || typeof node !== 'object') return;
    out.set(node, pointer);
    for (const [key, child] of Object.entries(node))
      walk(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  };
  walk(schema, '');
  return out;
}

/** `value` without the top-level keys the definition does not know (a misspelt key), for checking the rest. */
export function withoutUnknownKeys(definition: 'action' | 'connection', value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = getValidators(schemaUrl);
  const known =
    (v.ajv.getSchema(`${v.id}#/definitions/${definition}`)?.schema as { properties?: object } | undefined)
      ?.properties ?? {};
  return Object.fromEntries(Object.entries(value).filter(([k]) => k in known));
}

/** True when `value` is a valid action or connection on its own (for checking the valid parts of a broken file). */
export function conformsTo(definition: 'action' | 'connection', value: unknown): boolean {
  const v = getValidators(schemaUrl);
  return v.ajv.getSchema(`${v.id}#/definitions/${definition}`)?.(value) === true;
}

/**
 * Validates `data` (the document as plain JS) against a schema file;
 * positions come from `source`. Default: the actions.yml schema.
 */
export function validateSchema(source: SourceFile, data: unknown, schema: URL = schemaUrl): Diagnostic[] {
  if (schema.href === schemaUrl.href && prebuiltValidator()?.(data) === true) return [];
  const v = getValidators(schema);
  if (v.file(data)) return [];
  return toDiagnostics(source, data, v, v.file.errors ?? []);
}

function toDiagnostics(source: SourceFile, data: unknown, v: Validators, errors: readonly ErrorObject[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const resolvedOneOf = new Set<string>();
  const tagEnums = new Set(errors.filter((e) => e.keyword === 'enum').map((e) => e.instancePath));
  for (const e of errors) {
    if (e.keyword === 'oneOf') {
      // A oneOf reports every branch's errors; explain the branch the value was meant for.
      resolvedOneOf.add(e.instancePath);
      out.push(...explainOneOf(source, data, v, e));
    }
  }
  for (const e of errors) {
    if (e.keyword === 'oneOf' || isUnder(e.instancePath, resolvedOneOf)) continue;
    // An unknown discriminator tag is already reported by the tag's enum.
    if (e.keyword === 'discriminator' && tagEnums.has(`${e.instancePath}/${(e.params as { tag: string }).tag}`))
      continue;
    // propertyNames reports the inner pattern too; keep only the named one.
    if (e.propertyName !== undefined && e.keyword !== 'propertyNames') continue;
    const d = describe(source, e);
    if (d) out.push(d);
  }
  return dedupe(out);
}

function isUnder(path: string, roots: ReadonlySet<string>): boolean {
  for (const root of roots) if (path === root || path.startsWith(`${root}/`)) return true;
  return false;
}

/** Re-validates against each branch and reports the branch with the fewest errors. */
function explainOneOf(source: SourceFile, data: unknown, v: Validators, e: ErrorObject): Diagnostic[] {
  const path = decodePath(e.instancePath);
  const value = valueAt(data, path);
  const branches = e.schema as readonly unknown[];
  const pointer = v.pointers.get(branches);
  let best: ErrorObject[] | null = null;
  let bestWrongType = true;
  for (let i = 0; pointer !== undefined && i < branches.length; i++) {
    const validate = v.ajv.getSchema(`${v.id}#${pointer}/${i}`);
    if (!validate || validate(value)) continue;
    const errs = (validate.errors ?? []).map((x) => ({ ...x, instancePath: e.instancePath + x.instancePath }));
    // A branch that fails on the value's own type was not the one meant, however few its errors.
    const wrongType = errs.some(
      (x) => x.instancePath === e.instancePath && (x.keyword === 'type' || x.keyword === 'const'),
    );
    if (!best || (bestWrongType && !wrongType) || (wrongType === bestWrongType && errs.length < best.length)) {
      best = errs;
      bestWrongType = wrongType;
    }
  }
  const explained = best ? toDiagnostics(source, data, v, best) : [];
  // Never let a failed oneOf pass silently, even if no branch could be explained.
  return explained.length > 0
    ? explained
    : [diagnostic('SW_SCHEMA_VALUE', at(source, path), [humanPath(path), 'does not match any of its allowed forms'])];
}

function describe(source: SourceFile, e: ErrorObject): Diagnostic | null {
  const path = decodePath(e.instancePath);
  const where = humanPath(path);
  const params = e.params as Record<string, unknown>;
  const parent = e.parentSchema as { properties?: Record<string, unknown> } | undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const allowed = Object.keys(parent?.properties ?? {});
      const at = locate(source, [...path, key]).key;
      return diagnostic(
        'SW_SCHEMA_UNKNOWN_KEY',
        positionOfNode(source, at),
        [key, where],
        [didYouMean(key, allowed), allowed.join(', ')],
        renameFix(key, closest(key, allowed)),
      );
    }
    case 'required': {
      const { key, node } = locate(source, path);
      return diagnostic('SW_SCHEMA_MISSING_KEY', positionOfNode(source, key ?? node), [
        where,
        String(params['missingProperty']),
      ]);
    }
    case 'type':
      return diagnostic('SW_SCHEMA_TYPE', at(source, path), [
        where,
        typeName(String(params['type'])),
        describeValue(shownData(source, path, e.data)),
      ]);
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map((x) => JSON.stringify(x));
      const data = shownData(source, path, e.data);
      // The suggestion is made from what is shown, so it cannot hint at a secret either.
      const match =
        typeof data === 'string'
          ? closest(
              data,
              allowed.map((x) => x.replace(/"/g, '')),
            )
          : null;
      return diagnostic(
        'SW_SCHEMA_ENUM',
        at(source, path),
        [where, allowed.join(', '), describeValue(data)],
        [match === null ? '' : `Did you mean "${match}"? `],
        renameFix(String(data), match),
      );
    }
    case 'pattern': {
      const text = quoteSource(source, path);
      if (e.schemaPath.includes('/duration/')) return diagnostic('SW_SCHEMA_DURATION', at(source, path), [where, text]);
      if (e.schemaPath.includes('/size/')) return diagnostic('SW_SCHEMA_SIZE', at(source, path), [where, text]);
      return diagnostic('SW_SCHEMA_VALUE', at(source, path), [
        where,
        `does not match ${String(params['pattern'])}: ${text}`,
      ]);
    }
    case 'propertyNames': {
      const name = String(params['propertyName']);
      return diagnostic('SW_SCHEMA_NAME', positionOfNode(source, locate(source, [...path, name]).key), [name]);
    }
    case 'not': {
      // `not: { required: [a, b] }` holds vacuously for a non-mapping; its type error says it all.
      if (e.data === null || typeof e.data !== 'object' || Array.isArray(e.data)) return null;
      const keys = (e.schema as { required?: string[] }).required ?? [];
      const second = keys[1] ?? '';
      return diagnostic('SW_SCHEMA_EXCLUSIVE', positionOfNode(source, locate(source, [...path, second]).key), [
        where,
        keys[0] ?? '',
        second,
      ]);
    }
    case 'discriminator': {
      const tag = String(params['tag']);
      return diagnostic('SW_SCHEMA_MISSING_KEY', at(source, path), [where, tag]);
    }
    case 'const':
      return diagnostic('SW_SCHEMA_VALUE', at(source, path), [
        where,
        `must be ${JSON.stringify(params['allowedValue'])}`,
      ]);
    default:
      return diagnostic('SW_SCHEMA_VALUE', at(source, path), [where, e.message ?? 'is not valid']);
  }
}

function at(source: SourceFile, path: NodePath) {
  const { node, nearest } = locate(source, path);
  return positionOfNode(source, node ?? nearest);
}

/** The value as written in the file: `${TOKEN}` stays `${TOKEN}`, so no secret is printed. */
function quoteSource(source: SourceFile, path: NodePath): string {
  const { node } = locate(source, path);
  return node ? JSON.stringify(writtenText(source, node)) : '';
}

/** The value a message may describe: a string that came from `${VAR}` is shown as written (env.ts). */
function shownData(source: SourceFile, path: NodePath, data: unknown): unknown {
  return typeof data === 'string' ? asWritten(source, path, data) : data;
}

function decodePath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(data: unknown, path: NodePath): unknown {
  let value = data;
  for (const seg of path) value = (value as Record<string | number, unknown> | undefined)?.[seg];
  return value;
}

/** `actions.check.request.query` / `actions.check.steps[1]`: how users read their file. */
export function humanPath(path: NodePath): string {
  if (path.length === 0) return 'the file';
  return path.map((s, i) => (/^\d+$/.test(String(s)) ? `[${s}]` : i === 0 ? String(s) : `.${s}`)).join('');
}

function typeName(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    null: 'null',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === 'boolean' ? 'the boolean' : 'the number'} ${String(value)}`;
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}:${d.line}:${d.col}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
