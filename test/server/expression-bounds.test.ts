/**
 * The bounds on expressions (docs/actions-yml.md#bounds) through real parts:
 * an actions.yml on disk, the action server on a loopback port, Rasa-shaped
 * webhook calls. Expressions that used to stall the process for seconds (or
 * kill it) end in their action's on_error outcome with kind `expression`, or
 * answer at once, while other webhook calls sent at the same time are
 * answered within 100 ms.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionServer, listen } from '../../runtime/index.js';
import type { ActionServer } from '../../runtime/index.js';
import type { ServerHandle } from '../../runtime/server/index.js';
import { expectOk, post, silent } from './helpers.js';

const actions = `version: 1
actions:
  greet:
    slots:
      greeting: "{{ 'Hello ' & slots.name }}"
  pad_bomb:
    slots:
      size: "{{ $length($pad('x', 200000000)) }}"
    on_error:
      slots:
        failure: "{{ error.kind }}"
        failure_message: "{{ error.message }}"
  pad_from_slot:
    slots:
      padded: "{{ $pad(slots.name, $number(slots.width)) }}"
    on_error:
      slots:
        failure: "{{ error.kind }}"
        failure_message: "{{ error.message }}"
  catastrophic_regex:
    slots:
      valid: "{{ $contains(slots.s, /^(a+)+$/) }}"
    on_error:
      slots:
        failure: "{{ error.kind }}"
        failure_message: "{{ error.message }}"
  shared_halves:
    slots:
      tree: "{{ $reduce([1..60], function($a, $i) { {'l': $a, 'r': $a} }, slots.name) }}"
    on_error:
      slots:
        failure: "{{ error.kind }}"
        failure_message: "{{ error.message }}"
`;

/** A webhook call as Rasa sends it, for an action, with these slots. */
function rasaCall(action: string, slots: Record<string, unknown>): Record<string, unknown> {
  return {
    next_action: action,
    sender_id: 'conv-12',
    version: '3.13.4',
    domain_digest: 'digest-12',
    tracker: {
      sender_id: 'conv-12',
      slots,
      latest_message: { text: 'hi', intent: { name: 'greet', confidence: 1 }, entities: [], metadata: {} },
      events: [],
      latest_action_name: 'action_listen',
      active_loop: {},
      paused: false,
    },
  };
}

/** Sends one call; resolves with its events and how long the answer took. */
async function timedCall(
  url: string,
  action: string,
  slots: Record<string, unknown>,
): Promise<{ events: Record<string, unknown>[]; ms: number }> {
  const started = performance.now();
  const body = await expectOk(await post(url, rasaCall(action, slots)));
  return { events: body.events, ms: performance.now() - started };
}

/** The slots an answer sets, by name. */
function slotsOf(events: readonly Record<string, unknown>[]): Record<string, unknown> {
  return Object.fromEntries(events.filter((e) => e['event'] === 'slot').map((e) => [e['name'], e['value']]));
}

let server: ActionServer;
let handle: ServerHandle;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'slotwire-bounds-'));
  await writeFile(join(dir, 'actions.yml'), actions);
  server = await createActionServer({ actionsFile: join(dir, 'actions.yml'), env: {}, logger: silent });
  handle = await listen(server.app, { port: 0, hostname: '127.0.0.1' });
  // Warm up the server and its JIT, so the timings below measure blocking, not a first call.
  for (let i = 0; i < 5; i++) await timedCall(handle.url, 'greet', { name: 'warm' });
});

afterAll(async () => {
  await handle.close();
  await server.close();
});

describe('expression bounds on a running server', () => {
  it("ends bombs in their on_error outcome with kind expression and the bound's code", async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['pad_bomb', {}, 'SW_EVAL_TOO_LARGE'],
      ['pad_from_slot', { name: 'x', width: '30000000' }, 'SW_EVAL_TOO_LARGE'],
      ['shared_halves', { name: 'leaf' }, 'SW_EVAL_TOO_LARGE'],
      // Over the regexInput bound (100 000 characters), RE2 is not asked to run at all.
      ['catastrophic_regex', { s: 'a'.repeat(200_000) }, 'SW_EVAL_REGEX_INPUT'],
    ];
    for (const [action, slots, code] of cases) {
      const { events, ms } = await timedCall(handle.url, action, slots);
      expect(slotsOf(events), action).toMatchObject({
        failure: 'expression',
        failure_message: expect.stringContaining(code),
      });
      expect(ms, action).toBeLessThan(1_000);
    }
  });

  it('answers the catastrophic regex itself at once, with the right value (RE2, linear time)', async () => {
    // 28 "a"s and a "!" blocked every request for 8 s before; 31 for over a minute.
    for (const n of [28, 31, 90_000]) {
      const { events, ms } = await timedCall(handle.url, 'catastrophic_regex', { s: `${'a'.repeat(n)}!` });
      expect(slotsOf(events)).toEqual({ valid: false });
      expect(ms, `${n} characters`).toBeLessThan(1_000);
    }
    expect(slotsOf((await timedCall(handle.url, 'catastrophic_regex', { s: 'aaaa' })).events)).toEqual({ valid: true });
  });

  it('keeps answering other webhook calls within 100 ms while bombs are sent at the same time', async () => {
    const bombs = [
      ['pad_bomb', {}],
      ['pad_from_slot', { name: 'x', width: '30000000' }],
      ['catastrophic_regex', { s: `${'a'.repeat(31)}!` }],
      ['catastrophic_regex', { s: `${'a'.repeat(90_000)}!` }],
      ['shared_halves', { name: 'leaf' }],
    ] as const;
    // Each round sends every bomb, then another call behind them, all at once: the other call is
    // answered only after the server has taken up the bombs ahead of it.
    const answers: { kind: 'bomb' | 'other'; events: Record<string, unknown>[]; ms: number }[] = [];
    for (let round = 0; round < 3; round++) {
      type Answer = (typeof answers)[number];
      const calls = bombs.map(([action, slots]) =>
        timedCall(handle.url, action, slots).then((r): Answer => ({ kind: 'bomb', ...r })),
      );
      calls.push(
        timedCall(handle.url, 'greet', { name: `user ${round}` }).then((r): Answer => ({ kind: 'other', ...r })),
      );
      answers.push(...(await Promise.all(calls)));
    }
    const others = answers.filter((a) => a.kind === 'other');
    expect(others).toHaveLength(3);
    for (const other of others) expect(slotsOf(other.events)['greeting']).toMatch(/^Hello user \d$/);
    const latencies = others.map((o) => Math.round(o.ms));
    expect(Math.max(...latencies), `latencies in ms: ${latencies.join(', ')}`).toBeLessThan(100);
    for (const bomb of answers.filter((a) => a.kind === 'bomb')) {
      const slots = slotsOf(bomb.events);
      expect(slots['failure'] === 'expression' || slots['valid'] === false, JSON.stringify(slots)).toBe(true);
    }
  });
});
