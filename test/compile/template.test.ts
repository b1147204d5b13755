import { describe, expect, it } from 'vitest';
import { isWholeExpression, splitTemplate } from '../../runtime/compile/template.js';

describe('splitTemplate', () => {
  it('splits text and expressions with their offsets', () => {
    expect(splitTemplate('Hi {{ slots.name }}!')).toEqual({
      parts: [{ text: 'Hi ' }, { expr: ' slots.name ', offset: 5 }, { text: '!' }],
      error: null,
    });
  });

  it('finds the closing braces outside JSONata strings and objects', () => {
    const { parts, error } = splitTemplate(`{{ {"a": {"b": "}}"}} }}`);
    expect(error).toBeNull();
    expect(parts).toEqual([{ expr: ` {"a": {"b": "}}"}} `, offset: 2 }]);
  });

  it('reports an unclosed and an empty expression at their opening braces', () => {
    expect(splitTemplate('a {{ slots.x').error).toEqual({ code: 'SW_EXPR_UNCLOSED', offset: 2 });
    expect(splitTemplate('a {{  }} b').error).toEqual({ code: 'SW_EXPR_EMPTY', offset: 2 });
  });

  it('tells a whole expression from interpolation', () => {
    expect(isWholeExpression(splitTemplate(' {{ x }} ').parts)).toBe(true);
    expect(isWholeExpression(splitTemplate('a{{ x }}').parts)).toBe(false);
    expect(isWholeExpression(splitTemplate('{{ x }}{{ y }}').parts)).toBe(false);
  });
});
