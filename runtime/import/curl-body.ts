/**
 * What a curl command's data becomes in the action: `body:` (JSON),
 * `form:` (fields) or `text:`, and the Content-Type header the action
 * must add so that slotwire sends what curl sent. slotwire's own content
 * types (http/request-body.ts) are `application/json`,
 * `application/x-www-form-urlencoded` and `text/plain; charset=utf-8`; a
 * header is written only when curl's differs from the one slotwire would
 * send for that kind.
 *
 * A body is made structured (`body:`, `form:`) only when slotwire's encoding
 * of the structure means exactly what curl sent: JSON whose values survive
 * JSON.parse and JSON.stringify (no duplicate keys, no number that loses
 * digits, no key order JavaScript would change), form data whose pieces all
 * decode to distinct names. Anything else is sent as `text:`, byte for byte.
 */
import type { DraftBody } from './draft.js';

/** A body and the header it needs. */
export interface BodyChoice {
  readonly body: DraftBody | null;
  /** Content-Type for the action's headers; null when slotwire's own for the body is the same. */
  readonly contentType: string | null;
  readonly notes: readonly string[];
}

const FORM = 'application/x-www-form-urlencoded';
// What http/request-body.ts sends for each body kind.
const SLOTWIRE_JSON = 'application/json';
const SLOTWIRE_TEXT = 'text/plain; charset=utf-8';

/** `application/json`, `application/vnd.api+json`, with or without parameters. */
export function isJsonType(contentType: string): boolean {
  return /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(contentType);
}

function isFormType(contentType: string): boolean {
  return /^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(contentType);
}

/**
 * Chooses the body kind for curl's data.
 * @param data - the data curl sends, pieces joined; null when none
 * @param contentType - the Content-Type curl sends (its own form default included); null when none
 * @param explicit - the command set the content type (-H or --json)
 */
export function chooseBody(data: string | null, contentType: string | null, explicit: boolean): BodyChoice {
  if (data === null) return { body: null, contentType, notes: [] };
  const type = contentType ?? FORM;
  const notes: string[] = [];
  if (isJsonType(type) || (!explicit && /^\s*[[{]/.test(data))) {
    const json = readJson(data);
    if (json.ok) {
      if (!explicit) {
        notes.push(
          `curl sent this JSON with its default Content-Type, ${FORM} (the command sets none); slotwire sends application/json, as a JSON API expects.`,
        );
      }
      if (JSON.stringify(json.value) !== data) {
        notes.push(
          'slotwire writes the JSON body as JSON.stringify does (no spaces or line breaks): the values are the ones in the command.',
        );
      }
      return {
        body: { kind: 'json', value: literalJson(json.value) },
        contentType: explicit && type !== SLOTWIRE_JSON ? type : null,
        notes,
      };
    }
    if (isJsonType(type)) return textBody(data, type, [`The body is kept as text: ${json.reason}.`]);
  }
  if (isFormType(type)) {
    const fields = decodePairs(data);
    if (typeof fields === 'string')
      return textBody(data, type, [`The body is kept as text, not form fields: ${fields}.`]);
    return {
      body: { kind: 'form', fields: mapValues(fields, literalText) },
      contentType: type === FORM ? null : type,
      notes,
    };
  }
  return textBody(data, type, notes);
}

function textBody(data: string, contentType: string, notes: string[]): BodyChoice {
  return {
    body: { kind: 'text', value: literalText(data) },
    contentType: contentType === SLOTWIRE_TEXT ? null : contentType,
    notes,
  };
}

/**
 * `a=1&b=x+y` as ordered name → value, decoded as
 * application/x-www-form-urlencoded (`+` is a space). Returns why not when
 * a piece has no `=`, a name repeats (a mapping cannot say it twice), or a
 * piece does not decode; the caller then keeps the text as it is.
 */
export function decodePairs(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  const order: string[] = [];
  for (const piece of text.split('&')) {
    const eq = piece.indexOf('=');
    if (eq <= 0) return piece === '' ? 'it has an empty piece (&&)' : `"${clip(piece)}" is not name=value`;
    const name = decodePart(piece.slice(0, eq));
    const value = decodePart(piece.slice(eq + 1));
    if (name === null || value === null) return `"${clip(piece)}" is not valid percent-encoding`;
    if (Object.hasOwn(out, name) || name === '__proto__') return `the name ${name} comes more than once`;
    out[name] = value;
    order.push(name);
  }
  // JavaScript lists integer-like keys first, which would reorder the pairs.
  if (Object.keys(out).join('&') !== order.join('&')) return 'its numeric names would be reordered';
  return out;
}

/** One name or value of form data (or a query), `+` as a space; null when the percent-encoding is broken. */
export function decodePart(text: string): string | null {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return null;
  }
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function mapValues(record: Record<string, string>, f: (value: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) out[k] = f(v);
  return out;
}

/**
 * A literal string as actions.yml must write it: `${` becomes `$${`
 * (config/env.ts reads `${` as a variable in every value), and a string
 * holding `{{` becomes one JSONata string literal, `{{ "…" }}`, since the
 * value rule starts an expression at every `{{` and has no escape for it.
 */
export function literalText(text: string): string {
  const escaped = text.replaceAll('${', () => '$${');
  return escaped.includes('{{') ? `{{ ${JSON.stringify(escaped)} }}` : escaped;
}

/** literalText applied to every string of a JSON value. */
function literalJson(value: unknown): unknown {
  if (typeof value === 'string') return literalText(value);
  if (Array.isArray(value)) return value.map(literalJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = literalJson(v);
    return out;
  }
  return value;
}

type JsonRead = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * JSON.parse, refusing what JSON.stringify would not send back with the
 * same meaning: a repeated key (the last one would win), a number that
 * loses digits as a double (IDs past 2^53), and object keys JavaScript
 * reorders (integer-like keys go first).
 */
export function readJson(text: string): JsonRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'it is not valid JSON' };
  }
  const problem = jsonProblem(text);
  return problem === null ? { ok: true, value } : { ok: false, reason: problem };
}

/** A walk over valid JSON text (JSON.parse accepted it) that reports the first change JSON.stringify would make to its meaning. */
function jsonProblem(text: string): string | null {
  let i = 0;
  const ws = (): void => {
    while (/[ \t\n\r]/.test(text[i] ?? '')) i++;
  };
  const string = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const number = (): string | null => {
    const token = (/^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i)) as RegExpExecArray)[0];
    i += token.length;
    const written = String(Number(token));
    return decimal(token) === decimal(written) ? null : `the number ${token} would be sent as ${written}`;
  };
  // Objects and arrays: items until the closing bracket, each checked in turn.
  const items = (close: string, item: () => string | null): string | null => {
    i++;
    for (ws(); text[i] !== close; ws()) {
      const problem = item();
      if (problem !== null) return problem;
      ws();
      if (text[i] === ',') i++;
    }
    i++;
    return null;
  };
  const value = (): string | null => {
    ws();
    const c = text[i];
    if (c === '[') return items(']', value);
    if (c === '{') {
      const keys: string[] = [];
      const built: Record<string, true> = {};
      const problem = items('}', () => {
        const key = string();
        if (key === '__proto__') return 'it has a "__proto__" key';
        if (Object.hasOwn(built, key)) return `the key "${key}" appears twice`;
        keys.push(key);
        built[key] = true;
        ws();
        i++; // ':'
        return value();
      });
      if (problem !== null) return problem;
      return Object.keys(built).join('\0') === keys.join('\0') ? null : 'JavaScript would reorder its numeric keys';
    }
    if (c === '"') {
      string();
      return null;
    }
    const literal = /^(?:true|false|null)/.exec(text.slice(i, i + 5));
    if (literal) {
      i += literal[0].length;
      return null;
    }
    return number();
  };
  return value();
}

/** A decimal number in one spelling: significant digits and an exponent (`1.50e1` and `15` are both "15e0"). */
function decimal(token: string): string {
  const m = /^(-?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(token);
  if (!m) return token;
  const frac = m[3] ?? '';
  let digits = `${m[2] ?? ''}${frac}`.replace(/^0+/, '');
  let exp = Number(m[4] ?? '0') - frac.length;
  if (digits === '') return '0';
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    exp++;
  }
  return `${m[1] ?? ''}${digits}e${exp}`;
}
