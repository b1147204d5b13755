import { describe, expect, it } from 'vitest';
import { catalogue } from '../../runtime/config/index.js';
import { runtimeErrors } from '../../runtime/errors/index.js';
import { documentedCodes } from '../support/codes.js';

const documented = documentedCodes('errors.md');

describe('runtime error catalogue', () => {
  it('names every code SW_<AREA>_<WHAT>, with a meaning and a hint', () => {
    for (const [code, entry] of Object.entries(runtimeErrors)) {
      expect(code).toMatch(/^SW_[A-Z]+_[A-Z_]+$/);
      expect(entry.meaning).not.toBe('');
      expect(entry.hint).not.toBe('');
    }
  });

  it('has one row in docs/errors.md per code, and no row for an unknown code', () => {
    expect([...documented].sort()).toEqual(Object.keys(runtimeErrors).sort());
  });

  it('shares no code with the load-time diagnostics', () => {
    const loadTime = new Set(Object.keys(catalogue));
    expect(Object.keys(runtimeErrors).filter((code) => loadTime.has(code))).toEqual([]);
  });
});
