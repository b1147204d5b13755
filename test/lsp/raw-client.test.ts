// A second, independent client: JSON-RPC framed by hand (Content-Length
// headers over the child's stdio), no LSP library on this side, so the
// server is not only right for the library family it is built on.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeActionsFile } from '../support/actions-file.js';
import { builtCli } from '../support/built-cli.js';
import { waitFor } from '../support/wait-for.js';

interface Message {
  readonly id?: number;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
}

const BROKEN = `version: 1
actions:
  greet:
    slots:
      greeting: "{{ $uppercse('hi') }}"
`;

describe('slotwire lsp with a hand-framed JSON-RPC client', () => {
  it('initializes, publishes a diagnostic for an open file, and exits 0 after shutdown and exit', async () => {
    const file = writeActionsFile(BROKEN);
    const child = spawn(process.execPath, [builtCli(), 'lsp'], { stdio: ['pipe', 'pipe', 'pipe'], env: {} });
    const received: Message[] = [];
    let buffer = Buffer.alloc(0);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd === -1) return;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())?.[1]);
        if (buffer.length < headerEnd + 4 + length) return;
        received.push(JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as Message);
        buffer = buffer.subarray(headerEnd + 4 + length);
      }
    });
    const send = (message: object): void => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
      child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
    };
    const answer = (id: number) =>
      waitFor(() => received.find((m) => m.id === id && m.method === undefined), {
        timeoutMs: 15_000,
        what: `the answer to request ${id}`,
      });

    send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    const init = (await answer(1)).result as { capabilities: { textDocumentSync: unknown } };
    expect(init.capabilities.textDocumentSync).toBe(2);
    send({ method: 'initialized', params: {} });
    const uri = pathToFileURL(file).href;
    send({
      method: 'textDocument/didOpen',
      params: { textDocument: { uri, languageId: 'yaml', version: 1, text: BROKEN } },
    });
    const published = await waitFor(() => received.find((m) => m.method === 'textDocument/publishDiagnostics'), {
      timeoutMs: 15_000,
      what: 'the diagnostics of the open file',
    });
    const params = published.params as {
      uri: string;
      diagnostics: { code: string; range: { start: { line: number; character: number } } }[];
    };
    expect(params.uri).toBe(uri);
    expect(params.diagnostics.map((d) => [d.code, d.range.start])).toEqual([
      // Line 5, column 21 (1-based) of validate: the `$` of `$uppercse`.
      ['SW_EXPR_UNKNOWN_FUNCTION', { line: 4, character: 20 }],
    ]);

    const exited = once(child, 'exit') as Promise<[number | null]>;
    send({ id: 2, method: 'shutdown' });
    expect((await answer(2)).result).toBeNull();
    send({ method: 'exit' });
    expect((await exited)[0]).toBe(0);
  });
});
