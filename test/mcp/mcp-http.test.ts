// The actions as MCP tools, driven by the official SDK's own
// client over Streamable HTTP against `createActionServer({ mcp })` on
// loopback, with a real loopback upstream: tools/list and its schemas,
// tools/call results against the output schema, upstream failures, bad
// arguments, auth, and list_changed on reload.
import { writeFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_LIMIT } from '../../runtime/errors/index.js';
import { createActionServer, listen, slotTypesFrom } from '../../runtime/index.js';
import type { ActionServer, ServerHandle } from '../../runtime/index.js';
import { json, startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';
import { writeActionsFile } from '../support/actions-file.js';
import { waitFor } from '../support/wait-for.js';
import { ACTIONS } from './actions.js';

const TESTS = `tests:
  - name: a table for four
    action: check_availability
    slots: { restaurant_id: trattoria-roma, party_size: 4, booking_time: "19:00" }
    http:
      - path: /restaurants/trattoria-roma/availability
        reply: { json: { available: true, times: ["19:00"] } }
    expect:
      slots: { has_availability: true, available_times: ["19:00"] }
`;

let api: TestServer;
let file: string;
let server: ActionServer;
let handle: ServerHandle;
const clients: Client[] = [];

async function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'slotwire-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  clients.push(client);
  return client;
}

async function start(options: { autoReload?: boolean; token?: string } = {}): Promise<void> {
  server = await createActionServer({
    actionsFile: file,
    env: { API: api.origin },
    logger: (await import('pino')).default({ level: 'silent' }),
    autoReload: options.autoReload ?? false,
    mcp: { slotTypes: await slotTypesFrom(null, file.replace(/\.yml$/, '.test.yml')), version: '0.0.0-test' },
    ...(options.token ? { auth: { token: { value: options.token } } } : {}),
  });
  handle = await listen(server.app, { port: 0, hostname: '127.0.0.1' });
}

async function stop(): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  await handle?.close();
  await server?.close();
}

beforeAll(async () => {
  api = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/restaurants/trattoria-roma/availability') {
      const party = Number(url.searchParams.get('party'));
      return json(
        res,
        200,
        party <= 6 ? { available: true, times: ['19:00', '21:00'] } : { available: false, times: [] },
      );
    }
    return json(res, 503, { error: 'down' });
  });
  file = writeActionsFile(ACTIONS);
  writeFileSync(file.replace(/\.yml$/, '.test.yml'), TESTS);
});

afterAll(async () => {
  await api.close();
});

afterEach(stop);

const call = (client: Client, name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: args }) as Promise<CallToolResult>;

describe('MCP over Streamable HTTP', () => {
  it('lists the tools with valid JSON Schemas, parameters from the slots read, types from the tests', async () => {
    await start();
    const client = await connect(`${handle.url}/mcp`);
    const { tools } = await client.listTools();
    // Not the tool: false action, not the validation action.
    expect(tools.map((t) => t.name)).toEqual(['find_table']);
    const tool = tools[0];
    expect(tool.description).toBe('Whether a restaurant has a table for a party at a time, and which times are free.');
    const ajv = new Ajv2020({ strict: false });
    // Both are JSON Schemas: each compiles.
    expect(() => ajv.compile(tool.inputSchema)).not.toThrow();
    expect(() => ajv.compile(tool.outputSchema as object)).not.toThrow();
    expect(tool.inputSchema.required).toEqual(['restaurant_id', 'party_size']);
    expect(tool.inputSchema.properties).toMatchObject({
      restaurant_id: { type: 'string' },
      party_size: { type: 'integer' },
      // Optional: null is "not given", as Rasa sends an unset slot.
      booking_time: { type: ['string', 'null'] },
    });
    expect(Object.keys((tool.outputSchema!.properties!['slots'] as { properties: object }).properties).sort()).toEqual([
      'available_times',
      'has_availability',
      'lookup_status',
    ]);
  });

  it('runs the action and returns structuredContent that validates against the outputSchema', async () => {
    await start();
    const client = await connect(`${handle.url}/mcp`);
    const { tools } = await client.listTools();
    const result = await call(client, 'find_table', { restaurant_id: 'trattoria-roma', party_size: 4 });
    expect(result.isError).toBe(false);
    expect(result.structuredContent).toEqual({
      slots: { has_availability: true, available_times: ['19:00', '21:00'] },
      outcome: { status: 'ok' },
      messages: [expect.objectContaining({ text: 'We have a table at 19:00.' })],
    });
    const validate = new Ajv2020({ strict: false }).compile(tools[0].outputSchema as object);
    expect(validate(result.structuredContent)).toBe(true);
    expect((result.content[0] as { text: string }).text).toBe(
      'ok; set has_availability=true, available_times=["19:00","21:00"]; said "We have a table at 19:00."',
    );
  });

  it('answers an upstream failure as isError with the outcome, not a protocol error', async () => {
    await start();
    const client = await connect(`${handle.url}/mcp`);
    const result = await call(client, 'find_table', {
      restaurant_id: 'closed-for-good',
      party_size: 2,
      booking_time: '20:00',
    });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({
      slots: { lookup_status: 'unavailable' },
      outcome: {
        status: 'error',
        error: { kind: 'status', reason: 'unavailable', status: 503, code: 'SW_UPSTREAM_STATUS' },
      },
    });
  });

  it('rejects wrong or missing arguments with a message naming them', async () => {
    await start();
    const client = await connect(`${handle.url}/mcp`);
    const before = api.seen.length;
    const wrong = await call(client, 'find_table', { restaurant_id: 'trattoria-roma', party_size: 'four' });
    expect(wrong.isError).toBe(true);
    expect((wrong.content[0] as { text: string }).text).toBe(
      'invalid arguments for find_table: argument "party_size" must be integer, not the string "four"',
    );
    const missing = await call(client, 'find_table', { party_size: 2, table: 'by the window' });
    expect((missing.content[0] as { text: string }).text).toBe(
      'invalid arguments for find_table: missing required argument "restaurant_id"; unknown argument "table"; find_table takes restaurant_id, party_size, booking_time',
    );
    // Nothing was sent for either.
    expect(api.seen.length).toBe(before);
    await expect(call(client, 'book_table', {})).rejects.toThrow(/unknown tool "book_table"; tools: find_table/);
    // A caller's own text is repeated cut (docs/errors.md).
    const long = 'x'.repeat(100_000);
    const refused = await call(client, long, {}).then(
      () => '',
      (err: Error) => err.message,
    );
    expect(refused).toContain(
      `unknown tool "${'x'.repeat(ECHO_LIMIT)}… (${long.length - ECHO_LIMIT} more characters)"`,
    );
    expect(refused.length).toBeLessThan(1_000);
  });

  it('asks for the webhook token, as ?token= or Authorization: Bearer', async () => {
    await start({ token: 's3cret' });
    const denied = await fetch(`${handle.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{}',
    });
    expect(denied.status).toBe(401);
    const bearer = await connect(`${handle.url}/mcp`, { authorization: 'Bearer s3cret' });
    expect((await bearer.listTools()).tools).toHaveLength(1);
    const query = await connect(`${handle.url}/mcp?token=s3cret`);
    expect((await query.listTools()).tools).toHaveLength(1);
    await expect(connect(`${handle.url}/mcp`, { authorization: 'Bearer wrong' })).rejects.toBeInstanceOf(Error);
  });

  it('tells connected clients when a reload changes the tools', async () => {
    await start({ autoReload: true });
    const client = await connect(`${handle.url}/mcp`);
    await client.listTools();
    let changed = false;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changed = true;
    });
    writeFileSync(file, ACTIONS.replace('    tool: false\n', '    tool: { name: audit }\n'));
    try {
      await waitFor(() => changed, { timeoutMs: 5000, what: 'notifications/tools/list_changed' });
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['audit', 'find_table']);
    } finally {
      writeFileSync(file, ACTIONS);
    }
  });

  it('is not there without mcp', async () => {
    server = await createActionServer({
      actionsFile: file,
      env: { API: api.origin },
      logger: (await import('pino')).default({ level: 'silent' }),
    });
    handle = await listen(server.app, { port: 0, hostname: '127.0.0.1' });
    expect((await fetch(`${handle.url}/mcp`, { method: 'POST' })).status).toBe(404);
  });
});
