/**
 * One action run as a person or a tool watches it: `slotwire run`, `test`
 * (with fixtures), `test --record` and `--live`, the authoring page and the
 * MCP test path. Every upstream call is collected in order; a call is held
 * back by one rule (nothing is sent, or only calls that read data); what
 * was sent is told apart from what was held; and the values to show as
 * `***` are gathered once: the connections' secrets and the values of the
 * action's `sensitive:` slots, given or set.
 */
import { SAFE_METHODS } from '../http/index.js';
import type { PreparedRequest } from '../http/index.js';
import type { CallRecord, Engine, RunInput, RunOptions, RunResult } from './types.js';

/**
 * Which calls a watched run sends: all of them; only those that read data
 * (GET, HEAD), holding a call that changes data (POST, PUT, PATCH, DELETE)
 * until someone confirms it; or none (a dry run).
 */
export type SendRule = 'all' | 'reads' | 'none';

/** Options of {@link watchedRun}. */
export interface WatchedRunOptions extends Omit<RunOptions, 'onCall' | 'hold'> {
  /** Default: `'all'` */
  readonly send?: SendRule;
  /**
   * Why a call was held, in the front-end's words (`add --yes to send it`,
   * `not sent until you confirm`). Default: `dry run` for `none`,
   * `<METHOD> changes data` for `reads`
   */
  readonly heldBecause?: (request: PreparedRequest) => string;
}

/** What a watched run did. */
export interface WatchedRun {
  readonly result: RunResult;
  /** Every call, in order, held ones included (they show what would have been sent). */
  readonly calls: readonly CallRecord[];
  /** The calls that reached the API or its cache. */
  readonly sent: readonly CallRecord[];
  /** Whether the rule held a call back (the run then stopped there and ran no outcome). */
  readonly held: boolean;
  /** The action's `sensitive:` slots. */
  readonly sensitive: readonly string[];
  /** The values to show as `***`: the connections' secrets, the sensitive slots' values given and set. */
  readonly hidden: ReadonlySet<string>;
}

/**
 * Runs `action` on `engine`, watched.
 * @example
 * const run = await watchedRun(engine, 'book_table', { slots: { party: 4 } }, { send: 'reads' });
 * for (const call of run.calls) console.log(call.request.method, call.outcome.exchange.url);
 * if (run.held) console.log('nothing that changes data was sent');
 */
export async function watchedRun(
  engine: Engine,
  action: string,
  input: RunInput,
  options: WatchedRunOptions = {},
): Promise<WatchedRun> {
  const { send = 'all', heldBecause, ...runOptions } = options;
  const calls: CallRecord[] = [];
  const hold = holdRule(send, heldBecause);
  const result = await engine.run(action, input, {
    ...runOptions,
    onCall: (call) => calls.push(call),
    ...(hold ? { hold } : {}),
  });
  const sensitive = engine.action(action)?.sensitiveSlots ?? [];
  const given = 'tracker' in input ? input.tracker.slots : (input.slots ?? {});
  return {
    result,
    calls,
    sent: sentCalls(calls),
    held: result.outcome.status === 'held',
    sensitive,
    hidden: new Set([...engine.secretValues(), ...sensitiveValues(sensitive, given, slotValues(result))]),
  };
}

/** The calls that reached the API (or its cache): a held call made no attempt. */
export function sentCalls(calls: readonly CallRecord[]): CallRecord[] {
  return calls.filter((call) => call.outcome.exchange.attempts > 0 || call.outcome.exchange.fromCache);
}

/** The slots a run set, by name (the last value of each). */
export function slotValues(run: RunResult): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of run.events)
    if (e.event === 'slot') out[(e as { name: string }).name] = (e as { value: unknown }).value;
  return out;
}

/**
 * The values of `sensitive` slots found in `slots`, as the text they become
 * in a request. Strings and numbers only: a boolean or null hides nothing.
 */
export function sensitiveValues(
  sensitive: readonly string[],
  ...slotMaps: readonly Readonly<Record<string, unknown>>[]
): Set<string> {
  const out = new Set<string>();
  for (const slots of slotMaps) {
    for (const name of sensitive) {
      const value = slots[name];
      if ((typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value)))
        out.add(String(value));
    }
  }
  return out;
}

function holdRule(
  send: SendRule,
  heldBecause: ((request: PreparedRequest) => string) | undefined,
): ((request: PreparedRequest) => string | null) | null {
  switch (send) {
    case 'all':
      return null;
    case 'none':
      return (request) => heldBecause?.(request) ?? 'dry run';
    case 'reads':
      return (request) =>
        SAFE_METHODS.has(request.method) ? null : (heldBecause?.(request) ?? `${request.method} changes data`);
  }
}
