/**
 * `slotwire run <action>`: runs one action outside Rasa and prints the HTTP
 * exchange and the resulting events and responses, the "send test request"
 * button of no-code tools, in a terminal. Against the live API a call that
 * changes data (POST, PUT, PATCH, DELETE) is sent only with --yes;
 * --dry-run prints the requests and sends nothing; --fixtures answers from a
 * fixtures file (docs/testing.md) instead of the network.
 */
import { readFile } from 'node:fs/promises';
import { closest, formatDiagnostic } from '../config/index.js';
import type { Diagnostic, TestFixture } from '../config/index.js';
import { createEngine, loadPlan, maskText, watchedRun } from '../engine/index.js';
import type { ConnectionPolicy, Engine, PlainInput, SendRule, WatchedRun } from '../engine/index.js';
import { domainDictOf } from '../project/index.js';
import type { DomainDict } from '../rasa/index.js';
import { collectWarnings, serveFixtures } from '../testing/index.js';
import type { FixtureServer } from '../testing/index.js';
import { parseCommandArgs, USAGE_EXIT, usageError } from './args.js';
import { FlagFileError, parseFlagYaml, readFlagFile, reportFlagFile } from './flag-file.js';
import type { Output } from './output.js';
import { printCall } from './print-call.js';
import { loadProject } from './project.js';

export const runUsage: string = `Usage: slotwire run <action> [options]

Runs one action outside Rasa and prints the HTTP exchange, the events and
the responses. Secrets and sensitive: slot values are shown as ***.

Options:
  --actions FILE       actions file (default: ./actions.yml)
  --slot NAME=VALUE    a slot value (repeatable); VALUE is JSON when it parses
                       (--slot party=4 is a number, --slot id='"007"' a string)
  --message TEXT       the latest user message
  --intent NAME        its intent
  --message-id ID      the user turn's id; each run is a new turn unless given, so
                       the Idempotency-Key changes; repeat an ID to repeat a turn
  --domain PATH        domain.yml or a domain folder (repeatable): slot values are
                       checked against their types, as Rasa's domain makes them
  --fixtures FILE      answer HTTP calls from a fixtures file instead of the API
  --dry-run            print the requests and send nothing
  --yes                send calls that change data (POST, PUT, PATCH, DELETE) to the live API
  -h, --help           this text

Output: the exchange, events and responses on stdout; usage and file errors on stderr.

Exit codes:
  0  the action ran (the outcome printed may still be its on_error)
  1  it could not run: a broken file, an unset variable, no such action
  2  a usage error
  3  nothing was done: a call was held back (--dry-run, or a call that changes
     data without --yes), so the action stopped there and no outcome ran`;

/**
 * The exit code of a run that stopped at a held call: not 0, so a script
 * can tell "done" from "nothing was done"; not 1 (it could not run) nor 2
 * (usage), as the run did what it was asked.
 */
const HELD_EXIT = 3;

/** The command line, read. */
interface RunArgs {
  readonly name: string;
  readonly actionsFile: string;
  readonly slots: Record<string, unknown>;
  readonly message: NonNullable<PlainInput['message']>;
  readonly domain: readonly string[] | undefined;
  readonly fixtures: string | undefined;
  readonly dryRun: boolean;
  readonly yes: boolean;
}

/** Runs the command; returns the exit code. */
export async function runCommand(args: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const run = readArgs(args, io);
  if (typeof run === 'number') return run;
  // The plan names the connections: the fixtures' origins, and the headers and auth each call is shown with.
  // Only the connections this action calls need their variables set (forAction).
  const { plan, diagnostics } = await loadPlan(run.actionsFile, { env, forAction: run.name });
  if (!plan) return printFileErrors(run.actionsFile, diagnostics, io);
  const files = await readRunFiles(run).catch((err: unknown) => reportFlagFile(err, 'run', io));
  if (typeof files === 'number') return files;
  const { domain, fixtures } = files;
  const fixtureServer: FixtureServer | null = fixtures ? serveFixtures(fixtures, plan.connections) : null;
  const warnings: string[] = [];
  // Compiled once, above: the engine serves that plan.
  const engine = await createEngine({
    compiled: { plan, diagnostics },
    env,
    forAction: run.name,
    logger: collectWarnings(warnings),
    ...(fixtureServer ? { http: { dispatcherFactory: fixtureServer.dispatcherFactory } } : {}),
  });
  try {
    const action = engine.action(run.name);
    if (!action) return noSuchAction(run, engine, io);
    const input: PlainInput = {
      slots: run.slots,
      ...(Object.keys(run.message).length > 0 ? { message: run.message } : {}),
      ...(domain ? { domain } : {}),
    };
    const watched = await watchedRun(engine, run.name, input, {
      send: sendRule(run.dryRun, fixtures !== null || run.yes),
      heldBecause: run.dryRun ? () => 'dry run' : (request) => `${request.method} changes data: add --yes to send it`,
    });
    printResult(watched, { connections: engine.connections(), warnings }, io);
    return watched.held ? HELD_EXIT : 0;
  } finally {
    // Closing the engine closes its pools, and with them the fixtures' MockAgent.
    await engine.close();
  }
}

/** The command line read, or the exit code when it was --help or a usage error. */
function readArgs(args: readonly string[], io: Output): RunArgs | number {
  const parsed = parseCommandArgs(
    'run',
    {
      args: [...args],
      allowPositionals: true,
      options: {
        actions: { type: 'string', default: 'actions.yml' },
        slot: { type: 'string', multiple: true },
        message: { type: 'string' },
        intent: { type: 'string' },
        'message-id': { type: 'string' },
        domain: { type: 'string', multiple: true },
        fixtures: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    },
    io,
  );
  if (!parsed) return USAGE_EXIT;
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(runUsage);
    return 0;
  }
  if (positionals.length !== 1)
    return usageError(
      io,
      'run',
      positionals.length === 0 ? 'name the action to run' : `one action at a time, not ${positionals.length}`,
    );
  const slots: Record<string, unknown> = {};
  for (const pair of values.slot ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return usageError(io, 'run', `--slot takes NAME=VALUE, not "${pair}"`);
    slots[pair.slice(0, eq)] = jsonOrText(pair.slice(eq + 1));
  }
  return {
    name: positionals[0],
    actionsFile: values.actions,
    slots,
    message: {
      ...(values.message ? { text: values.message } : {}),
      ...(values.intent ? { intent: values.intent } : {}),
      // Without one the engine makes each run a turn of its own (a new Idempotency-Key), so a retried run is not deduplicated.
      ...(values['message-id'] ? { messageId: values['message-id'] } : {}),
    },
    domain: values.domain,
    fixtures: values.fixtures,
    dryRun: values['dry-run'],
    yes: values.yes,
  };
}

/** Exit 1 with one line naming the closest action. */
function noSuchAction(run: RunArgs, engine: Engine, io: Output): number {
  const suggestion = closest(
    run.name,
    engine.actions().map((a) => a.name),
  );
  io.err(
    `slotwire run: no action named "${run.name}" in ${run.actionsFile}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
  );
  return 1;
}

/**
 * Which calls the run sends: none with --dry-run; against the live API,
 * a call that changes data only with --yes (fixtures send nothing anywhere).
 * The reason a call was held is said once, under the run.
 */
function sendRule(dryRun: boolean, sendChanges: boolean): SendRule {
  if (dryRun) return 'none';
  return sendChanges ? 'all' : 'reads';
}

/** What the result is shown with. */
interface ResultView {
  /** The connections, secrets masked: the headers and auth each call is shown with. */
  readonly connections: readonly ConnectionPolicy[];
  /** What the engine logged during the run. */
  readonly warnings: readonly string[];
}

/** The calls, then how the run ended: held, rejected, or its events, responses and error. */
function printResult(
  { result, calls, sent, hidden, sensitive: sensitiveSlots }: WatchedRun,
  { connections, warnings }: ResultView,
  io: Output,
): void {
  const show = (text: string): void => io.out(maskText(text, hidden));
  const sensitive = new Set(sensitiveSlots);
  for (const call of calls)
    printCall(
      call,
      connections.find((c) => c.name === call.request.connection),
      hidden,
      io,
    );
  if (result.outcome.status === 'held') {
    // Not a failure: the held call was shown above and kept back on purpose, so no outcome ran.
    show(
      `${sent.length > 0 ? 'stopped at a held call' : 'nothing was sent'}: ${result.outcome.message}; no slots or responses were computed`,
    );
    return;
  }
  if (result.outcome.status === 'rejected') {
    show(`rejected: ${result.outcome.message} (Rasa gets HTTP 400 and predicts another action)`);
    return;
  }
  show('events:');
  for (const e of result.events) {
    const slot = e.event === 'slot' ? (e as { name: string; value: unknown }) : null;
    show(
      `  ${slot ? `slot ${slot.name} = ${sensitive.has(slot.name) ? '***' : JSON.stringify(slot.value)}` : JSON.stringify(e)}`,
    );
  }
  if (result.events.length === 0) show('  (none)');
  show('responses:');
  for (const r of result.responses) show(`  ${JSON.stringify(r)}`);
  if (result.responses.length === 0) show('  (none)');
  // What the server would only log: a slot value set to null for its domain type, a failed check.
  for (const w of warnings) show(`warning: ${w}`);
  show(`error: ${result.outcome.status === 'error' ? JSON.stringify(result.outcome.error) : 'none'}`);
}

/**
 * The file's problems, with code frames; a run stopped only by unset
 * variables gets one line per variable instead (it names the variable and
 * its connection): the frame and the hint to validate with placeholders are
 * about the file, and the file is fine.
 */
async function printFileErrors(file: string, diagnostics: readonly Diagnostic[], io: Output): Promise<number> {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 && errors.every((d) => d.code === 'SW_ENV_MISSING')) {
    for (const d of errors) io.err(`slotwire run: ${d.message}, at ${d.file}:${d.line}:${d.col}`);
    return 1;
  }
  const text = await readFile(file, 'utf8').catch(() => null);
  for (const d of diagnostics) io.err(formatDiagnostic(d, d.file === file ? text : null));
  return 1;
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** What --domain and --fixtures name, read. Throws FlagFileError for a file that cannot be used. */
async function readRunFiles(
  run: RunArgs,
): Promise<{ readonly domain: DomainDict | null; readonly fixtures: TestFixture[] | null }> {
  const project = run.domain ? await loadProject(run.domain, undefined) : null;
  return {
    domain: project ? domainDictOf(project.domain) : null,
    fixtures: run.fixtures ? await readFixtures(run.fixtures) : null,
  };
}

/** A fixtures file: a list of fixtures, or a test case's mapping with `http:` (docs/testing.md). */
async function readFixtures(file: string): Promise<TestFixture[]> {
  const data = parseFlagYaml('--fixtures', file, await readFlagFile('--fixtures', file));
  const list = Array.isArray(data) ? data : (data as { http?: unknown } | null)?.http;
  if (!Array.isArray(list))
    throw new FlagFileError(
      '--fixtures',
      file,
      'is not a list of fixtures, nor a mapping with http: (docs/testing.md)',
    );
  return list as TestFixture[];
}
