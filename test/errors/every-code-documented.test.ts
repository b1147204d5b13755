/**
 * Every error code the product can print has a row in the docs: the codes
 * quoted anywhere in runtime/ (a code is thrown, returned or compared by
 * its literal) against the table rows of every docs page, and the four
 * catalogues against each other. The per-catalogue tests check each
 * catalogue against its own page; this one catches a code quoted outside
 * any catalogue, wherever it is.
 */
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../runtime/config/index.js';
import { runtimeErrors } from '../../runtime/errors/index.js';
import { importErrors } from '../../runtime/import/index.js';
import { studioErrors } from '../../runtime/studio/index.js';
import { codeLiterals, docsPages, documentedCodes } from '../support/codes.js';

const catalogues: Readonly<Record<string, readonly string[]>> = {
  'config/diagnostics.ts': Object.keys(catalogue),
  'errors/catalogue.ts': Object.keys(runtimeErrors),
  'import/errors.ts': Object.keys(importErrors),
  'studio/errors.ts': Object.keys(studioErrors),
};

const rows = docsPages().flatMap((page) => documentedCodes(page).map((code) => ({ code, page })));

describe('every error code is documented', () => {
  it('has a docs table row for every SW_ code quoted in runtime/', () => {
    const documented = new Set(rows.map((r) => r.code));
    const literals = codeLiterals('runtime');
    expect(literals.size).toBeGreaterThan(0);
    const missing = [...literals].filter(([code]) => !documented.has(code));
    expect(missing).toEqual([]);
  });

  it('keeps each code in one catalogue, with one docs row, and no row outside a catalogue', () => {
    const owners = new Map<string, string[]>();
    for (const [file, codes] of Object.entries(catalogues))
      for (const code of codes) owners.set(code, [...(owners.get(code) ?? []), file]);
    expect([...owners].filter(([, files]) => files.length > 1)).toEqual([]);
    const pages = new Map<string, string[]>();
    for (const { code, page } of rows) pages.set(code, [...(pages.get(code) ?? []), page]);
    expect([...pages].filter(([, where]) => where.length > 1)).toEqual([]);
    expect([...pages.keys()].sort()).toEqual([...owners.keys()].sort());
  });
});
