import { describe, expect, it } from 'vitest';
import { maskText, maskValue } from '../../runtime/http/index.js';

describe('masking hidden values', () => {
  it('masks a value as is, percent-encoded, form-encoded and escaped in JSON', () => {
    const hidden = new Set(['a b/"c"']);
    expect(maskText('/x/a%20b%2F%22c%22?q=a+b%2F%22c%22 {"v":"a b/\\"c\\""}', hidden)).toBe('/x/***?q=*** {"v":"***"}');
  });

  it('masks a value inside a longer text: after an auth scheme, inside a URL', () => {
    const hidden = new Set(['sk-live-42']);
    expect(maskText('Authorization: Bearer sk-live-42', hidden)).toBe('Authorization: Bearer ***');
    expect(maskText('https://api.test/v1/sk-live-42/orders?k=sk-live-42x', hidden)).toBe(
      'https://api.test/v1/***/orders?k=***x',
    );
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
});
