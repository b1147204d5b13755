/**
 * Protobuf's wire format (https://protobuf.dev/programming-guides/encoding/),
 * the little of it Rasa's messages need: varints, 64-bit doubles and
 * length-delimited fields; unknown fields are skipped. Hand-written for the
 * hot path (call.ts, response.ts): going through protobufjs objects and
 * plain JSON cost 93 µs to read a 10-event call (JSON.parse: 20 µs) and
 * 75 µs to write its answer (JSON.stringify: 2.5 µs).
 */

/** Wire types (the low 3 bits of a tag). */
export const VARINT = 0;
export const FIXED64 = 1;
export const LENGTH_DELIMITED = 2;
export const FIXED32 = 5;

/** A malformed message; grpc-js answers it INTERNAL ("Error deserializing request: " and the message), so it needs no code of its own. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

/**
 * Reads one message's bytes front to back. A nested message is read in
 * place, up to its `end` offset (from {@link WireReader.delimited}): no
 * cursor object or callback per field, which cost most of a call's decoding
 * in garbage. Each read is bounded by the `end` of the message it is in.
 */
export class WireReader {
  readonly buf: Buffer;
  pos = 0;

  constructor(buf: Buffer) {
    this.buf = buf;
  }

  /** A varint, as a number (exact up to 2^53, which every length, tag, enum and bool here is). */
  varint(end: number): number {
    const { buf } = this;
    let result = 0;
    let factor = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw new WireError('varint runs past the end of the message');
      const byte = buf[this.pos++];
      result += (byte & 0x7f) * factor;
      if (byte < 0x80) return result;
      factor *= 128;
    }
    throw new WireError('varint longer than 10 bytes');
  }

  /** Reads a length-delimited field's length; returns where its bytes end (they start at `pos`). */
  delimited(end: number): number {
    const length = this.varint(end);
    const stop = this.pos + length;
    if (stop > end) throw new WireError('field runs past the end of the message');
    return stop;
  }

  /** A length-delimited field as UTF-8 text. */
  string(end: number): string {
    const stop = this.delimited(end);
    const text = this.buf.toString('utf8', this.pos, stop);
    this.pos = stop;
    return text;
  }

  /** A 64-bit little-endian double. */
  double(end: number): number {
    if (this.pos + 8 > end) throw new WireError('double runs past the end of the message');
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** Skips a field's value of wire type `type`. */
  skip(type: number, end: number): void {
    switch (type) {
      case VARINT:
        this.varint(end);
        return;
      case FIXED64:
        this.pos += 8;
        break;
      case LENGTH_DELIMITED:
        this.pos = this.delimited(end);
        return;
      case FIXED32:
        this.pos += 4;
        break;
      default:
        // Groups (3, 4) are proto2-only and not in Rasa's messages.
        throw new WireError(`unsupported wire type ${type}`);
    }
    if (this.pos > end) throw new WireError('field runs past the end of the message');
  }
}

/** A tag's field number; `tag & 7` is its wire type. */
export function fieldOf(tag: number): number {
  return Math.floor(tag / 8);
}

/** A varint's bytes. */
export function varintBytes(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** A length-delimited field: its tag, its length, its bytes. */
export function delimitedField(field: number, body: Buffer): Buffer {
  return Buffer.concat([varintBytes(field * 8 + LENGTH_DELIMITED), varintBytes(body.length), body]);
}

/** A string field (UTF-8); proto3 leaves an empty one out. */
export function stringField(field: number, text: string): Buffer {
  return text === '' ? Buffer.alloc(0) : delimitedField(field, Buffer.from(text, 'utf8'));
}
