/**
 * google.protobuf.Struct, the type every free-form part of Rasa's gRPC
 * messages uses (slots, events, responses…), to plain JSON values and back,
 * in the object form @grpc/proto-loader gives and takes (LOADER_OPTIONS):
 * for gRPC clients of slotwire built from proto/action_webhook.proto, as
 * the tests' and the bench's are. The server itself reads and writes the
 * bytes (struct-wire.ts). The mapping is protobuf's JSON mapping, which
 * rasa-sdk applies with `MessageToDict`/`ParseDict`: every number is a
 * double (`1` and `1.0` are one value), and what JSON cannot hold is
 * treated as `JSON.stringify` does. The field names are camelCase even
 * under `keepCase`: protobufjs brings the well-known types with their JSON names.
 */

/** A google.protobuf.Value; `kind` names the field that is set. */
export interface ProtoValue {
  readonly kind?: string;
  readonly nullValue?: string | number;
  readonly numberValue?: number;
  readonly stringValue?: string;
  readonly boolValue?: boolean;
  readonly structValue?: ProtoStruct;
  readonly listValue?: { readonly values?: readonly ProtoValue[] };
}

/** A google.protobuf.Struct. */
export interface ProtoStruct {
  readonly fields?: Readonly<Record<string, ProtoValue>>;
}

/** Deeper than this is a cycle or an attack, not an answer for Rasa. */
const MAX_DEPTH = 512;

/** A Struct as a plain object; absent is `{}`. */
export function structToJson(struct: ProtoStruct | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = struct?.fields;
  if (fields === undefined) return out;
  for (const key of Object.keys(fields)) out[key] = valueToJson(fields[key]);
  return out;
}

/** A Value as a plain value; a Value with nothing set is null. */
export function valueToJson(value: ProtoValue): unknown {
  switch (value.kind) {
    case 'numberValue':
      return value.numberValue;
    case 'stringValue':
      return value.stringValue;
    case 'boolValue':
      return value.boolValue;
    case 'structValue':
      return structToJson(value.structValue);
    case 'listValue':
      return (value.listValue?.values ?? []).map(valueToJson);
    default:
      return null;
  }
}

/** A plain object as a Struct; throws a TypeError for what JSON cannot hold either (a BigInt, a cycle). */
export function jsonToStruct(object: Readonly<Record<string, unknown>>, depth = 0): ProtoStruct {
  if (depth > MAX_DEPTH) throw new TypeError(`value nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
  const fields: Record<string, ProtoValue> = {};
  for (const key of Object.keys(object)) {
    const value = object[key];
    // JSON.stringify leaves such keys out of an object.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    fields[key] = jsonToValue(value, depth + 1);
  }
  return { fields };
}

/** A plain value as a Value. */
export function jsonToValue(value: unknown, depth = 0): ProtoValue {
  if (depth > MAX_DEPTH) throw new TypeError(`value nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    // NaN and ±Infinity are null in JSON.
    case 'number':
      return Number.isFinite(value) ? { numberValue: value } : { nullValue: 'NULL_VALUE' };
    case 'bigint':
      throw new TypeError('a BigInt cannot be sent to Rasa');
    case 'object': {
      if (value === null) return { nullValue: 'NULL_VALUE' };
      const json = (value as { toJSON?: unknown }).toJSON;
      if (typeof json === 'function') return jsonToValue(json.call(value), depth + 1);
      if (Array.isArray(value))
        return { listValue: { values: value.map((item: unknown) => jsonToValue(item, depth + 1)) } };
      return { structValue: jsonToStruct(value as Record<string, unknown>, depth + 1) };
    }
    // undefined, functions and symbols are null inside a list, as in JSON.
    default:
      return { nullValue: 'NULL_VALUE' };
  }
}
