// The VS Code side of `slotwire lsp`: finds the CLI, starts it over stdio for the files of the
// `slotwire` language (package.json says which files those are) and restarts it when its settings change.
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node.js';
import { findServer } from './find-server.js';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
/** Starts and stops run one after another: a client can be stopped only once it has started. */
let queue: Promise<void> = Promise.resolve();

function serially(step: () => Promise<void>): Promise<void> {
  queue = queue.then(step, step);
  return queue;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('slotwire');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('slotwire.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((change) => {
      if (['path', 'project', 'domain'].some((name) => change.affectsConfiguration(`slotwire.${name}`))) void restart();
    }),
  );
  await serially(start);
}

export function deactivate(): Promise<void> {
  return serially(stop);
}

function restart(): Promise<void> {
  return serially(async () => {
    await stop();
    await start();
  });
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running?.isRunning()) await running.stop();
}

async function start(): Promise<void> {
  const settings = vscode.workspace.getConfiguration('slotwire');
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
  const found = findServer({
    setting: settings.get<string>('path', ''),
    folders,
    env: process.env,
    windows: process.platform === 'win32',
  });
  if ('problem' in found) {
    output?.appendLine(found.problem);
    // Not awaited: activation must not wait for the user to answer.
    void vscode.window
      .showErrorMessage(found.problem, 'Open Settings')
      .then((choice) =>
        choice === 'Open Settings'
          ? vscode.commands.executeCommand('workbench.action.openSettings', 'slotwire.path')
          : undefined,
      );
    return;
  }
  output?.appendLine(`Starting ${[found.command, ...found.args].join(' ')} (from ${found.from})`);
  const server: ServerOptions = {
    command: found.command,
    args: found.args,
    options: { cwd: folders[0], shell: found.shell },
  };
  const project = settings.get<string>('project', '').trim();
  const domain = settings.get<string[]>('domain', []).filter((path) => path.trim() !== '');
  const options: LanguageClientOptions = {
    // Files on disk only: the server finds an actions file's test file and Rasa project beside it.
    documentSelector: [{ language: 'slotwire', scheme: 'file' }],
    // The server finds the Rasa project beside the actions file or above it; the settings name it when it is elsewhere.
    initializationOptions: {
      ...(project === '' ? {} : { project: absolute(project, folders[0]) }),
      ...(domain.length === 0 ? {} : { domain: domain.map((path) => absolute(path, folders[0])) }),
    },
    outputChannel: output,
  };
  client = new LanguageClient('slotwire', 'slotwire', server, options);
  try {
    await client.start();
  } catch (error) {
    // The client has already shown its own message; keep the reason where the user looks next.
    output?.appendLine(`slotwire lsp did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A setting's path, relative ones taken from the first workspace folder as the CLI takes them from its working directory. */
function absolute(path: string, folder: string | undefined): string {
  return folder === undefined ? path : resolve(folder, path);
}
