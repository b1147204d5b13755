/**
 * `slotwire test [files…]`: runs test cases (docs/testing.md) against the
 * actions file, with fixtures instead of the live API. Ends with the plain
 * line `N passed, N failed` (with --mcp, `N passed, N failed, N skipped`);
 * exit code 1 on any failure, never for a skipped case alone.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatDiagnostic, YamlWriteError } from '../config/index.js';
import type { Diagnostic } from '../config/index.js';
import { slotTypesFrom } from '../mcp/index.js';
import { BrokenFileError, checkLive, mcpCaseRunner, recordFixtures, runTestFile } from '../testing/index.js';
import type { FileReport, RecordedCase, RecordOptions, RunTestsOptions } from '../testing/index.js';
import { parseCommandArgs, USAGE_EXIT, usageError } from './args.js';
import type { Output } from './output.js';
import { packageVersion } from './project.js';

export const testUsage: string = `Usage: slotwire test [files…] [--actions FILE] [--mcp | --record [--yes] [--overwrite-failures] | --live [--yes]]

Runs the test cases of each file (default: actions.test.yml and tests/*.yml
in this folder) against the actions file (default: the file's "actions:",
else actions.yml beside it). HTTP calls are answered by the cases' fixtures;
nothing reaches the network. See docs/testing.md.

  --actions FILE  the actions file, for every test file
  --mcp           run each case as a call of the action's MCP tool, through
                  the MCP front-end (a real MCP session, in process); cases
                  MCP cannot express are skipped with the reason
  --record        call the live API once per case (URLs and secrets from the
                  environment) and write the answers as the cases' fixtures,
                  secrets and sensitive: values masked; each case is a new
                  user turn (its own Idempotency-Key) unless it sets
                  message.message_id. A case keeps its fixtures when a call
                  was not sent, when the API gave no answer, and when they
                  simulate a failure (a non-2xx status, reply.error); each
                  recorded case is replayed to say if its expect: holds
  --overwrite-failures
                  with --record: record cases whose fixtures simulate a
                  failure too (their expect: then likely no longer holds)
  --live          call the live API once per case (as --record, nothing written)
                  and report each response path the recorded fixtures (or
                  response_schema:) allow but a live answer no longer has: that
                  mapping would now give null; exit 1 when there is one
  --yes           with --record or --live: send calls that change data
  -h, --help      this text

Output: results on stdout; broken files and usage errors on stderr.`;

/** Runs the command; returns the exit code. */
export async function testCommand(args: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const parsed = parseCommandArgs(
    'test',
    {
      args: [...args],
      allowPositionals: true,
      options: {
        actions: { type: 'string' },
        mcp: { type: 'boolean', default: false },
        record: { type: 'boolean', default: false },
        live: { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        'overwrite-failures': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    },
    io,
  );
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
  if ([values.record, values.live, values.mcp].filter(Boolean).length > 1)
    return usageError(io, 'test', '--record, --live and --mcp do not go together');
  if (values['overwrite-failures'] && !values.record)
    return usageError(io, 'test', '--overwrite-failures goes with --record');
  if (values.record)
    return record(
      files,
      { env, allowUnsafe: values.yes, overwriteFailures: values['overwrite-failures'] },
      values.actions,
      io,
    );
  if (values.live) return live(files, values.actions, values.yes, env, io);
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of files) {
    const options: RunTestsOptions = values.actions ? { actionsFile: values.actions } : {};
    // The tools' parameter types as `slotwire mcp` gives them without a project: from the cases' values (docs/mcp.md).
    const runner = values.mcp
      ? mcpCaseRunner({ version: packageVersion(), slotTypes: await slotTypesFrom(null, file) })
      : undefined;
    const report = await runTestFile(file, runner ? { ...options, runner } : options);
    const counts = await print(report, io);
    passed += counts.passed;
    failed += counts.failed;
    skipped += counts.skipped;
  }
  // Without --mcp no case is skipped, and the line stays the one CI scripts read.
  io.out(`${passed} passed, ${failed} failed${values.mcp ? `, ${skipped} skipped` : ''}`);
  return failed === 0 ? 0 : 1;
}

/**
 * --record: live calls written back as fixtures, a line per case saying
 * what became of it. Exit 1 when a recorded case's `expect:` no longer
 * holds or the API gave a case no answer: the file is not what the tests need yet.
 */
async function record(
  files: readonly string[],
  options: RecordOptions,
  actionsFile: string | undefined,
  io: Output,
): Promise<number> {
  let unfinished = 0;
  for (const file of files) {
    const report = await recordFixtures(file, actionsFile ? { ...options, actionsFile } : options).catch(
      async (err: unknown) => {
        await printUnrecorded(file, err, io);
        return null;
      },
    );
    if (report === null) {
      unfinished++;
      continue;
    }
    io.out(file);
    for (const c of report.cases) io.out(recordLine(c));
    unfinished += report.cases.filter((c) => c.outcome === 'no-answer' || c.expect?.holds === false).length;
    const recorded = report.cases.filter((c) => c.outcome === 'recorded').length;
    io.out(
      report.written
        ? `${recorded} recorded, ${report.cases.length - recorded} kept: ${file} written; review it before committing.`
        : `Nothing recorded: ${file} is unchanged.`,
    );
  }
  return unfinished === 0 ? 0 : 1;
}

/** What became of one case, with the differences of an `expect:` that no longer holds. */
function recordLine(c: RecordedCase): string {
  const calls = `${c.calls} call${c.calls === 1 ? '' : 's'}`;
  switch (c.outcome) {
    case 'recorded':
      return c.expect === null || c.expect.holds
        ? `  ● ${c.name}: recorded ${calls}; expect: holds`
        : [`  ✗ ${c.name}: recorded ${calls}; expect: no longer holds`, ...c.expect.failures.map(indented)].join('\n');
    case 'not-sent':
      return `  - ${c.name}: kept (not sent: ${c.detail} changes data; add --yes to send it)`;
    case 'no-answer':
      return `  ✗ ${c.name}: kept (no answer from the live API: ${c.detail})`;
    case 'simulates-failure':
      return `  - ${c.name}: kept (simulates a failure: ${c.detail}; add --overwrite-failures to replace it)`;
    case 'unknown-action':
      return `  - ${c.name}: kept (no action named ${c.detail})`;
  }
}

function indented(text: string): string {
  return text
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}

/** --live: the live answers' shape against the recorded one. */
async function live(
  files: readonly string[],
  actionsFile: string | undefined,
  yes: boolean,
  env: NodeJS.ProcessEnv,
  io: Output,
): Promise<number> {
  let drifted = 0;
  let broken = 0;
  for (const file of files) {
    const report = await checkLive(file, { env, allowUnsafe: yes, ...(actionsFile ? { actionsFile } : {}) }).catch(
      async (err: unknown) => {
        if (!(err instanceof BrokenFileError)) throw err;
        await printBroken(file, err.file, err.diagnostics, io);
        return null;
      },
    );
    if (report === null) {
      broken++;
      continue;
    }
    io.out(file);
    for (const r of report.cases)
      io.out(
        `  ${r.skipped && r.calls === 0 ? '-' : '●'} ${r.name}: ${r.calls} live call${r.calls === 1 ? '' : 's'}${r.skipped ? ` (${r.skipped})` : ''}`,
      );
    const text = await readFile(report.actionsFile, 'utf8').catch(() => null);
    for (const d of report.drift) io.out(formatDiagnostic(d, text));
    drifted += report.drift.length;
  }
  // Said of the files that ran; a broken file's errors were said above.
  if (broken < files.length)
    io.out(
      drifted === 0
        ? 'The live answers have every field the mappings read.'
        : `${drifted} mapping${drifted === 1 ? '' : 's'} would now give null: the live answers no longer have the field.`,
    );
  return drifted === 0 && broken === 0 ? 0 : 1;
}

async function defaultFiles(): Promise<string[]> {
  const found: string[] = [];
  const here = await readdir('.').catch(() => [] as string[]);
  if (here.includes('actions.test.yml')) found.push('actions.test.yml');
  const inTests = await readdir('tests').catch(() => [] as string[]);
  for (const f of inTests.sort()) if (f.endsWith('.yml') || f.endsWith('.yaml')) found.push(join('tests', f));
  return found;
}

/** Why a file was not recorded: its errors, or a write that would have changed more than its fixtures. */
async function printUnrecorded(file: string, err: unknown, io: Output): Promise<void> {
  if (err instanceof BrokenFileError) return printBroken(file, err.file, err.diagnostics, io);
  if (!(err instanceof YamlWriteError)) throw err;
  io.out(file);
  io.err(`  ✗ ${file}: ${err.message}; nothing was written`);
}

/** A test file (or its actions file, `broken`) with errors: each diagnostic with its code frame. */
async function printBroken(
  file: string,
  broken: string,
  diagnostics: readonly Diagnostic[],
  io: Output,
): Promise<void> {
  io.out(file);
  const text = await readFile(broken, 'utf8').catch(() => null);
  for (const d of diagnostics) io.err(formatDiagnostic(d, d.file === broken ? text : null));
  io.err(`  ✗ ${broken} has errors; no case ran`);
}

/** Prints a file's report; a broken file counts as one failure. */
async function print(report: FileReport, io: Output): Promise<{ passed: number; failed: number; skipped: number }> {
  if (report.diagnostics.length > 0) {
    await printBroken(report.file, report.diagnostics[0]?.file ?? report.file, report.diagnostics, io);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  io.out(report.file);
  let passed = 0;
  let skipped = 0;
  for (const c of report.cases) {
    if (c.skipped !== null) {
      skipped++;
      io.out(`  - ${c.name} (skipped: ${c.skipped})`);
      continue;
    }
    if (c.passed) {
      passed++;
      io.out(`  ✓ ${c.name} (${c.ms} ms)`);
      continue;
    }
    io.out(`  ✗ ${c.name}  (${report.file}:${c.line})`);
    for (const f of c.failures) io.out(indented(f));
  }
  return { passed, skipped, failed: report.cases.length - passed - skipped };
}
