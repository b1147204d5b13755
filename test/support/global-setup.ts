/**
 * Before any test: rebuild dist/ when a source is newer than the build, so
 * the tests that run the built CLI (test/support/built-cli.ts) run the code
 * as it is now, not yesterday's build. Runs once per `vitest` run, before the
 * workers start, so no two tests build at the same time.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** What the build reads: sources, schemas, the .proto, and its own configuration. */
const INPUTS = [
  'runtime',
  'schemas',
  'proto',
  'tsconfig.json',
  'tsconfig.build.json',
  'scripts/build-page.mjs',
  'scripts/build-schema-validator.mjs',
  'scripts/build-bundle.mjs',
];
/** An output every build rewrites. */
const STAMP = 'dist/cli/bin.js';

/** The newest input file and its modification time. */
export function newestInput(base: string = root): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  const visit = (path: string): void => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if (stat.mtimeMs > newest.mtimeMs) {
      newest = { file: relative(base, path), mtimeMs: stat.mtimeMs };
    }
  };
  for (const input of INPUTS) visit(join(base, input));
  return newest;
}

/** Why the build is out of date, or null when it is current. */
export function staleReason(base: string = root): string | null {
  let built: number;
  try {
    built = statSync(join(base, STAMP)).mtimeMs;
  } catch {
    return `${STAMP} is missing`;
  }
  const newest = newestInput(base);
  return newest.mtimeMs > built ? `${newest.file} is newer than the build` : null;
}

export default function setup(): void {
  const reason = staleReason();
  if (reason === null) return;
  process.stdout.write(`Building dist/ first: ${reason}.\n`);
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
