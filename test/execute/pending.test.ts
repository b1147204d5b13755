// A mapping is synchronous unless something on its way waits:
// pending.ts keeps order and errors whichever way each value comes, and an
// outcome of fast-path expressions is built without a promise.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../runtime/compile/index.js';
import { applyOutcome } from '../../runtime/execute/outcome.js';
import { andThen, inOrder, isWaiting } from '../../runtime/execute/pending.js';

/** A value that really comes later: how much later decides the order the tests check. */
const later = <T>(value: T, ms = 5): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe('inOrder', () => {
  it('stays synchronous while every result is ready', () => {
    const seen: number[] = [];
    const out = inOrder([1, 2, 3], (n) => (seen.push(n), n * 2));
    expect(isWaiting(out)).toBe(false);
    expect(out).toEqual([2, 4, 6]);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('turns into a promise at the first that waits, and starts each item after the one before', async () => {
    const log: string[] = [];
    const out = inOrder([1, 2, 3], (n) => {
      log.push(`start ${n}`);
      if (n === 1) return n;
      return later(n * 10, n === 2 ? 20 : 1).then((v) => (log.push(`end ${n}`), v));
    });
    expect(isWaiting(out)).toBe(true);
    expect(await out).toEqual([1, 20, 30]);
    expect(log).toEqual(['start 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('throws at once for a ready item, and rejects after a waiting one', async () => {
    const boom = (): never => {
      throw new Error('boom');
    };
    expect(() => inOrder([1, 2], (n) => (n === 2 ? boom() : n))).toThrow('boom');
    await expect(inOrder([1, 2], (n) => (n === 1 ? later(n) : boom()))).rejects.toThrow('boom');
    await expect(andThen(later(1), boom)).rejects.toThrow('boom');
    expect(() => andThen(1, boom)).toThrow('boom');
  });
});

describe('applyOutcome', () => {
  const actionsYml = `version: 1
connections:
  api: { base_url: "http://127.0.0.1:9" }
actions:
  fast:
    request: { connection: api, path: /orders }
    slots:
      status: "{{ response.body.status }}"
      open: "{{ $count(response.body.items[state = 'open']) }}"
      times: "{{ [response.body.items.time] }}"
    responses:
      - text: "Your order is {{ response.body.status }}."
  slow:
    request: { connection: api, path: /orders }
    slots:
      status: "{{ response.body.status }}"
      open: "{{ $count(response.body.items[state = 'open']) }}"
      times: "{{ $map(response.body.items, function($i) { $i.time }) }}"
    responses:
      - text: "Your order is {{ $uppercase(response.body.status) ~> $lowercase() }}."
`;
  const scope = {
    response: {
      status: 200,
      headers: {},
      body: {
        status: 'shipped',
        items: [
          { state: 'open', time: '10:00' },
          { state: 'done', time: '11:00' },
        ],
      },
    },
  };
  const cx = { action: 'a', domain: null, logger: { info() {}, warn() {}, error() {} }, sensitive: new Set<string>() };

  it('builds an outcome of fast-path expressions synchronously, and the same outcome through JSONata as a promise', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-pending-'));
    await writeFile(join(dir, 'actions.yml'), actionsYml);
    const { plan, diagnostics } = await loadPlan(join(dir, 'actions.yml'));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const fast = applyOutcome(plan!.actions.get('fast')!.success, scope, cx);
    const slow = applyOutcome(plan!.actions.get('slow')!.success, scope, cx);
    expect(isWaiting(fast)).toBe(false);
    expect(isWaiting(slow)).toBe(true);
    // As JSON, what Rasa gets: JSONata's lists carry flags of their own.
    expect(JSON.stringify(await slow)).toBe(JSON.stringify(fast));
    expect(fast).toMatchObject({
      events: [
        { name: 'status', value: 'shipped' },
        { name: 'open', value: 1 },
        { name: 'times', value: ['10:00', '11:00'] },
      ],
      responses: [{ text: 'Your order is shipped.' }],
    });
  });
});
