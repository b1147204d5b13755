/**
 * Encoding a request body. The caller hands data; the wire format and its
 * content-type are decided here, once.
 */
import type { RequestBody } from './types.js';

/** A body ready for the wire. */
export interface EncodedBody {
  readonly payload: string;
  readonly contentType: string;
}

/**
 * Encodes a body: JSON as `application/json`, form fields as
 * `application/x-www-form-urlencoded` (WHATWG form encoding, pairs in order,
 * repeated keys kept), text as `text/plain; charset=utf-8`.
 * @param body - null for none
 */
export function encodeBody(body: RequestBody | null): EncodedBody | null {
  if (body == null) return null;
  switch (body.kind) {
    case 'json':
      // JSON.stringify(undefined) is undefined; an expression that yields nothing sends null.
      return { payload: JSON.stringify(body.value) ?? 'null', contentType: 'application/json' };
    case 'form':
      return {
        payload: new URLSearchParams(body.fields.map(([k, v]): [string, string] => [k, v])).toString(),
        contentType: 'application/x-www-form-urlencoded',
      };
    case 'text':
      return { payload: body.value, contentType: 'text/plain; charset=utf-8' };
  }
}
