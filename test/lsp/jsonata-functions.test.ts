// Completion and hover offer every function JSONata binds, and only those:
// the table of signatures is kept in step with the compiler's list.
import { describe, expect, it } from 'vitest';
import { builtins } from '../../runtime/compile/builtins.js';
import { jsonataFunctions } from '../../runtime/lsp/jsonata-functions.js';

describe("the language server's JSONata functions", () => {
  it('are the built-ins the compiler knows, $eval aside (slotwire refuses it)', () => {
    expect(Object.keys(jsonataFunctions).sort()).toEqual(
      Object.keys(builtins)
        .filter((name) => name !== 'eval')
        .sort(),
    );
  });

  it('each have a signature of that name and a meaning', () => {
    for (const [name, f] of Object.entries(jsonataFunctions)) {
      expect(f.signature.startsWith(`$${name}(`)).toBe(true);
      expect(f.meaning).toMatch(/\.$/);
    }
  });
});
