/**
 * `slotwire validate [file] [--format text|json]`: load and compile an
 * actions file; exit 0 with a one-line summary when it is good, exit 1 with
 * every problem (code frame and hint) when it is not.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatDiagnostic } from '../config/index.js';
import type { Diagnostic } from '../config/index.js';
import { loadPlan } from '../compile/index.js';
import type { Output } from './output.js';

export const validateUsage = `Usage: slotwire validate [file] [--format text|json]

Checks an actions file (default: ./actions.yml): YAML, schema, \${VAR}
references, every {{ }} expression and every reference between parts.
Exit code 0 when it can be served, 1 when it cannot.`;

/** Runs the command; returns the exit code. */
export async function validateCommand(args: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(validateUsage);
    return 0;
  }
  if (values.format !== 'text' && values.format !== 'json') {
    io.err(`slotwire validate: --format must be text or json, not "${values.format}"`);
    return 2;
  }
  const files = positionals.length > 0 ? positionals : ['actions.yml'];
  let failed = false;
  const reports: object[] = [];
  for (const file of files) {
    const { plan, diagnostics } = await loadPlan(file, { env });
    const ok = plan !== null;
    failed ||= !ok;
    const summary = ok ? `${plan.actions.size} action${plan.actions.size === 1 ? '' : 's'}, ${plan.connections.length} connection${plan.connections.length === 1 ? '' : 's'}` : null;
    if (values.format === 'json') {
      reports.push({ file, ok, summary, diagnostics });
      continue;
    }
    const text = await readFile(file, 'utf8').catch(() => null);
    for (const d of diagnostics) (d.severity === 'error' ? io.err : io.out)(`${formatDiagnostic(d, text)}\n`);
    io.out(ok ? `${file}: ok, ${summary}${countWarnings(diagnostics)}` : `${file}: ${count(diagnostics, 'error')} error${count(diagnostics, 'error') === 1 ? '' : 's'}${countWarnings(diagnostics)}`);
  }
  if (values.format === 'json') io.out(JSON.stringify(files.length === 1 ? reports[0] : reports, null, 2));
  return failed ? 1 : 0;
}

function count(diagnostics: readonly Diagnostic[], severity: Diagnostic['severity']): number {
  return diagnostics.filter((d) => d.severity === severity).length;
}

function countWarnings(diagnostics: readonly Diagnostic[]): string {
  const n = count(diagnostics, 'warning');
  return n === 0 ? '' : `, ${n} warning${n === 1 ? '' : 's'}`;
}
