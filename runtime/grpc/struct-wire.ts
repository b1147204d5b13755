/**
 * google.protobuf.Struct read from its wire bytes straight to plain JSON
 * values and written back (struct.ts does the same with proto-loader's
 * objects, for clients), with protobuf's JSON mapping: numbers are
 * doubles, an unset Value is null.
 * Struct { map<string, Value> fields = 1 }; Value { null_value = 1,
 * number_value = 2, string_value = 3, bool_value = 4, struct_value = 5,
 * list_value = 6 }; ListValue { repeated Value values = 1 }.
 */
import {
  delimitedField,
  eachField,
  FIXED64,
  LENGTH_DELIMITED,
  readDelimited,
  readDouble,
  readString,
  readVarint,
  skipField,
  VARINT,
  WireError,
} from './wire.js';
import type { Cursor } from './wire.js';

/** Deeper than this is an attack, not a tracker. */
const MAX_DEPTH = 512;

/** A Struct message as an object. */
export function readStruct(c: Cursor, depth = 0): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new WireError(`Struct nested deeper than ${MAX_DEPTH} levels`);
  const out: Record<string, unknown> = {};
  eachField(c, (field, type) => {
    if (field !== 1 || type !== LENGTH_DELIMITED) return skipField(c, type);
    // A map entry: { string key = 1; Value value = 2; }.
    const entry = readDelimited(c);
    let key = '';
    let value: unknown = null;
    eachField(entry, (f, t) => {
      if (f === 1 && t === LENGTH_DELIMITED) key = readString(entry);
      else if (f === 2 && t === LENGTH_DELIMITED) value = readValue(readDelimited(entry), depth + 1);
      else skipField(entry, t);
    });
    out[key] = value;
  });
  return out;
}

/** A Value message as a plain value; the last kind on the wire wins, as in protobuf. */
export function readValue(c: Cursor, depth: number): unknown {
  let value: unknown = null;
  eachField(c, (field, type) => {
    if (field === 1 && type === VARINT) {
      readVarint(c);
      value = null;
    } else if (field === 2 && type === FIXED64) value = readDouble(c);
    else if (field === 3 && type === LENGTH_DELIMITED) value = readString(c);
    else if (field === 4 && type === VARINT) value = readVarint(c) !== 0;
    else if (field === 5 && type === LENGTH_DELIMITED) value = readStruct(readDelimited(c), depth + 1);
    else if (field === 6 && type === LENGTH_DELIMITED) value = readList(readDelimited(c), depth + 1);
    else skipField(c, type);
  });
  return value;
}

function readList(c: Cursor, depth: number): unknown[] {
  if (depth > MAX_DEPTH) throw new WireError(`ListValue nested deeper than ${MAX_DEPTH} levels`);
  const out: unknown[] = [];
  eachField(c, (field, type) => {
    if (field === 1 && type === LENGTH_DELIMITED) out.push(readValue(readDelimited(c), depth + 1));
    else skipField(c, type);
  });
  return out;
}

/** A plain object as Struct bytes; what JSON cannot hold is treated as `JSON.stringify` does, a BigInt or a cycle throws a TypeError. */
export function writeStruct(object: Readonly<Record<string, unknown>>, depth = 0): Buffer {
  if (depth > MAX_DEPTH) throw new TypeError(`value nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
  const parts: Buffer[] = [];
  for (const key of Object.keys(object)) {
    const value = object[key];
    // JSON.stringify leaves such keys out of an object.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    parts.push(
      delimitedField(
        1,
        Buffer.concat([delimitedField(1, Buffer.from(key, 'utf8')), delimitedField(2, writeValue(value, depth + 1))]),
      ),
    );
  }
  return Buffer.concat(parts);
}

/** `null_value: NULL_VALUE` (0), written out so the Value is not empty. */
const NULL_VALUE: Buffer = Buffer.from([0x08, 0x00]);

/** A plain value as Value bytes. */
function writeValue(value: unknown, depth: number): Buffer {
  switch (typeof value) {
    case 'string':
      return delimitedField(3, Buffer.from(value, 'utf8'));
    case 'boolean':
      return Buffer.from([0x20, value ? 1 : 0]);
    case 'number': {
      // NaN and ±Infinity are null in JSON.
      if (!Number.isFinite(value)) return NULL_VALUE;
      const bytes = Buffer.alloc(9);
      bytes[0] = 0x11;
      bytes.writeDoubleLE(value, 1);
      return bytes;
    }
    case 'bigint':
      throw new TypeError('a BigInt cannot be sent to Rasa');
    case 'object': {
      if (value === null) return NULL_VALUE;
      if (depth > MAX_DEPTH) throw new TypeError(`value nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
      const json = (value as { toJSON?: unknown }).toJSON;
      if (typeof json === 'function') return writeValue(json.call(value), depth + 1);
      if (Array.isArray(value))
        return delimitedField(
          6,
          Buffer.concat(value.map((item: unknown) => delimitedField(1, writeValue(item, depth + 1)))),
        );
      return delimitedField(5, writeStruct(value as Record<string, unknown>, depth + 1));
    }
    // undefined, functions and symbols are null inside a list, as in JSON.
    default:
      return NULL_VALUE;
  }
}
