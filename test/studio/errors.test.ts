import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../runtime/config/index.js';
import { runtimeErrors } from '../../runtime/errors/index.js';
import { importErrors } from '../../runtime/import/index.js';
import { studioErrors } from '../../runtime/studio/index.js';
import { codeLiterals, documentedCodes } from '../support/codes.js';

const codes = Object.keys(studioErrors);

describe('studio error catalogue', () => {
  it('names every code SW_STUDIO_<WHAT>, with a status, a meaning and a hint', () => {
    for (const [code, entry] of Object.entries(studioErrors)) {
      expect(code).toMatch(/^SW_STUDIO_[A-Z_]+$/);
      expect([400, 401, 403, 404, 409, 413, 500]).toContain(entry.status);
      expect(entry.meaning).not.toBe('');
      expect(entry.hint).not.toBe('');
    }
  });

  it('has one row in docs/studio.md per code, with its status, and no row for an unknown code', () => {
    expect(documentedCodes('studio.md').sort()).toEqual([...codes].sort());
    const docs = readFileSync(new URL('../../docs/studio.md', import.meta.url), 'utf8');
    for (const [code, entry] of Object.entries(studioErrors))
      expect(docs, code).toContain(`| \`${code}\` | ${entry.status} |`);
  });

  it("holds every SW_STUDIO_ code the studio quotes; any other it quotes is validate's or the engine's", () => {
    const own = new Set(codes);
    const borrowed = new Set([...Object.keys(catalogue), ...Object.keys(runtimeErrors)]);
    const unknown = [...codeLiterals('runtime/studio')].filter(([code]) =>
      code.startsWith('SW_STUDIO_') ? !own.has(code) : !borrowed.has(code),
    );
    expect(unknown).toEqual([]);
  });

  it('shares no code with another catalogue', () => {
    const others = new Set([...Object.keys(catalogue), ...Object.keys(runtimeErrors), ...Object.keys(importErrors)]);
    expect(codes.filter((code) => others.has(code))).toEqual([]);
  });
});
