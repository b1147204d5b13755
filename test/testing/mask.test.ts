import { describe, expect, it } from 'vitest';
import { maskText, maskValue, sensitiveValues } from '../../runtime/testing/index.js';

describe('masking hidden values', () => {
  it('masks a value as is, percent-encoded, form-encoded and escaped in JSON', () => {
    const hidden = new Set(['a b/"c"']);
    expect(maskText('/x/a%20b%2F%22c%22?q=a+b%2F%22c%22 {"v":"a b/\\"c\\""}', hidden)).toBe('/x/***?q=*** {"v":"***"}');
  });

  it('masks a short value only where it stands alone', () => {
    expect(maskText('/v1/cards/1?n=1&port=41', new Set(['1']))).toBe('/v1/cards/***?n=***&port=41');
  });

  it('masks numbers equal to a hidden value and strings containing it, in nested JSON', () => {
    expect(maskValue({ pin: 1234, list: ['pin 1234 ok'], other: 12345 }, new Set(['1234']))).toEqual({
      pin: '***',
      list: ['pin *** ok'],
      other: '***5',
    });
  });

  it('takes sensitive slot values that are strings or numbers', () => {
    expect([...sensitiveValues(['pin', 'ok', 'missing'], { pin: 1234, ok: true })]).toEqual(['1234']);
  });
});
