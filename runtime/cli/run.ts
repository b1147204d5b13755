/**
 * `slotwire run <action>`: runs one action outside Rasa and prints the HTTP
 * exchange and the resulting events and responses, the "send test request"
 * button of no-code tools, in a terminal. Against the live API a call that
 * changes data (POST, PUT, PATCH, DELETE) is sent only with --yes;
 * --dry-run prints the requests and sends nothing; --fixtures answers from a
 * fixtures file (docs/testing.md) instead of the network.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { closest, formatDiagnostic } from '../config/index.js';
import type { TestFixture } from '../config/index.js';
import { loadPlan } from '../compile/index.js';
import { ActionsFileError, createEngine } from '../engine/index.js';
import type { CallRecord, Engine } from '../engine/index.js';
import { SAFE_METHODS } from '../http/index.js';
import type { PreparedRequest } from '../http/index.js';
import { serveFixtures } from '../testing/index.js';
import type { FixtureServer } from '../testing/index.js';
import type { Output } from './output.js';

export const runUsage = `Usage: slotwire run <action> [options]

Runs one action outside Rasa and prints the HTTP exchange, the events and
the responses.

Options:
  --actions FILE       actions file (default: ./actions.yml)
  --slot NAME=VALUE    a slot value (repeatable); VALUE is JSON when it parses
                       (--slot party=4 is a number, --slot id='"007"' a string)
  --message TEXT       the latest user message
  --intent NAME        its intent
  --fixtures FILE      answer HTTP calls from a fixtures file instead of the API
  --dry-run            print the requests and send nothing
  --yes                send calls that change data (POST, PUT, PATCH, DELETE) to the live API`;

/** Runs the command; returns the exit code. */
export async function runCommand(args: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      actions: { type: 'string', default: 'actions.yml' },
      slot: { type: 'string', multiple: true },
      message: { type: 'string' },
      intent: { type: 'string' },
      fixtures: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length !== 1) {
    (values.help ? io.out : io.err)(runUsage);
    return values.help ? 0 : 2;
  }
  const name = positionals[0] as string;
  const slots: Record<string, unknown> = {};
  for (const pair of values.slot ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      io.err(`slotwire run: --slot takes NAME=VALUE, not "${pair}"`);
      return 2;
    }
    slots[pair.slice(0, eq)] = jsonOrText(pair.slice(eq + 1));
  }

  const fixtures = values.fixtures ? await readFixtures(values.fixtures) : null;
  let engine: Engine;
  let fixtureServer: FixtureServer | null = null;
  try {
    // Fixtures answer on the connections' origins, which the compiled file names.
    const connections = fixtures ? (await loadPlan(values.actions, { env })).plan?.connections : undefined;
    fixtureServer = fixtures && connections ? serveFixtures(fixtures, connections) : null;
    engine = await createEngine({ actionsFile: values.actions, env, ...(fixtureServer ? { http: { dispatcherFactory: fixtureServer.dispatcherFactory } } : {}) });
  } catch (err) {
    await fixtureServer?.close();
    if (!(err instanceof ActionsFileError)) throw err;
    const text = await readFile(values.actions, 'utf8').catch(() => null);
    for (const d of err.diagnostics) io.err(formatDiagnostic(d, text));
    return 1;
  }
  try {
    const action = engine.action(name);
    if (!action) {
      const suggestion = closest(name, engine.actions().map((a) => a.name));
      io.err(`slotwire run: no action named "${name}" in ${values.actions}${suggestion ? `; did you mean "${suggestion}"?` : ''}`);
      return 1;
    }
    const calls: CallRecord[] = [];
    const hold = values['dry-run']
      ? () => 'dry run: nothing was sent'
      : fixtures || values.yes
        ? undefined
        : (request: PreparedRequest) => (SAFE_METHODS.has(request.method) ? null : `${request.method} not sent: add --yes to send calls that change data, or --dry-run to see them`);
    const message = values.message || values.intent ? { ...(values.message ? { text: values.message } : {}), ...(values.intent ? { intent: values.intent } : {}) } : undefined;
    const result = await engine.run(name, { slots, ...(message ? { message } : {}) }, { onCall: (call) => calls.push(call), ...(hold ? { hold } : {}) });
    const sensitive = new Set(action.sensitiveSlots);
    for (const call of calls) printCall(call, io);
    if (result.outcome.status === 'held') {
      // Not a failure: the call above was shown and kept back on purpose, so no outcome ran (issue 13).
      io.out(`nothing was sent: ${result.outcome.message}. The action stopped at this call; no slots or responses were computed.`);
      return 0;
    }
    if (result.outcome.status === 'rejected') {
      io.out(`rejected: ${result.outcome.message} (Rasa gets HTTP 400 and predicts another action)`);
      return 0;
    }
    io.out('events:');
    for (const e of result.events) io.out(`  ${e.event === 'slot' ? `slot ${(e as { name: string }).name} = ${sensitive.has((e as { name: string }).name) ? '***' : JSON.stringify((e as { value: unknown }).value)}` : JSON.stringify(e)}`);
    if (result.events.length === 0) io.out('  (none)');
    io.out('responses:');
    for (const r of result.responses) io.out(`  ${JSON.stringify(r)}`);
    if (result.responses.length === 0) io.out('  (none)');
    io.out(`error: ${result.outcome.status === 'error' ? JSON.stringify(result.outcome.error) : 'none'}`);
    return 0;
  } finally {
    // Closing the engine closes its pools, and with them the fixtures' MockAgent.
    await engine.close();
  }
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function readFixtures(file: string): Promise<TestFixture[]> {
  const data = parse(await readFile(file, 'utf8')) as unknown;
  const list = Array.isArray(data) ? data : (data as { http?: unknown })?.http;
  if (!Array.isArray(list)) throw new Error(`${file}: expected a list of fixtures (docs/testing.md), or a mapping with http:`);
  return list as TestFixture[];
}

/** One exchange: the request as sent (secrets masked), the answer, an excerpt of the body. */
function printCall(call: CallRecord, io: Output): void {
  const { request, outcome } = call;
  io.out(`→ ${request.method} ${outcome.exchange.url}`);
  for (const [k, v] of Object.entries(request.headers)) io.out(`  ${k}: ${v}`);
  if (request.body) io.out(`  body (${request.body.kind}): ${excerpt(request.body.kind === 'form' ? Object.fromEntries(request.body.fields) : request.body.value)}`);
  const { exchange } = outcome;
  if (exchange.attempts === 0 && !exchange.fromCache) {
    io.out(`← not sent: ${outcome.ok ? '' : outcome.error.message}\n`);
    return;
  }
  const response = outcome.ok ? outcome.response : outcome.error.response;
  const status = response ? `${response.status}` : outcome.ok ? '' : `${outcome.error.kind}: ${outcome.error.message}`;
  io.out(`← ${status} in ${Math.round(exchange.timeMs)} ms (${exchange.attempts} attempt${exchange.attempts === 1 ? '' : 's'}${exchange.fromCache ? ', from cache' : ''})`);
  if (response?.headers['content-type']) io.out(`  content-type: ${response.headers['content-type']}`);
  if (response) io.out(`  ${excerpt(response.body)}`);
  io.out('');
}

function excerpt(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 600 ? `${text.slice(0, 600)}… (${text.length} characters)` : text;
}
