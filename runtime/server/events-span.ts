/**
 * Where `tracker.events` sits in a webhook body's bytes, so that a call to an
 * action that never reads the events can be parsed without them
 * (docs/server.md#only-what-the-actions-read-is-parsed): a 1 000-event
 * tracker is about 290 KB, and building its objects, then collecting them,
 * cost more than the whole rest of a call.
 *
 * The span is found by one pass over the bytes up to the end of the events,
 * which also checks them: the events must be well-formed JSON (strings,
 * escapes, numbers, literals, nesting), an array of objects each with a
 * string `event` (what `checkCall` requires of them). Whenever the pass is
 * not sure (an escaped key, deep nesting, anything unexpected), it gives up
 * and the caller parses the whole body as before: a bad body then gets the
 * same 400 it always got, from JSON.parse or checkCall.
 */

/** Byte offsets of the `tracker.events` array: `[start, end)`. */
export interface EventsSpan {
  readonly start: number;
  readonly end: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;

/** Nesting deeper than this is left to JSON.parse (a recursion bound, not a JSON limit). */
const MAX_DEPTH = 64;
const FAIL = -1;

// Precomputed byte classes keep the per-byte work of the hot loops to one load.
const WHITESPACE = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WHITESPACE[c] = 1;
// Inside a string, the bytes that end the fast scan: quote, backslash, control characters.
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 1;
STRING_STOP[QUOTE] = 1;
STRING_STOP[BACKSLASH] = 1;
const ESCAPABLE = new Uint8Array(256);
for (const c of '"\\/bfnrt') ESCAPABLE[c.charCodeAt(0)] = 1;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;
const DIGIT = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) DIGIT[c] = 1;

const TRACKER = bytesOf('tracker');
const EVENTS = bytesOf('events');
const EVENT = bytesOf('event');
const TRUE = bytesOf('true');
const FALSE = bytesOf('false');
const NULL = bytesOf('null');

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/**
 * The span of `tracker.events` in a webhook body, when it is an array of
 * well-formed events; null when there is none or the pass is unsure.
 * @example
 * const span = findEventsSpan(body);
 * const text = span === null ? body.toString() : `${body.toString('utf8', 0, span.start)}[]${body.toString('utf8', span.end)}`;
 */
export function findEventsSpan(bytes: Uint8Array): EventsSpan | null {
  const scan = new Scanner(bytes);
  const body = scan.ws(0);
  if (bytes[body] !== OPEN_BRACE) return null;
  // The first `tracker` and its first `events` decide: a later duplicate wins in JSON.parse anyway.
  const tracker = member(scan, body, TRACKER, 0);
  if (tracker === FAIL || bytes[tracker] !== OPEN_BRACE) return null;
  const start = member(scan, tracker, EVENTS, 1);
  if (start === FAIL || bytes[start] !== OPEN_BRACKET) return null;
  const end = scan.array(start, 2, true);
  return end === FAIL ? null : { start, end };
}

/** Where the value of key `name` starts in the object at `open`, skipping (and checking) the members before it. */
function member(scan: Scanner, open: number, name: Uint8Array, depth: number): number {
  const { bytes } = scan;
  let i = scan.ws(open + 1);
  if (bytes[i] === CLOSE_BRACE) return FAIL;
  for (;;) {
    const keyStart = i + 1;
    i = scan.key(i);
    if (i === FAIL) return FAIL;
    i = scan.ws(i);
    if (scan.keyIs(keyStart, name)) return i;
    i = scan.value(i, depth);
    if (i === FAIL) return FAIL;
    i = scan.ws(i);
    if (bytes[i] !== COMMA) return FAIL;
    i = scan.ws(i + 1);
  }
}

/** A validating reader of JSON values that only finds where they end. */
class Scanner {
  readonly bytes: Uint8Array;
  private readonly length: number;
  /** Whether the last string read had an escape. */
  private sawEscape = false;
  /** Whether the last key read had one (then its name cannot be compared byte for byte). */
  private escapedKey = false;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.length = bytes.length;
  }

  /** The index of the first non-whitespace byte at or after `i`. */
  ws(i: number): number {
    const { bytes, length } = this;
    while (i < length && WHITESPACE[bytes[i]] === 1) i++;
    return i;
  }

  /** A key and its colon, from its opening quote; returns the index after the colon. */
  key(i: number): number {
    if (this.bytes[i] !== QUOTE) return FAIL;
    const end = this.string(i);
    if (end === FAIL) return FAIL;
    this.escapedKey = this.sawEscape;
    const colon = this.ws(end);
    return this.bytes[colon] === COLON ? colon + 1 : FAIL;
  }

  /** Whether the key that started at `start` (after its quote) is exactly `name`. */
  keyIs(start: number, name: Uint8Array): boolean {
    if (this.escapedKey) return false;
    const { bytes } = this;
    if (bytes[start + name.length] !== QUOTE) return false;
    for (let k = 0; k < name.length; k++) if (bytes[start + k] !== name[k]) return false;
    return true;
  }

  /** A string from its opening quote; returns the index after the closing quote. */
  string(i: number): number {
    const { bytes, length } = this;
    this.sawEscape = false;
    i++;
    for (;;) {
      while (i < length && STRING_STOP[bytes[i]] === 0) i++;
      if (i >= length) return FAIL;
      const c = bytes[i];
      if (c === QUOTE) return i + 1;
      if (c !== BACKSLASH) return FAIL; // a raw control character
      this.sawEscape = true;
      const e = bytes[i + 1];
      if (e === 0x75) {
        // \uXXXX
        for (let k = 2; k < 6; k++) if (HEX[bytes[i + k]] !== 1) return FAIL;
        i += 6;
      } else if (ESCAPABLE[e] === 1) i += 2;
      else return FAIL;
    }
  }

  /** Any value at `i` (no leading whitespace); returns the index after it. */
  value(i: number, depth: number): number {
    const c = this.bytes[i];
    if (c === QUOTE) return this.string(i);
    if (c === OPEN_BRACE) return depth >= MAX_DEPTH ? FAIL : this.object(i, depth + 1);
    if (c === OPEN_BRACKET) return depth >= MAX_DEPTH ? FAIL : this.array(i, depth + 1);
    if (c === 0x74) return this.literal(i, TRUE);
    if (c === 0x66) return this.literal(i, FALSE);
    if (c === 0x6e) return this.literal(i, NULL);
    return this.number(i);
  }

  /**
   * An object from its brace; returns the index after it. With `typedEvent`,
   * its (last, as JSON.parse keeps the last of duplicates) `event` must be a string.
   */
  private object(open: number, depth: number, typedEvent = false): number {
    const { bytes } = this;
    let i = this.ws(open + 1);
    let typed = false;
    if (bytes[i] === CLOSE_BRACE) return typedEvent ? FAIL : i + 1;
    for (;;) {
      const keyStart = i + 1;
      i = this.key(i);
      if (i === FAIL) return FAIL;
      i = this.ws(i);
      if (typedEvent && this.keyIs(keyStart, EVENT)) typed = bytes[i] === QUOTE;
      i = this.value(i, depth);
      if (i === FAIL) return FAIL;
      i = this.ws(i);
      if (bytes[i] === CLOSE_BRACE) return typedEvent && !typed ? FAIL : i + 1;
      if (bytes[i] !== COMMA) return FAIL;
      i = this.ws(i + 1);
    }
  }

  /** An array from its bracket; returns the index after it. With `events`, each item an object with a string `event`. */
  array(open: number, depth: number, events = false): number {
    const { bytes } = this;
    let i = this.ws(open + 1);
    if (bytes[i] === CLOSE_BRACKET) return i + 1;
    for (;;) {
      if (!events) i = this.value(i, depth);
      else i = bytes[i] === OPEN_BRACE ? this.object(i, depth + 1, true) : FAIL;
      if (i === FAIL) return FAIL;
      i = this.ws(i);
      if (bytes[i] === CLOSE_BRACKET) return i + 1;
      if (bytes[i] !== COMMA) return FAIL;
      i = this.ws(i + 1);
    }
  }

  private literal(i: number, word: Uint8Array): number {
    for (let k = 0; k < word.length; k++) if (this.bytes[i + k] !== word[k]) return FAIL;
    return i + word.length;
  }

  /** A JSON number: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
  private number(i: number): number {
    const { bytes } = this;
    if (bytes[i] === MINUS) i++;
    if (bytes[i] === 0x30) i++;
    else if (DIGIT[bytes[i]] === 1) while (DIGIT[bytes[i]] === 1) i++;
    else return FAIL;
    if (bytes[i] === 0x2e) {
      i++;
      if (DIGIT[bytes[i]] !== 1) return FAIL;
      while (DIGIT[bytes[i]] === 1) i++;
    }
    if (bytes[i] === 0x65 || bytes[i] === 0x45) {
      i++;
      if (bytes[i] === 0x2b || bytes[i] === MINUS) i++;
      if (DIGIT[bytes[i]] !== 1) return FAIL;
      while (DIGIT[bytes[i]] === 1) i++;
    }
    return i;
  }
}
