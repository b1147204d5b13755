// The packed VS Code extension (`npm run editor:vsix`, scripts/build-vsix.mjs): one bundled file and the
// language files, no node_modules; the files it claims and the settings it reads are the ones
// docs/editors.md lists; the bundle loads in an extension host with nothing beside it but `vscode`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const extension = join(root, 'editors/vscode');
const source = JSON.parse(readFileSync(join(extension, 'package.json'), 'utf8')) as { version: string };
const vsix = join(extension, `slotwire-${source.version}.vsix`);

/** Modification time in ms, 0 when missing. */
const mtime = (path: string): number => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/** The newest of what goes into the .vsix: the extension's files (not its build output) and the build script. */
function newestInput(): number {
  const files = readdirSync(extension, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.parentPath.includes(join(extension, 'dist')) && !/\.vsix$|^LICENSE$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
  return Math.max(...[...files, join(root, 'scripts/build-vsix.mjs'), join(root, 'LICENSE')].map(mtime));
}

let entries: Record<string, Uint8Array>;
const text = (entry: string): string => strFromU8(entries[entry]);
let manifest: {
  version: string;
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  contributes: {
    languages: { id: string; filenames: string[]; filenamePatterns: string[] }[];
    grammars: { language: string; path: string }[];
    configuration: { properties: Record<string, { type: string; default: unknown }> };
  };
};

beforeAll(() => {
  // CI packs it before the tests (.ci/run); a developer's run packs it when a source is newer.
  if (mtime(vsix) < newestInput()) {
    const built = spawnSync(process.execPath, [join(root, 'scripts/build-vsix.mjs')], { encoding: 'utf8' });
    expect(built.status, built.stderr + built.stdout).toBe(0);
  }
  entries = unzipSync(readFileSync(vsix));
  manifest = JSON.parse(text('extension/package.json')) as typeof manifest;
}, 120_000);

describe('the packed VS Code extension', () => {
  it('holds the manifest, one bundled script, the language files, README and LICENSE, and nothing else', () => {
    const files = Object.keys(entries)
      .filter((e) => e.startsWith('extension/'))
      .sort();
    expect(files).toEqual([
      'extension/LICENSE.txt',
      'extension/dist/extension.js',
      'extension/language-configuration.json',
      'extension/package.json',
      'extension/readme.md',
      'extension/syntaxes/slotwire.tmLanguage.json',
    ]);
    expect(`extension/${manifest.main.replace(/^\.\//, '')}`).toBe('extension/dist/extension.js');
  });

  it('is the version of the slotwire it serves', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(manifest.version).toBe(pkg.version);
  });

  it('gives actions files and their test files the slotwire language, YAML-highlighted, and no other file', () => {
    const [language] = manifest.contributes.languages;
    expect(language).toMatchObject({
      id: 'slotwire',
      filenames: ['actions.yml', 'actions.test.yml'],
      filenamePatterns: ['*.actions.yml', '*.actions.test.yml'],
    });
    expect(manifest.activationEvents).toEqual(['onLanguage:slotwire']);
    // VS Code matches a pattern without a slash against the file's name; `*` is any run of characters.
    const claims = (name: string): boolean =>
      language.filenames.includes(name) ||
      language.filenamePatterns.some((p) => new RegExp(`^${p.split('*').map(escape).join('[^/]*')}$`).test(name));
    const ours = ['actions.yml', 'actions.test.yml', 'weather.actions.yml', 'weather.actions.test.yml'];
    const others = ['domain.yml', 'endpoints.yml', 'actions.yaml', 'my-actions.yml', 'actions.yml.bak', 'test.yml'];
    expect(ours.filter(claims)).toEqual(ours);
    expect(others.filter(claims)).toEqual([]);
    const [grammar] = manifest.contributes.grammars;
    const tm = JSON.parse(text(`extension/${grammar.path.replace(/^\.\//, '')}`)) as { patterns: unknown[] };
    expect(tm.patterns).toEqual([{ include: 'source.yaml' }]);
  });

  it('reads the settings docs/editors.md lists', () => {
    const settings = manifest.contributes.configuration.properties;
    expect(Object.keys(settings).sort()).toEqual([
      'slotwire.domain',
      'slotwire.path',
      'slotwire.project',
      'slotwire.trace.server',
    ]);
    expect(settings['slotwire.path']).toMatchObject({ type: 'string', default: '' });
    expect(settings['slotwire.project']).toMatchObject({ type: 'string', default: '' });
    expect(settings['slotwire.domain']).toMatchObject({ type: 'array', default: [] });
    const docs = readFileSync(join(root, 'docs/editors.md'), 'utf8');
    for (const name of [
      ...Object.keys(settings),
      'actions.yml',
      '*.actions.yml',
      'actions.test.yml',
      '*.actions.test.yml',
    ])
      expect(docs, name).toContain(`\`${name}\``);
  });

  it('bundles everything: the script requires only `vscode` and Node’s own modules', () => {
    const required = new Set(
      [...text('extension/dist/extension.js').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]),
    );
    const foreign = [...required].filter((m) => m !== 'vscode' && !builtinModules.includes(m.replace(/^node:/, '')));
    expect(foreign).toEqual([]);
  });

  it('activates where no slotwire can be found with one error naming slotwire.path, not waiting for an answer', async () => {
    const { vscode, errors } = fakeVscode(mkdtempSync(join(tmpdir(), 'slotwire-no-cli-')));
    const host = mkdtempSync(join(tmpdir(), 'slotwire-extension-host-'));
    mkdirSync(join(host, 'node_modules/vscode'), { recursive: true });
    writeFileSync(join(host, 'node_modules/vscode/index.js'), 'module.exports = globalThis.__slotwireFakeVscode;');
    writeFileSync(join(host, 'extension.js'), entries['extension/dist/extension.js']);
    const path = process.env.PATH;
    (globalThis as { __slotwireFakeVscode?: unknown }).__slotwireFakeVscode = vscode;
    process.env.PATH = host;
    try {
      const loaded = createRequire(join(host, 'extension.js'))('./extension.js') as {
        activate: (context: unknown) => Promise<void>;
        deactivate: () => Promise<void>;
      };
      await loaded.activate({ subscriptions: [] });
      await loaded.deactivate();
    } finally {
      process.env.PATH = path;
    }
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('slotwire.path');
  });
});

function escape(literal: string): string {
  return literal.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Enough of VS Code's API for the extension to activate in one empty workspace folder: the calls
 * it makes are real functions, anything else the bundled language client touches is an inert stand-in.
 */
function fakeVscode(workspace: string): { vscode: unknown; errors: string[] } {
  const errors: string[] = [];
  const inert: object = new Proxy(function () {}, {
    get: (_t, key) => (key === 'then' ? undefined : inert),
    apply: () => inert,
    construct: () => inert,
  });
  const withRest = (known: object): object =>
    new Proxy(known, { get: (t, key) => (key in t ? (t as Record<PropertyKey, unknown>)[key] : inert) });
  const disposable = { dispose: () => undefined };
  const vscode = withRest({
    window: withRest({
      createOutputChannel: () => withRest({ appendLine: () => undefined, dispose: () => undefined }),
      // Like a message the user has not answered yet.
      showErrorMessage: (message: string) => {
        errors.push(message);
        return new Promise<never>(() => {});
      },
    }),
    commands: withRest({ registerCommand: () => disposable, executeCommand: () => Promise.resolve(undefined) }),
    workspace: withRest({
      workspaceFolders: [{ uri: { fsPath: workspace } }],
      getConfiguration: () => ({ get: (_key: string, fallback: unknown) => fallback }),
      onDidChangeConfiguration: () => disposable,
    }),
  });
  return { vscode, errors };
}
