/**
 * The language server (`slotwire lsp`, docs/editors.md): an actions file
 * open in an editor is checked as `slotwire validate` checks it, at open
 * and after each change (debounced), with its test file and its Rasa
 * project; completion, hover, definition and quick fixes read what the
 * last check found. The transport and the process's exit are the
 * connection's (vscode-languageserver): this module only answers.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver';
import type {
  CodeAction,
  Connection,
  Diagnostic as LspDiagnostic,
  InitializeResult,
  WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createParseCache, loadTestText, readText as readFileText, testFileFor } from '../config/index.js';
import type { Diagnostic, Env, ParseCache } from '../config/index.js';
import { createActionCache } from '../engine/index.js';
import type { ActionCache, ReadText } from '../engine/index.js';
import { checkActionsText, findProjectFolder } from '../project/index.js';
import type { FileText, Project, ProjectDomain } from '../project/index.js';
import { complete } from './complete.js';
import { definition } from './definition.js';
import { quickFix, toLspDiagnostic } from './diagnostics.js';
import type { DiagnosticData } from './diagnostics.js';
import { listActionEdit } from './domain-edit.js';
import { hover } from './hover.js';
import type { FileView } from './view.js';

/** Where the Rasa project comes from when no folder above the file is to be searched. */
export interface ProjectSetting {
  /** A Rasa project folder. */
  readonly project?: string;
  /** Domain files or folders. */
  readonly domain?: readonly string[];
}

/** Options of {@link serveLanguage}. */
export interface LanguageServerOptions {
  /** `${VAR}` values: what it does not set gets a placeholder, as `validate --placeholder-env` (editors rarely hold secrets). */
  readonly env: Env;
  /** Reads a Rasa project (`--domain`, `--project`); a project that cannot be read is a Project with its error. */
  readonly readProject: (domain: readonly string[], projectDir: string | undefined) => Promise<Project | null>;
  /** The command line's project; the client's `initializationOptions` take its place when they name one. */
  readonly setting: ProjectSetting;
  readonly version: string;
  /** Quiet time after a change before the file is checked. Default: 75 ms */
  readonly debounceMs?: number;
}

/** What the server keeps of an open actions file. */
interface ActionsState {
  readonly cache: ActionCache;
  readonly parseCache: ParseCache;
  timer: NodeJS.Timeout | null;
  /** The URIs its last check published diagnostics to (its own, the test file's, the project's files). */
  published: ReadonlySet<string>;
  view: FileView | null;
}

const DEFAULT_DEBOUNCE_MS = 75;

/** The file names of a Rasa project's own YAML: not actions files, but their changes change the project. */
const RASA_FILE = /(?:^|[\\/])(?:domain|config|endpoints|credentials)\.ya?ml$/;

/** Top-level keys of a domain, flow or training data file, which an actions file never has. */
const RASA_KEYS = /^(?:flows|nlu|stories|rules|intents|entities|slots|responses|forms|session_config):/m;

/** A test file: `x.test.yml`, or a YAML file in a `tests/` folder (docs/testing.md). */
const TEST_FILE = /\.test\.ya?ml$|[\\/]tests[\\/][^\\/]+\.ya?ml$/;

/** Answers an editor on `connection` until it exits. */
export function serveLanguage(connection: Connection, options: LanguageServerOptions): void {
  const documents = new TextDocuments(TextDocument);
  const states = new Map<string, ActionsState>();
  const projects = new Map<string, Promise<Project | null>>();
  let setting = options.setting;
  let root = process.cwd();
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;

  const textOf = (file: string): string | null => {
    const open = documents.get(pathToFileURL(file).href);
    if (open) return open.getText();
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  };
  // The compiler reads response schemas and fixtures through this: what the editor holds wins over the disk.
  const readerFor = (actionsFile: string): ReadText => {
    const base = dirname(actionsFile);
    return (path) => {
      const full = resolve(base, path);
      const open = documents.get(pathToFileURL(full).href);
      return open ? open.getText() : readFileSync(full, 'utf8');
    };
  };

  const projectFor = (file: string): Promise<Project | null> => {
    const fixed = (setting.domain?.length ?? 0) > 0 || setting.project !== undefined;
    const key = fixed ? '' : dirname(file);
    let read = projects.get(key);
    if (read === undefined) {
      read = fixed
        ? options.readProject(setting.domain ?? [], setting.project)
        : findProjectFolder(file).then((dir) => (dir === null ? null : options.readProject([], dir)));
      projects.set(key, read);
    }
    return read;
  };

  // Hover shows the hint of the diagnostics under the cursor, as last published.
  const lastDiagnostics = new Map<string, LspDiagnostic[]>();
  const publish = (uri: string, diagnostics: readonly Diagnostic[], text: string): void => {
    const sent = diagnostics.map((d) => toLspDiagnostic(d, text));
    if (sent.length === 0) lastDiagnostics.delete(uri);
    else lastDiagnostics.set(uri, sent);
    void connection.sendDiagnostics({ uri, diagnostics: sent });
  };

  const checkActions = async (uri: string): Promise<void> => {
    const doc = documents.get(uri);
    const state = states.get(uri);
    if (!doc || !state) return;
    const { version } = doc;
    const file = fileURLToPath(uri);
    const testFile = testFileFor(file);
    const project = await projectFor(file);
    const openTests = documents.get(pathToFileURL(testFile).href);
    const tests: FileText = openTests ? { text: openTests.getText() } : await readFileText(testFile);
    // A change while the project was read schedules its own check; this one is stale.
    if (documents.get(uri)?.version !== version || states.get(uri) !== state) return;
    const readText = readerFor(file);
    const checked = checkActionsText({
      actionsFile: file,
      actions: { text: doc.getText() },
      testFile,
      tests,
      env: options.env,
      project,
      readText,
      cache: state.cache,
      parseCache: state.parseCache,
    });
    const byFile = new Map<string, Diagnostic[]>([
      [file, []],
      [testFile, []],
    ]);
    for (const d of checked.diagnostics) {
      const at = isAbsolute(d.file) ? d.file : resolve(root, d.file);
      byFile.set(at, [...(byFile.get(at) ?? []), d]);
    }
    const published = new Set<string>();
    for (const [path, list] of byFile) {
      // A test file that is missing has nothing to show, and no file to show it in.
      if (path === testFile && list.length === 0 && !('text' in tests)) continue;
      const target = pathToFileURL(path).href;
      published.add(target);
      publish(target, list, path === file ? doc.getText() : (textOf(path) ?? ''));
    }
    for (const old of state.published) if (!published.has(old)) publish(old, [], '');
    state.published = published;
    const data = checked.loaded.data;
    state.view = {
      file,
      uri,
      text: doc.getText(),
      data: data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : (state.view?.data ?? {}),
      source: checked.loaded.source,
      domain: domainOf(project),
      testFile,
      tests: checked.tests,
      readText,
    };
  };

  /** A test file open without its actions file: its own diagnostics. */
  const checkTestsAlone = (uri: string): void => {
    const doc = documents.get(uri);
    if (!doc) return;
    const file = fileURLToPath(uri);
    publish(uri, loadTestText(file, doc.getText()).diagnostics, doc.getText());
  };

  const schedule = (uri: string, delay: number): void => {
    const state = states.get(uri);
    if (!state) return;
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = null;
      checkActions(uri).catch((err: unknown) => {
        connection.console.error(`slotwire: checking ${uri} failed: ${err instanceof Error ? err.stack : String(err)}`);
      });
    }, delay);
  };

  /** The open actions file a test file belongs to, or undefined. */
  const ownerOf = (testFile: string): string | undefined =>
    [...states.keys()].find((uri) => testFileFor(fileURLToPath(uri)) === testFile);

  const changed = (uri: string, text: string, opened: boolean): void => {
    if (!uri.startsWith('file:')) return;
    const file = fileURLToPath(uri);
    // A file checked as an actions file stays one, whatever is typed into it.
    if (!states.has(uri) && (RASA_FILE.test(file) || RASA_KEYS.test(text))) {
      projects.clear();
      for (const open of states.keys()) schedule(open, debounceMs);
      return;
    }
    if (TEST_FILE.test(file)) {
      const owner = ownerOf(file);
      if (owner) schedule(owner, debounceMs);
      else checkTestsAlone(uri);
      return;
    }
    if (!states.has(uri))
      states.set(uri, {
        cache: createActionCache(),
        parseCache: createParseCache(),
        timer: null,
        published: new Set(),
        view: null,
      });
    schedule(uri, opened ? 0 : debounceMs);
  };

  const opened = new Set<string>();
  documents.onDidChangeContent(({ document }) => {
    const first = !opened.has(document.uri);
    opened.add(document.uri);
    changed(document.uri, document.getText(), first);
  });
  documents.onDidClose(({ document }) => {
    opened.delete(document.uri);
    const state = states.get(document.uri);
    if (state) {
      if (state.timer) clearTimeout(state.timer);
      states.delete(document.uri);
      for (const uri of state.published) {
        const test = documents.get(uri);
        if (test && uri !== document.uri) checkTestsAlone(uri);
        else publish(uri, [], '');
      }
    } else if (TEST_FILE.test(document.uri)) {
      const owner = ownerOf(fileURLToPath(document.uri));
      if (owner) schedule(owner, 0);
      else publish(document.uri, [], '');
    }
  });

  connection.onInitialize((params): InitializeResult => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    if (folder?.startsWith('file:')) root = fileURLToPath(folder);
    const init = params.initializationOptions as ProjectSetting | null | undefined;
    // A relative setting is relative to the workspace, as an editor's settings are.
    if (init && (init.project !== undefined || (init.domain?.length ?? 0) > 0))
      setting = {
        ...(typeof init.project === 'string' ? { project: resolve(root, init.project) } : {}),
        ...(Array.isArray(init.domain) ? { domain: init.domain.map((d) => resolve(root, String(d))) } : {}),
      };
    watchable = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['.', '$', ' '] },
        hoverProvider: true,
        definitionProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
      },
      serverInfo: { name: 'slotwire', version: options.version },
    };
  });
  let watchable = false;
  connection.onInitialized(() => {
    // The domain, flows and response schemas change outside the editor too (git pull, a generator).
    if (watchable)
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yml,yaml,json}' }],
      });
  });
  connection.onDidChangeWatchedFiles(() => {
    projects.clear();
    for (const uri of states.keys()) schedule(uri, debounceMs);
  });

  const viewOf = (uri: string): FileView | null => {
    const view = states.get(uri)?.view;
    const doc = documents.get(uri);
    return view && doc ? { ...view, text: doc.getText() } : null;
  };
  connection.onCompletion(({ textDocument, position }) => {
    const view = viewOf(textDocument.uri);
    return view ? complete(view, position) : [];
  });
  connection.onHover(({ textDocument, position }) => {
    const view = viewOf(textDocument.uri);
    return view ? hover(view, position, lastDiagnostics.get(textDocument.uri) ?? []) : null;
  });
  connection.onDefinition(({ textDocument, position }) => {
    const view = viewOf(textDocument.uri);
    return view ? definition(view, position, textOf) : [];
  });
  connection.onCodeAction(({ textDocument, context }) => {
    const doc = documents.get(textDocument.uri);
    if (!doc) return [];
    return context.diagnostics.flatMap((d): CodeAction[] => {
      const fix = (d.data as DiagnosticData | undefined)?.fix;
      if (fix?.kind === 'list-action') {
        const edit = domainEdit(viewOf(textDocument.uri)?.domain ?? null, fix.action, textOf);
        return edit
          ? [{ title: `Add ${fix.action} to the domain's actions`, kind: 'quickfix', diagnostics: [d], edit }]
          : [];
      }
      const action = quickFix(textDocument.uri, doc.getText(), d);
      return action ? [action] : [];
    });
  });

  connection.onShutdown(() => {
    for (const state of states.values()) if (state.timer) clearTimeout(state.timer);
  });

  documents.listen(connection);
  connection.listen();
}

function domainOf(project: Project | null): ProjectDomain | null {
  return project !== null && !('error' in project) ? project.domain : null;
}

/** The workspace edit that lists `action` in the domain, or null without a domain file. */
function domainEdit(
  domain: ProjectDomain | null,
  action: string,
  textOf: (file: string) => string | null,
): WorkspaceEdit | null {
  const files = (domain?.files ?? []).flatMap((file) => {
    const text = textOf(file);
    return text === null ? [] : [{ file, text }];
  });
  // Rasa's conventional place first: a file named domain.yml, then the rest in order.
  files.sort((a, b) => Number(basename(b.file).startsWith('domain.')) - Number(basename(a.file).startsWith('domain.')));
  const found = listActionEdit(files, action);
  return found ? { changes: { [pathToFileURL(found.file).href]: [found.edit] } } : null;
}
