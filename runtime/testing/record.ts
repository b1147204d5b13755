/**
 * `slotwire test --record`: runs each case against the live API once and
 * writes what came back as the case's `http:` fixtures. Secrets never reach
 * the file: only status, content and the request's method, path and query are
 * kept (no headers), and any value equal to a connection secret is `***`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { Env } from '../config/index.js';
import { loadTestFile } from '../config/index.js';
import { loadPlan } from '../compile/index.js';
import type { Plan } from '../compile/index.js';
import { createEngine } from '../engine/index.js';
import type { CallRecord } from '../engine/index.js';
import { SAFE_METHODS } from '../http/index.js';
import type { PreparedRequest } from '../http/index.js';
import { inputOf } from './run-tests.js';

/** Options of {@link recordFixtures}. */
export interface RecordOptions {
  /** The real environment (URLs and secrets of the live API). */
  readonly env: Env;
  /** Default: the test file's `actions:`, else actions.yml beside it. */
  readonly actionsFile?: string;
  /** Send calls that change data (POST, PUT, PATCH, DELETE). Default: false, they are not sent. */
  readonly allowUnsafe?: boolean;
}

/** What was recorded, per case name: the number of calls, or why none. */
export type RecordReport = { readonly name: string; readonly calls: number; readonly skipped: string | null }[];

const MASK = '***';

/** Records fixtures for every case of a test file and rewrites the file (comments kept). */
export async function recordFixtures(file: string, options: RecordOptions): Promise<RecordReport> {
  const loaded = await loadTestFile(file);
  if (!loaded.tests) throw new Error(`${file} has errors: ${loaded.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('; ')}`);
  const actionsFile = options.actionsFile ?? resolve(dirname(file), loaded.tests.actions ?? 'actions.yml');
  const { plan, diagnostics } = await loadPlan(actionsFile, { env: options.env });
  if (!plan) throw new Error(`${actionsFile} has errors: ${diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('; ')}`);
  const secrets = secretValues(plan);
  const doc = parseDocument(await readFile(file, 'utf8'));
  const report: { name: string; calls: number; skipped: string | null }[] = [];
  for (const [i, c] of loaded.tests.tests.entries()) {
    if (!plan.actions.has(c.action)) {
      report.push({ name: c.name, calls: 0, skipped: `no action named ${c.action}` });
      continue;
    }
    const calls: CallRecord[] = [];
    // An engine per case, as `slotwire test` replays them: no cache or breaker state carried between cases.
    const engine = await createEngine({ actionsFile, env: options.env });
    try {
      await engine.run(c.action, inputOf(c), {
        onCall: (call) => calls.push(call),
        ...(options.allowUnsafe ? {} : { hold: (request: PreparedRequest) => (SAFE_METHODS.has(request.method) ? null : `${request.method} not sent while recording: add --yes`) }),
      });
    } finally {
      await engine.close();
    }
    const sent = calls.filter((call) => call.outcome.exchange.attempts > 0 || call.outcome.exchange.fromCache);
    doc.setIn(['tests', i, 'http'], sent.map((call) => fixtureOf(call, secrets)));
    report.push({ name: c.name, calls: sent.length, skipped: sent.length < calls.length ? 'calls that change data were not sent (use --yes)' : null });
  }
  await writeFile(file, doc.toString());
  return report;
}

/** Every secret a connection holds, to mask in what is written. */
function secretValues(plan: Plan): Set<string> {
  const out = new Set<string>();
  for (const c of plan.connections) {
    const a = c.auth;
    if (a?.type === 'bearer') out.add(a.token);
    if (a?.type === 'basic') out.add(a.password);
    if (a?.type === 'api_key') out.add(a.value);
    if (a?.type === 'oauth2_client_credentials') out.add(a.clientSecret);
    for (const [name, value] of Object.entries(c.headers)) if (/authorization|cookie|key|token|secret/i.test(name)) out.add(value);
  }
  out.delete('');
  return out;
}

function fixtureOf(call: CallRecord, secrets: ReadonlySet<string>): Record<string, unknown> {
  const { request, outcome } = call;
  const fixture: Record<string, unknown> = { connection: request.connection, method: request.method, path: request.path };
  if (request.query.length > 0) fixture['query'] = Object.fromEntries(request.query);
  if (!outcome.ok && !outcome.error.response) {
    fixture['reply'] = { error: outcome.error.kind === 'timeout' ? 'timeout' : 'network' };
    return mask(fixture, secrets) as Record<string, unknown>;
  }
  const response = outcome.ok ? outcome.response : outcome.error.response!;
  const reply: Record<string, unknown> = { status: response.status };
  if (typeof response.body === 'string') reply['text'] = response.body;
  else if (response.body !== null) reply['json'] = response.body;
  fixture['reply'] = reply;
  return mask(fixture, secrets) as Record<string, unknown>;
}

/** Replaces every string that contains a secret. */
function mask(value: unknown, secrets: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return [...secrets].some((s) => value.includes(s)) ? MASK : value;
  if (Array.isArray(value)) return value.map((v) => mask(v, secrets));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, secrets)]));
  return value;
}
