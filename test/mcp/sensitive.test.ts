// A tool result of an action with `sensitive:` slots (docs/mcp.md): the
// value is in structuredContent, for the caller, and *** in the text that
// clients may log.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { createEngine, createMcpFront } from '../../runtime/index.js';
import { writeActionsFile } from '../support/actions-file.js';

const ACTIONS = `version: 1
actions:
  issue_code:
    description: Makes a one-time code for the caller.
    sensitive: [one_time_code]
    slots:
      one_time_code: "{{ 'code-' & slots.account }}"
      issued: true
`;

describe('sensitive slots in tool results', () => {
  it('keeps the value in structuredContent and masks it in the text', async () => {
    const engine = await createEngine({ actionsFile: writeActionsFile(ACTIONS) });
    const front = createMcpFront({ engine, version: '0.0.0-test' });
    const client = new Client({ name: 'test', version: '1' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await front.server().connect(serverSide);
    await client.connect(clientSide);
    try {
      const result = (await client.callTool({ name: 'issue_code', arguments: { account: 'a1' } })) as CallToolResult;
      expect(result.structuredContent).toMatchObject({ slots: { one_time_code: 'code-a1', issued: true } });
      expect((result.content[0] as { text: string }).text).toBe('ok; set one_time_code=***, issued=true');
    } finally {
      await client.close();
      await front.close();
      await engine.close();
    }
  });
});
