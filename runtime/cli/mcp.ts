/**
 * `slotwire mcp`: the actions as MCP tools over stdio, for desktop MCP
 * clients and local agents, which start the server as a child process.
 * stdout carries the protocol, so every log line and message goes to
 * stderr. It ends when the client closes stdin, or on SIGTERM/SIGINT.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import pino from 'pino';
import { ActionsFileError, createEngine } from '../engine/index.js';
import { createMcpFront } from '../mcp/index.js';
import { createLogger } from '../server/index.js';
import { parseCommandArgs, USAGE_EXIT, usageError } from './args.js';
import { reportActionsFileError } from './actions-file-error.js';
import { reportFlagFile } from './flag-file.js';
import type { Output } from './output.js';
import { packageVersion, toolSlotTypes } from './project.js';
import { logLevelOf } from './log-level.js';

export const mcpUsage: string = `Usage: slotwire mcp [options]

Serves the actions of an actions file as MCP tools over stdio (JSON-RPC on
stdin/stdout; logs on stderr), for desktop MCP clients and local agents:
  { "command": "npx", "args": ["slotwire", "mcp", "--actions", "/path/to/actions.yml"] }
Over HTTP, beside the webhook: slotwire serve --mcp. Which actions are tools
and how their parameters are typed: docs/mcp.md.

Options:
  --actions FILE          actions file (default: ./actions.yml)
  --domain PATH           the Rasa domain, for the tools' parameter types (repeatable)
  --project DIR           a Rasa project folder, for the same
  --auto-reload, --watch  reload the actions file when it changes and tell the
                          client (notifications/tools/list_changed)
  --log-level LEVEL       trace, debug, info, warn, error or silent (default: warn)

Environment: \${VAR} references in connections are read from the environment.`;

/** Serves until stdin closes or a signal comes; returns the exit code. */
export async function mcpCommand(args: readonly string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const parsed = parseCommandArgs(
    'mcp',
    {
      args: [...args],
      options: {
        actions: { type: 'string', default: 'actions.yml' },
        domain: { type: 'string', multiple: true },
        project: { type: 'string' },
        'auto-reload': { type: 'boolean', default: false },
        watch: { type: 'boolean', default: false },
        'log-level': { type: 'string', default: 'warn' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    io,
  );
  if (!parsed) return USAGE_EXIT;
  const { values } = parsed;
  if (values.help) {
    io.out(mcpUsage);
    return 0;
  }
  const level = logLevelOf(values['log-level']);
  if (typeof level !== 'string') return usageError(io, 'mcp', level.problem);
  let slotTypes;
  try {
    slotTypes = await toolSlotTypes(values.domain ?? [], values.project, values.actions);
  } catch (err) {
    return reportFlagFile(err, 'mcp', io);
  }
  // stdout is the protocol's: logs go to stderr, synchronously so none is lost at exit.
  const logger = createLogger({ level, destination: pino.destination({ dest: 2, sync: true }) });
  let engine;
  try {
    engine = await createEngine({
      actionsFile: values.actions,
      env,
      logger,
      autoReload: values['auto-reload'] || values.watch,
    });
  } catch (err) {
    if (!(err instanceof ActionsFileError)) throw err;
    await reportActionsFileError(err, values.actions, 'mcp', io);
    return 1;
  }
  const front = createMcpFront({ engine, version: packageVersion(), slotTypes, logger });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((done) => {
    transport.onclose = () => done();
    process.stdin.once('end', () => done());
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => done());
  });
  await front.server().connect(transport);
  logger.info({ actions: values.actions, tools: front.tools().length }, 'serving MCP over stdio');
  await closed;
  await front.close();
  await engine.close();
  return 0;
}
