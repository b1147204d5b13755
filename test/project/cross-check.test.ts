import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const project = fileURLToPath(new URL('../cases/project/', import.meta.url));

describe('slotwire validate --project (Rasa project cross-check)', () => {
  it('catches a misspelt slot, wrong literal types and an unknown response, at their positions', async () => {
    const r = await runCli(['validate', `${project}actions.yml`, '--project', project, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as { diagnostics: { code: string; line: number; col: number; message: string; hint: string }[]; branches: unknown[]; actions_block: string; not_served: string[] };
    expect(report.diagnostics).toMatchObject([
      { code: 'SW_DOMAIN_UNKNOWN_SLOT', line: 11, col: 7, hint: expect.stringContaining('Did you mean "has_availability"?') },
      { code: 'SW_DOMAIN_SLOT_TYPE', line: 15, col: 27, message: expect.stringContaining('bool') },
      { code: 'SW_DOMAIN_SLOT_TYPE', line: 16, col: 24, message: expect.stringContaining('categorical') },
      { code: 'SW_DOMAIN_UNKNOWN_RESPONSE', line: 18, col: 21 },
      { code: 'SW_WARN_ACTION_NOT_IN_DOMAIN', line: 19, col: 3 },
    ]);
    expect(report.branches).toMatchObject([{ flow: 'restaurant_booking', slot: 'has_availability', setBy: ['check_restaurant_availability'] }]);
    expect(report.not_served).toEqual(['action_other_server']);
    expect(report.actions_block).toBe('actions:\n  - check_restaurant_availability\n  - validate_party_size');
  });

  it('reads a domain split over several files with --domain', async () => {
    const r = await runCli(['validate', `${project}actions.yml`, '--domain', `${project}domain`, '--format', 'json']);
    const codes = (JSON.parse(r.out) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
    expect(codes).toContain('SW_DOMAIN_UNKNOWN_SLOT');
    expect(codes).toContain('SW_DOMAIN_UNKNOWN_RESPONSE');
  });

  it('reports a project folder without a domain as a diagnostic, not a crash', async () => {
    const r = await runCli(['validate', `${project}actions.yml`, '--project', `${project}data`, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).diagnostics).toMatchObject([{ code: 'SW_DOMAIN_FILE' }]);
  });
});
