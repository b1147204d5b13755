// A flow's `call:` steps reach actions as MCP tools (docs/mcp.md#from-rasa-call-steps): validate
// --project neither asks for them in the domain's actions: nor calls the
// slots their outputs fill unset. Without the flows, both warnings come back.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const EXAMPLE = join(import.meta.dirname, '../../examples/mcp-booking');

describe('validate --project with call: steps', () => {
  it('takes the tools a flow calls as served and the slots its outputs map as set', async () => {
    const r = await runCli(['validate', join(EXAMPLE, 'actions.yml'), '--project', EXAMPLE]);
    expect(r.code).toBe(0);
    expect(r.err).not.toContain('warning');
    expect(r.out.trim().endsWith('actions.yml: ok, 3 actions, 1 connection')).toBe(true);
  });

  it('warns about both once the flows are gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slotwire-calls-'));
    cpSync(EXAMPLE, dir, { recursive: true });
    rmSync(join(dir, 'data'), { recursive: true });
    const r = await runCli(['validate', join(dir, 'actions.yml'), '--project', dir]);
    expect(r.err).toContain(
      'SW_WARN_ACTION_NOT_IN_DOMAIN: action "find_restaurants" is not listed under actions: in the domain',
    );
  });
});
