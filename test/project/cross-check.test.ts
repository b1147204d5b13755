import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../runtime/compile/index.js';
import { loadConfigText } from '../../runtime/config/index.js';
import { crossCheck, loadFlowConditions } from '../../runtime/project/index.js';
import type { FlowCondition, ProjectDomain } from '../../runtime/project/index.js';
import { runCli } from '../cli/run-cli.js';

const project = fileURLToPath(new URL('../cases/project/', import.meta.url));

describe('slotwire validate --project (Rasa project cross-check)', () => {
  it('catches a misspelt slot, wrong literal types and an unknown response, at their positions', async () => {
    const r = await runCli(['validate', `${project}actions.yml`, '--project', project, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as {
      diagnostics: { code: string; line: number; col: number; message: string; hint: string }[];
      branches: unknown[];
      actions_block: string | null;
      not_served: string[];
    };
    expect(report.diagnostics).toMatchObject([
      {
        code: 'SW_DOMAIN_UNKNOWN_SLOT',
        line: 11,
        col: 7,
        hint: expect.stringContaining('Did you mean "has_availability"?'),
      },
      { code: 'SW_DOMAIN_SLOT_TYPE', line: 15, col: 27, message: expect.stringContaining('bool') },
      { code: 'SW_DOMAIN_SLOT_TYPE', line: 16, col: 24, message: expect.stringContaining('categorical') },
      { code: 'SW_DOMAIN_UNKNOWN_RESPONSE', line: 18, col: 21 },
      { code: 'SW_WARN_ACTION_NOT_IN_DOMAIN', line: 19, col: 3 },
    ]);
    expect(report.branches).toMatchObject([
      { flow: 'restaurant_booking', slot: 'has_availability', setBy: ['check_restaurant_availability'] },
    ]);
    expect(report.not_served).toEqual(['action_other_server']);
    // The domain lists check_restaurant_availability already: only what it lacks is to paste.
    expect(report.actions_block).toBe('actions:\n  - validate_party_size');
  });

  it('prints the block to paste with only the actions the domain lacks, and no block when it lists them all', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-paste-'));
    await writeFile(
      join(dir, 'actions.yml'),
      'version: 1\nactions:\n  action_listed:\n    slots: { a: 1 }\n  action_new:\n    slots: { a: 2 }\n',
    );
    const validate = async (listed: string) => {
      await writeFile(join(dir, 'domain.yml'), `slots:\n  a: { type: float }\nactions: [${listed}]\n`);
      return runCli(['validate', join(dir, 'actions.yml'), '--project', dir]);
    };
    const one = await validate('action_listed');
    expect(one.code).toBe(0);
    expect(one.out).toContain('Paste into the domain:\nactions:\n  - action_new\n');
    expect(one.out).not.toContain('- action_listed');
    const all = await validate('action_listed, action_new');
    expect(all.code).toBe(0);
    expect(all.out).not.toContain('Paste into the domain');
    expect(all.out).not.toContain('actions:');
    const json = await runCli(['validate', join(dir, 'actions.yml'), '--project', dir, '--format', 'json']);
    expect(JSON.parse(json.out)).toMatchObject({ ok: true, actions_block: null });
  });

  it('reads a domain split over several files with --domain', async () => {
    const r = await runCli(['validate', `${project}actions.yml`, '--domain', `${project}domain`, '--format', 'json']);
    const codes = (JSON.parse(r.out) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
    expect(codes).toContain('SW_DOMAIN_UNKNOWN_SLOT');
    expect(codes).toContain('SW_DOMAIN_UNKNOWN_RESPONSE');
  });

  it('reports a project folder without a domain as a diagnostic, not a crash', async () => {
    const r = await runCli(['validate', `${project}actions.yml`, '--project', `${project}data`, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).diagnostics).toMatchObject([{ code: 'SW_DOMAIN_FILE' }]);
  });
});

describe('slots read and branched on', () => {
  const text = [
    'version: 1',
    'connections:',
    '  shop: { base_url: https://shop.example.com }',
    'actions:',
    '  check_order:',
    '    request:',
    '      connection: shop',
    '      path: /orders/{{ slots.ordr_id }}',
    '    slots:',
    '      order_status: "{{ response.body.status }}"',
  ].join('\n');
  const slot = (mappings: string[] | null) => ({ type: 'text', values: [], mappings });
  const domain: ProjectDomain = {
    files: ['domain.yml'],
    slots: new Map([
      ['order_id', slot(['from_llm'])],
      ['order_status', slot(['controlled'])],
      ['refund_ok', slot(['controlled'])],
    ]),
    actions: ['check_order'],
    responses: new Set(),
    forms: new Set(),
  };
  const flow = (name: string, line: number): FlowCondition => ({
    file: 'flows.yml',
    flow: 'orders',
    slot: name,
    condition: `slots.${name}`,
    line,
    col: 17,
  });

  it('reports a slot read that is not in the domain where it is read, with the closest slot', () => {
    const loaded = loadConfigText('actions.yml', text);
    const check = crossCheck(loaded.config!, loaded.source!, domain, []);
    expect(check.diagnostics).toMatchObject([
      {
        code: 'SW_DOMAIN_UNKNOWN_SLOT',
        severity: 'error',
        file: 'actions.yml',
        line: 8,
        col: 30,
        hint: expect.stringContaining('"order_id"'),
      },
    ]);
  });

  it('reports flow conditions on slots the domain lacks (error) or that only an absent action fills (warning)', () => {
    const loaded = loadConfigText('actions.yml', text.replace('ordr_id', 'order_id'));
    const check = crossCheck(loaded.config!, loaded.source!, domain, [
      flow('order_status', 3),
      flow('refund_ok', 5),
      flow('ordr_id', 7),
      flow('order_id', 9),
    ]);
    expect(check.diagnostics).toMatchObject([
      { code: 'SW_WARN_FLOW_SLOT_UNSET', file: 'flows.yml', line: 5, col: 17 },
      { code: 'SW_DOMAIN_FLOW_SLOT', severity: 'error', file: 'flows.yml', line: 7, col: 17 },
    ]);
  });

  it('places flow conditions at the slot name in the flow file', async () => {
    const flows = await loadFlowConditions([`${project}data/flows`]);
    expect(flows).toMatchObject([{ flow: 'restaurant_booking', slot: 'has_availability', line: 10, col: 23 }]);
  });

  it('fails validate --domain for a misspelt slot in a request path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-reads-'));
    await writeFile(join(dir, 'actions.yml'), text);
    await writeFile(
      join(dir, 'domain.yml'),
      'slots:\n  order_id: { type: text }\n  order_status: { type: text }\nactions: [check_order]\n',
    );
    const r = await runCli([
      'validate',
      join(dir, 'actions.yml'),
      '--domain',
      join(dir, 'domain.yml'),
      '--format',
      'json',
    ]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).diagnostics).toContainEqual(
      expect.objectContaining({ code: 'SW_DOMAIN_UNKNOWN_SLOT', severity: 'error', line: 8, col: 30 }),
    );
  });
});

describe('did-you-mean against a domain with mistakes of its own', () => {
  it('suggests a slot and a response the domain declares wrongly: declared is known', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-known-'));
    await writeFile(
      join(dir, 'actions.yml'),
      'version: 1\nactions:\n  check_order:\n    slots: { ordr_id: x }\n    responses:\n      - response: utter_checkin\n',
    );
    await writeFile(
      join(dir, 'domain.yml'),
      'slots:\n  order_id: { type: 7, mappings: oops }\nresponses:\n  utter_checking: 5\nactions: [check_order]\n',
    );
    const r = await runCli(['validate', join(dir, 'actions.yml'), '--project', dir, '--format', 'json']);
    expect(JSON.parse(r.out).diagnostics).toMatchObject([
      { code: 'SW_DOMAIN_UNKNOWN_SLOT', line: 4, col: 14, hint: expect.stringContaining('Did you mean "order_id"?') },
      {
        code: 'SW_DOMAIN_UNKNOWN_RESPONSE',
        line: 6,
        col: 19,
        hint: expect.stringContaining('Did you mean "utter_checking"?'),
      },
    ]);
  });
});

describe('slots read without a domain', () => {
  it('warns once at the first read of a slot no action sets and no test gives', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-reads-'));
    const file = join(dir, 'actions.yml');
    await writeFile(
      file,
      'version: 1\nactions:\n  a:\n    slots:\n      x: "{{ slots.given & slots.ordr_id & slots.ordr_id & slots.x }}"\n',
    );
    await writeFile(join(dir, 'actions.test.yml'), 'tests:\n  - name: t\n    action: a\n    slots: { given: 1 }\n');
    const { diagnostics } = await loadPlan(file);
    expect(diagnostics).toMatchObject([{ code: 'SW_WARN_SLOT_NEVER_SET', severity: 'warning', line: 5, col: 34 }]);
  });
});

describe('progress: responses', () => {
  it('reports a progress response the domain does not have, with a suggestion, and accepts one it has', () => {
    const text = [
      'version: 1',
      'connections:',
      '  hotel: { base_url: https://hotel.example.com }',
      'actions:',
      '  check_availability:',
      '    request: { connection: hotel, path: /availability }',
      '    progress:',
      '      - { after: 1s, response: utter_checkin }',
      '      - { after: 3s, response: utter_checking }',
    ].join('\n');
    const loaded = loadConfigText('actions.yml', text);
    const domain: ProjectDomain = {
      files: ['domain.yml'],
      slots: new Map(),
      actions: ['check_availability'],
      responses: new Set(['utter_checking']),
      forms: new Set(),
    };
    const { diagnostics } = crossCheck(loaded.config!, loaded.source!, domain, []);
    expect(diagnostics).toMatchObject([
      {
        code: 'SW_DOMAIN_UNKNOWN_RESPONSE',
        line: 8,
        col: 32,
        hint: expect.stringContaining('Did you mean "utter_checking"?'),
      },
    ]);
  });
});
