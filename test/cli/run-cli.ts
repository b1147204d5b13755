/** Runs the CLI's main() in-process with captured output. */
import { main } from '../../runtime/cli/main.js';

/** The exit code and what the command printed. */
export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `slotwire <args>` with an env (default: empty) and captures stdout and stderr. */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, env, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
