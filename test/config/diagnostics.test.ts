import { describe, expect, it } from 'vitest';
import { catalogue, diagnostic } from '../../runtime/config/index.js';
import { documentedCodes } from '../support/codes.js';

const documented = documentedCodes('diagnostics.md');

describe('diagnostics catalogue', () => {
  it('names every code SW_<AREA>_<WHAT>, warnings SW_WARN_*', () => {
    for (const [code, entry] of Object.entries(catalogue)) {
      expect(code).toMatch(/^SW_[A-Z]+_[A-Z_]+$/);
      expect(entry.severity === 'warning').toBe(code.startsWith('SW_WARN_'));
      expect(entry.hint).not.toBe('');
    }
  });

  it('has one row in docs/diagnostics.md per code, and no row for an unknown code', () => {
    expect([...documented].sort()).toEqual(Object.keys(catalogue).sort());
  });

  it('fills message and hint placeholders in order', () => {
    const d = diagnostic(
      'SW_SCHEMA_UNKNOWN_KEY',
      { file: 'a.yml', line: 3, col: 5 },
      ['pathh', 'actions.x.request'],
      ['Did you mean "path"? ', 'path, method'],
    );
    expect(d).toMatchObject({ code: 'SW_SCHEMA_UNKNOWN_KEY', severity: 'error', file: 'a.yml', line: 3, col: 5 });
    expect(d.message).toContain('"pathh"');
    expect(d.hint).toContain('Did you mean "path"?');
  });
});
