/**
 * "Compile everything once": the number of JSONata compilations does not
 * move across 1 000 webhook calls.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const counter = vi.hoisted(() => ({ compiles: 0 }));

vi.mock('jsonata', async (importOriginal) => {
  const actual = await importOriginal<{ default: (...args: unknown[]) => unknown }>();
  const counted = (...args: unknown[]) => {
    counter.compiles++;
    return actual.default(...args);
  };
  return { default: counted };
});

const { createActionServer } = await import('../../runtime/index.js');
const { silent } = await import('../server/helpers.js');

const actions = `version: 1
actions:
  summarize:
    slots:
      plain_path: "{{ slots.city }}"
      through_a_list: "{{ slots.items.name }}"
      computed: "{{ $sum(slots.items.price) * 1.19 }}"
      text: "{{ $count(slots.items) }} items in {{ $uppercase(slots.city) }}"
    responses:
      - text: "Total {{ $round($sum(slots.items.price), 2) }}"
        when: "{{ $count(slots.items) > 0 }}"
`;

describe('compiled once', () => {
  it('compiles no JSONata per request across 1 000 webhook calls', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-once-'));
    await writeFile(join(dir, 'actions.yml'), actions);
    const server = await createActionServer({ actionsFile: join(dir, 'actions.yml'), logger: silent });
    const body = JSON.stringify({
      next_action: 'summarize',
      sender_id: 's',
      tracker: {
        sender_id: 's',
        slots: {
          city: 'Rome',
          items: [
            { name: 'a', price: 1 },
            { name: 'b', price: 2 },
          ],
        },
      },
    });
    const call = async () => {
      const res = await server.app.request('/webhook', { method: 'POST', body });
      expect(res.status).toBe(200);
      return (await res.json()) as { events: { name: string; value: unknown }[] };
    };
    const first = await call();
    expect(first.events.map((e) => [e.name, e.value])).toEqual([
      ['plain_path', 'Rome'],
      ['through_a_list', ['a', 'b']],
      ['computed', 3.57],
      ['text', '2 items in ROME'],
    ]);
    // After the first call: the compile-time expressions, plus the one list
    // fallback of a plain path, compiled on first use and kept by the plan.
    const afterFirst = counter.compiles;
    expect(afterFirst).toBeGreaterThan(0);
    for (let i = 0; i < 1_000; i++) await call();
    expect(counter.compiles).toBe(afterFirst);
    await server.close();
  });
});
