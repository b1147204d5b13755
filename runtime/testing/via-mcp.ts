/**
 * `slotwire test --mcp` (docs/testing.md#through-the-mcp-front-end---mcp):
 * each case runs through the MCP front-end instead of Rasa's call, in a real
 * MCP session in process: the
 * official SDK's `Client`, linked to `createMcpFront`'s server by the SDK's
 * in-memory transport. The same fixtures answer the upstream calls and the
 * same expectations check the result, so one test file proves both
 * front-ends. A case MCP cannot express is skipped with the reason
 * (docs/testing.md, "Through the MCP front-end").
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { TrackerPart } from '../engine/index.js';
import type { TestCase } from '../config/index.js';
import { watchedRun } from '../engine/index.js';
import type { ActionError, ActionInfo, CallRecord, RunOutcome } from '../engine/index.js';
import { createMcpFront } from '../mcp/index.js';
import type { McpFrontOptions, SlotTypes, ToolSpec } from '../mcp/index.js';
import { slotSet } from '../rasa/index.js';
import type { BotMessage } from '../rasa/index.js';
import type { CaseRunner } from './run-tests.js';

/** Options of {@link mcpCaseRunner}. */
export interface McpCaseOptions {
  /** The version the server tells the client. */
  readonly version: string;
  /** The tools' parameter types, as `slotwire mcp` would serve them (docs/mcp.md). Default: none (any JSON value) */
  readonly slotTypes?: SlotTypes;
}

/** `structuredContent` of a tool result (mcp/front.ts), once the client checked it against the output schema. */
interface ToolResultContent {
  readonly slots: Record<string, unknown>;
  readonly outcome:
    | { readonly status: 'ok' }
    | { readonly status: 'error'; readonly error: Omit<ActionError, 'step'> }
    | { readonly status: 'rejected'; readonly message: string };
  readonly messages: BotMessage[];
}

/** Runs each case as a `tools/call` of the action's tool. */
export function mcpCaseRunner(options: McpCaseOptions): CaseRunner {
  return async (c, engine) => {
    const calls: CallRecord[] = [];
    // The front-end runs the engine itself; this view of it reports each run's calls, for `expect.requests`.
    const watched: McpFrontOptions['engine'] = {
      actions: () => engine.actions(),
      onReload: (listener) => engine.onReload(listener),
      run: async (action, input, runOptions) => {
        const run = await watchedRun(engine, action, input, runOptions);
        calls.push(...run.calls);
        return run.result;
      },
    };
    const front = createMcpFront({
      engine: watched,
      version: options.version,
      ...(options.slotTypes ? { slotTypes: options.slotTypes } : {}),
    });
    const client = new Client({ name: 'slotwire-test', version: options.version });
    try {
      const spec = front.tools().find((t) => t.action === c.action);
      if (spec === undefined) return { skipped: 'not an MCP tool (tool: false, or a validation action)' };
      const unsaid = inexpressible(c, engine.action(c.action) as ActionInfo);
      if (unsaid !== null) return { skipped: unsaid };
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await front.server().connect(serverSide);
      await client.connect(clientSide);
      // Listing the tools gives the client their output schemas, which it then checks each result against.
      await client.listTools();
      const result = await client.callTool({ name: spec.tool.name, arguments: argumentsOf(c, spec) });
      const content = result.structuredContent as ToolResultContent | undefined;
      if (content === undefined)
        return { failures: [`the tool call failed before the action ran: ${textOf(result.content)}`] };
      return {
        observed: {
          result: {
            events: Object.entries(content.slots).map(([name, value]) => slotSet(name, value)),
            responses: content.messages,
            outcome: outcomeOf(content),
            replayed: false,
          },
          calls,
        },
      };
    } catch (err) {
      // The client's own checks (a result that does not fit the output schema) and protocol errors fail the case.
      if (err instanceof McpError) return { failures: [err.message] };
      throw err;
    } finally {
      await client.close();
      await front.close();
    }
  };
}

/**
 * Why a case cannot be a tool call, or null. A call has only arguments
 * (slots): a case that gives the action something else it reads, or
 * expects what a result does not carry, would check something else.
 */
function inexpressible(c: TestCase, info: ActionInfo): string | null {
  const reads = (part: string): boolean =>
    info.trackerParts.includes(part as TrackerPart) || info.trackerParts.includes('*');
  if (c.message !== undefined && reads('latest_message'))
    return 'the action reads the message (or the user turn), which a tool call does not give';
  const given = Object.keys(c.tracker ?? {}).filter(reads);
  // Every case has a sender_id (slotwire-test); a tool call's is "slotwire".
  if (!given.includes('sender_id') && reads('sender_id')) given.push('sender_id');
  if (given.length > 0) return `the action reads the tracker's ${given.join(', ')}, which a tool call does not give`;
  // A domain also types the slots the action sets (docs/actions-yml.md#slots-and-the-domains-types); a tool call has none.
  const typed = Object.keys(c.domain?.['slots'] ?? {});
  if (c.domain !== undefined && (info.readsDomain || info.slotsSet.some((s) => typed.includes(s))))
    return 'the action reads the domain, or sets slots it types, and a tool call gives none';
  if (c.expect?.events !== undefined) return 'expect.events: a tool result carries slots and messages, no other events';
  if (c.expect?.error && 'step' in c.expect.error)
    return "expect.error.step: a tool result's error does not name the step";
  return null;
}

/**
 * The case's slots that are the tool's parameters, as Rasa's `call:` would
 * send them; the case's other slots are tracker context. A tool that reads
 * the slots as a whole (additionalProperties) takes them all.
 */
function argumentsOf(c: TestCase, spec: ToolSpec): Record<string, unknown> {
  const slots = c.slots ?? {};
  const schema = spec.tool.inputSchema;
  if (schema['additionalProperties'] === true) return { ...slots };
  const parameters = Object.keys(schema['properties'] as Record<string, unknown>);
  return Object.fromEntries(Object.entries(slots).filter(([name]) => parameters.includes(name)));
}

function outcomeOf(content: ToolResultContent): RunOutcome {
  const { outcome } = content;
  // A tool result's error carries no step; cases that expect one are skipped (inexpressible).
  if (outcome.status === 'error') return { status: 'error', error: { step: null, ...outcome.error } };
  return outcome;
}

function textOf(content: unknown): string {
  const blocks = Array.isArray(content) ? (content as { type?: unknown; text?: unknown }[]) : [];
  return (
    blocks
      .filter((b) => b.type === 'text')
      .map((b) => String(b.text))
      .join(' ') || '(no text)'
  );
}
