/**
 * An editor's side of `slotwire lsp`: the built CLI started as a child
 * process, driven over its stdio by vscode-languageserver-protocol's
 * connection (the library VS Code's own client is built on), with the
 * diagnostics it publishes kept by document.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  createProtocolConnection,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node.js';
import type {
  CodeAction,
  CompletionItem,
  CompletionList,
  Definition,
  Diagnostic,
  Hover,
  InitializeResult,
  Location,
  LocationLink,
  Position,
  ProtocolConnection,
} from 'vscode-languageserver-protocol/node.js';
import { builtCli } from '../support/built-cli.js';
import { waitFor } from '../support/wait-for.js';

/** A running `slotwire lsp` and the client connected to it. */
export interface LspSession {
  readonly child: ChildProcessWithoutNullStreams;
  readonly connection: ProtocolConnection;
  readonly initialized: InitializeResult;
  /** Everything the server wrote to stderr. */
  stderr(): string;
  /** The diagnostics last published for a file, or undefined when none were published. */
  diagnostics(file: string): readonly Diagnostic[] | undefined;
  /** Waits until the diagnostics published for `file` satisfy `check`; returns them. */
  waitForDiagnostics(
    file: string,
    check: (ds: readonly Diagnostic[]) => boolean,
    what: string,
  ): Promise<readonly Diagnostic[]>;
  open(file: string, text: string): void;
  /** Replaces the whole text (a change event without a range), as a new version. */
  change(file: string, text: string): void;
  /** Replaces a range, as an editor sends a keystroke. */
  edit(file: string, range: { start: Position; end: Position }, text: string): void;
  close(file: string): void;
  completion(file: string, position: Position): Promise<CompletionItem[]>;
  hover(file: string, position: Position): Promise<string>;
  definition(file: string, position: Position): Promise<Location[]>;
  codeActions(file: string, diagnostics: readonly Diagnostic[]): Promise<CodeAction[]>;
  /** shutdown, then exit: resolves with the process's exit code. */
  stop(): Promise<number | null>;
}

export const uriOf = (file: string): string => pathToFileURL(file).href;

/** Starts `slotwire lsp --stdio <args>` and initializes it. */
export async function startLsp(
  args: readonly string[] = [],
  options: { readonly cwd?: string; readonly initializationOptions?: unknown } = {},
): Promise<LspSession> {
  const child = spawn(process.execPath, [builtCli(), 'lsp', '--stdio', ...args], {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const published = new Map<string, Diagnostic[]>();
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => published.set(p.uri, p.diagnostics));
  connection.listen();
  const initialized = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: options.cwd ? uriOf(options.cwd) : null,
    capabilities: {},
    initializationOptions: options.initializationOptions ?? null,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const versions = new Map<string, number>();
  const next = (file: string): number => {
    const v = (versions.get(file) ?? 0) + 1;
    versions.set(file, v);
    return v;
  };
  return {
    child,
    connection,
    initialized,
    stderr: () => stderr,
    diagnostics: (file) => published.get(uriOf(file)),
    async waitForDiagnostics(file, check, what) {
      return waitFor(
        () => {
          const ds = published.get(uriOf(file));
          return ds !== undefined && check(ds) ? ds : null;
        },
        { timeoutMs: 15_000, what },
      );
    },
    open(file, text) {
      void connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri: uriOf(file), languageId: 'yaml', version: next(file), text },
      });
    },
    change(file, text) {
      void connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: uriOf(file), version: next(file) },
        contentChanges: [{ text }],
      });
    },
    edit(file, range, text) {
      void connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: uriOf(file), version: next(file) },
        contentChanges: [{ range, text }],
      });
    },
    close(file) {
      void connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uriOf(file) } });
    },
    async completion(file, position) {
      const result: CompletionItem[] | CompletionList | null = await connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri: uriOf(file) },
        position,
      });
      return Array.isArray(result) ? result : (result?.items ?? []);
    },
    async hover(file, position) {
      const result: Hover | null = await connection.sendRequest(HoverRequest.type, {
        textDocument: { uri: uriOf(file) },
        position,
      });
      const contents = result?.contents;
      return typeof contents === 'object' && contents !== null && 'value' in contents ? contents.value : '';
    },
    async definition(file, position) {
      const result: Definition | LocationLink[] | null = await connection.sendRequest(DefinitionRequest.type, {
        textDocument: { uri: uriOf(file) },
        position,
      });
      const list = result === null ? [] : Array.isArray(result) ? result : [result];
      return list.map((l) => ('targetUri' in l ? { uri: l.targetUri, range: l.targetRange } : l));
    },
    async codeActions(file, diagnostics) {
      const result = await connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: uriOf(file) },
        range: diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [...diagnostics] },
      });
      return (result ?? []).filter(
        (a): a is CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'),
      );
    },
    async stop() {
      const exited = once(child, 'exit') as Promise<[number | null]>;
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      const [code] = await exited;
      connection.dispose();
      return code;
    },
  };
}

/** Where `needle` starts in `text` (its `nth` occurrence, 0-based), as an LSP position, plus `offset` characters. */
export function positionOf(text: string, needle: string, offset = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`"${needle}" is not in the text`);
  }
  at += offset;
  const before = text.slice(0, at);
  return { line: before.split('\n').length - 1, character: at - before.lastIndexOf('\n') - 1 };
}
