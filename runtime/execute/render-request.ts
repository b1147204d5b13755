/**
 * A RequestPlan rendered for one call into the http/ layer's
 * PreparedRequest: path segments encoded, query and form lists flattened,
 * the idempotency key derived from the user turn.
 */
import { createHash } from 'node:crypto';
import type { RequestPlan } from '../compile/index.js';
import { encodePathSegment } from '../http/index.js';
import type { PreparedRequest, RequestBody } from '../http/index.js';
import { evaluate, interpolate, toText } from './evaluate.js';
import type { Scope } from './scope.js';

/** What a rendered request needs besides the scope. */
export interface RenderContext {
  readonly action: string;
  readonly senderId: string;
  /** See `userTurnId` in scope.ts; computed on first use. */
  readonly turnId: () => string;
}

/** Renders one request. Throws ExpressionError when an expression fails. */
export async function renderRequest(plan: RequestPlan, scope: Scope, cx: RenderContext): Promise<PreparedRequest> {
  return {
    connection: plan.connection,
    method: plan.method,
    path: await renderPath(plan, scope),
    query: await pairs(plan.query, scope),
    headers: await headers(plan, scope),
    body: await renderBody(plan, scope),
    expect: plan.expect,
    allowUnsafeRetry: plan.allowUnsafeRetry,
    retry: plan.retry,
    idempotencyKey: plan.idempotencyKey ? idempotencyKey(cx, plan) : null,
    // One cache per action, so actions do not evict each other's entries.
    cache: plan.cache ? { ...plan.cache, scope: cx.action } : null,
  };
}

/**
 * Literal text stays as written; every expression result becomes exactly one
 * percent-encoded path segment, so a slot holding `../admin` or `a/b` can
 * never climb the path or add segments (DESIGN.md).
 */
async function renderPath(plan: RequestPlan, scope: Scope): Promise<string> {
  const path = plan.path;
  if (path.kind === 'literal') return String(path.value);
  if (path.kind === 'interpolation') return interpolate(path.parts, scope, (v) => encodePathSegment(toText(v)));
  return encodePathSegment(toText(await evaluate(path, scope)));
}

/** name → value lists as repeated pairs; null leaves a name out, a list repeats it. */
async function pairs(entries: RequestPlan['query'], scope: Scope): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const [name, compiled] of entries) pushPairs(out, name, await evaluate(compiled, scope));
  return out;
}

function pushPairs(out: [string, string][], name: string, value: unknown): void {
  for (const item of Array.isArray(value) ? value : [value]) {
    if (item !== null && item !== undefined) out.push([name, toText(item)]);
  }
}

async function headers(plan: RequestPlan, scope: Scope): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, compiled] of plan.headers) {
    const value = await evaluate(compiled, scope);
    if (value !== null && value !== undefined) out[name] = toText(value);
  }
  return out;
}

async function renderBody(plan: RequestPlan, scope: Scope): Promise<RequestBody | null> {
  const body = plan.body;
  if (!body) return null;
  const value = await evaluate(body.value, scope);
  if (body.kind === 'json') return { kind: 'json', value };
  if (body.kind === 'text') return { kind: 'text', value: toText(value) };
  const fields: [string, string][] = [];
  for (const [name, item] of Object.entries((value ?? {}) as Record<string, unknown>)) pushPairs(fields, name, item);
  return { kind: 'form', fields };
}

/** Same conversation, action, request and user turn → same key. */
function idempotencyKey(cx: RenderContext, plan: RequestPlan): string {
  return createHash('sha256').update(`${cx.senderId}\0${cx.action}\0${plan.method}\0${plan.connection}\0${cx.turnId()}`).digest('base64url').slice(0, 32);
}
