import { describe, expect, it } from 'vitest';
import { catalogue } from '../../runtime/config/index.js';
import { runtimeErrors } from '../../runtime/errors/index.js';
import { importErrors } from '../../runtime/import/index.js';
import { codeLiterals, documentedCodes } from '../support/codes.js';

const codes = Object.keys(importErrors);

describe('import error catalogue', () => {
  it('names every code SW_<AREA>_<WHAT> after its area, with a meaning and a hint', () => {
    const prefix = { curl: 'SW_CURL_', openapi: 'SW_OPENAPI_', write: 'SW_IMPORT_' } as const;
    for (const [code, entry] of Object.entries(importErrors)) {
      expect(code).toMatch(/^SW_[A-Z]+_[A-Z_]+$/);
      expect(code.startsWith(prefix[entry.area]), code).toBe(true);
      expect(entry.meaning).not.toBe('');
      expect(entry.hint).not.toBe('');
    }
  });

  it('has one row in docs/import.md per code, and no row for an unknown code', () => {
    expect(documentedCodes('import.md').sort()).toEqual([...codes].sort());
  });

  it('holds every code the importers quote in their source', () => {
    const known = new Set(codes);
    const unknown = [...codeLiterals('runtime/import')].filter(([code]) => !known.has(code));
    expect(unknown).toEqual([]);
  });

  it('shares no code with the load-time diagnostics or the runtime errors', () => {
    const others = new Set([...Object.keys(catalogue), ...Object.keys(runtimeErrors)]);
    expect(codes.filter((code) => others.has(code))).toEqual([]);
  });
});
