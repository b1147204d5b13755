/**
 * The authoring page's server (docs/studio.md): a Hono router over the
 * workspace (the files) and the runs. Each route checks its request, calls
 * one function and answers JSON; every failure is a JSON refusal with a
 * code (errors.ts) and the request field it is about.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, relative } from 'node:path';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { parseDocument } from 'yaml';
import { closest, diagnostic, fileTooLarge, MAX_FILE_BYTES, replaceFile, yamlText } from '../config/index.js';
import type { Env, TestCase } from '../config/index.js';
import { MASK, maskValue, sentCalls, slotValues } from '../engine/index.js';
import { domainDictOf } from '../project/index.js';
import type { ProjectDomain } from '../project/index.js';
import { fixtureOf, headersRead } from '../testing/index.js';
import type { StudioMapResult, StudioRunMode, StudioSaveTestResult } from './api.js';
import { studioAuth } from './auth.js';
import { staticPage } from './page-files.js';
import { refuse, StudioRequestError } from './errors.js';
import { runForStudio, runPlans } from './runs.js';
import type { RunContext, RunSpec, StoredRun } from './runs.js';
import { openWorkspace } from './workspace.js';
import type { ProjectSource, Workspace } from './workspace.js';
import { appendTestCase, EditError, jsonataPath, setSlotMapping } from './yaml-edit.js';

/** Options of {@link createStudio}. */
export interface StudioOptions {
  readonly actionsFile: string;
  readonly testFile: string;
  /** The real environment (live runs, validate's diagnostics). */
  readonly env: Env;
  /** The Rasa project (--project/--domain): its domain checks mappings and goes with runs; read again when it changes. */
  readonly project: ProjectSource | null;
  readonly token: string;
  /** The port served, once known. */
  readonly port: () => number;
  /** Bound to a loopback address (the Host header is then checked). */
  readonly loopback: boolean;
}

/** The studio: its app, and what to close. */
export interface Studio {
  readonly app: Hono;
  readonly workspace: Workspace;
  close(): void;
}

/** Runs kept for mapping and saving: the last few are what a person clicks on. */
const KEPT_RUNS = 32;

/** The largest request body the page sends (a form's slot values). */
const MAX_BODY_BYTES = 1024 * 1024;

/** A slot name as the schema allows it (SW_SCHEMA_NAME). */
const SLOT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Builds the studio over the files; the caller serves `app` and calls `close`. */
export async function createStudio(options: StudioOptions): Promise<Studio> {
  const workspace = await openWorkspace(options);
  const runs = new Map<string, StoredRun>();
  const streams = new Set<() => void>();
  // The domain as last read: a run sends it to actions that read it.
  const plans = runPlans(options.actionsFile);
  const cx = (): RunContext => {
    const project = workspace.project();
    const domain = project !== null && !('error' in project) ? domainDictOf(project.domain) : null;
    return { actionsFile: options.actionsFile, env: options.env, domain, plans };
  };
  // One write at a time: two clicks must not both edit the text read before the other's write.
  let writing: Promise<unknown> = Promise.resolve();
  const serially = <T>(write: () => Promise<T>): Promise<T> => {
    const next = writing.then(write, write);
    writing = next.catch(() => undefined);
    return next;
  };
  const keep = (run: StoredRun): StoredRun => {
    runs.set(run.view.runId, run);
    if (runs.size > KEPT_RUNS) runs.delete(runs.keys().next().value as string);
    return run;
  };

  const app = new Hono();
  app.use('*', studioAuth(options));
  // Counted while it is read, chunked bodies too: the whole body was read before its size was checked.
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        // The rest of the body is unread: the connection cannot carry another request.
        c.header('connection', 'close');
        return refuse(
          c,
          new StudioRequestError('SW_STUDIO_BODY_TOO_LARGE', 'the request is larger than 1 MiB', 'body'),
        );
      },
    }),
  );
  app.onError((err, c) => {
    if (err instanceof StudioRequestError) return refuse(c, err);
    if (err instanceof EditError) return refuse(c, new StudioRequestError(err.code, err.message));
    return refuse(c, new StudioRequestError('SW_STUDIO_INTERNAL', `the studio failed: ${err.message}`));
  });
  // Hono's own 404 is text: a script calling the API gets a refusal with a code like every other.
  app.notFound((c) =>
    c.req.path.startsWith('/api/')
      ? refuse(c, new StudioRequestError('SW_STUDIO_UNKNOWN_ROUTE', 'no API route answers this method and path'))
      : c.text('404 Not Found', 404),
  );
  for (const [path, file] of Object.entries({
    '/': 'index.html',
    '/assets/main.js': 'main.js',
    '/assets/style.css': 'style.css',
  })) {
    app.get(path, () => staticPage(file));
  }

  app.get('/api/state', (c) => c.json(workspace.state()));

  // One event per change on disk; the page then asks for the state.
  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      const done = new Promise<void>((resolve) => {
        const stop = workspace.onChange(
          (version) => void stream.writeSSE({ event: 'change', data: JSON.stringify({ version }) }),
        );
        const end = (): void => {
          stop();
          streams.delete(end);
          resolve();
        };
        streams.add(end);
        stream.onAbort(end);
      });
      await stream.writeSSE({ event: 'change', data: JSON.stringify({ version: workspace.state().version }) });
      await done;
    }),
  );

  app.post('/api/run', async (c) => {
    const body = await jsonBody(c);
    const spec = runSpec(body, workspace);
    return c.json(keep(await runForStudio(spec, cx())).view);
  });

  app.post('/api/map', async (c) => {
    const body = await jsonBody(c);
    const run = storedRun(runs, body['runId']);
    const clicked = clickedField(run, body['exchange'], body['path']);
    const slot = body['slot'];
    if (typeof slot !== 'string' || !SLOT_NAME.test(slot))
      throw new StudioRequestError(
        'SW_STUDIO_BAD_FIELD',
        'give a slot name: letters, digits, _, - and . , starting with a letter or _',
        'slot',
      );
    const project = workspace.project();
    if (project !== null && !('error' in project) && !project.domain.slots.has(slot))
      throw unknownSlot(slot, clicked.value, project.domain);
    const expression = `{{ ${pathExpression(clicked.bodyPath, body['path'] as (string | number)[])} }}`;
    // The replay reads the file: inside the same turn, so it sees this write and no later one's.
    const { line, again } = await serially(async () => {
      const written = await writeMapping(options.actionsFile, workspace, run.spec.action, slot, expression);
      return { line: written, again: keep(await runForStudio(run.spec, cx(), run)) };
    });
    await workspace.refresh();
    const result: StudioMapResult = { expression, line, run: again.view };
    return c.json(result);
  });

  app.post('/api/save-test', async (c) => {
    const body = await jsonBody(c);
    const run = storedRun(runs, body['runId']);
    const name = body['name'];
    if (typeof name !== 'string' || name.trim() === '' || name.length > 200)
      throw new StudioRequestError('SW_STUDIO_BAD_FIELD', 'give the test case a name (at most 200 characters)', 'name');
    if (run.result.outcome.status === 'held')
      throw new StudioRequestError(
        'SW_STUDIO_NOTHING_SENT',
        'nothing was sent in that run, so there is no answer to save: run it with a fixture or live first',
        'runId',
      );
    const result = await serially(() => saveTestCase(options, run, name.trim()));
    await workspace.refresh();
    return c.json(result);
  });

  return {
    app,
    workspace,
    close() {
      for (const end of streams) end();
      workspace.close();
    },
  };
}

/** The request body as a JSON object, or a 400. */
async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  if (!(c.req.header('content-type') ?? '').startsWith('application/json'))
    throw new StudioRequestError('SW_STUDIO_NOT_JSON', 'send JSON (content-type: application/json)', 'body');
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new StudioRequestError('SW_STUDIO_NOT_JSON', 'the request is not JSON', 'body');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new StudioRequestError('SW_STUDIO_BODY_NOT_OBJECT', 'the request must be a JSON object', 'body');
  return body as Record<string, unknown>;
}

const MODES: readonly StudioRunMode[] = ['fixture', 'live', 'dry-run'];

/** A run request, checked field by field. */
function runSpec(body: Record<string, unknown>, workspace: Workspace): RunSpec {
  const { action, slots = {}, mode, fixture, confirmed = false } = body;
  const bad = (message: string, field: string) => new StudioRequestError('SW_STUDIO_BAD_FIELD', message, field);
  if (typeof action !== 'string' || action === '') throw bad('name the action to run', 'action');
  if (slots === null || typeof slots !== 'object' || Array.isArray(slots))
    throw bad('slots must be an object of slot values', 'slots');
  if (!MODES.includes(mode as StudioRunMode)) throw bad(`mode must be one of ${MODES.join(', ')}`, 'mode');
  if (typeof confirmed !== 'boolean') throw bad('confirmed must be true or false', 'confirmed');
  let testCase: TestCase | null = null;
  if (mode === 'fixture') {
    if (!Number.isSafeInteger(fixture)) throw bad('choose the test case whose fixtures answer (its index)', 'fixture');
    testCase = workspace.testCase(fixture as number) ?? null;
    if (testCase === null)
      throw new StudioRequestError(
        'SW_STUDIO_UNKNOWN_CASE',
        `there is no test case ${String(fixture)} in the test file`,
        'fixture',
      );
    if (testCase.action !== action)
      throw new StudioRequestError(
        'SW_STUDIO_CASE_OTHER_ACTION',
        `test case "${testCase.name}" is for ${testCase.action}, not ${action}`,
        'fixture',
      );
  }
  // `***` stands for a sensitive value the page was never shown: the case's own.
  const given = slots as Record<string, unknown>;
  const caseSlots = testCase?.slots ?? {};
  const filled = Object.fromEntries(
    Object.entries(given).map(([name, value]) => [name, value === MASK && name in caseSlots ? caseSlots[name] : value]),
  );
  return { action, slots: filled, mode: mode as StudioRunMode, testCase, confirmed };
}

function storedRun(runs: ReadonlyMap<string, StoredRun>, id: unknown): StoredRun {
  const run = typeof id === 'string' ? runs.get(id) : undefined;
  if (run === undefined)
    throw new StudioRequestError(
      'SW_STUDIO_UNKNOWN_RUN',
      `that run is no longer kept (the studio keeps the last ${KEPT_RUNS}): run the action again`,
      'runId',
    );
  return run;
}

/**
 * Checks that the field a person clicked is in the answer as it came
 * (unmasked, in this process only).
 * @returns what mappings read that answer's body as, and the field's value
 */
function clickedField(run: StoredRun, exchange: unknown, path: unknown): { bodyPath: string; value: unknown } {
  const shown = Number.isSafeInteger(exchange) ? run.view.exchanges[exchange as number] : undefined;
  const call = Number.isSafeInteger(exchange) ? run.calls[exchange as number] : undefined;
  if (shown === undefined || call === undefined)
    throw new StudioRequestError('SW_STUDIO_UNKNOWN_EXCHANGE', 'that exchange is not in the run', 'exchange');
  const response = call.outcome.ok ? call.outcome.response : call.outcome.error.response;
  if (response === null || typeof response.body !== 'object' || response.body === null)
    throw new StudioRequestError('SW_STUDIO_NO_JSON_ANSWER', 'that call has no JSON answer to map from', 'exchange');
  if (
    !Array.isArray(path) ||
    path.length === 0 ||
    !path.every((p) => typeof p === 'string' || Number.isSafeInteger(p))
  ) {
    throw new StudioRequestError(
      'SW_STUDIO_BAD_FIELD',
      'path must be a non-empty list of field names and list positions',
      'path',
    );
  }
  let value: unknown = response.body;
  for (const segment of path as (string | number)[]) {
    const inside = value !== null && typeof value === 'object' && Object.hasOwn(value, segment);
    if (!inside)
      throw new StudioRequestError(
        'SW_STUDIO_PATH_NOT_IN_ANSWER',
        `the answer has no field ${JSON.stringify(path)}`,
        'path',
      );
    value = (value as Record<string | number, unknown>)[segment];
  }
  return { bodyPath: shown.bodyPath, value };
}

/**
 * A mapping to a slot the domain lacks: Rasa would drop the slot event, so
 * nothing is written. Says so with validate's code, and the domain entry
 * to add, typed after the clicked value.
 */
function unknownSlot(slot: string, value: unknown, domain: ProjectDomain): StudioRequestError {
  const found = diagnostic('SW_DOMAIN_UNKNOWN_SLOT', { file: domain.files[0] ?? 'domain.yml', line: 1, col: 1 }, [
    slot,
  ]);
  const suggestion = closest(slot, domain.slots.keys());
  const entry = yamlText({ slots: { [slot]: { type: domainType(value), mappings: [{ type: 'controlled' }] } } }, false);
  const hint =
    `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Add the slot to the domain (${found.file}) under slots:, ` +
    `then map the field again (a controlled mapping: the action fills it; custom before Rasa Pro 3.12):\n\n${entry}`;
  return new StudioRequestError({ code: found.code, hint, status: 409 }, found.message, 'slot');
}

/** The domain slot type that holds `value` as Rasa stores it. */
function domainType(value: unknown): string {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'float';
  if (typeof value === 'boolean') return 'bool';
  return Array.isArray(value) ? 'list' : 'any';
}

/** The JSONata path of the clicked field; a name it cannot write is the request's `path` problem (400). */
function pathExpression(bodyPath: string, path: readonly (string | number)[]): string {
  try {
    return jsonataPath(bodyPath, path);
  } catch (err) {
    if (err instanceof EditError) throw new StudioRequestError(err.code, err.message, 'path');
    throw err;
  }
}

/**
 * Writes the mapping into the actions file, after the workspace checked the
 * file with it (with placeholders for unset variables, as `validate
 * --placeholder-env`, and the project's domain). @returns its line
 */
async function writeMapping(
  actionsFile: string,
  workspace: Workspace,
  action: string,
  slot: string,
  expression: string,
): Promise<number> {
  const { text, offset } = setSlotMapping(await readFile(actionsFile, 'utf8'), action, slot, expression);
  const problem = (await workspace.check(text)).find((d) => d.severity === 'error');
  if (problem) {
    // Broken before this mapping: the file is the author's to fix first.
    const broken = workspace.state().diagnostics.find((d) => d.severity === 'error');
    if (broken)
      throw new StudioRequestError(
        'SW_STUDIO_FILE_BROKEN',
        `the actions file has errors (${broken.line}:${broken.col} ${broken.message}); fix them first`,
      );
    throw new StudioRequestError(
      { code: problem.code, hint: problem.hint, status: 400 },
      `this mapping would break the file: ${problem.message}`,
      'slot',
    );
  }
  await replaceFile(actionsFile, text);
  return lineAt(text, offset);
}

/** The run as a `slotwire test` case, appended to the test file (made when missing). */
async function saveTestCase(options: StudioOptions, run: StoredRun, name: string): Promise<StudioSaveTestResult> {
  const actionsText = await readFile(options.actionsFile, 'utf8');
  const current = await readFile(options.testFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  const c = run.spec.testCase;
  const hide = (value: unknown): unknown => maskValue(value, run.hidden);
  const sensitive = new Set(run.sensitive);
  const testCase: TestCase = {
    name,
    action: run.spec.action,
    slots: Object.fromEntries(
      Object.entries(run.spec.slots).map(([slot, value]) => [slot, sensitive.has(slot) ? MASK : hide(value)]),
    ),
    ...(c?.message ? { message: c.message } : {}),
    ...(c?.tracker ? { tracker: c.tracker } : {}),
    ...(c?.domain ? { domain: c.domain } : {}),
    ...(c?.env ? { env: c.env } : {}),
    http: sentCalls(run.calls).map((call) => hide(fixtureOf(call, headersRead(actionsText)))) as TestCase['http'],
    expect: expectationsOf(run, sensitive, hide),
  };
  const actionsName =
    basename(options.actionsFile) === 'actions.yml' && dirname(options.actionsFile) === dirname(options.testFile)
      ? null
      : relative(dirname(options.testFile), options.actionsFile);
  const { text, index } = appendTestCase(current, testCase, current === null ? actionsName : null);
  // A test file past what the loader reads would make every fixture run fail from then on.
  if (Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) {
    const refused = fileTooLarge(options.testFile);
    throw new StudioRequestError(
      { code: refused.code, hint: refused.hint, status: 409 },
      `saving this case would make ${basename(options.testFile)} larger than the ${MAX_FILE_BYTES / 1024 / 1024} MiB slotwire reads; move some cases to another test file first`,
      'runId',
    );
  }
  await replaceFile(options.testFile, text);
  const node = parseDocument(text).getIn(['tests', index], true) as { range?: [number, number, number] } | undefined;
  return { testFile: options.testFile, line: lineAt(text, node?.range?.[0] ?? 0) };
}

/**
 * What the run did, as a case expects it: the slots, the messages and the
 * outcome. A value that would show a secret or a sensitive value cannot be
 * written down, so it is left out (a slot), or the messages are (compared in order).
 */
function expectationsOf(
  run: StoredRun,
  sensitive: ReadonlySet<string>,
  hide: (value: unknown) => unknown,
): NonNullable<TestCase['expect']> {
  const { outcome } = run.result;
  if (outcome.status === 'rejected') return { rejected: outcome.message };
  const writable = (value: unknown): boolean => JSON.stringify(hide(value)) === JSON.stringify(value);
  const slots = Object.fromEntries(
    Object.entries(slotValues(run.result)).filter(([name, value]) => !sensitive.has(name) && writable(value)),
  );
  const responses = run.result.responses.map(compactMessage);
  const error = outcome.status === 'error' ? { kind: outcome.error.kind, code: outcome.error.code } : null;
  return { slots, ...(responses.every(writable) ? { responses } : {}), error };
}

/** A message without its empty fields, as a person would write it. */
function compactMessage(message: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const empty = (v: unknown): boolean =>
    v === null ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
  return Object.fromEntries(Object.entries(message).filter(([key, v]) => key !== 'template' && !empty(v)));
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
