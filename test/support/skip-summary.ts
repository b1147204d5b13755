/**
 * A vitest reporter that ends the run with what was skipped for a missing
 * system program (test/support/services.ts marks those tests' titles), with
 * the command that installs each. It prints nothing when nothing was skipped.
 */
import type { Reporter, TestModule } from 'vitest/node';
import { installCommand, programsIn, STRICT_VARIABLE } from './services.js';
import type { Program } from './services.js';

/** Skipped tests per missing program, from the titles of the tests that were skipped. */
export function skippedByProgram(skippedTitles: Iterable<string>): Map<Program, number> {
  const counts = new Map<Program, number>();
  for (const title of skippedTitles) {
    for (const program of programsIn(title)) counts.set(program, (counts.get(program) ?? 0) + 1);
  }
  return counts;
}

/** The summary's lines: one per program, then how to run everything. */
export function summaryLines(counts: ReadonlyMap<Program, number>): string[] {
  if (counts.size === 0) return [];
  const rows = [...counts].map(
    ([program, n]) => `  ${program}: ${n} test${n === 1 ? '' : 's'} skipped (install: ${installCommand(program)})`,
  );
  return [
    'Skipped for missing programs:',
    ...rows,
    `  With them installed, ${STRICT_VARIABLE}=1 npm test runs every test and fails on a missing one.`,
  ];
}

export default class SkipSummary implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped = testModules.flatMap((module) =>
      [...module.children.allTests('skipped')].map((test) => test.fullName),
    );
    const lines = summaryLines(skippedByProgram(skipped));
    if (lines.length > 0) process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
