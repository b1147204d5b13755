// The editor's wait (scenario 10 of bench/run.mjs): `slotwire lsp` as an
// editor drives it, over its stdio with the official LSP client library,
// on a generated 1 000-action file (bench/generate-actions.mjs, ~580 KB).
// Measures the time from each didChange to the publishDiagnostics that
// shows it (each edit breaks or mends one `connection:` in the middle of
// the file, so the answer to each edit is told apart from any other), and
// the server's memory after a long session of edits.
//   node bench/lsp.mjs     (prints a table; the last line is JSON for run.mjs)
// Knobs: LSP_ACTIONS (1000), LSP_EDITS (20 timed, after 3 to warm up),
// LSP_SESSION (500 edits in all before memory is read), BENCH_SLOTWIRE_BIN
// (another build's dist/cli/bin.js).
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
  TextDocumentSyncKind,
} from 'vscode-languageserver-protocol/node.js';
import { file as actionsFile } from './generate-actions.mjs';
import { rssMb } from './processes.mjs';
import { markdownTable } from './table.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const N = Number(process.env.LSP_ACTIONS ?? 1000);
const TIMED = Number(process.env.LSP_EDITS ?? 20);
const WARM_UP = 3;
const SESSION = Number(process.env.LSP_SESSION ?? 500);
/** Changes per burst in the session after the timed edits. */
const BURST = 5;
/** The longest a single edit may wait for its diagnostics before the run is called broken. */
const EDIT_DEADLINE_MS = 30_000;

const dir = await mkdtemp(join(tmpdir(), 'slotwire-lsp-bench-'));
const file = join(dir, 'actions.yml');
const uri = pathToFileURL(file).href;
let text = actionsFile(N);
await writeFile(file, text);

const server = spawn(process.execPath, [process.env.BENCH_SLOTWIRE_BIN ?? join(here, '..', 'dist/cli/bin.js'), 'lsp'], {
  cwd: dir,
  stdio: ['pipe', 'pipe', 'inherit'],
});
const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve(signal ?? code)));
const connection = createProtocolConnection(
  new StreamMessageReader(server.stdout),
  new StreamMessageWriter(server.stdin),
);

/** Waiters for this file's diagnostics: each gets every publish until it says it is satisfied. */
const waiters = new Set();
connection.onNotification(PublishDiagnosticsNotification.type, ({ uri: published, diagnostics }) => {
  if (published !== uri) return;
  for (const waiter of waiters) waiter(diagnostics);
});
connection.listen();

/** Resolves with the ms from now until a publish for the file satisfies `done`. */
function diagnosticsWhere(done) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(waiter);
      reject(new Error(`no matching diagnostics within ${EDIT_DEADLINE_MS} ms`));
    }, EDIT_DEADLINE_MS);
    const waiter = (diagnostics) => {
      if (!done(diagnostics)) return;
      clearTimeout(timer);
      waiters.delete(waiter);
      resolve(performance.now() - started);
    };
    waiters.add(waiter);
  });
}

const init = await connection.sendRequest(InitializeRequest.type, {
  processId: process.pid,
  rootUri: pathToFileURL(dir).href,
  workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bench' }],
  capabilities: { textDocument: { publishDiagnostics: {}, synchronization: { dynamicRegistration: false } } },
});
const sync = init.capabilities.textDocumentSync;
const incremental = (typeof sync === 'object' ? sync.change : sync) === TextDocumentSyncKind.Incremental;
await connection.sendNotification(InitializedNotification.type, {});

// The edit: the middle action's connection, `api<d>` ↔ `apx<d>` (a connection no one declares).
const middle = text.indexOf(`  action_lookup_${Math.floor(N / 2)}:`);
const at = text.indexOf('connection: api', middle) + 'connection: ap'.length;
const line = text.slice(0, at).split('\n').length - 1;
const response = text.indexOf('- text: ', at);
/** Whether the diagnostics hold the error of the edited line (the file has warnings, no other error). */
const broken = (diagnostics) => diagnostics.some((d) => d.severity === 1 && d.range.start.line === line);
let version = 1;

/** Sends one change of the document, `replacement` for the text from `start` to `end`, as an editor sends a keystroke. */
function change(start, end, replacement) {
  const position = (offset) => {
    const before = text.slice(0, offset);
    return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
  };
  const range = { start: position(start), end: position(end) };
  text = text.slice(0, start) + replacement + text.slice(end);
  version += 1;
  return connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version },
    contentChanges: incremental ? [{ range, text: replacement }] : [{ text }],
  });
}

/**
 * Breaks or mends the edited line (`api` ↔ `apx`) after `typed` keystrokes in the middle action's
 * response text (below that line, so its offset stays), and resolves with the ms from the break or
 * mend until diagnostics show it.
 */
async function edit(typed = 0) {
  for (let i = 0; i < typed; i++) {
    const quote = text.indexOf('"\n', response);
    await change(quote, quote, 'a');
  }
  const breaking = text[at] === 'i';
  const waited = diagnosticsWhere((diagnostics) => broken(diagnostics) === breaking);
  await change(at, at + 1, breaking ? 'x' : 'i');
  return waited;
}

const opened = diagnosticsWhere(() => true);
await connection.sendNotification(DidOpenTextDocumentNotification.type, {
  textDocument: { uri, languageId: 'yaml', version, text },
});
const openMs = await opened;
const rssOpen = rssMb(server.pid);

for (let i = 0; i < WARM_UP; i++) await edit();
const times = [];
for (let i = 0; i < TIMED; i++) times.push(await edit());
const rssTimed = rssMb(server.pid);
// The rest of the session as a typist makes it: BURST - 1 keystrokes sent back to back, then a break
// or mend, whose diagnostics are awaited (the server may check once for the whole burst).
for (let done = WARM_UP + TIMED; done < SESSION; done += BURST) await edit(Math.min(BURST, SESSION - done) - 1);
const rssSession = rssMb(server.pid);

await connection.sendRequest(ShutdownRequest.type);
await connection.sendNotification(ExitNotification.type);
const exitCode = await exited;
connection.dispose();

times.sort((a, b) => a - b);
const pick = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
const result = {
  actions: N,
  kb: Math.round(Buffer.byteLength(actionsFile(N)) / 1024),
  sync: incremental ? 'incremental' : 'full',
  openMs,
  median: pick(0.5),
  p95: pick(0.95),
  max: times.at(-1),
  edits: TIMED,
  session: SESSION,
  rss: { open: rssOpen, timed: rssTimed, session: rssSession },
  exitCode,
};
const mb = (r) => (r === null ? 'n/a' : `${r.now.toFixed(0)} / ${r.peak.toFixed(0)}`);
console.log(
  markdownTable(
    ['Measure', 'Value'],
    [
      [`file`, `${N} actions, ${result.kb} KB, ${result.sync} sync`],
      ['didOpen → first diagnostics ms', openMs.toFixed(0)],
      [
        `didChange → its diagnostics ms, ${TIMED} edits: median / p95 / max`,
        `${result.median.toFixed(0)} / ${result.p95.toFixed(0)} / ${result.max.toFixed(0)}`,
      ],
      ['server RSS MB now / peak: after open', mb(rssOpen)],
      [`server RSS MB now / peak: after ${WARM_UP + TIMED} edits`, mb(rssTimed)],
      [`server RSS MB now / peak: after ${SESSION} edits`, mb(rssSession)],
      ['exit code after shutdown + exit', String(exitCode)],
    ],
  ),
);
console.log(JSON.stringify(result));
