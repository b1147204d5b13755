import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('slotwire validate', () => {
  it('exits 0 with a one-line summary for a good file', async () => {
    const r = await runCli(['validate', 'actions.yml']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe('actions.yml: ok, 2 actions, 1 connection');
  });

  it('exits 1 with every problem, each with a code frame, a caret and a hint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-validate-'));
    const file = join(dir, 'actions.yml');
    await writeFile(file, 'version: 1\nactions:\n  a:\n    slots:\n      x: "{{ slot.city }}"\n    reqest: {}\n');
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${file}:5:14: error SW_EXPR_UNKNOWN_NAME`);
    expect(r.err).toContain('  5 |       x: "{{ slot.city }}"\n    |              ^\n  hint: Did you mean "slots"?');
    expect(r.err).toContain(`${file}:6:5: error SW_SCHEMA_UNKNOWN_KEY`);
    expect(r.out).toContain(`${file}: 2 errors`);
  });

  it('prints diagnostics as JSON with --format json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-validate-'));
    const file = join(dir, 'actions.yml');
    await writeFile(file, 'version: 2\nactions: {}\n');
    const r = await runCli(['validate', file, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({
      file,
      ok: false,
      diagnostics: [{ code: 'SW_SCHEMA_ENUM', line: 1, col: 10, severity: 'error' }],
    });
  });
});

describe('slotwire schema', () => {
  it('prints the JSON Schema of actions.yml', async () => {
    const r = await runCli(['schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'slotwire actions.yml',
    });
  });
});
