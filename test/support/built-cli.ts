/**
 * The built CLI (dist/cli/bin.js), for tests that run slotwire as users do,
 * in processes of its own. CI's `npm ci` builds through `prepare`; a
 * checkout without dist/ is built once here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The path of dist/cli/bin.js, built first when it is missing. */
export function builtCli(): string {
  const bin = join(root, 'dist/cli/bin.js');
  if (!existsSync(bin)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  return bin;
}
