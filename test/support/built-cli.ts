/**
 * The built CLI (dist/cli/bin.js), for tests that run slotwire as users do,
 * in processes of its own. test/support/global-setup.ts rebuilds dist/ before
 * the run whenever a source is newer than the build.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The path of dist/cli/bin.js. */
export function builtCli(): string {
  const bin = join(root, 'dist/cli/bin.js');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build (vitest's global setup builds it)`);
  return bin;
}
