// The MCP tools through the built CLI, the way users run it: `slotwire mcp` over
// stdio, driven by the SDK's StdioClientTransport (the client starts the
// server as its child, as desktop clients do), and `slotwire serve --mcp`
// with the SDK's Streamable HTTP client, types from a Rasa domain.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';
import { writeActionsFile } from '../support/actions-file.js';
import { builtCli } from '../support/built-cli.js';
import { runCli } from '../cli/run-cli.js';
import { ACTIONS } from './actions.js';

/** dist/cli/bin.js (builtCli in beforeAll). */
let bin = '';

const DOMAIN = `version: "3.1"
slots:
  restaurant_id: { type: text, mappings: [{ type: from_llm }] }
  party_size: { type: float, mappings: [{ type: from_llm }] }
  booking_time: { type: categorical, values: ["18:00", "19:00", "20:00"], mappings: [{ type: from_llm }] }
  has_availability: { type: bool, mappings: [{ type: controlled }] }
  available_times: { type: list, mappings: [{ type: controlled }] }
  lookup_status: { type: text, mappings: [{ type: controlled }] }
`;

let api: TestServer;
let file: string;

beforeAll(async () => {
  bin = builtCli();
  api = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/restaurants/trattoria-roma/availability')
      return json(res, 200, { available: true, times: ['19:00'] });
    return json(res, 404, { error: 'unknown restaurant' });
  });
  file = writeActionsFile(ACTIONS);
  writeFileSync(join(dirname(file), 'domain.yml'), DOMAIN);
});

afterAll(async () => {
  await api.close();
});

describe('slotwire mcp (stdio)', () => {
  it('serves the tools to the SDK client over stdio, logs kept off stdout', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, 'mcp', '--actions', file, '--log-level', 'info'],
      env: { ...process.env, API: api.origin },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const client = new Client({ name: 'slotwire-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['find_table']);
      const ok = (await client.callTool({
        name: 'find_table',
        arguments: { restaurant_id: 'trattoria-roma', party_size: 2 },
      })) as CallToolResult;
      expect(ok.structuredContent).toMatchObject({
        slots: { has_availability: true, available_times: ['19:00'] },
        outcome: { status: 'ok' },
      });
      const missing = (await client.callTool({
        name: 'find_table',
        arguments: { restaurant_id: 'nowhere', party_size: 2 },
      })) as CallToolResult;
      expect(missing.isError).toBe(true);
      expect(missing.structuredContent).toMatchObject({
        slots: { lookup_status: 'not_found' },
        outcome: { status: 'error', error: { kind: 'status', reason: 'not_found' } },
      });
    } finally {
      await client.close();
    }
    // The log line of each call went to stderr: stdout carried only JSON-RPC (the client would have failed on anything else).
    expect(stderr).toContain('"msg":"mcp tool call"');
  });

  it('refuses a broken actions file with its diagnostics and exit 1, and a wrong flag with exit 2', async () => {
    const broken = writeActionsFile('version: 1\nactions:\n  a:\n    slots: { x: "{{ slots. }}" }\n');
    const r = await runCli(['mcp', '--actions', broken]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('cannot be served');
    const usage = await runCli(['mcp', '--actoins', 'x.yml']);
    expect(usage.code).toBe(2);
    expect(usage.err.split('\n')[0]).toBe(
      'slotwire mcp: unknown option --actoins; did you mean --actions? (see: slotwire mcp --help)',
    );
  });
});

describe('slotwire serve --mcp', () => {
  it('serves the webhook and the tools on one port, parameter types from the domain', async () => {
    const proc = spawn(
      process.execPath,
      [
        bin,
        'serve',
        '--mcp',
        '--domain',
        join(dirname(file), 'domain.yml'),
        '--actions',
        file,
        '--port',
        '0',
        '--host',
        '127.0.0.1',
      ],
      {
        env: { ...process.env, API: api.origin },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        proc.stdout.on('data', () => {
          const m = /MCP: 1 tool on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(out);
          if (m?.[1]) resolve(m[1]);
        });
        proc.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
      const client = new Client({ name: 'slotwire-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      const tool = (await client.listTools()).tools[0];
      expect(tool.inputSchema.properties).toMatchObject({
        restaurant_id: { type: 'string' },
        party_size: { type: 'number' },
        booking_time: { enum: ['18:00', '19:00', '20:00', null] },
      });
      expect(
        (tool.outputSchema!.properties!['slots'] as { properties: Record<string, unknown> }).properties[
          'has_availability'
        ],
      ).toMatchObject({ type: ['boolean', 'null'] });
      const wrong = (await client.callTool({
        name: 'find_table',
        arguments: { restaurant_id: 'trattoria-roma', party_size: 2, booking_time: '7pm' },
      })) as CallToolResult;
      expect((wrong.content[0] as { text: string }).text).toBe(
        'invalid arguments for find_table: argument "booking_time" must be one of "18:00", "19:00", "20:00", null, not the string "7pm"',
      );
      // Rasa sends an unset slot as null: an optional parameter takes it as not given.
      const unset = (await client.callTool({
        name: 'find_table',
        arguments: { restaurant_id: 'trattoria-roma', party_size: 2, booking_time: null },
      })) as CallToolResult;
      expect(unset.isError).toBe(false);
      await client.close();
      // The webhook answers beside it, as before.
      const hook = await fetch(url.replace('/mcp', '/webhook'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          next_action: 'check_availability',
          sender_id: 's',
          tracker: { sender_id: 's', slots: { restaurant_id: 'trattoria-roma', party_size: 2 }, events: [] },
        }),
      });
      expect(((await hook.json()) as { events: unknown[] }).events).toContainEqual({
        event: 'slot',
        timestamp: null,
        name: 'has_availability',
        value: true,
      });
      // SIGTERM ends it cleanly, and the test waits for that: a server left running would outlive the test run.
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      proc.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
  });

  it('asks for --mcp when given --domain or --project', async () => {
    const r = await runCli(['serve', '--project', '.']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      'slotwire serve: --domain and --project give the MCP tools their types: add --mcp (see: slotwire serve --help)',
    );
  });
});
