/**
 * The built CLI (dist/cli/bin.js), for tests that run slotwire as users do,
 * in processes of its own. test/support/global-setup.ts rebuilds dist/ before
 * the run whenever a source is newer than the build.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
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

/** What a run of the built CLI ended with. */
export interface BuiltCliResult {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs `slotwire <args>` from dist/ in a process of its own until it exits,
 * stdin closed, as a user would: its exit code (70 and a stack for a crash,
 * which an in-process main() would throw instead) and what it printed.
 */
export async function runBuiltCli(
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<BuiltCliResult> {
  const child = spawn(process.execPath, [builtCli(), ...args], {
    cwd: options.cwd,
    env: options.env ?? {},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, out, err };
}
