/**
 * `slotwire validate [file] [--format text|json]`: load and compile an
 * actions file; exit 0 with a one-line summary when it is good, exit 1 with
 * every problem (code frame and hint) when it is not. With a Rasa project
 * it cross-checks the domain, counting what a fallback action server lists
 * (`--fallback`, fallback-actions.ts) as served.
 */
import { readFile } from 'node:fs/promises';
import { formatDiagnostic, loadConfigFile } from '../config/index.js';
import type { Diagnostic } from '../config/index.js';
import { checkActionsFile } from '../project/index.js';
import type { CrossCheck } from '../project/index.js';
import { placeholderEnv } from '../testing/index.js';
import { parseCommandArgs, USAGE_EXIT, usageError } from './args.js';
import type { Output } from './output.js';
import { actionsUrlOf, fetchFallbackActions, FallbackError } from './fallback-actions.js';
import type { FallbackSource } from './fallback-actions.js';
import { reportFlagFile } from './flag-file.js';
import { loadProject, readProject } from './project.js';

export const validateUsage: string = `Usage: slotwire validate [files…] [--format text|json] [--placeholder-env] [--domain PATH]… [--project DIR] [--fallback URL]

Checks an actions file (default: ./actions.yml): YAML, schema, \${VAR}
references, every {{ }} expression and every reference between parts.
Exit code 0 when it can be served, 1 when it cannot, 2 for a usage error.

  --format text|json  text: diagnostics with code frames; json: one report
                      (default: text)
  --placeholder-env   check without the real environment: every unset \${VAR}
                      gets a placeholder (http://var-name.env.test), as
                      slotwire test does; for CI, where secrets are not set
  -h, --help          this text

With the Rasa project it checks more: every slot an action sets exists in
the domain and literal values fit its type, responses exist, actions are
listed; it shows which flows branch on the slots, and prints the actions:
block to paste for the actions the domain does not list yet.
  --domain PATH   domain.yml, or a folder of domain files (repeatable)
  --project DIR   a Rasa project folder (domain.yml or domain/, flows in data/)
  --fallback URL  the webhook URL of the action server that serves what this
                  file does not (serve --fallback; env SLOTWIRE_FALLBACK_URL):
                  the actions its /actions lists count as served; one that
                  cannot be asked within 5 s is one line and exit 1

Output: diagnostics (errors and warnings) on stderr; the summary line per
file, the project report and --format json on stdout.`;

/** Runs the command; returns the exit code. */
export async function validateCommand(args: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const parsed = parseCommandArgs(
    'validate',
    {
      args: [...args],
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'placeholder-env': { type: 'boolean', default: false },
        domain: { type: 'string', multiple: true },
        project: { type: 'string' },
        fallback: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    io,
  );
  if (!parsed) return USAGE_EXIT;
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(validateUsage);
    return 0;
  }
  if (values.format !== 'text' && values.format !== 'json')
    return usageError(io, 'validate', `--format must be text or json, not "${values.format}"`);
  const fallback = fallbackOf(values.fallback, env, values.domain !== undefined || values.project !== undefined);
  if (fallback !== null && 'problem' in fallback) return usageError(io, 'validate', fallback.problem);
  if (values['placeholder-env']) env = placeholderEnv(env);
  const files = positionals.length > 0 ? positionals : ['actions.yml'];
  // The JSON report keeps a project that cannot be read among its diagnostics; as text it is the one line every command prints.
  const project =
    values.format === 'json'
      ? await readProject(values.domain ?? [], values.project)
      : await loadProject(values.domain ?? [], values.project).catch((err: unknown) =>
          reportFlagFile(err, 'validate', io),
        );
  if (typeof project === 'number') return project;
  const fallbackActions = fallback === null ? null : await askFallback(fallback, io);
  if (typeof fallbackActions === 'number') return fallbackActions;
  let failed = false;
  const reports: object[] = [];
  for (const file of files) {
    const { diagnostics, plan, check } = checkActionsFile(await loadConfigFile(file, { env }), project, {
      fallback: fallbackActions,
    });
    failed ||= plan === null;
    const summary = plan
      ? `${plan.actions.size} action${plan.actions.size === 1 ? '' : 's'}, ${plan.connections.length} connection${plan.connections.length === 1 ? '' : 's'}`
      : null;
    if (values.format === 'json') {
      reports.push({
        file,
        ok: plan !== null,
        summary,
        diagnostics,
        ...(check
          ? {
              branches: check.branches,
              not_served: check.notServed,
              ...(fallbackActions ? { served_by_fallback: check.servedByFallback, taken_over: check.takenOver } : {}),
              actions_block: check.actionsBlock,
            }
          : {}),
      });
      continue;
    }
    const text = await readFile(file, 'utf8').catch(() => null);
    // One stream for every diagnostic, so errors and warnings keep their order in a CI log.
    for (const d of diagnostics) io.err(`${formatDiagnostic(d, d.file === file ? text : null)}\n`);
    if (check) printProject(check, fallbackActions !== null, io);
    const errors = count(diagnostics, 'error');
    io.out(
      plan
        ? `${file}: ok, ${summary}${countWarnings(diagnostics)}`
        : `${file}: ${errors} error${errors === 1 ? '' : 's'}${countWarnings(diagnostics)}`,
    );
  }
  if (values.format === 'json') io.out(JSON.stringify(files.length === 1 ? reports[0] : reports, null, 2));
  return failed ? 1 : 0;
}

/** The fallback to ask: --fallback, else SLOTWIRE_FALLBACK_URL when there is a domain to check; or the usage problem. */
function fallbackOf(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  hasProject: boolean,
): { source: FallbackSource; actionsUrl: URL } | { problem: string } | null {
  if (flag !== undefined && !hasProject)
    return { problem: "--fallback counts the domain's actions as served: add --domain or --project" };
  // The variable is serve's too, so it may well be set where validate runs without a project: then it is not asked.
  const fromEnv = env['SLOTWIRE_FALLBACK_URL'];
  const source =
    flag !== undefined
      ? { from: '--fallback', url: flag }
      : fromEnv && hasProject
        ? { from: 'SLOTWIRE_FALLBACK_URL', url: fromEnv }
        : null;
  if (source === null) return null;
  const actionsUrl = actionsUrlOf(source);
  return 'problem' in actionsUrl ? actionsUrl : { source, actionsUrl };
}

/** The fallback's actions, or exit code 1 after the one line that says why it could not be asked. */
async function askFallback(
  fallback: { source: FallbackSource; actionsUrl: URL },
  io: Output,
): Promise<Set<string> | number> {
  try {
    return new Set(await fetchFallbackActions(fallback.source, fallback.actionsUrl));
  } catch (err) {
    if (!(err instanceof FallbackError)) throw err;
    io.err(`slotwire validate: ${err.message}`);
    return 1;
  }
}

function printProject(check: CrossCheck, withFallback: boolean, io: Output): void {
  for (const b of check.branches)
    io.out(`flow ${b.flow} branches on slots.${b.slot} (set by ${b.setBy.join(', ')}): if: ${b.condition}`);
  if (withFallback) {
    if (check.servedByFallback.length > 0)
      io.out(`domain actions served by the fallback: ${check.servedByFallback.join(', ')}`);
    if (check.takenOver.length > 0)
      io.out(`actions this file takes over from the fallback: ${check.takenOver.join(', ')}`);
    if (check.notServed.length > 0)
      io.out(`domain actions served by neither this file nor the fallback: ${check.notServed.join(', ')}`);
  } else if (check.notServed.length > 0)
    io.out(`domain actions not in this file (served elsewhere?): ${check.notServed.join(', ')}`);
  if (check.actionsBlock !== null) io.out(`\nPaste into the domain:\n${check.actionsBlock}\n`);
}

function count(diagnostics: readonly Diagnostic[], severity: Diagnostic['severity']): number {
  return diagnostics.filter((d) => d.severity === severity).length;
}

function countWarnings(diagnostics: readonly Diagnostic[]): string {
  const n = count(diagnostics, 'warning');
  return n === 0 ? '' : `, ${n} warning${n === 1 ? '' : 's'}`;
}
