/**
 * google.protobuf.Struct read from its wire bytes straight to plain JSON
 * values and written back (struct.ts does the same with proto-loader's
 * objects, for clients), with protobuf's JSON mapping: numbers are
 * doubles, an unset Value is null.
 * Struct { map<string, Value> fields = 1 }; Value { null_value = 1,
 * number_value = 2, string_value = 3, bool_value = 4, struct_value = 5,
 * list_value = 6 }; ListValue { repeated Value values = 1 }.
 */
import { FIXED64, fieldOf, LENGTH_DELIMITED, VARINT, WireError } from './wire.js';
import type { WireReader } from './wire.js';

/** Deeper than this is an attack, not a tracker. */
const MAX_DEPTH = 512;

/** A Struct message, the reader's bytes up to `end`, as an object. */
export function readStruct(r: WireReader, end: number, depth = 0): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new WireError(`Struct nested deeper than ${MAX_DEPTH} levels`);
  const out: Record<string, unknown> = {};
  while (r.pos < end) {
    const tag = r.varint(end);
    const type = tag & 7;
    if (fieldOf(tag) !== 1 || type !== LENGTH_DELIMITED) {
      r.skip(type, end);
      continue;
    }
    // A map entry: { string key = 1; Value value = 2; }.
    const entryEnd = r.delimited(end);
    let key = '';
    let value: unknown = null;
    while (r.pos < entryEnd) {
      const t = r.varint(entryEnd);
      const f = fieldOf(t);
      if (f === 1 && (t & 7) === LENGTH_DELIMITED) key = r.string(entryEnd);
      else if (f === 2 && (t & 7) === LENGTH_DELIMITED) value = readValue(r, r.delimited(entryEnd), depth + 1);
      else r.skip(t & 7, entryEnd);
    }
    out[key] = value;
  }
  return out;
}

/** A Value message as a plain value; the last kind on the wire wins, as in protobuf. */
function readValue(r: WireReader, end: number, depth: number): unknown {
  let value: unknown = null;
  while (r.pos < end) {
    const tag = r.varint(end);
    const field = fieldOf(tag);
    const type = tag & 7;
    if (field === 1 && type === VARINT) {
      r.varint(end);
      value = null;
    } else if (field === 2 && type === FIXED64) value = r.double(end);
    else if (field === 3 && type === LENGTH_DELIMITED) value = r.string(end);
    else if (field === 4 && type === VARINT) value = r.varint(end) !== 0;
    else if (field === 5 && type === LENGTH_DELIMITED) value = readStruct(r, r.delimited(end), depth + 1);
    else if (field === 6 && type === LENGTH_DELIMITED) value = readList(r, r.delimited(end), depth + 1);
    else r.skip(type, end);
  }
  return value;
}

function readList(r: WireReader, end: number, depth: number): unknown[] {
  if (depth > MAX_DEPTH) throw new WireError(`ListValue nested deeper than ${MAX_DEPTH} levels`);
  const out: unknown[] = [];
  while (r.pos < end) {
    const tag = r.varint(end);
    if (fieldOf(tag) === 1 && (tag & 7) === LENGTH_DELIMITED) out.push(readValue(r, r.delimited(end), depth + 1));
    else r.skip(tag & 7, end);
  }
  return out;
}

/**
 * Plain objects as repeated Struct fields of one message, in order: each
 * `[field, structs]` writes every struct as that field. What JSON cannot
 * hold is treated as `JSON.stringify` does; a BigInt or a cycle throws a
 * TypeError.
 *
 * Two passes into one buffer: the first measures every nested message and
 * string (a length-delimited field's length comes before its bytes), the
 * second writes. Building a Buffer per field and concatenating them cost
 * most of an answer's encoding in allocations.
 */
export function writeStructFields(groups: readonly (readonly [number, readonly object[]])[]): Buffer {
  const plan: Plan = { sizes: [], json: [] };
  let total = 0;
  for (const [, structs] of groups)
    for (const struct of structs) total += fieldSize(structSize(struct as Record<string, unknown>, 0, plan));
  const w: Writer = { buf: Buffer.allocUnsafe(total), pos: 0, size: 0, json: 0 };
  for (const [field, structs] of groups)
    for (const struct of structs) {
      header(w, field, plan.sizes[w.size++]);
      writeStructBody(struct as Record<string, unknown>, w, plan);
    }
  return w.buf;
}

/** A plain object as Struct bytes (see {@link writeStructFields}). */
export function writeStruct(object: Readonly<Record<string, unknown>>): Buffer {
  const plan: Plan = { sizes: [], json: [] };
  const w: Writer = { buf: Buffer.allocUnsafe(structSize(object, 0, plan)), pos: 0, size: 1, json: 0 };
  writeStructBody(object, w, plan);
  return w.buf;
}

/**
 * What the measuring pass learnt, in the order the writing pass meets it:
 * the byte length of every struct, map entry, list and string, and what
 * each `toJSON` returned (called once).
 */
interface Plan {
  readonly sizes: number[];
  readonly json: unknown[];
}

/** The writing pass's place in its buffer and in the plan. */
interface Writer {
  readonly buf: Buffer;
  pos: number;
  size: number;
  json: number;
}

/** JSON.stringify leaves such keys out of an object. */
function isLeftOut(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function varintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) size++;
  return size;
}

/** A length-delimited field of `length` bytes with a one-byte tag (every field number here is below 16). */
function fieldSize(length: number): number {
  return 1 + varintSize(length) + length;
}

/** Measures a Struct; pushes its own size first, then its entries'. */
function structSize(object: Readonly<Record<string, unknown>>, depth: number, plan: Plan): number {
  if (depth > MAX_DEPTH) throw new TypeError(`value nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
  const at = plan.sizes.push(0) - 1;
  let total = 0;
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (isLeftOut(value)) continue;
    // A map entry: { string key = 1; Value value = 2; }.
    const entryAt = plan.sizes.push(0, utf8Length(key)) - 2;
    const entry = fieldSize(plan.sizes[entryAt + 1]) + fieldSize(valueSize(value, depth + 1, plan));
    plan.sizes[entryAt] = entry;
    total += fieldSize(entry);
  }
  plan.sizes[at] = total;
  return total;
}

/** NaN and ±Infinity are null in JSON; so are undefined, functions and symbols inside a list. */
const NULL_SIZE = 2;

/** Measures a Value's bytes. */
function valueSize(value: unknown, depth: number, plan: Plan): number {
  switch (typeof value) {
    case 'string':
      return fieldSize(plan.sizes[plan.sizes.push(utf8Length(value)) - 1]);
    case 'boolean':
      return 2;
    case 'number':
      return Number.isFinite(value) ? 9 : NULL_SIZE;
    case 'bigint':
      throw new TypeError('a BigInt cannot be sent to Rasa');
    case 'object': {
      if (value === null) return NULL_SIZE;
      if (depth > MAX_DEPTH) throw new TypeError(`value nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
      const json = (value as { toJSON?: unknown }).toJSON;
      if (typeof json === 'function') {
        const replaced: unknown = json.call(value);
        plan.json.push(replaced);
        return valueSize(replaced, depth + 1, plan);
      }
      if (Array.isArray(value)) {
        const at = plan.sizes.push(0) - 1;
        let total = 0;
        for (const item of value as unknown[]) total += fieldSize(valueSize(item, depth + 1, plan));
        plan.sizes[at] = total;
        return fieldSize(total);
      }
      return fieldSize(structSize(value as Record<string, unknown>, depth + 1, plan));
    }
    default:
      return NULL_SIZE;
  }
}

/**
 * Below this length a string is measured and copied in JS. Most of an
 * answer's strings are short ASCII names and values, and a call into
 * Buffer's native UTF-8 code costs more than such a loop; longer or
 * non-ASCII text goes through it.
 */
const SHORT_TEXT = 64;

/** A string's UTF-8 byte length. */
function utf8Length(text: string): number {
  if (text.length > SHORT_TEXT) return Buffer.byteLength(text, 'utf8');
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return Buffer.byteLength(text, 'utf8');
  return text.length;
}

/** `text`'s `bytes` UTF-8 bytes at the writer's position (as many as its length: ASCII). */
function writeText(w: Writer, text: string, bytes: number): void {
  if (bytes !== text.length || bytes > SHORT_TEXT) {
    w.pos += w.buf.write(text, w.pos, bytes, 'utf8');
    return;
  }
  const { buf } = w;
  let pos = w.pos;
  for (let i = 0; i < bytes; i++) buf[pos++] = text.charCodeAt(i);
  w.pos = pos;
}

/** A field's tag (wire type 2) and length. */
function header(w: Writer, field: number, length: number): void {
  w.buf[w.pos++] = field * 8 + LENGTH_DELIMITED;
  let rest = length;
  while (rest >= 0x80) {
    w.buf[w.pos++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  w.buf[w.pos++] = rest;
}

/** A Struct's entries; its own size was read by the caller. */
function writeStructBody(object: Readonly<Record<string, unknown>>, w: Writer, plan: Plan): void {
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (isLeftOut(value)) continue;
    header(w, 1, plan.sizes[w.size++]);
    const keyBytes = plan.sizes[w.size++];
    header(w, 1, keyBytes);
    writeText(w, key, keyBytes);
    writeValue(value, w, plan);
  }
}

/** A Value as map entry field 2 or list item field 1: `field`'s header, then its bytes. */
function writeValue(value: unknown, w: Writer, plan: Plan, field = 2): void {
  switch (typeof value) {
    case 'string': {
      const bytes = plan.sizes[w.size++];
      header(w, field, fieldSize(bytes));
      header(w, 3, bytes);
      writeText(w, value, bytes);
      return;
    }
    case 'boolean':
      header(w, field, 2);
      w.buf[w.pos++] = 0x20;
      w.buf[w.pos++] = value ? 1 : 0;
      return;
    case 'number':
      if (!Number.isFinite(value)) return writeNull(w, field);
      header(w, field, 9);
      w.buf[w.pos++] = 0x11;
      w.pos = w.buf.writeDoubleLE(value, w.pos);
      return;
    case 'object': {
      if (value === null) return writeNull(w, field);
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
        return writeValue(plan.json[w.json++], w, plan, field);
      const size = plan.sizes[w.size++];
      header(w, field, fieldSize(size));
      if (Array.isArray(value)) {
        header(w, 6, size);
        for (const item of value as unknown[]) writeValue(item, w, plan, 1);
      } else {
        header(w, 5, size);
        writeStructBody(value as Record<string, unknown>, w, plan);
      }
      return;
    }
    default:
      return writeNull(w, field);
  }
}

/** `null_value: NULL_VALUE` (0), written out so the Value is not empty. */
function writeNull(w: Writer, field: number): void {
  header(w, field, 2);
  w.buf[w.pos++] = 0x08;
  w.buf[w.pos++] = 0x00;
}
