/**
 * The MCP front-end (docs/mcp.md): the engine's actions as MCP tools, with the
 * official SDK's low-level `Server` (the high-level `McpServer` wants zod
 * schemas; ours are JSON Schemas derived from the compiled actions). A tool
 * call runs the action with its arguments as slot values, exactly as the
 * webhook runs it for Rasa: same outcomes, same deadlines, same state.
 * Transports are the callers': Streamable HTTP (http.ts, `serve --mcp`) and
 * stdio (`slotwire mcp`).
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ActionInfo, Engine, EngineLogger, RunResult } from '../engine/index.js';
import { toolSpec } from './schemas.js';
import type { SlotTypes, ToolSpec } from './schemas.js';
import { echoed } from '../errors/index.js';

/** Options of {@link createMcpFront}. */
export interface McpFrontOptions {
  readonly engine: Pick<Engine, 'actions' | 'run' | 'onReload'>;
  /** This package's version, told to clients. */
  readonly version: string;
  /** Parameter types (schemas.ts). Default: none (any JSON value) */
  readonly slotTypes?: SlotTypes;
  /** One line per tool call. Default: none */
  readonly logger?: Pick<EngineLogger, 'info' | 'warn'>;
}

/** The tools of an engine, served to any number of MCP sessions. */
export interface McpFront {
  /** A new server for one session or transport; it follows reloads (`notifications/tools/list_changed`). */
  server(): Server;
  /** The tools served now. */
  tools(): readonly ToolSpec[];
  /** Stops following reloads and closes every server. */
  close(): Promise<void>;
}

/** Longest text content of a result; the structured content carries everything. */
const TEXT_LIMIT = 1000;

/** Builds the front-end; tools are read from the engine at each request, so reloads show at once. */
export function createMcpFront(options: McpFrontOptions): McpFront {
  const { engine, version, logger } = options;
  const slotTypes = options.slotTypes ?? (() => null);
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validators = new WeakMap<ToolSpec, ValidateFunction>();
  let listed: readonly ActionInfo[] | null = null;
  let catalogue: readonly ToolSpec[] = [];
  /** The tools by name, each with its action's `sensitive:` slots (masked in the text of a result). */
  let byName = new Map<string, { readonly spec: ToolSpec; readonly sensitive: ReadonlySet<string> }>();
  const servers = new Set<Server>();

  /** The tools of the version served now; recomputed only when a reload swapped the action list. */
  const tools = (): readonly ToolSpec[] => {
    const actions = engine.actions();
    if (actions !== listed) {
      listed = actions;
      const served = actions.filter((a) => a.tool !== null);
      catalogue = served.map((a) => toolSpec(a, slotTypes));
      byName = new Map(
        catalogue.map((spec, i) => [spec.tool.name, { spec, sensitive: new Set(served[i]?.sensitiveSlots) }]),
      );
    }
    return catalogue;
  };
  const validatorOf = (spec: ToolSpec): ValidateFunction => {
    let validate = validators.get(spec);
    if (validate === undefined) {
      validate = ajv.compile(spec.tool.inputSchema);
      validators.set(spec, validate);
    }
    return validate;
  };

  const unsubscribe = engine.onReload((event) => {
    if (!event.ok || !event.changed) return;
    for (const server of servers) server.sendToolListChanged().catch(() => undefined);
  });

  const call = async (name: string, args: Record<string, unknown>): Promise<CallToolResult> => {
    const served = tools();
    const entry = byName.get(name);
    // An unknown tool is a protocol error (the client asked for something that is not listed), not a tool failure.
    if (entry === undefined)
      throw new McpError(
        ErrorCode.InvalidParams,
        `unknown tool "${echoed(name)}"; tools: ${served.map((t) => t.tool.name).join(', ') || 'none'}`,
      );
    const { spec, sensitive } = entry;
    const validate = validatorOf(spec);
    if (!validate(args)) {
      // A tool error, not a protocol error: the caller (often a model) can read it and call again.
      return { isError: true, content: [{ type: 'text', text: argumentProblems(spec, args, validate.errors ?? []) }] };
    }
    const started = performance.now();
    const result = await engine.run(spec.action, { slots: args });
    const answer = resultOf(result, sensitive);
    logger?.info(
      {
        tool: name,
        action: spec.action,
        outcome: outcomeLabel(result),
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      },
      'mcp tool call',
    );
    return answer;
  };

  return {
    server() {
      const server = new Server({ name: 'slotwire', version }, { capabilities: { tools: { listChanged: true } } });
      server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools().map((t) => t.tool) }));
      server.setRequestHandler(CallToolRequestSchema, (request) =>
        call(request.params.name, request.params.arguments ?? {}),
      );
      servers.add(server);
      server.onclose = () => servers.delete(server);
      return server;
    },
    tools,
    async close() {
      unsubscribe();
      await Promise.all([...servers].map((s) => s.close().catch(() => undefined)));
      servers.clear();
    },
  };
}

/** A run as a tool result: the slots set, the outcome and the messages, and a line for people. */
function resultOf(result: RunResult, sensitive: ReadonlySet<string>): CallToolResult {
  const slots: Record<string, unknown> = {};
  for (const e of result.events) if (e.event === 'slot') slots[e.name] = e.value;
  const { outcome } = result;
  const structured = {
    slots,
    outcome:
      outcome.status === 'ok'
        ? { status: 'ok' }
        : outcome.status === 'error'
          ? {
              status: 'error',
              error: {
                kind: outcome.error.kind,
                reason: outcome.error.reason,
                status: outcome.error.status ?? null,
                code: outcome.error.code,
                message: outcome.error.message,
              },
            }
          : outcome.status === 'rejected'
            ? { status: 'rejected', message: outcome.message }
            : {
                status: 'error',
                error: {
                  kind: 'network',
                  reason: null,
                  status: null,
                  code: 'SW_ACTION_NOT_SENT',
                  message: outcome.message,
                },
              },
    messages: result.responses,
  };
  return {
    isError: outcome.status !== 'ok',
    content: [{ type: 'text', text: summary(structured.outcome, slots, result.responses, sensitive) }],
    structuredContent: structured,
  };
}

/** `ok: has_availability=true; "We have a table at 19:00."`, sensitive slots as ***, bounded. */
function summary(
  outcome: { status: string; error?: { kind: string; code: string; message: string }; message?: string },
  slots: Record<string, unknown>,
  messages: readonly { text?: unknown }[],
  sensitive: ReadonlySet<string>,
): string {
  const set = Object.entries(slots).map(([k, v]) => `${k}=${sensitive.has(k) ? '***' : JSON.stringify(v)}`);
  const said = messages
    .map((m) => m.text)
    .filter((t): t is string => typeof t === 'string')
    .map((t) => JSON.stringify(t));
  const head =
    outcome.status === 'ok'
      ? 'ok'
      : outcome.error !== undefined
        ? `error: ${outcome.error.kind} (${outcome.error.code}): ${outcome.error.message}`
        : `rejected: ${outcome.message ?? ''}`;
  const text = [head, set.length > 0 ? `set ${set.join(', ')}` : '', said.length > 0 ? `said ${said.join(' ')}` : '']
    .filter(Boolean)
    .join('; ');
  return text.length > TEXT_LIMIT ? `${text.slice(0, TEXT_LIMIT - 1)}…` : text;
}

function outcomeLabel(result: RunResult): string {
  return result.outcome.status === 'error' ? result.outcome.error.kind : result.outcome.status;
}

/** Ajv's errors about arguments, one clause each, naming the argument. */
function argumentProblems(spec: ToolSpec, args: Record<string, unknown>, errors: readonly ErrorObject[]): string {
  const known = Object.keys(spec.tool.inputSchema['properties'] as Record<string, unknown>);
  const lines = errors.map((e) => {
    const argument = e.instancePath.split('/')[1] ?? '';
    const params = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required':
        return `missing required argument "${String(params['missingProperty'])}"`;
      case 'additionalProperties':
        return `unknown argument "${String(params['additionalProperty'])}"; ${spec.tool.name} takes ${known.join(', ') || 'no arguments'}`;
      case 'type':
        return `argument "${argument}" must be ${String(params['type']).replaceAll(',', ' or ')}, not ${describe(args[argument])}`;
      case 'enum':
        return `argument "${argument}" must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, not ${describe(args[argument])}`;
      default:
        return `argument "${argument}" ${e.message ?? 'is not valid'}`;
    }
  });
  return `invalid arguments for ${spec.tool.name}: ${[...new Set(lines)].join('; ')}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
