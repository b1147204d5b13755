// The language server on a big file: the time from a keystroke (a ranged
// didChange, as an editor sends it) to the diagnostics it publishes for
// that text, on a generated 1 000-action file, and the server's memory
// across a long session of edits. Runs the built CLI (`npm run build` first)
// driven by vscode-languageserver-protocol's client over stdio.
//   node bench/lsp-latency.mjs [actions] [edits]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node.js';
import { file } from './generate-actions.mjs';

const actions = Number(process.argv[2] ?? 1000);
const edits = Number(process.argv[3] ?? 200);
const dir = await mkdtemp(join(tmpdir(), 'slotwire-lsp-bench-'));
const path = join(dir, 'actions.yml');
const text = file(actions);
await writeFile(path, text);
const uri = pathToFileURL(path).href;

const child = spawn(process.execPath, [new URL('../dist/cli/bin.js', import.meta.url).pathname, 'lsp', '--stdio'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const connection = createProtocolConnection(
  new StreamMessageReader(child.stdout),
  new StreamMessageWriter(child.stdin),
);
let waiting = null;
connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
  if (p.uri === uri && waiting?.(p.diagnostics)) waiting = null;
});
connection.listen();
const published = (check) => new Promise((resolve) => (waiting = (ds) => check(ds) && (resolve(ds), true)));
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;

await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
await connection.sendNotification(InitializedNotification.type, {});
let t = performance.now();
const first = published(() => true);
await connection.sendNotification(DidOpenTextDocumentNotification.type, {
  textDocument: { uri, languageId: 'yaml', version: 1, text },
});
const initial = await first;
console.log(
  `${actions} actions, ${(text.length / 1024).toFixed(0)} KB: first check ${(performance.now() - t).toFixed(0)} ms, ${initial.length} diagnostics, RSS ${rssMb().toFixed(0)} MB`,
);

// Each edit renames $round to $rond in one action, or back: every other check has one diagnostic more.
const line =
  text.slice(0, text.indexOf('$round', text.indexOf(`action_lookup_${Math.floor(actions / 2)}:`))).split('\n').length -
  1;
const character = text.split('\n')[line].indexOf('$round') + 2;
const times = [];
const rss = [];
for (let i = 0; i < edits; i++) {
  const broken = i % 2 === 0;
  const done = published((ds) => ds.length === initial.length + (broken ? 1 : 0));
  t = performance.now();
  await connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: i + 2 },
    contentChanges: [
      broken
        ? { range: { start: { line, character: character + 1 }, end: { line, character: character + 2 } }, text: '' }
        : { range: { start: { line, character: character + 1 }, end: { line, character: character + 1 } }, text: 'u' },
    ],
  });
  await done;
  times.push(performance.now() - t);
  if (i % 50 === 49) rss.push(rssMb().toFixed(0));
}
const sorted = [...times].sort((a, b) => a - b);
const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(0);
console.log(
  `keystroke → diagnostics over ${edits} edits (75 ms debounce included): median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms`,
);
console.log(`server RSS MB after every 50 edits: ${rss.join(', ')}`);
await connection.sendRequest(ShutdownRequest.type);
await connection.sendNotification(ExitNotification.type);
