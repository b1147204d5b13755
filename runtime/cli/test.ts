/**
 * `slotwire test [files…]`: runs test cases (docs/testing.md) against the
 * actions file, with fixtures instead of the live API. Ends with the plain
 * line `N passed, N failed`; exit code 1 on any failure.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatDiagnostic } from '../config/index.js';
import { recordFixtures, runTestFile } from '../testing/index.js';
import type { FileReport } from '../testing/index.js';
import { parseCommandArgs, USAGE_EXIT } from './args.js';
import type { Output } from './output.js';

export const testUsage: string = `Usage: slotwire test [files…] [--actions FILE] [--record [--yes]]

Runs the test cases of each file (default: actions.test.yml and tests/*.yml
in this folder) against the actions file (default: the file's "actions:",
else actions.yml beside it). HTTP calls are answered by the cases' fixtures;
nothing reaches the network. See docs/testing.md.

  --actions FILE  the actions file, for every test file
  --record        call the live API once per case (URLs and secrets from the
                  environment) and write the answers as the cases' fixtures,
                  secrets and sensitive: values masked; each case is a new
                  user turn (its own Idempotency-Key) unless it sets
                  message.message_id
  --yes           with --record: send calls that change data
  -h, --help      this text

Output: results on stdout; broken files and usage errors on stderr.`;

/** Runs the command; returns the exit code. */
export async function testCommand(args: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const parsed = parseCommandArgs('test', testUsage, {
    args: [...args],
    allowPositionals: true,
    options: {
      actions: { type: 'string' },
      record: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  }, io);
  if (!parsed) return USAGE_EXIT;
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(testUsage);
    return 0;
  }
  const files = positionals.length > 0 ? positionals : await defaultFiles();
  if (files.length === 0) {
    io.err('slotwire test: no test files (looked for actions.test.yml and tests/*.yml); see docs/testing.md');
    return 1;
  }
  if (values.record) return record(files, values.actions, values.yes, env, io);
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const report = await runTestFile(file, values.actions ? { actionsFile: values.actions } : {});
    const counts = await print(report, io);
    passed += counts.passed;
    failed += counts.failed;
  }
  io.out(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

/** --record: live calls written back as fixtures. */
async function record(files: readonly string[], actionsFile: string | undefined, yes: boolean, env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  for (const file of files) {
    const report = await recordFixtures(file, { env, allowUnsafe: yes, ...(actionsFile ? { actionsFile } : {}) });
    io.out(file);
    for (const r of report) io.out(`  ${r.skipped && r.calls === 0 ? '-' : '●'} ${r.name}: ${r.calls} call${r.calls === 1 ? '' : 's'} recorded${r.skipped ? ` (${r.skipped})` : ''}`);
  }
  io.out('Fixtures written; review them before committing.');
  return 0;
}

async function defaultFiles(): Promise<string[]> {
  const found: string[] = [];
  const here = await readdir('.').catch(() => [] as string[]);
  if (here.includes('actions.test.yml')) found.push('actions.test.yml');
  const inTests = await readdir('tests').catch(() => [] as string[]);
  for (const f of inTests.sort()) if (f.endsWith('.yml') || f.endsWith('.yaml')) found.push(join('tests', f));
  return found;
}

/** Prints a file's report; a broken file counts as one failure. */
async function print(report: FileReport, io: Output): Promise<{ passed: number; failed: number }> {
  io.out(report.file);
  if (report.diagnostics.length > 0) {
    const broken = report.diagnostics[0]?.file ?? report.file;
    const text = await readFile(broken, 'utf8').catch(() => null);
    for (const d of report.diagnostics) io.err(formatDiagnostic(d, d.file === broken ? text : null));
    io.err(`  ✗ ${broken} has errors; no case ran`);
    return { passed: 0, failed: 1 };
  }
  let passed = 0;
  for (const c of report.cases) {
    if (c.passed) {
      passed++;
      io.out(`  ✓ ${c.name} (${c.ms} ms)`);
      continue;
    }
    io.out(`  ✗ ${c.name}  (${report.file}:${c.line})`);
    for (const f of c.failures) io.out(f.split('\n').map((l) => `      ${l}`).join('\n'));
  }
  return { passed, failed: report.cases.length - passed };
}
