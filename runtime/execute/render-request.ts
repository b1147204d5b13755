/**
 * A step's RequestPlan rendered for one call into the http/ layer's
 * PreparedRequest: path segments encoded, query and form lists flattened,
 * the idempotency key derived from the step and the user turn. A request
 * that cannot be sent as the author meant it is refused here, before
 * anything reaches the wire (InvalidRequestError).
 */
import { createHash } from 'node:crypto';
import type { CompiledExpression, CompiledValue, RequestPlan, StepPlan } from '../compile/index.js';
import { encodePathSegment } from '../http/index.js';
import type { PreparedRequest, RequestBody } from '../http/index.js';
import { evaluate, evaluateExpression, toText } from './evaluate.js';
import { andThen, inOrder } from './pending.js';
import type { Pending } from './pending.js';
import type { Scope } from './scope.js';

/** What a rendered request needs besides the scope. */
export interface RenderContext {
  readonly action: string;
  readonly senderId: string;
  /** See `userTurnId` in scope.ts; computed on first use. */
  readonly turnId: () => string;
}

/**
 * A rendered value that cannot go into the request: a path segment that
 * would be empty or a dot segment, a header value HTTP cannot carry. The
 * executor turns it into the `invalid_request` error outcome: the author's
 * template or the user's value is at fault, not the upstream, and nothing
 * was sent. The message names the part, never the value (it may be a
 * sensitive slot).
 */
export class InvalidRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

/** Renders one step's request: path, query, headers, body, in that order. Throws ExpressionError or InvalidRequestError. */
export function renderRequest(step: StepPlan, scope: Scope, cx: RenderContext): Pending<PreparedRequest> {
  const plan = step.request;
  return andThen(renderPath(plan, scope), (path) =>
    andThen(pairs(plan.query, scope), (query) =>
      andThen(headers(plan, scope), (headerValues) =>
        andThen(renderBody(plan, scope), (body) => ({
          connection: plan.connection,
          method: plan.method,
          path,
          query,
          headers: headerValues,
          body,
          expect: plan.expect,
          allowUnsafeRetry: plan.allowUnsafeRetry,
          retry: plan.retry,
          idempotencyKey: plan.idempotencyKey ? idempotencyKey(cx, step) : null,
          // One cache per action, so actions do not evict each other's entries.
          cache: plan.cache ? { ...plan.cache, scope: cx.action } : null,
        })),
      ),
    ),
  );
}

/**
 * Literal text stays as written; every expression result becomes exactly one
 * percent-encoded path segment, so a slot holding `../admin` or `a/b` can
 * never climb the path or add segments (docs/actions-yml.md#actions-and-requests). A segment that an
 * expression leaves empty or makes a dot segment is refused (see
 * checkSegments).
 */
function renderPath(plan: RequestPlan, scope: Scope): Pending<string> {
  const path = plan.path;
  if (path.kind === 'literal') return String(path.value);
  // A whole computed value (the schema's leading '/' rules it out today) is one segment.
  const parts: readonly (string | CompiledExpression | CompiledValue)[] =
    path.kind === 'interpolation' ? path.parts : [path];
  const values = inOrder(parts, (part) =>
    typeof part === 'string' ? part : 'kind' in part ? evaluate(part, scope) : evaluateExpression(part, scope),
  );
  return andThen(values, (list) => {
    let out = '';
    // Where each expression's text landed, to know which segments expressions made.
    const spans: [number, number][] = [];
    list.forEach((value, i) => {
      if (typeof parts[i] === 'string') {
        out += parts[i];
        return;
      }
      const start = out.length;
      out += encodePathSegment(toText(value));
      spans.push([start, out.length]);
    });
    checkSegments(out, spans);
    return out;
  });
}

// `.`, `..` and their percent-encoded forms at any depth (`%2e`, `%252E`):
// one decoding on the way (a proxy, a framework) must not make a dot segment.
const DOT_SEGMENT = /^(?:\.|%(?:25)*2e){1,2}$/i;

/**
 * Refuses a path segment an expression made empty (`/users//orders`) or a
 * dot segment (`.`, `..`, also when a literal `.` and a value meet, or the
 * value is `%2e%2e`). Sent, servers and proxies that normalise URLs (RFC
 * 3986 §5.2.4 remove_dot_segments, merged slashes) would turn
 * `/users/{{ id }}/orders` into `/orders` or `/users/orders`: another
 * resource than the author wrote, reached by a user's value. Encoding alone
 * does not help: `%2E%2E` is itself read as `..` by such servers. Segments
 * that are only literal text are the author's choice and stay as written.
 * Encoded expression text holds no `/`, `?` or `#`, so splitting the
 * rendered path at those finds the segments exactly.
 */
function checkSegments(path: string, spans: readonly (readonly [number, number])[]): void {
  const end = path.search(/[?#]/);
  const pathEnd = end === -1 ? path.length : end;
  let start = path.startsWith('/') ? 1 : 0;
  for (let n = 1; start <= pathEnd; n++) {
    const slash = path.indexOf('/', start);
    const stop = slash === -1 || slash > pathEnd ? pathEnd : slash;
    if (spans.some(([a, b]) => a >= start && b <= stop)) {
      const segment = path.slice(start, stop);
      if (segment === '') throw new InvalidRequestError(`path segment ${n} is empty`);
      if (DOT_SEGMENT.test(segment))
        throw new InvalidRequestError(
          `path segment ${n} is a dot segment ("." or ".."), which servers resolve against the path`,
        );
    }
    start = stop + 1;
  }
}

/** name → value lists as repeated pairs; null leaves a name out, a list repeats it. */
function pairs(entries: RequestPlan['query'], scope: Scope): Pending<[string, string][]> {
  return andThen(
    inOrder(entries, ([, compiled]) => evaluate(compiled, scope)),
    (values) => {
      const out: [string, string][] = [];
      entries.forEach(([name], i) => pushPairs(out, name, values[i]));
      return out;
    },
  );
}

function pushPairs(out: [string, string][], name: string, value: unknown): void {
  for (const item of Array.isArray(value) ? value : [value]) {
    if (item !== null && item !== undefined) out.push([name, toText(item)]);
  }
}

// What a header value may hold (RFC 9110 §5.5 field-value, as undici and
// node:http check it): tab, visible ASCII, space, and obs-text 0x80–0xFF.
// Anything else (CR, LF, NUL, a character past Latin-1) makes undici throw,
// which would be reported as a `network` failure of the upstream.
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

function headers(plan: RequestPlan, scope: Scope): Pending<Record<string, string>> {
  const texts = inOrder(plan.headers, ([name, compiled]) =>
    andThen(evaluate(compiled, scope), (value) => headerText(name, value)),
  );
  return andThen(texts, (list) => {
    const out: Record<string, string> = {};
    plan.headers.forEach(([name], i) => {
      const text = list[i];
      if (text !== null && text !== undefined) out[name] = text;
    });
    return out;
  });
}

/** A header's value as sent, null to leave it out. */
function headerText(name: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = toText(value);
  if (INVALID_HEADER_VALUE.test(text)) {
    throw new InvalidRequestError(
      `header ${name} has a character a header cannot carry (outside Latin-1, or a control character such as CR or LF)`,
    );
  }
  return text;
}

function renderBody(plan: RequestPlan, scope: Scope): Pending<RequestBody | null> {
  const body = plan.body;
  if (!body) return null;
  return andThen(evaluate(body.value, scope), (value): RequestBody => {
    if (body.kind === 'json') return { kind: 'json', value };
    if (body.kind === 'text') return { kind: 'text', value: toText(value) };
    const fields: [string, string][] = [];
    for (const [name, item] of Object.entries((value ?? {}) as Record<string, unknown>)) pushPairs(fields, name, item);
    return { kind: 'form', fields };
  });
}

/**
 * Same conversation, action, step and user turn → same key: a re-run of the
 * turn (a channel retrying, Rasa re-predicting) and a retry of the request
 * repeat it, so the API can recognise them. The step name keeps two calls
 * of one action apart (a hold, then a payment, to one API): with one key an
 * API that honours keys would answer the payment as a replay of the hold.
 */
function idempotencyKey(cx: RenderContext, step: StepPlan): string {
  const { method, connection } = step.request;
  return createHash('sha256')
    .update(`${cx.senderId}\0${cx.action}\0${step.name}\0${method}\0${connection}\0${cx.turnId()}`)
    .digest('base64url')
    .slice(0, 32);
}
