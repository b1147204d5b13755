/**
 * google.protobuf.Struct read from its wire bytes straight to plain JSON
 * values (struct.ts does the same from proto-loader's objects), with
 * protobuf's JSON mapping: numbers are doubles, an unset Value is null.
 * Struct { map<string, Value> fields = 1 }; Value { null_value = 1,
 * number_value = 2, string_value = 3, bool_value = 4, struct_value = 5,
 * list_value = 6 }; ListValue { repeated Value values = 1 }.
 */
import { eachField, FIXED64, LENGTH_DELIMITED, readDelimited, readDouble, readString, readVarint, skipField, VARINT, WireError } from './wire.js';
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
