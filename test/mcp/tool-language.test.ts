// Which actions are MCP tools, and what validate says about them (docs/mcp.md):
// `mcp: { tools }`, `tool:` on an action, the warnings and the clash error.
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../runtime/compile/index.js';
import type { Diagnostic } from '../../runtime/config/index.js';
import { loadConfigText } from '../../runtime/config/index.js';

const BASE = `version: 1
connections:
  api:
    base_url: https://restaurants.example.com
`;

function compile(text: string): {
  tools: Record<string, { name: string; optional: readonly string[] } | null>;
  diagnostics: readonly Diagnostic[];
} {
  const { plan, diagnostics } = compilePlan(loadConfigText('actions.yml', BASE + text));
  const tools = Object.fromEntries([...(plan?.actions ?? new Map()).values()].map((a) => [a.name, a.tool]));
  return { tools, diagnostics: diagnostics.filter((d) => d.code !== 'SW_WARN_SLOT_NEVER_SET') };
}

const lookup = (name: string, extra = '') => `  ${name}:
${extra}    request: { connection: api, path: "/tables/{{ slots.restaurant_id }}", query: { at: "{{ slots.booking_time }}" } }
    slots: { has_table: "{{ response.body.free }}" }
`;

const validation = `  validate_party_size:
    validate:
      accept_when: "{{ value <= 20 }}"
`;

describe('which actions are tools', () => {
  it('by default every action but validation actions, named as the action, nothing optional, and no warning in a file that never mentions MCP', () => {
    const { tools, diagnostics } = compile(`actions:\n${lookup('find_table')}${validation}`);
    expect(tools).toEqual({ find_table: { name: 'find_table', optional: [] }, validate_party_size: null });
    expect(diagnostics).toEqual([]);
  });

  it('tool: false keeps one out; tool: true makes a validation action one; { name, optional } names it', () => {
    const { tools } = compile(`actions:
${lookup('find_table', '    tool: { name: check_table, optional: [booking_time] }\n    description: Whether a table is free.\n')}${lookup('audit', '    tool: false\n')}${validation.replace('    validate:', '    tool: true\n    validate:')}`);
    expect(tools).toEqual({
      find_table: { name: 'check_table', optional: ['booking_time'] },
      audit: null,
      validate_party_size: { name: 'validate_party_size', optional: [] },
    });
  });

  it('under mcp: { tools: marked } only actions with a tool: key', () => {
    const { tools } = compile(`mcp: { tools: marked }
actions:
${lookup('find_table', '    description: Whether a table is free.\n    tool: true\n')}${lookup('unmarked', '    description: Not a tool.\n')}`);
    expect(tools).toEqual({ find_table: { name: 'find_table', optional: [] }, unmarked: null });
  });
});

describe('what validate says about tools', () => {
  it('warns about a tool without a description once the file has an mcp: section or the action a tool: key', () => {
    const withSection = compile(`mcp: { tools: all }\nactions:\n${lookup('find_table')}`);
    expect(withSection.diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`)).toEqual([
      'SW_WARN_TOOL_NO_DESCRIPTION 7:3 action "find_table" is an MCP tool without a description',
    ]);
    const withKey = compile(`actions:\n${lookup('find_table', '    tool: { name: check_table }\n')}`);
    expect(withKey.diagnostics.map((d) => d.code)).toEqual(['SW_WARN_TOOL_NO_DESCRIPTION']);
  });

  it('warns about an optional parameter the action does not read, listing the ones it does', () => {
    const { diagnostics } = compile(
      `actions:\n${lookup('find_table', '    description: Whether a table is free.\n    tool: { optional: [time] }\n')}`,
    );
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: 'SW_WARN_TOOL_OPTIONAL',
      line: 8,
      col: 24,
      message: 'tool.optional lists "time", a slot action "find_table" does not read',
      hint: 'Parameters are the slots the action reads; remove it or fix the name. Slots read: restaurant_id, booking_time.',
    });
  });

  it("refuses a tool name that is not one, with the schema's error at it", () => {
    const { diagnostics } = compile(`actions:\n${lookup('find_table', '    tool: { name: "find table!" }\n')}`);
    expect(diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual(['SW_SCHEMA_VALUE 7:19']);
  });
});
