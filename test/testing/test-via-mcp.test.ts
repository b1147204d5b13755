import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

/** Each case's line of `slotwire test` output, by case name: ✓, ✗ or - (skipped), with the text after the name. */
function caseLines(out: string): Map<string, { mark: string; rest: string }> {
  const lines = new Map<string, { mark: string; rest: string }>();
  for (const line of out.split('\n')) {
    const m = /^ {2}([✓✗-]) (.+?)( \(\d+ ms\)| {2}\(.+:\d+\)| \(skipped: .+\))$/.exec(line);
    if (m) lines.set(m[2], { mark: m[1], rest: m[3] });
  }
  return lines;
}

/** The failure text printed under each failed case, by case name. */
function failureText(out: string, name: string): string {
  const lines = out.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`  ✗ ${name}  (`));
  const rest = lines.slice(at + 1);
  const end = rest.findIndex((l) => !l.startsWith('      '));
  return rest.slice(0, end === -1 ? undefined : end).join('\n');
}

function summary(out: string): string {
  return out.trim().split('\n').at(-1) ?? '';
}

describe('slotwire test --mcp on the examples', () => {
  it('agrees with the webhook path on every crm case it can express, and skips the ones expecting error.step', async () => {
    const direct = await runCli(['test', 'examples/crm/actions.test.yml']);
    expect(summary(direct.out)).toBe('5 passed, 0 failed');
    const mcp = await runCli(['test', '--mcp', 'examples/crm/actions.test.yml']);
    expect(mcp.code).toBe(0);
    expect(summary(mcp.out)).toBe('3 passed, 0 failed, 2 skipped');
    expect(mcp.out).toContain(
      "  - a failing step of the parallel group is the outcome, named by step (skipped: expect.error.step: a tool result's error does not name the step)",
    );
  });

  it('skips every case of validation actions with the reason, and skipped alone exits 0', async () => {
    const r = await runCli(['test', '--mcp', 'examples/validation/actions.test.yml']);
    expect(r.code).toBe(0);
    expect(summary(r.out)).toBe('0 passed, 0 failed, 8 skipped');
    expect(r.out).toContain(
      '  - a party of 4 is accepted (skipped: not an MCP tool (tool: false, or a validation action))',
    );
  });

  // Each case that passes as Rasa calls it passes as a tool call too, or is
  // skipped with a reason (the examples declare the parameters their cases
  // leave out as tool: { optional: … }).
  for (const example of ['restaurant', 'weather', 'code-action', 'mcp-booking']) {
    it(`runs examples/${example} both ways, and every case agrees or is skipped with a reason`, async () => {
      const file = `examples/${example}/actions.test.yml`;
      const direct = await runCli(['test', file]);
      expect(direct.code).toBe(0);
      const viaRasa = caseLines(direct.out);
      const mcp = await runCli(['test', '--mcp', file]);
      const viaMcp = caseLines(mcp.out);
      expect([...viaMcp.keys()]).toEqual([...viaRasa.keys()]);
      let passed = 0;
      for (const [name, line] of viaMcp) {
        expect(viaRasa.get(name)?.mark).toBe('✓');
        if (line.mark === '✓') passed++;
        else expect(line.rest).toMatch(/^ \(skipped: .+\)$/);
      }
      expect(passed).toBeGreaterThan(0);
      expect(mcp.code).toBe(0);
      expect(summary(mcp.out)).toBe(`${passed} passed, 0 failed, ${viaMcp.size - passed} skipped`);
    });
  }

  it('reports the restaurant booking case, which reads the user turn, as skipped with its reason', async () => {
    const r = await runCli(['test', '--mcp', 'examples/restaurant/actions.test.yml']);
    expect(r.out).toContain(
      '  - booking posts the party as a number and keeps the reference (skipped: the action reads the message (or the user turn), which a tool call does not give)',
    );
    expect(caseLines(r.out).get('a free table sets has_availability and the times around it')?.mark).toBe('✓');
  });
});

let dir: string;

const actions = `version: 1
connections:
  api: { base_url: "\${API_URL}" }
actions:
  check_order:
    description: The status of an order.
    request: { connection: api, path: "/orders/{{ slots.order_id }}", query: { lang: "{{ slots.lang }}" } }
    slots:
      order_status: "{{ response.body.status }}"
    responses:
      - text: "Order {{ slots.order_id }} is {{ response.body.status }}."
    events:
      - event: followup
        name: action_listen
    on_error:
      slots: { order_status: null }
  greet_sender:
    description: Says hello to the conversation.
    request: { connection: api, path: "/hello/{{ sender_id }}" }
  admin_reset:
    tool: false
    request: { connection: api, method: POST, path: /reset }
`;

const order = (expectText: string, extra = '') => `    action: check_order
    slots: { order_id: "007", lang: en, customer: Ann }
    http:
      - path: /orders/007
        query: { lang: en }
        reply: { json: { status: shipped } }
    expect:
${expectText}${extra}`;

const cases = `tests:
  - name: right
${order(`      slots: { order_status: shipped }
      responses: [{ text: Order 007 is shipped. }]
      requests: [{ method: GET, path: /orders/007, query: { lang: en } }]
`)}
  - name: wrong slot
${order(`      slots: { order_status: delivered }
`)}
  - name: wrong request
${order(`      requests: [{ path: /orders/008 }]
`)}
  - name: with events
${order(`      events: [{ event: followup }]
`)}
  - name: missing argument
    action: check_order
    slots: { lang: en }
    expect:
      slots: { order_status: shipped }
  - name: not a tool
    action: admin_reset
    http: [{ method: POST, path: /reset, reply: { status: 204 } }]
  - name: reads the sender
    action: greet_sender
    http: [{ path: /hello/slotwire-test, reply: { json: {} } }]
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slotwire-test-mcp-'));
  await writeFile(join(dir, 'actions.yml'), actions);
  await writeFile(join(dir, 'cases.test.yml'), cases);
  // The tools' types come from the cases' values: order_status given as a number makes the action's string not fit the output schema.
  await writeFile(
    join(dir, 'typed.test.yml'),
    `tests:\n  - name: typed by usage\n${order('      slots: { order_status: shipped }\n').replace('customer: Ann', 'order_status: 5')}`,
  );
});

describe('slotwire test --mcp, case by case', () => {
  it('passes a case whose slots, messages and requests match, through a real MCP session', async () => {
    const r = await runCli(['test', '--mcp', join(dir, 'cases.test.yml')]);
    expect(caseLines(r.out).get('right')?.mark).toBe('✓');
  });

  it('fails a wrong expectation with the same diff as the webhook path, and exits 1', async () => {
    const mcp = await runCli(['test', '--mcp', join(dir, 'cases.test.yml')]);
    const direct = await runCli(['test', join(dir, 'cases.test.yml')]);
    expect(mcp.code).toBe(1);
    expect(failureText(mcp.out, 'wrong slot')).toBe(
      '      slot order_status\n        - expected: "delivered"\n        + actual:   "shipped"',
    );
    expect(failureText(mcp.out, 'wrong slot')).toBe(failureText(direct.out, 'wrong slot'));
    // The calls come from the engine the front-end runs, so `requests` are checked as well.
    expect(failureText(mcp.out, 'wrong request')).toContain('request 1');
    expect(failureText(mcp.out, 'wrong request')).toBe(failureText(direct.out, 'wrong request'));
  });

  it("fails a call the tool refuses as arguments, showing the tool's text", async () => {
    const r = await runCli(['test', '--mcp', join(dir, 'cases.test.yml')]);
    expect(failureText(r.out, 'missing argument')).toBe(
      '      the tool call failed before the action ran: invalid arguments for check_order: missing required argument "order_id"',
    );
  });

  it('skips a tool: false action, expected events and an action that reads sender_id, each with its reason', async () => {
    const r = await runCli(['test', '--mcp', join(dir, 'cases.test.yml')]);
    const lines = caseLines(r.out);
    expect(lines.get('not a tool')).toEqual({
      mark: '-',
      rest: ' (skipped: not an MCP tool (tool: false, or a validation action))',
    });
    expect(lines.get('with events')).toEqual({
      mark: '-',
      rest: ' (skipped: expect.events: a tool result carries slots and messages, no other events)',
    });
    expect(lines.get('reads the sender')?.rest).toBe(
      " (skipped: the action reads the tracker's sender_id, which a tool call does not give)",
    );
    expect(summary(r.out)).toBe('1 passed, 3 failed, 3 skipped');
  });

  it("fails a result the SDK client finds outside the tool's output schema, with the client's message", async () => {
    const r = await runCli(['test', '--mcp', join(dir, 'typed.test.yml')]);
    expect(r.code).toBe(1);
    expect(failureText(r.out, 'typed by usage')).toMatch(
      /^ {6}MCP error -32602: Structured content does not match the tool's output schema/,
    );
    // The webhook path has no output schema: the same case passes there.
    expect(summary((await runCli(['test', join(dir, 'typed.test.yml')])).out)).toBe('1 passed, 0 failed');
  });

  it('keeps the summary line without a skipped count when --mcp is not given', async () => {
    const r = await runCli(['test', join(dir, 'cases.test.yml')]);
    expect(summary(r.out)).toMatch(/^\d+ passed, \d+ failed$/);
    expect(r.out).not.toContain('skipped');
  });

  it('lists --mcp in the usage, and refuses it with --record', async () => {
    expect((await runCli(['test', '--help'])).out).toContain('--mcp');
    const r = await runCli(['test', '--mcp', '--record', join(dir, 'cases.test.yml')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--mcp');
  });
});
